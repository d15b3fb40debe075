//! `/xa/so-theo-doi`: the commune's register of its products, filterable on a phone
//! by name (diacritics optional) and by state.
use crate::api::commune_register::{commune_register, RegisterItem};
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::domain::dossier::DossierState;
use crate::domain::search::matches;
use crate::i18n::*;
use leptos::prelude::*;

/// A dossier's state in the page's language.
pub(crate) fn dossier_state_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    state: DossierState,
) -> &'static str {
    match state {
        DossierState::Draft => t_string!(i18n, dossier_state_draft),
        DossierState::Submitted => t_string!(i18n, dossier_state_submitted),
        DossierState::CommuneReview => t_string!(i18n, dossier_state_commune_review),
        DossierState::SupplementRequested => t_string!(i18n, dossier_state_supplement_requested),
        DossierState::OfficeReview => t_string!(i18n, dossier_state_office_review),
        DossierState::Rejected => t_string!(i18n, dossier_state_rejected),
        DossierState::InRound => t_string!(i18n, dossier_state_in_round),
    }
}

#[component]
pub fn CommuneRegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = Resource::new(|| (), |_| commune_register());
    let typed = RwSignal::new(String::new());
    let state = RwSignal::new(None::<DossierState>);
    let shown = move |item: &RegisterItem| {
        state.get().is_none_or(|s| s == item.state)
            && typed.with(|t| matches(&format!("{} {}", item.product_name, item.subject_name), t))
    };
    view! {
        <p><a href="/xa" id="back-to-queue">{t!(i18n, commune_heading)}</a></p>
        <h1>{t!(i18n, register_heading)}</h1>
        <p class="muted">{t!(i18n, register_intro)}</p>
        <Labelled id="register-search" label=t!(i18n, register_search)>
            <input id="register-search" type="search" autocomplete="off"
                on:input=move |event| typed.set(event_target_value(&event)) />
        </Labelled>
        <Labelled id="register-state" label=t!(i18n, register_state)>
            <select id="register-state"
                on:change=move |event| state.set(DossierState::parse(&event_target_value(&event)))>
                <option value="">{t!(i18n, register_all_states)}</option>
                {DossierState::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str()>{move || dossier_state_label(i18n, s)}</option>
                }).collect_view()}
            </select>
        </Labelled>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let items = match register.await {
                    Ok(items) => items,
                    Err(error) => return super::admin_users::denied(i18n, error),
                };
                view! {
                    {move || {
                        let found: Vec<RegisterItem> = items.iter().filter(|i| shown(i)).cloned().collect();
                        let count = found.len();
                        view! {
                            <p class="muted" id="register-count">{format!("{count} {}", t_string!(i18n, register_count))}</p>
                            {(count == 0).then(|| view! { <p>{t!(i18n, register_empty)}</p> })}
                            <ul class="card-list" id="register">
                                {found.into_iter().map(|item| view! {
                                    <li data-product=item.product_id.clone() data-state=item.state.as_str()>
                                        <strong>{item.product_name}</strong>
                                        <small class="muted">{format!(" · {} · {} {}", item.subject_name, t_string!(i18n, register_set), item.product_set)}</small>
                                        <p>
                                            <span class="state">{dossier_state_label(i18n, item.state)}</span>
                                            {item.star.map(|star| view! { <span>{format!(" · {} {star}★", t_string!(i18n, register_star))}</span> })}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                    }}
                }.into_any()
            })}
        </Transition>
    }
}
