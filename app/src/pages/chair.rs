//! `/hoi-dong/{round}`: the chair's console (for the chair and the office): each
//! product's sheets by member, the model's flags and result, re-score requests,
//! and the minutes once the round is sealed.
use crate::api::council::{
    council_console, ConsoleCell, DecideKnockout, RequestRescore, MINUTES_PATH, PAPER_KEYING_PATH,
    PAPER_SHEET_PATH,
};
use crate::components::form::FormAlert;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn cell_text(cell: &ConsoleCell) -> String {
    let now = match (cell.state.as_str(), cell.total) {
        (_, Some(total)) => total.to_string(),
        ("conflict", _) => "xung đột".into(),
        ("rescore", _) => "chấm lại".into(),
        ("draft", _) => "đang chấm".into(),
        _ => "chưa chấm".into(),
    };
    // Earlier versions stay visible: all but the one in force.
    let in_force = usize::from(cell.state == "submitted");
    let earlier = &cell.versions[..cell.versions.len().saturating_sub(in_force)];
    if earlier.is_empty() {
        now
    } else {
        let earlier: Vec<String> = earlier.iter().map(u32::to_string).collect();
        format!("{now} (trước: {})", earlier.join(", "))
    }
}

/// Whether the chair may print a paper sheet for this cell (a member still to score).
fn printable(cell: &ConsoleCell) -> bool {
    matches!(cell.state.as_str(), "not_started" | "draft" | "rescore")
}

#[component]
pub fn ChairConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let round_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let rescore = ServerAction::<RequestRescore>::new();
    let knockout = ServerAction::<DecideKnockout>::new();
    // Live: asked again every 10 s, unless the chair is filling in a form there.
    let refreshed = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let interval = set_interval_with_handle(
            move || {
                let busy = document()
                    .query_selector("#console details[open], #console :focus")
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
                refreshed.get(),
            )
        },
        |(id, ..)| council_console(id),
    );
    let alert = Signal::derive(move || {
        let failed = |r: Option<Result<(), crate::error::AppError>>| r.and_then(|r| r.err());
        failed(knockout.value().get())
            .or_else(|| failed(rescore.value().get()))
            .map(|e| e.to_string())
    });
    view! {
        <h1>{t!(i18n, chair_heading)}</h1>
        <p>
            <a href=move || MINUTES_PATH.replace("{id}", &round_id.get()) id="minutes-link">{t!(i18n, chair_minutes)}</a>
            " · "
            <a href=move || PAPER_KEYING_PATH.replace("{id}", &round_id.get()) id="paper-keying-link">{t!(i18n, paper_heading)}</a>
        </p>
        <FormAlert message=alert />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let rows = match console.await {
                    Ok(rows) => rows,
                    Err(error) => return super::admin_users::denied(i18n, error),
                };
                view! {
                    <ul class="card-list" id="console">
                        {rows.into_iter().map(|row| {
                            let flags: Vec<String> = [
                                row.divergent_totals.map(|d| format!("tổng điểm lệch {d}")),
                                (!row.divergent_criteria.is_empty()).then(|| format!("lệch ≥ 2 mức: {}", row.divergent_criteria.join(", "))),
                                row.near_boundary.map(|b| format!("sát ngưỡng {b}")),
                                (!row.knockouts_confirmed.is_empty()).then(|| format!("điểm liệt đã xác nhận: {}", row.knockouts_confirmed.join(", "))),
                                row.quorum.map(|(counted, required, met)| format!("{counted}/{required} phiếu{}", if met { "" } else { " — chưa đủ" })),
                                row.problem.clone(),
                            ].into_iter().flatten().collect();
                            let submitted: Vec<(String, String)> = row.cells.iter()
                                .filter(|c| c.state == "submitted")
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
                                    let heading = format!("Đề nghị điểm liệt ở tiêu chí {criterion}: ");
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
                                            {form(true, "Xác nhận (loại sản phẩm)".into())}
                                            {form(false, "Bỏ qua".into())}
                                        </div>
                                    }
                                }
                            };
                            view! {
                                <li data-product=row.product_id.clone()>
                                    <strong>{row.product_name.clone()}</strong>
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
                                                <td data-state=c.state.clone()>
                                                    {cell_text(c)}
                                                    {paper.map(|href| view! { <br /><a href=href class="small" target="_blank">"In phiếu giấy"</a> })}
                                                </td>
                                            }
                                        }).collect_view()}</tr></tbody>
                                    </table>
                                    <p class="muted">{flags.join(" · ")}</p>
                                    {awaiting.into_iter().map(decide).collect_view()}
                                    {row.outcome.map(|o| view! {
                                        <p class="outcome">{format!("Trung bình {} · hạng {}★ · {} · {}", o.mean, o.band, o.star.map(|s| format!("{s}★")).unwrap_or_else(|| "loại".into()), o.next_step)}</p>
                                    })}
                                    {(!submitted.is_empty()).then(|| view! {
                                        <details>
                                            <summary>{t!(i18n, chair_rescore)}</summary>
                                            <ActionForm action=rescore>
                                                <input type="hidden" name="round_id" value=round />
                                                <input type="hidden" name="product_id" value=product />
                                                <select name="member_id">
                                                    {submitted.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                </select>
                                                <input name="reason" placeholder="Lý do" />
                                                <button type="submit" class="small">{t!(i18n, chair_rescore)}</button>
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
