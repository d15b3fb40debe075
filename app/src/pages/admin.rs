use super::role_page::RolePage;
use crate::api::admin_units::list_provinces;
use crate::format::group_thousands;
use crate::i18n::*;
use leptos::prelude::*;

/// Entry point of the administrator: today the administrative units on record.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let provinces = Resource::new(|| (), |_| list_provinces());
    view! {
        <RolePage
            heading=move || t_string!(i18n, admin_heading)
            body=move || t_string!(i18n, admin_body)
        />
        <section aria-labelledby="provinces-heading">
            <h2 id="provinces-heading">{t!(i18n, provinces_heading)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match provinces.await {
                        Ok(rows) => {
                            view! {
                                <ul class="province-list">
                                    {rows
                                        .into_iter()
                                        .map(|province| {
                                            let count = move || {
                                                group_thousands(
                                                    province.communes,
                                                    t_string!(i18n, thousands_separator),
                                                )
                                            };
                                            view! {
                                                <li>
                                                    <span class="code">{province.code}</span>
                                                    " "
                                                    <span>{province.name}</span>
                                                    <small>{t!(i18n, communes_count, count)}</small>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
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
