//! `/hoi-dong/{round}`: the chair's console (for the chair and the office): each
//! product's sheets by member, the model's flags and result, re-score requests,
//! and the minutes once the round is sealed.
use crate::api::council::{
    council_console, council_previous, AskMeeting, ConsoleCell, DecideKnockout, Flag, FlagKind,
    RequestRescore, MINUTES_PATH, PAPER_KEYING_PATH, PAPER_SHEET_PATH,
};
use crate::api::seal::{round_status, AcknowledgeFlag, RoundStanding, SealRound};
use crate::components::form::{failure, first_failure, ChoiceAndReason, FormAlert};
use crate::components::loading::Loading;
use crate::domain::refusal::Said;
use crate::domain::round::RoundState;
use crate::domain::round_result::CellState;
use crate::i18n::*;
use leptos::prelude::*;

fn cell_text(i18n: leptos_i18n::I18nContext<Locale>, cell: &ConsoleCell) -> String {
    let now = match (cell.state, cell.total) {
        (_, Some(total)) => total.to_string(),
        (CellState::Conflict, _) => t_string!(i18n, console_cell_conflict).to_string(),
        (CellState::Rescore, _) => t_string!(i18n, console_cell_rescore).to_string(),
        (CellState::Draft, _) => t_string!(i18n, console_cell_draft).to_string(),
        _ => t_string!(i18n, console_cell_not_started).to_string(),
    };
    // Earlier versions stay visible: all but the one in force.
    let in_force = usize::from(cell.state == CellState::Submitted);
    let earlier = &cell.versions[..cell.versions.len().saturating_sub(in_force)];
    if earlier.is_empty() {
        now
    } else {
        let earlier: Vec<String> = earlier.iter().map(u32::to_string).collect();
        format!(
            "{now} ({} {})",
            t_string!(i18n, console_cell_earlier),
            earlier.join(", ")
        )
    }
}

/// An upgrade's or re-evaluation's previous result: stars and mean, what the
/// producer says changed, and each criterion's previous mean points.
fn previous_line(
    i18n: leptos_i18n::I18nContext<Locale>,
    previous: crate::domain::previous_result::PreviousResult,
) -> impl IntoView {
    let criteria: Vec<String> = previous
        .criteria
        .iter()
        .filter_map(|(code, mean)| mean.as_ref().map(|m| format!("{code}: {m}")))
        .collect();
    view! {
        <details class="previous">
            <summary>{t_string!(i18n, tablet_previous_result, code = previous.certificate.clone(), stars = previous.stars, mean = previous.mean.clone()).to_string()}</summary>
            {(!previous.changes.is_empty()).then(|| view! {
                <p><strong>{t!(i18n, tablet_previous_changes)}</strong>" "{previous.changes.clone()}</p>
            })}
            <p class="small">{criteria.join(" · ")}</p>
        </details>
    }
}

/// Whether the chair may print a paper sheet for this cell (a member still to score).
fn printable(cell: &ConsoleCell) -> bool {
    cell.state.awaits_sheet()
}

fn flag_text(i18n: leptos_i18n::I18nContext<Locale>, flag: &Flag) -> String {
    let what = match flag.kind {
        FlagKind::DivergentTotals => t_string!(i18n, flag_divergent_totals),
        FlagKind::DivergentCriteria => t_string!(i18n, flag_divergent_criteria),
        FlagKind::NearBoundary => t_string!(i18n, flag_near_boundary),
        FlagKind::SheetsMissing => t_string!(i18n, flag_sheets_missing),
        FlagKind::NoResult => t_string!(i18n, flag_no_result),
    };
    format!("{what}: {}", flag.detail.replace(',', ", "))
}

/// The seal: the digest once sealed, else the button, disabled with the reason.
fn seal_panel(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: RoundStanding,
    open: usize,
    seal: ServerAction<SealRound>,
    round_id: String,
) -> AnyView {
    if let (RoundState::Sealed | RoundState::Decided, Some(digest)) =
        (status.state, status.seal_digest.clone())
    {
        // The minutes exist once the round is sealed: only then are they linked.
        return view! {
            <p class="notice" id="sealed">{t!(i18n, chair_sealed)}" "<code>{digest}</code></p>
            <p><a href=MINUTES_PATH.replace("{id}", &round_id) id="minutes-link">{t!(i18n, chair_minutes)}</a></p>
        }
        .into_any();
    }
    let reason = if status.state != RoundState::Deliberation {
        Some(t_string!(i18n, chair_seal_not_deliberating).to_string())
    } else if open > 0 {
        Some(format!("{} {open}", t_string!(i18n, chair_seal_blocked)))
    } else {
        None
    };
    let disabled = reason.is_some() || !status.is_chair;
    view! {
        <div class="seal">
            <ActionForm action=seal>
                <input type="hidden" name="round_id" value=round_id />
                // Not sent: the form submits only once the chair ticks it.
                <label>
                    <input type="checkbox" id="seal-confirm" required disabled=disabled />
                    <span>{t!(i18n, chair_seal_confirm)}</span>
                </label>
                <button type="submit" class="button" id="seal-round" disabled=disabled>{t!(i18n, chair_seal)}</button>
            </ActionForm>
            {reason.map(|r| view! { <p class="muted" id="seal-reason">{r}</p> })}
        </div>
    }
    .into_any()
}

#[component]
pub fn ChairConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let round_id = crate::components::route::path_id();
    let rescore = ServerAction::<RequestRescore>::new();
    let knockout = ServerAction::<DecideKnockout>::new();
    let acknowledge = ServerAction::<AcknowledgeFlag>::new();
    let seal = ServerAction::<SealRound>::new();
    let ask = ServerAction::<AskMeeting>::new();
    // Live: asked again every 10 s, unless the chair is filling in a form there.
    let refreshed = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let interval = set_interval_with_handle(
            move || {
                let busy = document()
                    .query_selector("#console details[open], #console :focus, #sitting :focus")
                    .ok()
                    .flatten()
                    .is_some();
                if !busy {
                    refreshed.update(|n| *n += 1);
                }
            },
            std::time::Duration::from_secs(10),
        );
        if let Ok(handle) = interval {
            on_cleanup(move || handle.clear());
        }
    });
    let console = Resource::new(
        move || {
            (
                round_id.get(),
                rescore.version().get(),
                knockout.version().get(),
                acknowledge.version().get(),
                seal.version().get(),
                ask.version().get(),
                refreshed.get(),
            )
        },
        |(id, ..)| async move { (council_console(id.clone()).await, round_status(id).await) },
    );
    let previous = Resource::new(move || round_id.get(), council_previous);
    let alert = first_failure(move || {
        [
            failure(knockout.value()),
            failure(rescore.value()),
            failure(acknowledge.value()),
            failure(seal.value()),
        ]
    });
    view! {
        <h1>{t!(i18n, chair_heading)}</h1>
        <FormAlert message=alert />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let (rows, status) = match console.await {
                    (Ok(rows), Ok(status)) => (rows, status),
                    (Err(error), _) | (_, Err(error)) => return super::admin_users::denied(i18n, error),
                };
                let previous = previous.await.unwrap_or_default();
                let open: usize = rows.iter().map(|row| row.open_items()).sum();
                let is_chair = status.is_chair;
                let open_round = matches!(status.state, RoundState::Scoring | RoundState::Deliberation);
                let acknowledging = open_round && is_chair;
                // Paper sheets are keyed while the round is open, not after the seal.
                let paper = open_round.then(|| PAPER_KEYING_PATH.replace("{id}", &round_id.get_untracked()));
                let advised = crate::domain::sitting::meeting_advised(&rows);
                let sitting = super::chair_sitting::sitting_panel(i18n, &status, advised, ask, round_id.get_untracked());
                view! {
                    {sitting}
                    {paper.map(|href| view! {
                        <p><a href=href id="paper-keying-link">{t!(i18n, paper_heading)}</a></p>
                    })}
                    {seal_panel(i18n, status, open, seal, round_id.get_untracked())}
                    <ul class="card-list" id="console">
                        {rows.into_iter().map(|row| {
                            let model_flags = row.flags.clone();
                            let quorum_shown = row.quorum.is_some();
                            let quorum = row.quorum.map(|(counted, required, met)| if met {
                                t!(i18n, console_quorum_met, counted, required).into_any()
                            } else {
                                t!(i18n, console_quorum_short, counted, required).into_any()
                            });
                            let flags: Vec<String> = [
                                (!row.knockouts_confirmed.is_empty()).then(|| t_string!(i18n, console_knockouts_confirmed, criteria = row.knockouts_confirmed.join(", ")).to_string()),
                                row.problem.clone(),
                            ].into_iter().flatten().collect();
                            let submitted: Vec<(String, String)> = row.cells.iter()
                                .filter(|c| c.state == CellState::Submitted)
                                .map(|c| (c.member_id.clone(), c.member_name.clone()))
                                .collect();
                            let (round, product) = (round_id.get_untracked(), row.product_id.clone());
                            // Knock-outs flagged by members and not yet decided by the chair.
                            let awaiting: Vec<String> = row.knockouts_flagged.iter()
                                .filter(|c| !row.knockouts_confirmed.contains(c) && !row.knockouts_dismissed.contains(c))
                                .cloned()
                                .collect();
                            let decide = {
                                let (round, product) = (round.clone(), product.clone());
                                move |criterion: String| {
                                    let heading = t_string!(i18n, console_knockout_proposed, criterion = criterion.clone()).to_string();
                                    let form = |confirmed: bool, label: String| {
                                        let (round, product, criterion) = (round.clone(), product.clone(), criterion.clone());
                                        view! {
                                        <ActionForm action=knockout>
                                            <input type="hidden" name="round_id" value=round.clone() />
                                            <input type="hidden" name="product_id" value=product.clone() />
                                            <input type="hidden" name="criterion" value=criterion.clone() />
                                            <input type="hidden" name="confirmed" value=confirmed.to_string() />
                                            <button type="submit" class="small" data-knockout=format!("{criterion}-{confirmed}")>{label}</button>
                                        </ActionForm>
                                        }
                                    };
                                    view! {
                                        <div class="knockout">
                                            <span>{heading}</span>
                                            {form(true, t_string!(i18n, console_knockout_confirm).to_string())}
                                            {form(false, t_string!(i18n, console_knockout_dismiss).to_string())}
                                        </div>
                                    }
                                }
                            };
                            let before = previous.iter().find(|(p, _)| *p == row.product_id).map(|(_, p)| p.clone());
                            view! {
                                <li data-product=row.product_id.clone()>
                                    <strong>{row.product_name.clone()}</strong>
                                    {before.map(|p| previous_line(i18n, p))}
                                    // Explicit thead/tbody: a browser adds a tbody to a bare <tr>,
                                    // and hydration must find the DOM the server wrote.
                                    <table class="console">
                                        <thead><tr>{row.cells.iter().map(|c| view! { <th>{c.member_name.clone()}</th> }).collect_view()}</tr></thead>
                                        <tbody><tr>{row.cells.iter().map(|c| {
                                            let paper = printable(c).then(|| PAPER_SHEET_PATH
                                                .replace("{id}", &round)
                                                .replace("{member}", &c.member_id)
                                                .replace("{product}", &product));
                                            view! {
                                                <td data-state=c.state.as_str()>
                                                    {cell_text(i18n, c)}
                                                    {paper.map(|href| view! { <br /><a href=href class="small" target="_blank">{t!(i18n, console_print_paper)}</a> })}
                                                </td>
                                            }
                                        }).collect_view()}</tr></tbody>
                                    </table>
                                    <p class="muted">{quorum}{(quorum_shown && !flags.is_empty()).then_some(" · ")}{flags.join(" · ")}</p>
                                    {(!model_flags.is_empty()).then(|| {
                                        let product = row.product_id.clone();
                                        view! {
                                            <p class="flags-heading">{t!(i18n, chair_flags_open)}</p>
                                            <ul class="flags">
                                                {model_flags.into_iter().map(|flag| {
                                                    let key = flag.key();
                                                    let shown_key = key.clone();
                                                    let text = flag_text(i18n, &flag);
                                                    let (round, product) = (round_id.get_untracked(), product.clone());
                                                    view! {
                                                        <li data-flag=shown_key data-acknowledged=flag.acknowledged.to_string()>
                                                            {text}
                                                            {if flag.acknowledged {
                                                                view! { <span class="muted">" — "{t!(i18n, chair_acknowledged)}</span> }.into_any()
                                                            } else if acknowledging {
                                                                view! {
                                                                    <ActionForm action=acknowledge>
                                                                        <input type="hidden" name="round_id" value=round />
                                                                        <input type="hidden" name="product_id" value=product />
                                                                        <input type="hidden" name="flag" value=key.clone() />
                                                                        <button type="submit" class="small" data-ack=key>{t!(i18n, chair_acknowledge)}</button>
                                                                    </ActionForm>
                                                                }.into_any()
                                                            } else {
                                                                ().into_any()
                                                            }}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        }
                                    })}
                                    {awaiting.into_iter().map(decide).collect_view()}
                                    {row.outcome.map(|o| view! {
                                        <p class="outcome">{format!("{} · {}", t_string!(i18n, console_outcome, mean = o.mean.clone(), band = o.band, star = o.star.map(|s| format!("{s}★")).unwrap_or_else(|| t_string!(i18n, console_no_star).to_string())), o.next_step.text(crate::components::errors::lang(i18n)))}</p>
                                    })}
                                    {(open_round && !submitted.is_empty()).then(|| view! {
                                        <details class="rescore">
                                            <summary>{t!(i18n, chair_rescore)}</summary>
                                            <ActionForm action=rescore>
                                                <input type="hidden" name="round_id" value=round />
                                                <input type="hidden" name="product_id" value=product.clone() />
                                                <ChoiceAndReason form="rescore" what="member" key=product.clone() name="member_id" choices=submitted>
                                                    {t!(i18n, chair_rescore_member)}
                                                </ChoiceAndReason>
                                                <button type="submit" class="button">{t!(i18n, chair_rescore)}</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}
