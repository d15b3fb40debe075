//! `/nhap-phieu/{round}`: an official keys a member's paper sheet back in. It
//! counts only when a second official's keying agrees (`council/key_paper_sheet`);
//! a mismatch names the criteria that differ. In the producer's area because it
//! reuses the scorecard view, whose code would otherwise be downloaded twice.
use super::try_it::{Choices, SelfAssessment};
use crate::api::council::{council_console, key_paper_sheet, ConsoleRow, PaperKeyed, PaperOutcome};
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

#[component]
pub fn PaperKeyingPage() -> impl IntoView {
    let i18n = use_i18n();
    let round_id = crate::components::route::path_id_now();
    let console = {
        let round_id = round_id.clone();
        Resource::new(|| (), move |_| council_console(round_id.clone()))
    };
    let chosen = RwSignal::new(None::<(String, String)>);
    view! {
        <h1>{t!(i18n, paper_heading)}</h1>
        <p class="muted">{t!(i18n, paper_intro)}</p>
        <Suspense fallback=Loading>
            {move || {
                let round_id = round_id.clone();
                Suspend::new(async move {
                    let rows = match console.await {
                        Ok(rows) => rows,
                        Err(error) => return super::admin_users::denied(i18n, error),
                    };
                    // Member × product pairs still waiting for a sheet.
                    let pairs: Vec<(String, String, String)> = rows
                        .iter()
                        .flat_map(|row| {
                            row.cells
                                .iter()
                                .filter(|c| c.state.awaits_sheet())
                                .map(|c| (
                                    format!("{}|{}", c.member_id, row.product_id),
                                    format!("{} — {}", c.member_name, row.product_name),
                                    row.product_id.clone(),
                                ))
                        })
                        .collect();
                    let rows = Arc::new(rows);
                    view! {
                        <label class="field">
                            <span>{t!(i18n, paper_choose)}</span>
                            <select id="paper-pair" on:change=move |ev| {
                                let value = event_target_value(&ev);
                                chosen.set(value.split_once('|').map(|(m, p)| (m.to_string(), p.to_string())));
                            }>
                                <option value="">"—"</option>
                                {pairs.into_iter().map(|(value, label, _)| view! { <option value=value>{label}</option> }).collect_view()}
                            </select>
                        </label>
                        {move || chosen.get().map(|(member_id, product_id)| {
                            let row = rows.iter().find(|r| r.product_id == product_id).cloned();
                            row.map(|row| view! { <KeyingForm round_id=round_id.clone() member_id product=row /> })
                        })}
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// The scorecard of one member's paper sheet, and the keying's outcome.
#[component]
fn KeyingForm(round_id: String, member_id: String, product: ConsoleRow) -> impl IntoView {
    let i18n = use_i18n();
    let (rule_set, set_number) = (product.rule_set.clone(), product.product_set);
    let scorecard = Resource::new(
        || (),
        move |_| {
            let rule_set = rule_set.clone();
            async move { super::scorecard_of(&rule_set, set_number).await }
        },
    );
    let choices = RwSignal::new(Choices::new());
    let key = Action::new(move |answers: &BTreeMap<String, Option<u16>>| {
        let paper = PaperKeyed {
            round_id: round_id.clone(),
            member_id: member_id.clone(),
            product_id: product.product_id.clone(),
            answers: answers.clone(),
        };
        async move { key_paper_sheet(paper).await }
    });
    let outcome = move || {
        key.value().get().map(|result| match result {
            Ok(PaperOutcome::Waiting) => t_string!(i18n, paper_waiting).to_string(),
            Ok(PaperOutcome::Counted { total }) => {
                format!("{} {total}", t_string!(i18n, paper_counted))
            }
            Err(error) => crate::components::errors::error_text(i18n, &error),
        })
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match scorecard.await {
                    Ok((set, profile)) => view! {
                        <SelfAssessment set profile choices />
                        <p class="actions">
                            <button type="button" class="button" id="key-paper"
                                on:click=move |_| {
                                    let answers = choices.with(|c| c.iter().map(|(code, option)| (code.to_string(), option.map(|o| o.0))).collect());
                                    key.dispatch(answers);
                                }>
                                {t!(i18n, paper_save)}
                            </button>
                        </p>
                        <p role="status" id="paper-outcome">{outcome}</p>
                    }.into_any(),
                    Err(error) => super::admin_users::denied(i18n, error),
                }
            })}
        </Suspense>
    }
}
