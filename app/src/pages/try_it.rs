use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use sao_scoring::council::{CouncilInput, MemberSheet};
use sao_scoring::{Answers, CriterionCode, OptionIndex, Profile, Scorecard, ScoredSheet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The option ticked per criterion (None: "none applies"); absent: not answered yet.
pub(crate) type Choices = BTreeMap<CriterionCode, Option<OptionIndex>>;

/// `/tu-danh-gia`: tick options and watch the total and the predicted star,
/// computed in the browser by the same model the council uses.
#[component]
pub fn TryItPage() -> impl IntoView {
    let i18n = use_i18n();
    let (index, scorecard) = super::product_set_resources();
    let navigate = use_navigate();
    let choose = move |ev: leptos::ev::Event| {
        navigate(
            &format!("/tu-danh-gia?bo={}", event_target_value(&ev)),
            Default::default(),
        );
    };
    view! {
        <h1>{t!(i18n, try_heading)}</h1>
        <p class="muted">{t!(i18n, try_intro)}</p>
        <Suspense fallback=Loading>
            {move || {
                let choose = choose.clone();
                Suspend::new(async move {
                    let (Ok(index), Ok(set)) = (index.await, scorecard.await) else {
                        return view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any();
                    };
                    let current = set.as_ref().map(|s| u32::from(s.number));
                    view! {
                        <label class="field">
                            <span>{t!(i18n, choose_set)}</span>
                            <select id="try-set" on:change=choose>
                                <option value="" selected=current.is_none()>{t!(i18n, choose_set_prompt)}</option>
                                {index.product_sets.into_iter().map(|s| view! {
                                    <option value=s.number.to_string() selected=current == Some(s.number)>
                                        {format!("{}. {}", s.number, s.name)}
                                    </option>
                                }).collect_view()}
                            </select>
                        </label>
                        {set.map(|set| view! { <SelfAssessment set=Arc::new(set) profile=Arc::new(index.profile) choices=RwSignal::new(Choices::new()) /> })}
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// What the model says about the current choices (one sheet, no quorum).
#[derive(Clone, PartialEq)]
struct Summary {
    total: u32,
    parts: Vec<(String, u32)>,
    star: u8,
    unanswered: usize,
    /// Star level → the minimums not met there.
    failed: Vec<(u8, Vec<UnmetMinimum>)>,
}

/// A criterion below the minimum of a star level: (criterion, points required, points given).
type UnmetMinimum = (CriterionCode, u32, u32);

fn summarize(set: &Scorecard, profile: &Profile, choices: &Choices) -> Option<Summary> {
    let mut answers = Answers::default();
    for (_, _, criterion) in set.criteria() {
        answers.0.insert(
            criterion.code.clone(),
            choices.get(&criterion.code).copied().flatten(),
        );
    }
    let unanswered = set
        .criteria()
        .filter(|(_, _, c)| !choices.contains_key(&c.code))
        .count();
    let scored = ScoredSheet::score(set, &answers).ok()?;
    let level = profile.levels.first()?.code.clone();
    let sheets = [MemberSheet {
        answers,
        conflict: false,
        knockouts: vec![],
    }];
    let none = BTreeSet::new();
    let result = CouncilInput {
        scorecard: set,
        profile,
        level: &level,
        sheets: &sheets,
        members: None,
        chair: None,
        confirmed_knockouts: &none,
    }
    .evaluate()
    .ok()?;
    let outcome = result.outcome?;
    let star = outcome.star.map(|s| s.get()).unwrap_or(0);
    let failed = outcome
        .failed_minimums
        .into_iter()
        .filter(|(level, codes)| *level <= outcome.band.get() && !codes.is_empty())
        .map(|(level, codes)| {
            let stars = sao_scoring::Stars::new(level).ok();
            let detail = codes
                .into_iter()
                .map(|code| {
                    let required = set
                        .criterion(&code)
                        .zip(stars)
                        .and_then(|(c, s)| c.minimum_for(s))
                        .unwrap_or(0);
                    let given = scored.points.get(&code).copied().unwrap_or(0);
                    (code, required, given)
                })
                .collect();
            (level, detail)
        })
        .collect();
    Some(Summary {
        total: scored.total,
        parts: scored.parts,
        star,
        unanswered,
        failed,
    })
}

/// What a page adds under a criterion's options (the council's tablet: the
/// dossier's evidence for it, the member's note and knock-out flag).
pub(crate) type BesideCriterion = Arc<dyn Fn(&CriterionCode) -> AnyView + Send + Sync>;

/// The scorecard as touch-friendly options, with the running total, part subtotals,
/// predicted star and failed minimums computed by the shared model at each tick.
#[component]
pub(crate) fn SelfAssessment(
    set: Arc<Scorecard>,
    profile: Arc<Profile>,
    choices: RwSignal<Choices>,
    #[prop(optional)] beside: Option<BesideCriterion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = {
        let set = set.clone();
        Memo::new(move |_| choices.with(|c| summarize(&set, &profile, c)))
    };
    let criteria: Vec<_> = set.criteria().map(|(_, _, c)| c.clone()).collect();
    // "true" once this part of the page runs in the browser (its code loads lazily).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <form class="sheet" data-ready=move || ready.get().to_string() on:submit=|ev| ev.prevent_default()>
            {criteria.into_iter().map(|criterion| {
                let code = criterion.code.clone();
                let name = format!("c-{}", code);
                let none_code = code.clone();
                let none_name = name.clone();
                let beside = beside.as_ref().map(|beside| beside(&code));
                view! {
                    <fieldset class="criterion">
                        <legend>{format!("{}. {} ({})", criterion.code, criterion.name, criterion.max)}</legend>
                        {criterion.options().enumerate().map(|(index, option)| {
                            let code = code.clone();
                            let checked_code = code.clone();
                            let choice = Some(OptionIndex(index as u16));
                            let points = option.points;
                            let stars = option.stars.map(|s| "*".repeat(usize::from(s.get()))).unwrap_or_default();
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name=name.clone()
                                        value=index.to_string()
                                        prop:checked=move || choices.with(|c| c.get(&checked_code) == Some(&choice))
                                        on:change=move |_| choices.update(|c| { c.insert(code.clone(), choice); })
                                    />
                                    <span>{option.text.clone()}" "<b class="stars">{stars}</b></span>
                                    <small>{t!(i18n, points, points)}</small>
                                </label>
                            }
                        }).collect_view()}
                        <label class="choice none">
                            <input
                                type="radio"
                                name=none_name
                                value="none"
                                prop:checked={
                                    let code = none_code.clone();
                                    move || choices.with(|c| c.get(&code) == Some(&None))
                                }
                                on:change=move |_| choices.update(|c| { c.insert(none_code.clone(), None); })
                            />
                            <span>{t!(i18n, none_applies)}</span>
                        </label>
                        {beside}
                    </fieldset>
                }
            }).collect_view()}
        </form>
        <aside class="summary" aria-live="polite">
            {move || summary.get().map(|s| {
                let total = s.total;
                let stars = s.star;
                let unanswered = s.unanswered;
                view! {
                    <p class="total">
                        {t!(i18n, total)}": "<strong id="try-total">{total}</strong>"/100"
                        <span class="parts">
                            {s.parts.iter().map(|(code, points)| format!(" · {code} {points}")).collect::<String>()}
                        </span>
                    </p>
                    <p class="star">
                        {t!(i18n, predicted_star)}": "
                        <strong id="try-star" data-stars=stars.to_string()>
                            {"★".repeat(usize::from(stars))}{"☆".repeat(usize::from(5 - stars.min(5)))}
                        </strong>
                        " "
                        {if stars >= 3 {
                            view! { <span>{t!(i18n, stars_label, count = move || stars)}</span> }.into_any()
                        } else {
                            view! { <span>{t!(i18n, below_three_stars)}</span> }.into_any()
                        }}
                    </p>
                    {(unanswered > 0).then(|| view! { <p class="muted">{t!(i18n, unanswered, count = unanswered)}</p> })}
                    <ul class="failed">
                        {s.failed.into_iter().map(|(level, detail)| {
                            let codes = detail
                                .iter()
                                .map(|(code, required, given)| format!("{code} ({given}/{required})"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            view! { <li>{t!(i18n, failed_minimum, stars = level, codes)}</li> }
                        }).collect_view()}
                    </ul>
                }
            })}
        </aside>
    }
}
