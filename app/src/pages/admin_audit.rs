//! The audit trail for admins: filter by actor, object and dates; download as CSV.
use super::admin_users::denied;
use crate::api::audit::{list_audit, AuditQuery};
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::domain::date::format_vietnam_time;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The CSV export route (server side: `sao_server::AUDIT_CSV_PATH`).
const CSV_PATH: &str = "/quan-tri/nhat-ky.csv";
const FILTERS: [&str; 4] = ["actor", "object", "from", "to"];

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| FILTERS.map(|name| q.get(name).filter(|v| !v.trim().is_empty())))
    });
    let rows = Resource::new(
        move || filters.get(),
        |[actor, object, from, to]| {
            list_audit(AuditQuery {
                actor,
                object,
                from,
                to,
            })
        },
    );
    let csv_link = move || {
        let pairs: Vec<String> = FILTERS
            .iter()
            .zip(filters.get())
            .filter_map(|(name, value)| value.map(|v| format!("{name}={}", encode(&v))))
            .collect();
        if pairs.is_empty() {
            CSV_PATH.to_string()
        } else {
            format!("{CSV_PATH}?{}", pairs.join("&"))
        }
    };
    let value_of = move |index: usize| move || filters.get()[index].clone().unwrap_or_default();
    view! {
        <h1>{t!(i18n, audit_heading)}</h1>
        <p class="muted">{t!(i18n, audit_intro)}</p>
        <Form method="GET" action="" attr:class="filters">
            <Labelled id="f-actor" label=t!(i18n, field_actor)>
                <input id="f-actor" name="actor" prop:value=value_of(0) />
            </Labelled>
            <Labelled id="f-object" label=t!(i18n, field_object)>
                <input id="f-object" name="object" prop:value=value_of(1) />
            </Labelled>
            <Labelled id="f-from" label=t!(i18n, field_from)>
                <input id="f-from" name="from" type="date" prop:value=value_of(2) />
            </Labelled>
            <Labelled id="f-to" label=t!(i18n, field_to)>
                <input id="f-to" name="to" type="date" prop:value=value_of(3) />
            </Labelled>
            <div class="actions">
                <button type="submit" class="button">{t!(i18n, filter_submit)}</button>
                <a class="button secondary" rel="external" download="" href=csv_link>
                    {t!(i18n, download_csv)}
                </a>
            </div>
        </Form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, audit_empty)}</p> }.into_any(),
                    Ok(rows) => {
                        view! {
                            <p class="muted">{t!(i18n, audit_limit)}</p>
                            <div class="table-scroll">
                                <table class="audit" id="audit-table">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, col_time)}</th>
                                            <th>{t!(i18n, col_actor)}</th>
                                            <th>{t!(i18n, col_role)}</th>
                                            <th>{t!(i18n, col_action)}</th>
                                            <th>{t!(i18n, col_object)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|row| {
                                                view! {
                                                    <tr>
                                                        <td>{format_vietnam_time(row.at_ms)}</td>
                                                        <td class="code">{row.actor}</td>
                                                        <td>{row.role}</td>
                                                        <td>{row.action}</td>
                                                        <td class="code">{format!("{}: {}", row.object_kind, row.object_id)}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => denied(i18n, error),
                }
            })}
        </Suspense>
    }
}

/// Percent-encodes a query value (ids, dates and phone numbers need little).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
