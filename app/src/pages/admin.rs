use super::role_page::RolePage;
use crate::api::admin_units::{list_communes, list_provinces};
use crate::components::loading::Loading;
use crate::format::group_thousands;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Entry point of the administrator: users, the audit trail and the administrative
/// units on record (`?tinh=N` lists one province's communes).
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let provinces = Resource::new(|| (), |_| list_provinces());
    let query = use_query_map();
    let chosen =
        Memo::new(move |_| query.with(|q| q.get("tinh").and_then(|v| v.parse::<i64>().ok())));
    let communes = Resource::new(
        move || chosen.get(),
        |province| async move {
            match province {
                Some(code) => list_communes(code).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <RolePage
            heading=move || t_string!(i18n, admin_heading)
            body=move || t_string!(i18n, admin_body)
        />
        <p class="actions">
            <A href="/admin/nguoi-dung" attr:class="button">{t!(i18n, admin_users_link)}</A>
            <A href="/admin/nhat-ky" attr:class="button secondary">{t!(i18n, admin_audit_link)}</A>
        </p>
        <section aria-labelledby="provinces-heading">
            <h2 id="provinces-heading">{t!(i18n, provinces_heading)}</h2>
            <p class="muted">{t!(i18n, units_pick_province)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let provinces = provinces.await;
                    let communes = communes.await;
                    match provinces {
                        Ok(rows) => {
                            let chosen_name = rows
                                .iter()
                                .find(|p| Some(p.code) == chosen.get_untracked())
                                .map(|p| p.name.clone())
                                .unwrap_or_default();
                            view! {
                                {match communes {
                                    Ok(Some(list)) => {
                                        let province = chosen_name.clone();
                                        view! {
                                            <h3 id="communes-heading">{t!(i18n, communes_heading, province)}</h3>
                                            <ul class="province-list" id="commune-list">
                                                {list
                                                    .into_iter()
                                                    .map(|c| view! { <li><span class="code">{c.code}</span>" "<span>{c.name}</span></li> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }
                                    _ => ().into_any(),
                                }}
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
                                                    <A href=format!("/admin?tinh={}", province.code)>{province.name}</A>
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
