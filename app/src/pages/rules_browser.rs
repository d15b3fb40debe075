use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use sao_scoring::Scorecard;

/// `/bo-tieu-chi`: the 26 scorecards, readable on a phone; `?bo=N` opens one.
#[component]
pub fn RulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let (index, scorecard) = super::product_set_resources();
    view! {
        <h1>{t!(i18n, rules_heading)}</h1>
        <p class="muted">{t!(i18n, rules_intro)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match scorecard.await {
                    Ok(Some(set)) => view! { <ScorecardView set /> }.into_any(),
                    Ok(None) => match index.await {
                        Ok(index) => view! {
                            <ol class="set-list">
                                {index.product_sets.into_iter().map(|s| view! {
                                    <li>
                                        <A href=format!("/bo-tieu-chi?bo={}", s.number)>
                                            <span class="code">{s.number}</span>
                                            <span>{s.name}</span>
                                            <small>{format!("{} · {}", s.sector, s.group)}</small>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(_) => view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any(),
                    },
                    Err(_) => view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One scorecard, read-only, in the decision's order and wording.
#[component]
fn ScorecardView(set: Scorecard) -> impl IntoView {
    let i18n = use_i18n();
    let errata = set.errata.clone();
    view! {
        <A href="/bo-tieu-chi">{t!(i18n, back_to_list)}</A>
        <h2>{format!("{}. {}", set.number, set.name)}</h2>
        <dl class="facts">
            <dt>{t!(i18n, sector)}</dt><dd>{set.sector.clone()}</dd>
            <dt>{t!(i18n, group)}</dt><dd>{set.group.clone()}</dd>
            <dt>{t!(i18n, ministry)}</dt><dd>{set.ministry.clone()}</dd>
        </dl>
        {set.rejection_rules.iter().map(|r| view! { <p class="rejection">{r.clone()}</p> }).collect_view()}
        {set.parts.into_iter().map(|part| {
            let code = part.code.clone();
            view! {
                <section class="part">
                    <h3>{t!(i18n, part, code)}": "{part.name}" ("{part.max}")"</h3>
                    {part.groups.into_iter().map(|group| view! {
                        <h4>{format!("{}. {} ({})", group.code, group.name, group.max)}</h4>
                        {group.criteria.into_iter().map(|criterion| {
                            let heading = (criterion.code.as_str() != group.code)
                                .then(|| format!("{}. {} ({})", criterion.code, criterion.name, criterion.max));
                            view! {
                                <div class="criterion">
                                    {heading.map(|h| view! { <h5>{h}</h5> })}
                                    {criterion.notes.iter().chain(&criterion.knockouts).chain(&criterion.condition)
                                        .map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view()}
                                    <ul class="options">
                                        {criterion.options().map(|o| {
                                            let points = o.points;
                                            let stars = o.stars.map(|s| "*".repeat(usize::from(s.get()))).unwrap_or_default();
                                            view! {
                                                <li>
                                                    <span>{o.text.clone()}" "<b class="stars">{stars}</b></span>
                                                    <small>{t!(i18n, points, points)}</small>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }
                        }).collect_view()}
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
        {(!errata.is_empty()).then(|| view! {
            <section class="errata">
                <h3>{t!(i18n, errata_heading)}</h3>
                <ul>
                    {errata.into_iter().map(|e| view! {
                        <li>{format!("{}: \u{201c}{}\u{201d} → {} ({})", e.place, e.source_says, e.data_holds, e.note)}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
