//! A round's result per product, as the chair's console shows it, the seal
//! stores it and `sao verify-round` recomputes it: one pure function over the
//! round's council, conflicts, assignments, sheets, the chair's knock-out
//! decisions and flag acknowledgements, and the shared scoring model.
use super::round::MemberRow;
use super::sheet_sync::SheetState;
use sao_scoring::{
    Answers, CouncilInput, CriterionCode, MemberSheet, NextStep, OptionIndex, Profile, Scorecard,
    ScoredSheet,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One member's column for one product in the chair's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleCell {
    pub member_id: String,
    pub member_name: String,
    pub state: CellState,
    /// The sheet's total once submitted.
    pub total: Option<u32>,
    /// The totals of every version handed in, oldest first (a re-scored sheet
    /// keeps its earlier ones).
    pub versions: Vec<u32>,
}

/// Where a member's sheet for a product stands in the console. Stored in the
/// seal's results under the same snake_case names as before it was a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    /// Declared a conflict of interest: a blank sheet, excluded.
    Conflict,
    NotStarted,
    Draft,
    /// Asked by the chair to score again.
    Rescore,
    Submitted,
}

impl CellState {
    pub fn as_str(self) -> &'static str {
        match self {
            CellState::Conflict => "conflict",
            CellState::NotStarted => "not_started",
            CellState::Draft => "draft",
            CellState::Rescore => "rescore",
            CellState::Submitted => "submitted",
        }
    }

    /// A member still to hand in (a paper sheet may be printed for them).
    pub fn awaits_sheet(self) -> bool {
        matches!(
            self,
            CellState::NotStarted | CellState::Draft | CellState::Rescore
        )
    }
}

/// The council's result for a product as the shared model computes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOutcome {
    pub counted: u64,
    pub sum: u64,
    pub mean: String,
    pub band: u8,
    pub star: Option<u8>,
    /// Star level → criteria whose minimum failed.
    pub failed_minimums: Vec<(u8, Vec<String>)>,
    pub next_step: super::refusal::NextStepSaid,
}

use super::round_flags::flags_of;
pub use super::round_flags::{Flag, FlagKind};

/// One product's row: members' sheets, flags, and the result when quorum is met.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleRow {
    pub product_id: String,
    pub product_name: String,
    /// The product's scorecard: rule set and product set number.
    pub rule_set: String,
    pub product_set: u32,
    pub cells: Vec<ConsoleCell>,
    /// (counted, required, met): None until the model can run.
    pub quorum: Option<(u32, u32, bool)>,
    pub divergent_totals: Option<u32>,
    pub divergent_criteria: Vec<String>,
    pub near_boundary: Option<u32>,
    pub knockouts_flagged: Vec<String>,
    /// Flagged knock-outs the chair confirmed (they disqualify the product).
    pub knockouts_confirmed: Vec<String>,
    /// Flagged knock-outs the chair dismissed.
    pub knockouts_dismissed: Vec<String>,
    /// The model's flags for the chair, each acknowledged or not.
    pub flags: Vec<Flag>,
    pub outcome: Option<ProductOutcome>,
    /// Why the model refused the sheets (e.g. an incomplete sheet handed in).
    pub problem: Option<String>,
}

impl ConsoleRow {
    /// Flagged knock-outs the chair has not decided yet.
    pub fn knockouts_pending(&self) -> Vec<String> {
        self.knockouts_flagged
            .iter()
            .filter(|c| {
                !self.knockouts_confirmed.contains(c) && !self.knockouts_dismissed.contains(c)
            })
            .cloned()
            .collect()
    }

    /// What stops the seal on this row: flags not acknowledged, knock-outs not decided.
    pub fn open_items(&self) -> usize {
        self.flags.iter().filter(|f| !f.acknowledged).count() + self.knockouts_pending().len()
    }
}

/// A product of the round with its scorecard.
pub struct RoundProduct<'a> {
    pub id: String,
    pub name: String,
    pub rule_set: String,
    pub product_set: u32,
    pub scorecard: Option<&'a Scorecard>,
}

/// Everything a round's result depends on, as stored.
pub struct RoundInputs<'a> {
    /// The level deciding (a level code of the profile).
    pub level: &'a str,
    /// The round's workflow profile with the council's own settings in it.
    pub profile: Option<&'a Profile>,
    pub products: &'a [RoundProduct<'a>],
    pub members: &'a [MemberRow],
    pub conflicts: &'a BTreeSet<(String, String)>,
    pub assignments: &'a [(String, String)],
    /// (member id, product id, sheet).
    pub sheets: &'a [(String, String, SheetState)],
    /// Chained versions in chain order: (member id, product id, sheet).
    pub versions: &'a [(String, String, SheetState)],
    /// The chair's knock-out decisions: (product id, criterion, confirmed).
    pub decisions: &'a [(String, String, bool)],
    /// The chair's acknowledgements: (product id, flag key).
    pub acknowledged: &'a BTreeSet<(String, String)>,
}

/// The member's sheet as the scoring model reads it.
pub fn member_sheet(sheet: &SheetState) -> Result<MemberSheet, String> {
    let mut answers = std::collections::BTreeMap::new();
    for (code, choice) in sheet.choices() {
        answers.insert(CriterionCode::parse(&code)?, choice.map(OptionIndex));
    }
    let knockouts = sheet
        .flagged_knockouts()
        .iter()
        .map(|code| CriterionCode::parse(code))
        .collect::<Result<_, _>>()?;
    Ok(MemberSheet {
        answers: Answers(answers),
        conflict: false,
        knockouts,
    })
}

/// What happens next, with the profile's names of the levels.
pub fn next_step_label(step: &NextStep, profile: &Profile) -> super::refusal::NextStepSaid {
    use super::refusal::NextStepSaid as Said;
    let name = |code: &str| {
        profile
            .level(code)
            .map_or_else(|| code.to_string(), |level| level.name.clone())
    };
    match step {
        NextStep::Recognise { level, stars } => Said::NextRecognise {
            stars: stars.get(),
            level: name(level),
        },
        NextStep::Forward { to } => Said::NextForward { to: name(to) },
        NextStep::Return { to } => Said::NextReturn { to: name(to) },
        NextStep::NoCertificate => Said::NextNoCertificate,
    }
}

fn total_of(scorecard: Option<&Scorecard>, sheet: &SheetState) -> Option<u32> {
    let parsed = member_sheet(sheet).ok()?;
    ScoredSheet::score(scorecard?, &parsed.answers)
        .ok()
        .map(|scored| scored.total)
}

/// The rows of a round: per product, each eligible member's sheet and the
/// result of the shared scoring model over the counted, unconflicted ones.
pub fn evaluate(inputs: &RoundInputs) -> Vec<ConsoleRow> {
    let scorers: Vec<&MemberRow> = inputs
        .members
        .iter()
        .filter(|m| m.position.scores())
        .collect();
    inputs
        .products
        .iter()
        .map(|product| product_row(inputs, &scorers, product))
        .collect()
}

fn product_row(inputs: &RoundInputs, scorers: &[&MemberRow], product: &RoundProduct) -> ConsoleRow {
    let product_id = &product.id;
    let split = inputs.assignments.iter().any(|(_, p)| p == product_id);
    let eligible: Vec<&&MemberRow> = scorers
        .iter()
        .filter(|m| {
            !split
                || inputs
                    .assignments
                    .contains(&(m.id.clone(), product_id.clone()))
        })
        .collect();
    let scorecard = product.scorecard;
    let mut cells = Vec::new();
    let mut given = Vec::new();
    let mut chair = None;
    let mut problem = None;
    let mut missing = 0_u32;
    for member in &eligible {
        let conflicted = inputs
            .conflicts
            .contains(&(member.id.clone(), product_id.clone()));
        let sheet = inputs
            .sheets
            .iter()
            .find(|(m, p, _)| *m == member.id && p == product_id)
            .map(|(_, _, s)| s);
        let mut total = None;
        let state = match (conflicted, sheet) {
            (true, _) => {
                // Counted as present but excluded: a blank sheet flagged conflicted.
                if let Some(scorecard) = scorecard {
                    let blank = scorecard
                        .criteria()
                        .map(|(_, _, c)| (c.code.clone(), None))
                        .collect();
                    if member.position == crate::domain::round::CouncilPosition::Chair {
                        chair = Some(given.len());
                    }
                    given.push(MemberSheet {
                        answers: Answers(blank),
                        conflict: true,
                        knockouts: Vec::new(),
                    });
                }
                CellState::Conflict
            }
            (false, None) => CellState::NotStarted,
            (false, Some(sheet)) if sheet.reopened.is_some() => CellState::Rescore,
            (false, Some(sheet)) if sheet.submitted.is_none() => CellState::Draft,
            (false, Some(sheet)) => {
                match member_sheet(sheet) {
                    Ok(parsed) => {
                        total = total_of(scorecard, sheet);
                        if member.position == crate::domain::round::CouncilPosition::Chair {
                            chair = Some(given.len());
                        }
                        given.push(parsed);
                    }
                    Err(error) => problem = Some(error),
                }
                CellState::Submitted
            }
        };
        if !matches!(state, CellState::Conflict | CellState::Submitted) {
            missing += 1;
        }
        let versions = inputs
            .versions
            .iter()
            .filter(|(m, p, _)| *m == member.id && p == product_id)
            .filter_map(|(_, _, sheet)| total_of(scorecard, sheet))
            .collect();
        cells.push(ConsoleCell {
            member_id: member.id.clone(),
            member_name: member.name.clone(),
            state,
            total,
            versions,
        });
    }
    let mut row = ConsoleRow {
        product_id: product_id.clone(),
        product_name: product.name.clone(),
        rule_set: product.rule_set.clone(),
        product_set: product.product_set,
        cells,
        problem,
        ..ConsoleRow::default()
    };
    if let (Some(scorecard), Some(profile), None) = (scorecard, inputs.profile, &row.problem) {
        // Only a knock-out still flagged on a counted sheet can be confirmed.
        let flagged: BTreeSet<CriterionCode> = given
            .iter()
            .filter(|s| !s.conflict)
            .flat_map(|s| s.knockouts.iter().cloned())
            .collect();
        let decided = |want: bool| -> BTreeSet<CriterionCode> {
            inputs
                .decisions
                .iter()
                .filter(|(p, _, confirmed)| p == product_id && *confirmed == want)
                .filter_map(|(_, code, _)| CriterionCode::parse(code).ok())
                .filter(|code| flagged.contains(code))
                .collect()
        };
        let confirmed = decided(true);
        row.knockouts_confirmed = texts(&confirmed);
        row.knockouts_dismissed = texts(&decided(false));
        let input = CouncilInput {
            scorecard,
            profile,
            level: inputs.level,
            sheets: &given,
            members: Some(u32::try_from(eligible.len()).unwrap_or(u32::MAX)),
            chair,
            confirmed_knockouts: &confirmed,
        };
        match input.evaluate() {
            Ok(result) => {
                row.quorum = result
                    .quorum
                    .as_ref()
                    .map(|q| (q.counted, q.required, q.met));
                row.divergent_totals = result.flags.divergent_totals;
                row.divergent_criteria = texts(&result.flags.divergent_criteria);
                row.near_boundary = result.flags.near_boundary;
                row.knockouts_flagged = texts(&result.flags.knockouts_flagged);
                row.outcome = result.outcome.map(|o| ProductOutcome {
                    counted: o.counted,
                    sum: o.sum,
                    mean: o.mean,
                    band: o.band.get(),
                    star: o.star.map(|s| s.get()),
                    failed_minimums: o
                        .failed_minimums
                        .into_iter()
                        .map(|(level, codes)| (level, texts(&codes)))
                        .collect(),
                    next_step: next_step_label(&o.next_step, profile),
                });
            }
            Err(error) => row.problem = Some(error.to_string()),
        }
    }
    row.flags = flags_of(&row, missing, inputs.acknowledged);
    row
}

/// Criteria codes as the stored row writes them (`"1.1"`).
fn texts<'a>(codes: impl IntoIterator<Item = &'a CriterionCode>) -> Vec<String> {
    codes.into_iter().map(ToString::to_string).collect()
}
