//! A council member's own view: the products they score in their rounds.
//! (The scoring sheets themselves come with the council's tablet work.)
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
    error::with_status,
};

/// The route of a sealed round's minutes PDF (served by the server crate).
pub const MINUTES_PATH: &str = "/hoi-dong/{id}/bien-ban.pdf";

/// The page where officials key paper sheets back in.
pub const PAPER_KEYING_PATH: &str = "/nhap-phieu/{id}";

/// The route of a member's printable paper sheet for a product (PDF with a QR code).
pub const PAPER_SHEET_PATH: &str = "/hoi-dong/{id}/phieu-giay/{member}/{product}";

/// One product a member scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProduct {
    pub round_id: String,
    pub round_name: String,
    pub product_id: String,
    pub product_name: String,
    /// The member's seat in that round's council (their sheets are keyed by it).
    pub member_id: String,
    pub rule_set: String,
    pub product_set: u32,
    /// The member's progress as the server knows it: "not_started", "draft",
    /// "submitted" or "rescore" (the chair asked to score again).
    pub state: String,
    /// The chair's requests to score again (changes the server made): the tablet
    /// replays them with its own changes and stamps its next ones after them.
    pub reopens: Vec<crate::domain::sheet_sync::SheetChange>,
}

/// A sheet's progress: "not_started", "draft", "rescore" or "submitted".
pub fn sheet_progress(sheet: Option<&crate::domain::sheet_sync::SheetState>) -> &'static str {
    match sheet {
        None => "not_started",
        Some(sheet) if sheet.submitted.is_some() => "submitted",
        Some(sheet) if sheet.reopened.is_some() => "rescore",
        Some(sheet) if sheet.answers.is_empty() && sheet.versions == 0 => "not_started",
        Some(_) => "draft",
    }
}

/// The products assigned to the signed-in member, without those they are conflicted on.
#[server(endpoint = "council/products")]
pub async fn council_products() -> Result<Vec<MemberProduct>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            let mut conn = db.pool().acquire().await.map_err(db::DbError::from)?;
            let mut products = Vec::new();
            for (round_id, round_name, product_id, product_name, member_id, rule_set, set) in
                db::rounds::products_for_member(&db, &user_id).await?
            {
                let changes = db::sheets::changes_of(&mut conn, &member_id, &product_id).await?;
                let sheet = (!changes.is_empty())
                    .then(|| crate::domain::sheet_sync::SheetState::replay(&changes));
                let reopens = changes
                    .into_iter()
                    .filter(|c| {
                        matches!(c.edit, crate::domain::sheet_sync::SheetEdit::Reopen { .. })
                    })
                    .collect();
                products.push(MemberProduct {
                    round_id,
                    round_name,
                    product_id,
                    product_name,
                    member_id,
                    rule_set,
                    product_set: u32::try_from(set).unwrap_or(0),
                    state: sheet_progress(sheet.as_ref()).into(),
                    reopens,
                });
            }
            Ok(products)
        }
        .await,
    )
}

/// One document of a dossier as a member reads it beside the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierDocument {
    /// Where the file is served (`/tai-lieu/{id}/tep`).
    pub path: String,
    /// The slot: a checklist document, `criterion:<code>`, or the advisory team's.
    pub slot: String,
    pub file_name: String,
    pub content_type: String,
    pub advisory: bool,
}

/// The commune's view of one of Mẫu 03's four contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneNote {
    pub criterion: String,
    pub title: String,
    pub option: String,
    pub agrees: bool,
    pub comment: String,
}

/// What a member reads beside the sheet: the producer's self-assessment, the
/// dossier's documents (the advisory team's among them) and the commune's Mẫu 03.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDossier {
    pub product_id: String,
    pub self_assessment: crate::domain::dossier::StoredAnswers,
    pub documents: Vec<DossierDocument>,
    /// Mẫu 03's contents, when the commune assessed the dossier, and its PDF.
    pub commune: Vec<CommuneNote>,
    pub commune_report_path: Option<String>,
}

/// The dossier of a product the signed-in member scores (assigned, unconflicted).
#[server(endpoint = "council/dossier")]
pub async fn council_dossier(product_id: String) -> Result<MemberDossier, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            if !ssr::scores_product(&db, &user_id, &product_id).await? {
                return Err(AppError::Forbidden);
            }
            let (self_assessment, _) = db::producers::self_assessment(&db, &product_id).await?;
            let documents = db::evidence::of_product(&db, &product_id)
                .await?
                .into_iter()
                .filter(|row| row.state == db::evidence::STORED)
                .map(|row| DossierDocument {
                    path: format!("/tai-lieu/{}/tep", row.id),
                    advisory: crate::domain::evidence::is_advisory_slot(&row.slot),
                    slot: row.slot,
                    file_name: row.file_name,
                    content_type: row.content_type.unwrap_or_default(),
                })
                .collect();
            let report = crate::reports::commune_report(&db, &product_id).await?;
            let commune_report_path = report
                .as_ref()
                .map(|_| crate::api::commune::COMMUNE_REPORT_PATH.replace("{id}", &product_id));
            let commune = report
                .map(|r| r.contents)
                .unwrap_or_default()
                .into_iter()
                .map(|c| CommuneNote {
                    criterion: c.criterion,
                    title: c.title,
                    option: c.option,
                    agrees: c.agrees,
                    comment: c.comment,
                })
                .collect();
            Ok(MemberDossier {
                product_id,
                self_assessment,
                documents,
                commune,
                commune_report_path,
            })
        }
        .await,
    )
}

/// What the server did with a batch of changes from a tablet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReceipt {
    /// Changes the server holds (new, or already held from an earlier send): the
    /// tablet may forget them.
    pub stored: Vec<String>,
    /// Changes refused, with the reason (shown to the member; not retried).
    pub refused: Vec<(String, String)>,
}

/// Sheets change only while the round is scoring or deliberating.
pub const NOT_SCORING: &str = "Đợt đánh giá không ở giai đoạn chấm điểm.";

/// At most this many changes per request (a tablet sends the rest next).
pub const SYNC_BATCH_LIMIT: usize = 500;

/// Takes a batch of sheet changes from a member's tablet. Each change is kept
/// once (by its id), each touched sheet is replayed from all its changes, and a
/// sheet just handed in is appended to the round's hash chain — all in one
/// transaction, so an acknowledged change is never lost.
#[server(endpoint = "council/sync", input = leptos::server_fn::codec::Json)]
pub async fn council_sync(
    changes: Vec<crate::domain::sheet_sync::SheetChange>,
) -> Result<SyncReceipt, AppError> {
    with_status(
        async move {
            use std::collections::BTreeSet;
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            if changes.len() > SYNC_BATCH_LIMIT {
                return Err(AppError::invalid(
                    "changes",
                    format!("Mỗi lần gửi tối đa {SYNC_BATCH_LIMIT} thay đổi."),
                ));
            }
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            let rights = db::rounds::scoring_rights(&db, &user_id).await?;
            let mut receipt = SyncReceipt::default();
            let mut touched = BTreeSet::new();
            let mut tx = db.begin().await?;
            for change in &changes {
                let right = rights
                    .iter()
                    .find(|r| r.member_id == change.member_id && r.product_id == change.product_id);
                let refusal = match right {
                    None => Some("Bạn không chấm sản phẩm này (chưa được phân công hoặc có xung đột lợi ích).".to_string()),
                    Some(right) if ssr::ensure_scoring(right.round_state).is_err() => {
                        Some(NOT_SCORING.to_string())
                    }
                    Some(right) => edit_refusal(right, change),
                };
                match (refusal, right) {
                    (Some(reason), _) => receipt.refused.push((change.change_id.clone(), reason)),
                    (None, Some(right)) => {
                        db::sheets::insert_change(&mut tx, &right.round_id, change).await?;
                        touched.insert((right.round_id.clone(), change.member_id.clone(), change.product_id.clone()));
                        receipt.stored.push(change.change_id.clone());
                    }
                    (None, None) => {}
                }
            }
            for (round_id, member_id, product_id) in &touched {
                ssr::replay_and_chain(&mut tx, round_id, member_id, product_id).await?;
            }
            if !receipt.stored.is_empty() {
                crate::api::producer::ssr::audit_change(
                    &mut tx,
                    &authorized.actor(),
                    "council_sync",
                    "council_member",
                    &user_id,
                    db::audit::digest(&receipt.stored),
                )
                .await?;
            }
            db::commit(tx).await?;
            Ok(receipt)
        }
        .await,
    )
}

/// Why a change cannot be kept, judged against the product's scorecard.
#[cfg(feature = "ssr")]
fn edit_refusal(
    right: &db::rounds::ScoringRight,
    change: &crate::domain::sheet_sync::SheetChange,
) -> Option<String> {
    use crate::domain::sheet_sync::SheetEdit;
    if change.change_id.is_empty()
        || change.change_id.len() > 64
        || change.stamp.device_id.len() > 64
    {
        return Some("Mã thay đổi không hợp lệ.".into());
    }
    let Some(scorecard) = u32::try_from(right.product_set)
        .ok()
        .and_then(|set| crate::rules_catalog::product_set(&right.rule_set, set))
    else {
        return Some("Không tìm thấy bộ tiêu chí của sản phẩm.".into());
    };
    let criterion = |code: &str| {
        sao_scoring::CriterionCode::parse(code)
            .ok()
            .and_then(|code| scorecard.criterion(&code).cloned())
    };
    match &change.edit {
        SheetEdit::Answer {
            criterion: code,
            option,
        } => match criterion(code) {
            None => Some(format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
            Some(found) if option.is_some_and(|o| usize::from(o) >= found.option_count()) => {
                Some(format!("Tiêu chí {code} không có phương án này."))
            }
            Some(_) => None,
        },
        SheetEdit::Note {
            criterion: code,
            text,
        } => match criterion(code) {
            None => Some(format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
            Some(_) if text.chars().count() > 2000 => Some("Ghi chú dài quá 2.000 ký tự.".into()),
            Some(_) => None,
        },
        SheetEdit::Knockout {
            criterion: code, ..
        } => criterion(code)
            .is_none()
            .then(|| format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
        SheetEdit::Submit => None,
        SheetEdit::Reopen { .. } => Some("Chỉ Chủ tịch Hội đồng yêu cầu chấm lại.".into()),
    }
}

/// One member's column for one product in the chair's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleCell {
    pub member_id: String,
    pub member_name: String,
    /// "conflict", "not_started", "draft", "rescore" (asked to score again) or "submitted".
    pub state: String,
    /// The sheet's total once submitted.
    pub total: Option<u32>,
    /// The totals of every version handed in, oldest first (a re-scored sheet
    /// keeps its earlier ones).
    pub versions: Vec<u32>,
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
    pub next_step: String,
}

/// One product's row: members' sheets, flags, and the result when quorum is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub outcome: Option<ProductOutcome>,
    /// Why the model refused the sheets (e.g. an incomplete sheet handed in).
    pub problem: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::db::{Db, DbError};
    use crate::domain::round::RoundRow;
    use crate::domain::sheet_sync::SheetState;
    use sao_scoring::{CouncilInput, CriterionCode, MemberSheet, NextStep, OptionIndex};
    use std::collections::BTreeSet;

    /// The member's sheet as the scoring model reads it.
    fn member_sheet(sheet: &SheetState) -> Result<MemberSheet, String> {
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
            answers: sao_scoring::Answers(answers),
            conflict: false,
            knockouts,
        })
    }

    fn next_step_label(step: &NextStep, profile: &sao_scoring::Profile) -> String {
        let name = |code: &str| {
            profile
                .level(code)
                .map_or_else(|| code.to_string(), |level| level.name.clone())
        };
        match step {
            NextStep::Recognise { level, stars } => {
                format!("Công nhận {}★ ({})", stars.get(), name(level))
            }
            NextStep::Forward { to } => format!("Đề xuất lên {}", name(to)),
            NextStep::Return { to } => format!("Trả về {}", name(to)),
            NextStep::NoCertificate => "Không công nhận".into(),
        }
    }

    /// The console of a round: per product, each eligible member's sheet and the
    /// result of the shared scoring model over the submitted, unconflicted ones.
    pub async fn round_console(db: &Db, round: &RoundRow) -> Result<Vec<ConsoleRow>, DbError> {
        let members: Vec<_> = db::rounds::members(db, &round.id)
            .await?
            .into_iter()
            .filter(|m| m.position != "advisor")
            .collect();
        let conflicts: BTreeSet<(String, String)> = db::rounds::conflicts(db, &round.id)
            .await?
            .into_iter()
            .collect();
        let assignments = db::rounds::assignments(db, &round.id).await?;
        let sheets = db::sheets::of_round(db, &round.id).await?;
        let decisions = db::sheets::knockout_decisions(db, &round.id).await?;
        let versions = db::sheets::versions_of_round(db, &round.id).await?;
        let profile = crate::rules_catalog::profiles()
            .ok()
            .and_then(|all| all.into_iter().find(|p| p.id == round.profile));
        let mut rows = Vec::new();
        for product_id in db::rounds::dossiers(db, &round.id).await? {
            let Some(product) = db::producers::product(db, &product_id).await? else {
                continue;
            };
            let split = assignments.iter().any(|(_, p)| *p == product_id);
            let eligible: Vec<_> = members
                .iter()
                .filter(|m| !split || assignments.contains(&(m.id.clone(), product_id.clone())))
                .collect();
            let scorecard =
                crate::rules_catalog::product_set(&product.rule_set, product.product_set);
            let mut cells = Vec::new();
            let mut given = Vec::new();
            let mut chair = None;
            let mut problem = None;
            for member in &eligible {
                let conflicted = conflicts.contains(&(member.id.clone(), product_id.clone()));
                let sheet = sheets
                    .iter()
                    .find(|(m, p, _)| *m == member.id && *p == product_id)
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
                            if member.position == "chair" {
                                chair = Some(given.len());
                            }
                            given.push(MemberSheet {
                                answers: sao_scoring::Answers(blank),
                                conflict: true,
                                knockouts: Vec::new(),
                            });
                        }
                        "conflict"
                    }
                    (false, None) => "not_started",
                    (false, Some(sheet)) if sheet.reopened.is_some() => "rescore",
                    (false, Some(sheet)) if sheet.submitted.is_none() => "draft",
                    (false, Some(sheet)) => {
                        match member_sheet(sheet) {
                            Ok(parsed) => {
                                total = scorecard.and_then(|s| {
                                    sao_scoring::ScoredSheet::score(s, &parsed.answers)
                                        .ok()
                                        .map(|scored| scored.total)
                                });
                                if member.position == "chair" {
                                    chair = Some(given.len());
                                }
                                given.push(parsed);
                            }
                            Err(error) => problem = Some(error),
                        }
                        "submitted"
                    }
                };
                let versions = scorecard
                    .map(|scorecard| {
                        versions
                            .iter()
                            .filter(|(m, p, _)| *m == member.id && *p == product_id)
                            .filter_map(|(_, _, sheet)| {
                                let parsed = member_sheet(sheet).ok()?;
                                sao_scoring::ScoredSheet::score(scorecard, &parsed.answers)
                                    .ok()
                                    .map(|scored| scored.total)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                cells.push(ConsoleCell {
                    member_id: member.id.clone(),
                    member_name: member.name.clone(),
                    state: state.into(),
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
                quorum: None,
                divergent_totals: None,
                divergent_criteria: Vec::new(),
                near_boundary: None,
                knockouts_flagged: Vec::new(),
                knockouts_confirmed: Vec::new(),
                knockouts_dismissed: Vec::new(),
                outcome: None,
                problem,
            };
            if let (Some(scorecard), Some(profile), None) = (scorecard, &profile, &row.problem) {
                // Only a knock-out still flagged on a counted sheet can be confirmed.
                let flagged: BTreeSet<CriterionCode> = given
                    .iter()
                    .filter(|s| !s.conflict)
                    .flat_map(|s| s.knockouts.iter().cloned())
                    .collect();
                let decided = |want: bool| -> BTreeSet<CriterionCode> {
                    decisions
                        .iter()
                        .filter(|(p, _, confirmed)| *p == product_id && *confirmed == want)
                        .filter_map(|(_, code, _)| CriterionCode::parse(code).ok())
                        .filter(|code| flagged.contains(code))
                        .collect()
                };
                let confirmed = decided(true);
                row.knockouts_confirmed = confirmed.iter().map(|c| c.to_string()).collect();
                row.knockouts_dismissed = decided(false).iter().map(|c| c.to_string()).collect();
                let input = CouncilInput {
                    scorecard,
                    profile,
                    level: &round.level,
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
                        row.divergent_criteria = result
                            .flags
                            .divergent_criteria
                            .iter()
                            .map(|c| c.to_string())
                            .collect();
                        row.near_boundary = result.flags.near_boundary;
                        row.knockouts_flagged = result
                            .flags
                            .knockouts_flagged
                            .iter()
                            .map(|c| c.to_string())
                            .collect();
                        row.outcome = result.outcome.map(|o| ProductOutcome {
                            counted: o.counted,
                            sum: o.sum,
                            mean: o.mean,
                            band: o.band.get(),
                            star: o.star.map(|s| s.get()),
                            failed_minimums: o
                                .failed_minimums
                                .into_iter()
                                .map(|(level, codes)| {
                                    (level, codes.iter().map(|c| c.to_string()).collect())
                                })
                                .collect(),
                            next_step: next_step_label(&o.next_step, profile),
                        });
                    }
                    Err(error) => row.problem = Some(error.to_string()),
                }
            }
            rows.push(row);
        }
        Ok(rows)
    }

    /// Replays a sheet from all its changes and stores it; a newly handed-in
    /// version is appended to the round's hash chain.
    pub async fn replay_and_chain(
        tx: &mut sqlx::AnyConnection,
        round_id: &str,
        member_id: &str,
        product_id: &str,
    ) -> Result<SheetState, AppError> {
        let all = db::sheets::changes_of(tx, member_id, product_id).await?;
        let sheet = SheetState::replay(&all);
        db::sheets::save_sheet(tx, round_id, member_id, product_id, &sheet).await?;
        let chained = db::sheets::version_count(tx, member_id, product_id).await?;
        if sheet.submitted.is_some() && chained < i64::from(sheet.versions) {
            let content = serde_json::to_string(&sheet).map_err(|e| AppError::internal(&e))?;
            db::sheets::append_version(tx, round_id, member_id, product_id, &content).await?;
        }
        Ok(sheet)
    }

    /// Refused unless the round takes sheets (scoring or deliberation).
    pub fn ensure_scoring(state: crate::domain::round::RoundState) -> Result<(), AppError> {
        use crate::domain::round::RoundState;
        if matches!(state, RoundState::Scoring | RoundState::Deliberation) {
            Ok(())
        } else {
            Err(AppError::invalid("state", NOT_SCORING))
        }
    }

    /// Whether `user_id` scores `product_id` in a round now (assigned, unconflicted):
    /// such a member may read the product's dossier.
    pub async fn scores_product(db: &Db, user_id: &str, product_id: &str) -> Result<bool, DbError> {
        Ok(db::rounds::scoring_rights(db, user_id)
            .await?
            .iter()
            .any(|right| right.product_id == product_id))
    }

    /// Whether council member `member_id` scores `product_id` in `round_id`: a
    /// scoring seat (not the advisory team), the product in the round, assigned
    /// to them (or the council not split for it), and no declared conflict.
    pub async fn member_scores(
        db: &Db,
        round_id: &str,
        member_id: &str,
        product_id: &str,
    ) -> Result<bool, DbError> {
        let seated = db::rounds::members(db, round_id)
            .await?
            .into_iter()
            .any(|m| m.id == member_id && m.position != "advisor");
        let in_round = db::rounds::dossiers(db, round_id)
            .await?
            .iter()
            .any(|p| p == product_id);
        let pair = (member_id.to_string(), product_id.to_string());
        let conflicted = db::rounds::conflicts(db, round_id).await?.contains(&pair);
        let assignments = db::rounds::assignments(db, round_id).await?;
        let assigned =
            !assignments.iter().any(|(_, p)| p == product_id) || assignments.contains(&pair);
        Ok(seated && in_round && assigned && !conflicted)
    }

    /// The same, refused unless the round takes sheets.
    pub async fn chaired_scoring_round(
        db: &Db,
        round_id: &str,
    ) -> Result<(RoundRow, crate::auth::session::Authorized), AppError> {
        let (round, authorized) = chaired_round(db, round_id).await?;
        ensure_scoring(round.state)?;
        Ok((round, authorized))
    }

    /// The round after the policy allowed its chair or its province's office.
    pub async fn chaired_round(
        db: &Db,
        round_id: &str,
    ) -> Result<(RoundRow, crate::auth::session::Authorized), AppError> {
        let round = db::rounds::get(db, round_id)
            .await?
            .ok_or_else(|| AppError::NotFound("đợt đánh giá".into()))?;
        let members = db::rounds::members(db, round_id).await?;
        let chair = members
            .iter()
            .find(|m| m.position == "chair")
            .and_then(|m| m.user_id.as_deref());
        let authorized = authorize(
            Action::ChairCouncil,
            &Target::Member {
                user_id: chair,
                province: round.province,
            },
        )
        .await?;
        Ok((round, authorized))
    }
}

/// The chair's console: members × products, totals, flags and results so far.
#[server(endpoint = "council/console")]
pub async fn council_console(round_id: String) -> Result<Vec<ConsoleRow>, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let (round, _) = ssr::chaired_round(&db, &round_id).await?;
            Ok(ssr::round_console(&db, &round).await?)
        }
        .await,
    )
}

/// The chair asks a member to score a product again, with a reason. The earlier
/// version stays in the round's chain; the member's tablet takes new answers.
#[server(endpoint = "council/request_rescore")]
pub async fn request_rescore(
    round_id: String,
    member_id: String,
    product_id: String,
    reason: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            use crate::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
            let db = db::from_context()?;
            let (_, authorized) = ssr::chaired_scoring_round(&db, &round_id).await?;
            let reason = crate::domain::subject::clean_text(&reason);
            if reason.is_empty() {
                return Err(AppError::invalid("reason", "Vui lòng ghi lý do chấm lại."));
            }
            let submitted = db::sheets::sheet(&db, &member_id, &product_id)
                .await?
                .and_then(|sheet| sheet.submitted);
            // Stamped after the hand-in it reopens, whatever the tablet's clock said.
            let after_submit = submitted.as_ref().map_or(0, |stamp| stamp.device_ms + 1);
            let in_round = db::rounds::members(&db, &round_id)
                .await?
                .iter()
                .any(|m| m.id == member_id);
            if !in_round || submitted.is_none() {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên chưa nộp phiếu cho sản phẩm này.",
                ));
            }
            let change = SheetChange {
                change_id: uuid::Uuid::now_v7().to_string(),
                member_id: member_id.clone(),
                product_id: product_id.clone(),
                stamp: Stamp {
                    device_ms: db::now_ms().max(after_submit),
                    device_id: "server".into(),
                    seq: 0,
                },
                edit: SheetEdit::Reopen { reason },
            };
            let mut tx = db.begin().await?;
            db::sheets::insert_change(&mut tx, &round_id, &change).await?;
            ssr::replay_and_chain(&mut tx, &round_id, &member_id, &product_id).await?;
            crate::api::producer::ssr::commit_audited(
                tx,
                &authorized.actor(),
                "request_rescore",
                "sheet",
                &format!("{member_id}/{product_id}"),
                db::audit::digest(&change.edit),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// The chair confirms (the product is disqualified) or dismisses a knock-out a
/// member flagged on a product's criterion, before the round is sealed.
#[server(endpoint = "council/decide_knockout")]
pub async fn decide_knockout(
    round_id: String,
    product_id: String,
    criterion: String,
    confirmed: bool,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let (_, authorized) = ssr::chaired_scoring_round(&db, &round_id).await?;
            let conflicted = db::rounds::conflicts(&db, &round_id).await?;
            let flagged = db::sheets::of_round(&db, &round_id)
                .await?
                .into_iter()
                .filter(|(member, product, _)| {
                    *product == product_id
                        && !conflicted.contains(&(member.clone(), product.clone()))
                })
                .any(|(_, _, sheet)| {
                    sheet.submitted.is_some() && sheet.flagged_knockouts().contains(&criterion)
                });
            if !flagged {
                return Err(AppError::invalid(
                    "criterion",
                    "Không có phiếu đã nộp nào đề nghị điểm liệt ở tiêu chí này.",
                ));
            }
            let decided_by = authorized.user()?.user_id.clone();
            let mut tx = db.begin().await?;
            db::sheets::decide_knockout(
                &mut tx,
                &round_id,
                &product_id,
                &criterion,
                confirmed,
                &decided_by,
            )
            .await?;
            crate::api::producer::ssr::commit_audited(
                tx,
                &authorized.actor(),
                if confirmed {
                    "confirm_knockout"
                } else {
                    "dismiss_knockout"
                },
                "product",
                &product_id,
                db::audit::digest(&(&round_id, &criterion, confirmed)),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// What became of a keyed paper sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperOutcome {
    /// The first keying: the sheet counts once another official keys the same.
    Waiting,
    /// Both keyings agree: the member's sheet is handed in with this total.
    Counted { total: u32 },
}

/// The paper fallback: an official of the round's province keys in a member's
/// paper sheet (criterion → option). It counts only when a second official's
/// keying agrees; when they differ, the answer names the criteria.
#[server(endpoint = "council/key_paper_sheet", input = leptos::server_fn::codec::Json)]
pub async fn key_paper_sheet(
    round_id: String,
    member_id: String,
    product_id: String,
    answers: std::collections::BTreeMap<String, Option<u16>>,
) -> Result<PaperOutcome, AppError> {
    with_status(
        async move {
            use crate::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
            let db = db::from_context()?;
            let (round, authorized) = crate::api::office::ssr::managed_round(&db, &round_id).await?;
            ssr::ensure_scoring(round.state)?;
            if !ssr::member_scores(&db, &round_id, &member_id, &product_id).await? {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên này không chấm sản phẩm này.",
                ));
            }
            if db::sheets::sheet(&db, &member_id, &product_id)
                .await?
                .is_some_and(|sheet| sheet.submitted.is_some())
            {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên đã nộp phiếu cho sản phẩm này.",
                ));
            }
            let product = db::producers::product(&db, &product_id)
                .await?
                .ok_or_else(|| AppError::NotFound("sản phẩm".into()))?;
            let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
                .ok_or_else(|| AppError::internal(&"no scorecard"))?;
            let mut parsed = std::collections::BTreeMap::new();
            for (code, option) in &answers {
                let code = sao_scoring::CriterionCode::parse(code)
                    .map_err(|e| AppError::invalid("answers", e))?;
                parsed.insert(code, option.map(sao_scoring::OptionIndex));
            }
            let total = sao_scoring::ScoredSheet::score(scorecard, &sao_scoring::Answers(parsed))
                .map_err(|e| AppError::invalid("answers", e.to_string()))?
                .total;
            let official = authorized.user()?.user_id.clone();
            let keyed = serde_json::to_string(&answers).map_err(|e| AppError::internal(&e))?;
            let mut tx = db.begin().await?;
            db::sheets::save_paper_entry(&mut tx, &round_id, &member_id, &product_id, &official, &keyed)
                .await?;
            crate::api::producer::ssr::audit_change(
                &mut tx,
                &authorized.actor(),
                "key_paper_sheet",
                "sheet",
                &format!("{member_id}/{product_id}"),
                db::audit::digest(&answers),
            )
            .await?;
            let other = db::sheets::other_paper_entries(&mut tx, &member_id, &product_id, &official)
                .await?
                .into_iter()
                .next();
            let outcome = match other {
                None => PaperOutcome::Waiting,
                Some((_, theirs)) => {
                    let theirs: std::collections::BTreeMap<String, Option<u16>> =
                        serde_json::from_str(&theirs).map_err(|e| AppError::internal(&e))?;
                    let differing: Vec<&str> = scorecard
                        .criteria()
                        .map(|(_, _, c)| c.code.as_str())
                        .filter(|code| answers.get(*code) != theirs.get(*code))
                        .collect();
                    if !differing.is_empty() {
                        // Keep this keying: whoever keyed wrong keys again.
                        db::commit(tx).await?;
                        return Err(AppError::invalid(
                            "answers",
                            format!(
                                "Hai lần nhập khác nhau ở tiêu chí: {}. Vui lòng đối chiếu phiếu giấy.",
                                differing.join(", ")
                            ),
                        ));
                    }
                    let now = db::now_ms();
                    let edits = answers
                        .iter()
                        .map(|(criterion, option)| SheetEdit::Answer {
                            criterion: criterion.clone(),
                            option: *option,
                        })
                        .chain(std::iter::once(SheetEdit::Submit));
                    for (seq, edit) in edits.enumerate() {
                        let change = SheetChange {
                            change_id: format!("paper-{member_id}-{product_id}-{seq}"),
                            member_id: member_id.clone(),
                            product_id: product_id.clone(),
                            stamp: Stamp {
                                device_ms: now + seq as i64,
                                device_id: "paper".into(),
                                seq: seq as u64,
                            },
                            edit,
                        };
                        db::sheets::insert_change(&mut tx, &round_id, &change).await?;
                    }
                    ssr::replay_and_chain(&mut tx, &round_id, &member_id, &product_id).await?;
                    PaperOutcome::Counted { total }
                }
            };
            db::commit(tx).await?;
            Ok(outcome)
        }
        .await,
    )
}
