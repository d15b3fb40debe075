use crate::api::admin_units::admin_unit_summary;
use crate::components::loading::Loading;
use crate::format::group_thousands;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

type Text = fn(leptos_i18n::I18nContext<Locale>) -> &'static str;

/// The roles the home page presents: each one's name and what it does in Sao.
const ROLES: [(Text, Text); 5] = [
    (
        |i18n| t_string!(i18n, role_producer),
        |i18n| t_string!(i18n, role_producer_desc),
    ),
    (
        |i18n| t_string!(i18n, role_council),
        |i18n| t_string!(i18n, role_council_desc),
    ),
    (
        |i18n| t_string!(i18n, role_commune),
        |i18n| t_string!(i18n, role_commune_desc),
    ),
    (
        |i18n| t_string!(i18n, role_office),
        |i18n| t_string!(i18n, role_office_desc),
    ),
    (
        |i18n| t_string!(i18n, role_admin),
        |i18n| t_string!(i18n, role_admin_desc),
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| admin_unit_summary());
    view! {
        <super::desk::Desk />
        <section class="hero">
            <h1>{t!(i18n, home_heading)}</h1>
            <p class="lead">{t!(i18n, tagline)}</p>
            <p>{t!(i18n, home_intro)}</p>
            <p class="actions">
                // Served as plain HTML outside the app (no WASM): a full page load.
                <a href="/san-pham" rel="external" class="button" id="home-catalogue">{t!(i18n, catalogue_title)}</a>
                <A href="/dang-ky" attr:class="button" attr:id="home-sign-up">{t!(i18n, sign_up_link)}</A>
                <A href="/tu-danh-gia" attr:class="button secondary">{t!(i18n, try_link)}</A>
                <A href="/bo-tieu-chi" attr:class="button secondary">{t!(i18n, rules_link)}</A>
            </p>
        </section>
        <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">{t!(i18n, roles_heading)}</h2>
            <ul class="roles">
                {ROLES
                    .into_iter()
                    .map(|(title, text)| view! {
                        <li class="role-card">
                            <div class="role-text">
                                <strong>{move || title(i18n)}</strong>
                                <span>{move || text(i18n)}</span>
                            </div>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="units" aria-labelledby="units-heading">
            <h2 id="units-heading">{t!(i18n, admin_units_heading)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match summary.await {
                        Ok(counts) => {
                            let separator = move || t_string!(i18n, thousands_separator);
                            let provinces = move || group_thousands(counts.provinces, separator());
                            let communes = move || group_thousands(counts.communes, separator());
                            view! {
                                <p id="units-summary">
                                    {t!(i18n, admin_units_summary, provinces, communes)}
                                </p>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
