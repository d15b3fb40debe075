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
            if !crate::auth::guards::scores_product(&db, &user_id, &product_id).await? {
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
    pub refused: Vec<(String, crate::domain::sheet_sync::Refusal)>,
    /// For each sheet with a refused change, every change the server holds for
    /// it: the tablet puts its sheet back to the server's with them.
    pub held: Vec<crate::domain::sheet_sync::SheetChange>,
}

/// At most this many changes per request (a tablet sends the rest next).
pub const SYNC_BATCH_LIMIT: usize = 500;

/// Takes a batch of sheet changes from a member's tablet. Each change is judged
/// against the sheet the server holds (`sheet_sync::judge`: a change that would
/// alter a counted hand-in, or that comes after one, is refused), kept once by
/// its id, each touched sheet is replayed, and a hand-in that now counts is
/// appended to the round's hash chain — all in one transaction that first locks
/// each round in a scoring state, so a seal cannot pass it.
#[server(endpoint = "council/sync", input = leptos::server_fn::codec::Json)]
pub async fn council_sync(
    changes: Vec<crate::domain::sheet_sync::SheetChange>,
) -> Result<SyncReceipt, AppError> {
    with_status(
        async move {
            use crate::domain::sheet_sync::{judge, Refusal, SheetChange, StampWindow};
            use std::collections::{BTreeMap, BTreeSet};
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
            let mut tx = db.begin().await?;
            // Each round the batch writes to is held in a scoring state for the whole batch.
            let mut open_rounds = BTreeMap::new();
            for change in &changes {
                let round = rights
                    .iter()
                    .find(|r| r.member_id == change.member_id && r.product_id == change.product_id)
                    .map(|r| r.round_id.clone());
                if let Some(round) = round.filter(|id| !open_rounds.contains_key(id)) {
                    let open = db::rounds::lock_in_state(
                        &mut tx,
                        &round,
                        &crate::auth::guards::SCORING_STATES,
                    )
                    .await?
                    .is_some();
                    open_rounds.insert(round, open);
                }
            }
            let now = db::now_ms();
            let mut held: BTreeMap<(String, String), Vec<SheetChange>> = BTreeMap::new();
            let mut refused_sheets = BTreeSet::new();
            let mut touched = BTreeSet::new();
            let mut ordered: Vec<&SheetChange> = changes.iter().collect();
            ordered.sort_by(|a, b| a.stamp.cmp(&b.stamp));
            for change in ordered {
                let key = (change.member_id.clone(), change.product_id.clone());
                let right = rights
                    .iter()
                    .find(|r| r.member_id == change.member_id && r.product_id == change.product_id);
                let verdict = match right {
                    None => Err(Refusal::NotYours),
                    Some(right) if !open_rounds.get(&right.round_id).copied().unwrap_or(false) => {
                        Err(Refusal::NotScoring)
                    }
                    Some(right) => match edit_refusal(right, change) {
                        Some(refusal) => Err(refusal),
                        None => {
                            if !held.contains_key(&key) {
                                let all = db::sheets::changes_of(&mut tx, &key.0, &key.1).await?;
                                held.insert(key.clone(), all);
                            }
                            let sheet_changes = held
                                .get_mut(&key)
                                .ok_or_else(|| AppError::internal(&"held"))?;
                            match sheet_changes
                                .iter()
                                .find(|c| c.change_id == change.change_id)
                            {
                                Some(same) if same == change => Ok(false),
                                Some(_) => Err(Refusal::IdTaken),
                                None => judge(
                                    sheet_changes,
                                    change,
                                    &StampWindow::new(right.round_opened_ms, now),
                                )
                                .map(|()| true),
                            }
                        }
                    },
                };
                match (verdict, right) {
                    (Ok(true), Some(right)) => {
                        if db::sheets::insert_change(&mut tx, &right.round_id, change).await? {
                            if let Some(list) = held.get_mut(&key) {
                                list.push(change.clone());
                            }
                            touched.insert(key);
                            receipt.stored.push(change.change_id.clone());
                        } else {
                            // The id is held for another member's or product's sheet.
                            refused_sheets.insert(key);
                            receipt
                                .refused
                                .push((change.change_id.clone(), Refusal::IdTaken));
                        }
                    }
                    (Ok(_), _) => receipt.stored.push(change.change_id.clone()),
                    (Err(refusal), _) => {
                        refused_sheets.insert(key);
                        receipt.refused.push((change.change_id.clone(), refusal));
                    }
                }
            }
            for key in &touched {
                let (Some(right), Some(all)) = (
                    rights
                        .iter()
                        .find(|r| r.member_id == key.0 && r.product_id == key.1),
                    held.get(key),
                ) else {
                    continue;
                };
                ssr::chain_replayed(&mut tx, &right.round_id, &key.0, &key.1, all).await?;
            }
            for key in &refused_sheets {
                if let Some(list) = held.get(key) {
                    receipt.held.extend(list.iter().cloned());
                } else if rights
                    .iter()
                    .any(|r| r.member_id == key.0 && r.product_id == key.1)
                {
                    receipt
                        .held
                        .extend(db::sheets::changes_of(&mut tx, &key.0, &key.1).await?);
                }
            }
            if !receipt.stored.is_empty() || !receipt.refused.is_empty() {
                crate::db::audit::write(
                    &mut tx,
                    &authorized.actor(),
                    crate::db::audit::Change::new("council_sync", "council_member", &user_id)
                        .after(db::audit::digest(&(&receipt.stored, &receipt.refused))),
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
) -> Option<crate::domain::sheet_sync::Refusal> {
    use crate::domain::sheet_sync::{Refusal, SheetEdit};
    if change.change_id.is_empty()
        || change.change_id.len() > 64
        || change.stamp.device_id.is_empty()
        || change.stamp.device_id.len() > 64
    {
        return Some(Refusal::BadId);
    }
    let Some(scorecard) = u32::try_from(right.product_set)
        .ok()
        .and_then(|set| crate::rules_catalog::product_set(&right.rule_set, set))
    else {
        return Some(Refusal::NoScorecard);
    };
    let criterion = |code: &str| {
        sao_scoring::CriterionCode::parse(code)
            .ok()
            .and_then(|code| scorecard.criterion(&code).cloned())
    };
    let unknown = |code: &str| Refusal::UnknownCriterion(code.chars().take(16).collect());
    match &change.edit {
        SheetEdit::Answer {
            criterion: code,
            option,
        } => match criterion(code) {
            None => Some(unknown(code)),
            Some(found) if option.is_some_and(|o| usize::from(o) >= found.option_count()) => {
                Some(Refusal::UnknownOption(code.clone()))
            }
            Some(_) => None,
        },
        SheetEdit::Note {
            criterion: code,
            text,
        } => match criterion(code) {
            None => Some(unknown(code)),
            Some(_) if text.chars().count() > 2000 => Some(Refusal::NoteTooLong),
            Some(_) => None,
        },
        SheetEdit::Knockout {
            criterion: code, ..
        } => criterion(code).is_none().then(|| unknown(code)),
        SheetEdit::Submit { digest } => (digest.len() > 64).then_some(Refusal::BadId),
        SheetEdit::Reopen { .. } => Some(Refusal::ChairOnly),
    }
}

pub use crate::domain::round_result::{ConsoleCell, ConsoleRow, Flag, FlagKind, ProductOutcome};

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::db::{Db, DbError};
    use crate::domain::round::RoundRow;
    use crate::domain::sheet_sync::SheetState;
    use std::collections::BTreeSet;

    /// The round's workflow profile with the council's own settings (quorum,
    /// divergence limit) as the office saved them: what the model is given.
    pub fn round_profile(round: &RoundRow) -> Option<sao_scoring::Profile> {
        let mut profile = crate::rules_catalog::profiles()
            .ok()?
            .into_iter()
            .find(|p| p.id == round.profile)?;
        profile.quorum.numerator = u32::try_from(round.quorum.0).ok()?;
        profile.quorum.denominator = u32::try_from(round.quorum.1).ok()?;
        profile.divergence_limit = u32::try_from(round.divergence_limit).ok()?;
        Some(profile)
    }

    /// The console of a round, computed from what is stored now (every input
    /// read through `conn`, so a seal computes inside its own transaction).
    pub async fn round_console_in(
        conn: &mut sqlx::AnyConnection,
        round: &RoundRow,
    ) -> Result<Vec<ConsoleRow>, DbError> {
        use crate::domain::round_result::{evaluate, RoundInputs, RoundProduct};
        let inputs = db::results::round_inputs(conn, &round.id).await?;
        let profile = round_profile(round);
        let products: Vec<RoundProduct> = inputs
            .products
            .iter()
            .map(|(id, name, rule_set, set)| RoundProduct {
                id: id.clone(),
                name: name.clone(),
                rule_set: rule_set.clone(),
                product_set: *set,
                scorecard: crate::rules_catalog::product_set(rule_set, *set),
            })
            .collect();
        let conflicts: BTreeSet<(String, String)> = inputs.conflicts.iter().cloned().collect();
        let acknowledged: BTreeSet<(String, String)> =
            inputs.acknowledged.iter().cloned().collect();
        Ok(evaluate(&RoundInputs {
            level: &round.level,
            profile: profile.as_ref(),
            products: &products,
            members: &inputs.members,
            conflicts: &conflicts,
            assignments: &inputs.assignments,
            sheets: &inputs.sheets,
            versions: &inputs.versions,
            decisions: &inputs.decisions,
            acknowledged: &acknowledged,
        }))
    }

    /// The console of a round as it stands.
    pub async fn round_console(db: &Db, round: &RoundRow) -> Result<Vec<ConsoleRow>, DbError> {
        let mut conn = db.pool().acquire().await?;
        round_console_in(&mut conn, round).await
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
        chain_replayed(tx, round_id, member_id, product_id, &all).await
    }

    /// The same from the sheet's changes already read in this transaction.
    pub async fn chain_replayed(
        tx: &mut sqlx::AnyConnection,
        round_id: &str,
        member_id: &str,
        product_id: &str,
        all: &[crate::domain::sheet_sync::SheetChange],
    ) -> Result<SheetState, AppError> {
        let sheet = SheetState::replay(all);
        db::sheets::save_sheet(tx, round_id, member_id, product_id, &sheet).await?;
        let chained = db::sheets::version_count(tx, member_id, product_id).await?;
        // Only a counted hand-in (its digest equal to the replay) is chained.
        if sheet.submitted.is_some() && chained < i64::from(sheet.versions) {
            let content = serde_json::to_string(&sheet).map_err(|e| AppError::internal(&e))?;
            db::sheets::append_version(tx, round_id, member_id, product_id, &content).await?;
        }
        Ok(sheet)
    }
}

/// The chair's console: members × products, totals, flags and results so far.
#[server(endpoint = "council/console")]
pub async fn council_console(round_id: String) -> Result<Vec<ConsoleRow>, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let round = crate::auth::guards::chaired_round(
                &db,
                &crate::auth::session::requester().await?,
                &round_id,
            )
            .await?;
            // A sealed round shows what was stored at the seal, never a recomputation.
            if matches!(
                round.state,
                crate::domain::round::RoundState::Sealed
                    | crate::domain::round::RoundState::Decided
            ) {
                return Ok(crate::api::seal::ssr::stored_rows(&db, &round_id).await?);
            }
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
            let authorized = crate::auth::session::requester().await?;
            crate::auth::guards::chaired_scoring_round(&db, &authorized, &round_id).await?;
            let reason = crate::domain::subject::clean_text(&reason);
            if reason.is_empty() {
                return Err(AppError::invalid("reason", "Vui lòng ghi lý do chấm lại."));
            }
            let in_round = db::rounds::members(&db, &round_id)
                .await?
                .iter()
                .any(|m| m.id == member_id);
            let mut tx = db.begin().await?;
            crate::auth::guards::lock_scoring(&mut tx, &round_id).await?;
            let held = db::sheets::changes_of(&mut tx, &member_id, &product_id).await?;
            let submitted = crate::domain::sheet_sync::SheetState::replay(&held).submitted;
            let (true, Some(submitted)) = (in_round, submitted) else {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên chưa nộp phiếu cho sản phẩm này.",
                ));
            };
            // Stamped after the hand-in it reopens, whatever the tablet's clock said.
            let after_submit = submitted
                .device_ms
                .checked_add(1)
                .ok_or_else(|| AppError::internal(&"a hand-in stamped at the end of time"))?;
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
            if !db::sheets::insert_change(&mut tx, &round_id, &change).await? {
                return Err(AppError::internal(&"a fresh change id was taken"));
            }
            ssr::replay_and_chain(&mut tx, &round_id, &member_id, &product_id).await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new(
                    "request_rescore",
                    "sheet",
                    &format!("{member_id}/{product_id}"),
                )
                .after(db::audit::digest(&change.edit)),
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
            let authorized = crate::auth::session::requester().await?;
            crate::auth::guards::chaired_scoring_round(&db, &authorized, &round_id).await?;
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
            crate::auth::guards::lock_scoring(&mut tx, &round_id).await?;
            db::sheets::decide_knockout(
                &mut tx,
                &round_id,
                &product_id,
                &criterion,
                confirmed,
                &decided_by,
            )
            .await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new(
                    if confirmed {
                        "confirm_knockout"
                    } else {
                        "dismiss_knockout"
                    },
                    "product",
                    &product_id,
                )
                .after(db::audit::digest(&(&round_id, &criterion, confirmed))),
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
            use crate::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
            crate::auth::guards::ensure_scoring(round.state)?;
            if !crate::auth::guards::member_scores(&db, &round_id, &member_id, &product_id).await? {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên này không chấm sản phẩm này.",
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
            crate::auth::guards::lock_scoring(&mut tx, &round_id).await?;
            let held = db::sheets::changes_of(&mut tx, &member_id, &product_id).await?;
            let sheet = SheetState::replay(&held);
            if sheet.handed_in().is_some() {
                return Err(AppError::invalid(
                    "member_id",
                    "Thành viên đã nộp phiếu cho sản phẩm này.",
                ));
            }
            // Keyings pair up within one version of the sheet (a re-score starts anew).
            let generation = i64::from(sheet.versions);
            db::sheets::save_paper_entry(&mut tx, &round_id, &member_id, &product_id, &official, &keyed, generation)
                .await?;
            crate::db::audit::write(&mut tx, &authorized.actor(), crate::db::audit::Change::new("key_paper_sheet", "sheet", &format!("{member_id}/{product_id}")).after(db::audit::digest(&answers)))
            .await?;
            let other = db::sheets::other_paper_entries(&mut tx, &member_id, &product_id, &official, generation)
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
                    // Stamped after everything the sheet holds, with ids the server makes.
                    let last = held.iter().map(|c| c.stamp.device_ms).max().unwrap_or(0);
                    let start = last
                        .checked_add(1)
                        .ok_or_else(|| AppError::internal(&"a sheet stamped at the end of time"))?
                        .max(db::now_ms());
                    let mut keyed_changes: Vec<SheetChange> = answers
                        .iter()
                        .map(|(criterion, option)| SheetEdit::Answer {
                            criterion: criterion.clone(),
                            option: *option,
                        })
                        .chain(std::iter::once(SheetEdit::Submit { digest: String::new() }))
                        .enumerate()
                        .map(|(seq, edit)| SheetChange {
                            change_id: uuid::Uuid::now_v7().to_string(),
                            member_id: member_id.clone(),
                            product_id: product_id.clone(),
                            stamp: Stamp {
                                device_ms: start.saturating_add(i64::try_from(seq).unwrap_or(0)),
                                device_id: "paper".into(),
                                seq: seq as u64,
                            },
                            edit,
                        })
                        .collect();
                    let mut whole: Vec<SheetChange> = held.iter().cloned().chain(keyed_changes.iter().cloned()).collect();
                    crate::domain::sheet_sync::hand_in_digests(&mut whole);
                    keyed_changes = whole.split_off(held.len());
                    for change in &keyed_changes {
                        if !db::sheets::insert_change(&mut tx, &round_id, change).await? {
                            return Err(AppError::internal(&"a fresh change id was taken"));
                        }
                    }
                    let counted = ssr::replay_and_chain(&mut tx, &round_id, &member_id, &product_id).await?;
                    if counted.submitted.is_none() {
                        return Err(AppError::internal(&"the keyed paper sheet did not count"));
                    }
                    PaperOutcome::Counted { total }
                }
            };
            db::commit(tx).await?;
            Ok(outcome)
        }
        .await,
    )
}
