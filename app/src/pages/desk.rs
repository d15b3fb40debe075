//! The home page's desk for whoever is signed in: a card per role with what waits
//! and a link to it (the public sees nothing here). Its view is split out of the
//! first download (`#[lazy]`): only signed-in people load it.
use crate::api::desk::{desk, DeskCard, DeskKind};
use crate::components::session::on_user;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Desk() -> impl IntoView {
    let i18n = use_i18n();
    // The public loads nothing more; a signed-in person loads the desk.
    on_user(move |user| async move {
        match user {
            Some(_) => desk_view(i18n).await,
            None => ().into_any(),
        }
    })
}

#[lazy]
async fn desk_view(i18n: leptos_i18n::I18nContext<Locale>) -> AnyView {
    let Ok(Some(cards)) = desk().await else {
        return ().into_any();
    };
    let none = cards.is_empty();
    view! {
        <section id="desk" class="desk" aria-labelledby="desk-heading">
            <h2 id="desk-heading">{t!(i18n, desk_heading)}</h2>
            {none.then(|| view! { <p class="muted">{t!(i18n, desk_none)}</p> })}
            <ul class="roles desk-cards">
                {cards.into_iter().map(|card| desk_item(i18n, card)).collect_view()}
            </ul>
            <p><A href="/tai-khoan">{t!(i18n, desk_account)}</A></p>
        </section>
    }
    .into_any()
}

fn desk_item(i18n: leptos_i18n::I18nContext<Locale>, card: DeskCard) -> impl IntoView {
    let count = card.waiting;
    let label = card.label.clone();
    let kind = card.kind;
    let title = move || match kind {
        DeskKind::Producer => t_string!(i18n, role_producer),
        DeskKind::Commune => t_string!(i18n, role_commune),
        DeskKind::Office => t_string!(i18n, role_office),
        DeskKind::Council => t_string!(i18n, role_council),
        DeskKind::Chair => t_string!(i18n, desk_chair),
        DeskKind::Admin => t_string!(i18n, role_admin),
    };
    let what = move || match kind {
        DeskKind::Producer => t!(i18n, desk_producer, count).into_any(),
        DeskKind::Commune => t!(i18n, desk_commune, count).into_any(),
        DeskKind::Office => t!(i18n, desk_office, count).into_any(),
        DeskKind::Council => t!(i18n, desk_council, count).into_any(),
        DeskKind::Chair => view! { <span>{label.clone()}</span> }.into_any(),
        DeskKind::Admin => t!(i18n, desk_admin).into_any(),
    };
    let soonest = card.soonest_days;
    view! {
        <li class="role-card desk-card" data-kind=format!("{kind:?}") data-waiting=count>
            <A href=card.link>
                <strong>{title}</strong>
                <span>{what}</span>
                {soonest.map(|days| view! { <span class="muted">{t!(i18n, desk_soonest, days)}</span> })}
            </A>
        </li>
    }
}
