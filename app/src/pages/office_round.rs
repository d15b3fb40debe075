//! `/van-phong/dot/{id}`: one round as its province's office runs it: the next
//! step (only the valid ones), the council's settings, its seats (invite by phone),
//! conflicts of interest and the split of the council per product.
use crate::api::office::{
    round_view, AddCouncilMember, AssignMembers, ChangeRound, CouncilSplit, DeclareConflict,
    RoundDetail, SetCouncilSettings,
};
use crate::components::form::{error_besides, field_error, ChoiceAndReason, Field, FormAlert};
use crate::components::loading::Loading;
use crate::domain::date::display_date;
use crate::domain::round::{CouncilPosition, RoundEvent, RoundState};
use crate::i18n::*;
use leptos::prelude::*;
use std::collections::BTreeSet;

type I18n = leptos_i18n::I18nContext<Locale>;

/// The label of a step the office takes.
pub(crate) fn event_label(i18n: I18n, event: RoundEvent) -> String {
    match event {
        RoundEvent::Open => t_string!(i18n, round_event_open),
        RoundEvent::StartScoring => t_string!(i18n, round_event_start_scoring),
        RoundEvent::StartDeliberation => t_string!(i18n, round_event_deliberate),
        RoundEvent::Seal => t_string!(i18n, round_event_seal),
        RoundEvent::Decide => t_string!(i18n, round_event_decide),
        RoundEvent::Rescore => t_string!(i18n, round_event_rescore),
    }
    .to_string()
}

/// A round's state in the page's language.
pub(crate) fn state_label(i18n: I18n, state: RoundState) -> String {
    match state {
        RoundState::Draft => t_string!(i18n, round_state_draft),
        RoundState::Accepting => t_string!(i18n, round_state_accepting),
        RoundState::Scoring => t_string!(i18n, round_state_scoring),
        RoundState::Deliberation => t_string!(i18n, round_state_deliberation),
        RoundState::Sealed => t_string!(i18n, round_state_sealed),
        RoundState::Decided => t_string!(i18n, round_state_decided),
    }
    .to_string()
}

#[component]
pub fn OfficeRoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let round_id = crate::components::route::path_id_now();
    let change = ServerAction::<ChangeRound>::new();
    let settings = ServerAction::<SetCouncilSettings>::new();
    let seat = ServerAction::<AddCouncilMember>::new();
    let conflict = ServerAction::<DeclareConflict>::new();
    let assign = ServerAction::<AssignMembers>::new();
    let detail = {
        let round_id = round_id.clone();
        Resource::new(
            move || {
                (
                    change.version().get(),
                    settings.version().get(),
                    seat.version().get(),
                    conflict.version().get(),
                    assign.version().get(),
                )
            },
            move |_| round_view(round_id.clone()),
        )
    };
    let actions = RoundActions {
        change,
        settings,
        seat,
        conflict,
        assign,
    };
    view! {
        <p><a href="/van-phong" id="back-to-office">{t!(i18n, round_back)}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => round_body(i18n, detail, actions).into_any(),
                    Err(error) => super::admin_users::denied(i18n, error),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct RoundActions {
    change: ServerAction<ChangeRound>,
    settings: ServerAction<SetCouncilSettings>,
    seat: ServerAction<AddCouncilMember>,
    conflict: ServerAction<DeclareConflict>,
    assign: ServerAction<AssignMembers>,
}

fn round_body(i18n: I18n, detail: RoundDetail, actions: RoundActions) -> impl IntoView {
    let round = detail.round.clone();
    let state = round.state;
    let next = state.office_next();
    let step_error = error_besides(actions.change.value(), &[]);
    view! {
        <h1 id="round-name" data-state=format!("{state:?}")>{round.name.clone()}</h1>
        <p class="muted" id="round-facts">
            <span>{state_label(i18n, state)}</span>
            <span>{format!(" · {} {}", t_string!(i18n, round_cutoff), display_date(&round.proposal_cutoff))}</span>
            <span>{format!(" · {} {}", t_string!(i18n, round_closes), display_date(&round.closes_on))}</span>
        </p>
        <section class="card" id="round-next">
            <h2>{t!(i18n, round_next_heading)}</h2>
            {next.is_empty().then(|| view! {
                <p class="muted">
                    {match state {
                        RoundState::Deliberation => t_string!(i18n, round_next_chair),
                        RoundState::Sealed => t_string!(i18n, round_next_decision),
                        _ => t_string!(i18n, round_next_none),
                    }}
                </p>
            })}
            <div class="actions">
                {next.iter().enumerate().map(|(index, event)| {
                    let class = if index == 0 { "button" } else { "button secondary" };
                    let id = round.id.clone();
                    view! {
                        <ActionForm action=actions.change attr:class="inline">
                            <input type="hidden" name="round_id" value=id />
                            <input type="hidden" name="event" value=event.as_str() />
                            <button type="submit" class=class data-event=event.as_str()>{event_label(i18n, *event)}</button>
                        </ActionForm>
                    }
                }).collect_view()}
                <a class="button secondary" href=format!("/hoi-dong/{}", round.id) id="round-console">{t!(i18n, office_console)}</a>
            </div>
            <FormAlert message=step_error />
        </section>
        {matches!(state, RoundState::Sealed | RoundState::Decided).then(|| view! {
            <super::decision::DecisionPanel round_id=round.id.clone() />
        })}
        {settings_section(i18n, &detail, actions.settings)}
        {seats_section(i18n, &detail, actions)}
        {products_section(i18n, &detail, actions.assign)}
    }
}

fn settings_section(
    i18n: I18n,
    detail: &RoundDetail,
    settings: ServerAction<SetCouncilSettings>,
) -> impl IntoView {
    let round = detail.round.clone();
    let facts = format!(
        "{} {}/{} · {} {}",
        t_string!(i18n, round_quorum),
        round.quorum.0,
        round.quorum.1,
        t_string!(i18n, round_divergence),
        round.divergence_limit
    );
    let open = round.state.settings_open();
    let value = settings.value();
    view! {
        <section class="card" id="round-settings">
            <h2>{t!(i18n, round_settings_heading)}</h2>
            <p id="settings-now">{facts}</p>
            {(!open).then(|| view! { <p class="muted">{t!(i18n, round_settings_closed)}</p> })}
            {open.then(move || view! {
                <details>
                    <summary>{t!(i18n, round_settings_change)}</summary>
                    <ActionForm action=settings attr:id="settings-form">
                        <input type="hidden" name="round_id" value=round.id.clone() />
                        <div class="field-row">
                            <Field name="numerator" inputmode="numeric" value=round.quorum.0.to_string()
                                label=move || t_string!(i18n, round_quorum_numerator).to_string()
                                server_error=field_error(value, "quorum") />
                            <Field name="denominator" inputmode="numeric" value=round.quorum.1.to_string()
                                label=move || t_string!(i18n, round_quorum_denominator).to_string()
                                server_error=Signal::derive(|| None::<String>) />
                        </div>
                        <Field name="divergence_limit" inputmode="numeric" value=round.divergence_limit.to_string()
                            label=move || t_string!(i18n, round_divergence_limit).to_string()
                            server_error=Signal::derive(|| None::<String>) />
                        <FormAlert message=error_besides(value, &["quorum"]) />
                        <button type="submit" class="button" id="save-settings">{t!(i18n, save)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

fn seats_section(i18n: I18n, detail: &RoundDetail, actions: RoundActions) -> impl IntoView {
    let round = detail.round.clone();
    let open = round.state.council_open();
    let product_name = |id: &str| {
        detail
            .products
            .iter()
            .find(|(p, _)| p == id)
            .map_or_else(|| id.to_string(), |(_, name)| name.clone())
    };
    let seat_value = actions.seat.value();
    let conflict_value = actions.conflict.value();
    let members = detail.members.clone();
    let products = detail.products.clone();
    view! {
        <section class="card" id="round-council">
            <h2>{t!(i18n, round_council_heading)}</h2>
            {members.is_empty().then(|| view! { <p class="muted">{t!(i18n, round_council_empty)}</p> })}
            <ul class="card-list" id="council-members">
                {members.into_iter().map(|member| {
                    let load = detail.loads.iter().find(|(id, _)| *id == member.id).map(|(_, n)| *n);
                    let conflicts: Vec<String> = detail.conflicts.iter()
                        .filter(|(m, _)| *m == member.id)
                        .map(|(_, p)| product_name(p))
                        .collect();
                    let scores = member.position.scores();
                    let products = products.clone();
                    let member_id = member.id.clone();
                    view! {
                        <li data-member=member.id.clone()>
                            <strong>{member.name.clone()}</strong>
                            <span class="muted">{format!(" · {} · {}", member.department, position_text(i18n, member.position))}</span>
                            {member.user_id.is_none().then(|| view! { <span class="muted">{format!(" · {}", t_string!(i18n, round_seat_no_account))}</span> })}
                            {load.map(|n| view! { <span>{format!(" · {} {n}", t_string!(i18n, round_member_load))}</span> })}
                            {(!conflicts.is_empty()).then(|| view! {
                                <p class="notice conflicts">{format!("{}: {}", t_string!(i18n, round_conflicts), conflicts.join(", "))}</p>
                            })}
                            {(open && scores && !products.is_empty()).then(move || view! {
                                <details class="declare-conflict">
                                    <summary>{t!(i18n, round_declare_conflict)}</summary>
                                    <ActionForm action=actions.conflict>
                                        <input type="hidden" name="member_id" value=member_id.clone() />
                                        <ChoiceAndReason form="conflict" what="product" key=member_id.clone() name="product_id" choices=products>
                                            {t!(i18n, round_conflict_product)}
                                        </ChoiceAndReason>
                                        <FormAlert message=error_besides(conflict_value, &[]) />
                                        <button type="submit" class="button">{t!(i18n, round_declare_conflict)}</button>
                                    </ActionForm>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {open.then(move || view! {
                <h3>{t!(i18n, office_add_member)}</h3>
                <ActionForm action=actions.seat attr:id="seat-form">
                    <input type="hidden" name="round_id" value=round.id.clone() />
                    <Field name="name" autocomplete="name"
                        label=move || t_string!(i18n, field_display_name).to_string()
                        server_error=field_error(seat_value, "name") />
                    <Field name="department"
                        label=move || t_string!(i18n, round_seat_department).to_string()
                        server_error=field_error(seat_value, "department") />
                    <div class="field">
                        <label for="field-position">{t!(i18n, round_seat_position)}</label>
                        <select id="field-position" name="position">
                            {CouncilPosition::ALL.into_iter().map(|position| view! { <option value=position.as_str()>{position_text(i18n, position)}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="phone" kind="tel" inputmode="tel" optional=true
                        label=move || t_string!(i18n, field_phone).to_string()
                        hint=Signal::derive(move || t_string!(i18n, round_seat_phone_hint).to_string())
                        server_error=field_error(seat_value, "phone") />
                    <FormAlert message=error_besides(seat_value, &["name", "department", "phone"]) />
                    <button type="submit" class="button" id="seat-submit">{t!(i18n, office_add_member)}</button>
                </ActionForm>
                {move || seat_value.get().and_then(|r| r.ok()).and_then(|added| added.invitation).map(|invitation| match invitation.link {
                    Some(link) => view! {
                        <p class="form-done" role="status" id="seat-invited">
                            {t!(i18n, round_seat_invited)}<br /><code class="link">{link}</code>
                        </p>
                    }.into_any(),
                    None => view! { <p class="form-done" role="status" id="seat-offered">{t!(i18n, invite_offered)}</p> }.into_any(),
                })}
            })}
        </section>
    }
}

fn products_section(
    i18n: I18n,
    detail: &RoundDetail,
    assign: ServerAction<AssignMembers>,
) -> impl IntoView {
    let round_id = detail.round.id.clone();
    let open = detail.round.state.council_open();
    let scorers: Vec<(String, String)> = detail
        .members
        .iter()
        .filter(|m| m.position.scores())
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    let error = error_besides(assign.value(), &[]);
    let products = detail.products.clone();
    let assignments = detail.assignments.clone();
    view! {
        <section class="card" id="round-products">
            <h2>{t!(i18n, round_products_heading)}</h2>
            {products.is_empty().then(|| view! { <p class="muted">{t!(i18n, round_products_empty)}</p> })}
            <p class="muted">{t!(i18n, round_split_hint)}</p>
            <FormAlert message=error />
            <ul class="card-list" id="round-product-list">
                {products.into_iter().map(|(product_id, name)| {
                    let chosen: BTreeSet<String> = assignments.iter()
                        .filter(|(_, p)| *p == product_id)
                        .map(|(m, _)| m.clone())
                        .collect();
                    let split = !chosen.is_empty();
                    let chosen = RwSignal::new(chosen);
                    let (round_id, product_for_save) = (round_id.clone(), product_id.clone());
                    let save = move |_| {
                        let member_ids = chosen.get_untracked().into_iter().collect::<Vec<_>>().join(",");
                        assign.dispatch(AssignMembers {
                            split: CouncilSplit {
                                round_id: round_id.clone(),
                                product_id: product_for_save.clone(),
                                member_ids,
                            },
                        });
                    };
                    view! {
                        <li data-product=product_id.clone()>
                            <strong>{name}</strong>
                            <small class="muted">{if split { t_string!(i18n, round_split_some) } else { t_string!(i18n, round_split_all) }}</small>
                            {open.then(|| view! {
                                <fieldset class="checks">
                                    <legend>{t!(i18n, round_split_legend)}</legend>
                                    {scorers.iter().map(|(member_id, member_name)| {
                                        let (id_a, id_b) = (member_id.clone(), member_id.clone());
                                        view! {
                                            <label class="choice">
                                                <input type="checkbox" data-member=member_id.clone()
                                                    prop:checked=move || chosen.with(|c| c.contains(&id_a))
                                                    on:change=move |event| {
                                                        let on = event_target_checked(&event);
                                                        chosen.update(|c| { if on { c.insert(id_b.clone()); } else { c.remove(&id_b); } });
                                                    } />
                                                <span>{member_name.clone()}</span>
                                            </label>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <button type="button" class="button secondary save-split" on:click=save>{t!(i18n, round_split_save)}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A council seat in the page's language.
fn position_text(i18n: leptos_i18n::I18nContext<Locale>, position: CouncilPosition) -> String {
    match position {
        CouncilPosition::Member => t_string!(i18n, position_member),
        CouncilPosition::Chair => t_string!(i18n, position_chair),
        CouncilPosition::Advisor => t_string!(i18n, position_advisor),
    }
    .to_string()
}
