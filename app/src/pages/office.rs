//! The province OCOP office's page `/van-phong`: dossiers forwarded by the communes
//! (supplement, reject, assign to a round) and the rounds with their councils.
use super::uploader::{slots_of, Uploader};
use crate::api::office::{
    office_queue, office_rounds, AssignToRound, CreateRound, OfficeReject, OfficeRequestSupplement,
};
use crate::components::form::{
    error_besides, failure, field_error, first_failure, Field, FormAlert,
};
use crate::components::form_card::FormCard;
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::domain::evidence::ADVISORY_SLOTS;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn OfficePage() -> impl IntoView {
    let i18n = use_i18n();
    let supplement = ServerAction::<OfficeRequestSupplement>::new();
    let reject = ServerAction::<OfficeReject>::new();
    let assign = ServerAction::<AssignToRound>::new();
    let create = ServerAction::<CreateRound>::new();
    let versions = move || {
        (
            supplement.version().get(),
            reject.version().get(),
            assign.version().get(),
            create.version().get(),
        )
    };
    let queue = Resource::new(versions, |_| office_queue());
    let rounds = Resource::new(versions, |_| office_rounds());
    let alert = first_failure(move || {
        [
            failure(supplement.value()),
            failure(reject.value()),
            failure(assign.value()),
        ]
    });
    let session = crate::components::session::use_session();
    let is_ministry = move || async move {
        session
            .user
            .await
            .ok()
            .flatten()
            .is_some_and(|user| user.has_role(crate::auth::Role::MinistryStaff))
    };
    view! {
        // The ministry's office runs central rounds: its own heading, no certificates of a province.
        <h1>
            <Suspense fallback=move || t!(i18n, office_heading)>
                {move || Suspend::new(async move {
                    if is_ministry().await {
                        t!(i18n, ministry_heading).into_any()
                    } else {
                        t!(i18n, office_heading).into_any()
                    }
                })}
            </Suspense>
        </h1>
        <FormAlert message=alert />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let ministry = is_ministry().await;
                let (queue, rounds) = match (queue.await, rounds.await) {
                    (Ok(queue), Ok(rounds)) => (queue, rounds),
                    (Err(error), _) | (_, Err(error)) => {
                        return super::admin_users::denied(i18n, error);
                    }
                };
                let open_rounds: Vec<_> = rounds.iter().filter(|r| r.state.accepts_dossiers()).cloned().collect();
                view! {
                    {if ministry {
                        view! {
                            <p><a class="button secondary" id="certificates-link" href="/van-phong/giay-chung-nhan">{t!(i18n, ministry_certificates_link)}</a></p>
                            <h2>{t!(i18n, ministry_intake)}</h2>
                        }.into_any()
                    } else {
                        view! {
                            <p><a class="button secondary" id="certificates-link" href="/van-phong/giay-chung-nhan">{t!(i18n, certificates_link)}</a></p>
                            <h2>{t!(i18n, office_intake)}</h2>
                        }.into_any()
                    }}
                    {queue.is_empty().then(|| view! { <p class="muted">{t!(i18n, office_intake_empty)}</p> })}
                    <ul class="card-list" id="office-queue">
                        {queue.into_iter().map(|item| {
                            let product = item.product;
                            let (a, b, c) = (product.id.clone(), product.id.clone(), product.id.clone());
                            let rules = item.rejection_rules;
                            let choices = open_rounds.clone();
                            view! {
                                <li data-product=product.id.clone()>
                                    <strong>{product.name.clone()}</strong>
                                    <small>{format!(" · {} · {}", t_string!(i18n, product_set_short, number = product.product_set), t_string!(i18n, version_short, version = product.version))}</small>
                                    {item.report_path.map(|path| view! { <span>" "<a href=path class="small">{t!(i18n, commune_report)}</a></span> })}
                                    {item.reevaluate_by.clone().map(|day| view! { <p class="reevaluate-by small">{t_string!(i18n, office_reevaluate_by, date = day).to_string()}</p> })}
                                    {item.proposed_by.clone().map(|round| view! { <p class="proposed-by small">{t_string!(i18n, office_proposed_by, round = round).to_string()}</p> })}
                                    <details>
                                        <summary>{t!(i18n, office_assign)}</summary>
                                        <ActionForm action=assign>
                                            <input type="hidden" name="product_id" value=a />
                                            <select name="round_id">
                                                {choices.into_iter().map(|r| view! { <option value=r.id>{r.name}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class="small assign">{t!(i18n, office_assign)}</button>
                                        </ActionForm>
                                    </details>
                                    {item.proposed_by.is_none().then(|| view! {
                                    <details>
                                        <summary>{t!(i18n, office_advisory)}</summary>
                                        <Uploader product_id=product.id.clone() slots=slots_of(i18n, &ADVISORY_SLOTS) id_suffix=format!("-{}", product.id) />
                                    </details>
                                    <details>
                                        <summary>{t!(i18n, supplement_heading)}</summary>
                                        <ActionForm action=supplement>
                                            <input type="hidden" name="product_id" value=b />
                                            <textarea name="note" rows="2"></textarea>
                                            <input name="deadline" type="date" />
                                            <button type="submit" class="small">{t!(i18n, supplement_submit)}</button>
                                        </ActionForm>
                                    </details>
                                    <details>
                                        <summary>{t!(i18n, office_reject)}</summary>
                                        <ActionForm action=reject>
                                            <input type="hidden" name="product_id" value=c />
                                            <fieldset class="checks">
                                                <legend>{t!(i18n, office_reject_rule)}</legend>
                                                {rules.into_iter().enumerate().map(|(index, rule)| view! {
                                                    <label class="choice"><input type="radio" name="rule" value=index.to_string() />" "{rule}</label>
                                                }).collect_view()}
                                            </fieldset>
                                            <label>{t!(i18n, office_reject_note)}<textarea name="note" rows="2"></textarea></label>
                                            <button type="submit" class="small">{t!(i18n, office_reject)}</button>
                                        </ActionForm>
                                    </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2>{t!(i18n, office_rounds)}</h2>
                    <ul class="card-list" id="office-rounds">
                        {rounds.into_iter().map(|round| view! { <RoundCard round=round /> }).collect_view()}
                    </ul>
                    <NewRoundForm create />
                    <super::returned::ReturnedList />
                    {(!ministry).then(|| view! { <super::plan::OfficePlan /> <super::promotion::OfficePromotion /> })}
                    {ministry.then(|| view! { <super::report_form::ReportForm scopes=None /> })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// A new round: its name and dates, filled with Điều 5's next round (the office
/// sets the seed plan's own dates, and as many rounds as the year needs).
#[component]
fn NewRoundForm(create: ServerAction<CreateRound>) -> impl IntoView {
    let i18n = use_i18n();
    let value = create.value();
    let today = crate::domain::date::CalendarDate::of_ms_vietnam(js_now_ms());
    let (year, number) = crate::domain::round::next_province_round(today);
    let (cutoff, closes) = crate::domain::round::province_round_dates(year, number)
        .map(|(a, b)| (iso(a), iso(b)))
        .unwrap_or_default();
    view! {
        <FormCard id="new-round" summary=t!(i18n, office_new_round)>
            <ActionForm action=create>
                <RoundChoiceFields />
                <Field name="name" value=t_string!(i18n, round_default_name, number = number, year = year).to_string()
                    label=move || t_string!(i18n, round_name).to_string()
                    server_error=field_error(value, "name") />
                <Field name="proposal_cutoff" kind="date" value=cutoff
                    label=move || t_string!(i18n, round_cutoff).to_string()
                    hint=Signal::derive(move || t_string!(i18n, round_dates_hint).to_string())
                    server_error=field_error(value, "proposal_cutoff") />
                <Field name="closes_on" kind="date" value=closes
                    label=move || t_string!(i18n, round_closes).to_string()
                    server_error=field_error(value, "closes_on") />
                <FormAlert message=error_besides(value, &["name", "proposal_cutoff", "closes_on"]) />
                <button type="submit" class="button" id="create-round">{t!(i18n, office_new_round)}</button>
            </ActionForm>
        </FormCard>
    }
}

/// The level and the workflow profile of a new round, as the office may choose them.
#[component]
fn RoundChoiceFields() -> impl IntoView {
    let i18n = use_i18n();
    let choices = Resource::new(|| (), |_| crate::api::office::round_choices());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(choices) = choices.await else { return ().into_any() };
                view! {
                    <Labelled id="round-level" label=t!(i18n, round_level)>
                        <select name="level" id="round-level">
                            {choices.levels.into_iter().map(|(code, district)| {
                                let label = match (code.as_str(), district) {
                                    ("central", _) => t_string!(i18n, level_central).to_string(),
                                    (_, Some(name)) => t_string!(i18n, level_district, name = name).to_string(),
                                    _ => t_string!(i18n, level_province).to_string(),
                                };
                                view! { <option value=code>{label}</option> }
                            }).collect_view()}
                        </select>
                    </Labelled>
                    <Labelled id="round-sitting" label=t!(i18n, round_sitting)>
                        <select name="sitting" id="round-sitting">
                            <option value="meeting">{t!(i18n, sitting_meeting)}</option>
                            <option value="written">{t!(i18n, sitting_written)}</option>
                        </select>
                    </Labelled>
                    <Labelled id="round-profile" label=t!(i18n, round_profile)>
                        <select name="profile" id="round-profile">
                            {choices.profiles.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                    </Labelled>
                }.into_any()
            })}
        </Suspense>
    }
}

fn iso(date: crate::domain::date::CalendarDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

/// Now, in Unix milliseconds (the server's clock, then the browser's).
pub(crate) fn js_now_ms() -> i64 {
    #[cfg(feature = "ssr")]
    {
        crate::domain::date::now_ms()
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        0
    }
}

/// One round in the list: its state and dates; its page holds the rest.
#[component]
fn RoundCard(round: crate::api::office::RoundRow) -> impl IntoView {
    let i18n = use_i18n();
    let level = match round.body {
        crate::domain::round::Body::Central => t_string!(i18n, level_central),
        crate::domain::round::Body::Province(_) => t_string!(i18n, level_province),
        crate::domain::round::Body::District { .. } => t_string!(i18n, level_district_any),
    };
    view! {
        <li data-round=round.id.clone() data-state=format!("{:?}", round.state) data-level=round.body.level() data-sitting=round.sitting.code()>
            <a href=format!("/van-phong/dot/{}", round.id) class="round-link"><strong>{round.name.clone()}</strong></a>
            <small class="muted">
                <span>{format!(" · {level}")}</span>
                {(round.sitting == crate::domain::sitting::Sitting::Written)
                    .then(|| view! { <span class="sitting">{format!(" · {}", t_string!(i18n, sitting_written_short))}</span> })}
                <span>{format!(" · {}", super::office_round::state_label(i18n, round.state))}</span>
                <span>{format!(" · {} {} · {} {}", t_string!(i18n, round_cutoff), crate::domain::date::display_date(&round.proposal_cutoff), t_string!(i18n, round_closes), crate::domain::date::display_date(&round.closes_on))}</span>
            </small>
        </li>
    }
}
