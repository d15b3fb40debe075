//! A tablet's batch of sheet changes: judged one by one against the sheet the
//! server holds, kept once by id, replayed, chained, audited, in one transaction.
//!
//! A change stamped after everything its sheet holds (the usual case: a tablet
//! sends its edits in order) is judged against the stored sheet and applied to
//! it, so a sync costs the same on the last answer as on the first. Only a
//! change stamped earlier (a second tablet, a late resend) reads the sheet's
//! whole history and replays it.
use crate::api::council::{SyncReceipt, SYNC_BATCH_LIMIT};
use crate::auth::policy::{Action, Target};
use crate::auth::session::authorize;
use crate::db;
use crate::domain::sheet_sync::{
    judge, judge_following, SheetChange, SheetState, StampWindow, SyncRefusal,
};
use crate::error::AppError;
use std::collections::{BTreeMap, BTreeSet};

/// What the batch holds of one sheet: the stored sheet while every change
/// follows it, or its whole history once one does not.
enum Held {
    Sheet(Box<SheetState>),
    History(Vec<SheetChange>),
}

type SheetKey = (String, String);

/// One tablet's batch, guarded and ready to apply: who sends it, what they may
/// write, and the changes.
pub struct Batch {
    actor: crate::db::audit::Actor,
    user_id: String,
    rights: Vec<db::councils::ScoringRight>,
    changes: Vec<SheetChange>,
}

impl Batch {
    /// Who sends it (its account).
    pub fn sender(&self) -> &str {
        &self.user_id
    }
}

pub async fn sync(changes: Vec<SheetChange>) -> Result<SyncReceipt, AppError> {
    let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
    if changes.len() > SYNC_BATCH_LIMIT {
        return Err(AppError::invalid(
            "changes",
            crate::error::Refusal::BatchTooLarge {
                max: SYNC_BATCH_LIMIT as u32,
            },
        ));
    }
    let user_id = authorized.user()?.user_id.clone();
    let db = db::from_context()?;
    let rights = db::councils::scoring_rights(&db, &user_id).await?;
    let batch = Batch {
        actor: authorized.actor(),
        user_id,
        rights,
        changes,
    };
    // Queued for the next group transaction (acknowledged after its commit).
    super::group_commit::submit(&db, batch).await
}

/// Applies a batch in `tx`: judged change by change, kept once by id, the
/// sheets chained, the batch audited. Nothing is committed here.
pub(super) async fn apply(
    tx: &mut sqlx::AnyConnection,
    batch: &Batch,
) -> Result<SyncReceipt, AppError> {
    let Batch {
        actor,
        user_id,
        rights,
        changes,
    } = batch;
    let right_of = |member: &str, product: &str| {
        rights
            .iter()
            .find(|r| r.member_id == member && r.product_id == product)
    };
    let mut receipt = SyncReceipt::default();
    // Each round the batch writes to is held in a scoring state for the whole batch.
    let mut open_rounds = BTreeMap::new();
    for change in changes {
        let round = right_of(&change.member_id, &change.product_id).map(|r| r.round_id.clone());
        if let Some(round) = round.filter(|id| !open_rounds.contains_key(id)) {
            let open = db::rounds::lock_in_state(tx, &round, &crate::auth::guards::SCORING_STATES)
                .await?
                .is_some();
            open_rounds.insert(round, open);
        }
    }
    let now = db::now_ms();
    let mut held: BTreeMap<SheetKey, Held> = BTreeMap::new();
    let mut refused_sheets = BTreeSet::new();
    let mut touched = BTreeSet::new();
    let mut ordered: Vec<&SheetChange> = changes.iter().collect();
    ordered.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    for change in ordered {
        let key = (change.member_id.clone(), change.product_id.clone());
        let right = right_of(&change.member_id, &change.product_id);
        let verdict = match right {
            None => Err(SyncRefusal::NotYours),
            Some(right) if !open_rounds.get(&right.round_id).copied().unwrap_or(false) => {
                Err(SyncRefusal::NotScoring)
            }
            Some(right) => match edit_refusal(right, change) {
                Some(refusal) => Err(refusal),
                None => {
                    let window = StampWindow::new(right.round_opened_ms, now);
                    judged(tx, &mut held, &key, change, &window).await?
                }
            },
        };
        match (verdict, right) {
            (Ok(Some(after)), Some(right)) => {
                if db::sheets::insert_change(tx, &right.round_id, change).await? {
                    match held.get_mut(&key) {
                        Some(Held::History(list)) => list.push(change.clone()),
                        Some(Held::Sheet(sheet)) => **sheet = after,
                        None => {}
                    }
                    touched.insert(key);
                    receipt.stored.push(change.change_id.clone());
                } else {
                    // The id is held for another member's or product's sheet.
                    refused_sheets.insert(key);
                    receipt
                        .refused
                        .push((change.change_id.clone(), SyncRefusal::IdTaken));
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
        let (Some(right), Some(sheet)) = (right_of(&key.0, &key.1), held.remove(key)) else {
            continue;
        };
        let sheet = match sheet {
            Held::Sheet(sheet) => *sheet,
            Held::History(all) => {
                let sheet = SheetState::replay(&all);
                held.insert(key.clone(), Held::History(all));
                sheet
            }
        };
        super::chain_sheet(tx, &right.round_id, &key.0, &key.1, sheet).await?;
    }
    for key in &refused_sheets {
        if let Some(Held::History(list)) = held.get(key) {
            receipt.held.extend(list.iter().cloned());
        } else if right_of(&key.0, &key.1).is_some() {
            receipt
                .held
                .extend(db::sheets::changes_of(tx, &key.0, &key.1).await?);
        }
    }
    if !receipt.stored.is_empty() || !receipt.refused.is_empty() {
        crate::db::audit::write(
            tx,
            actor,
            crate::db::audit::Change::new("council_sync", "council_member", user_id)
                .after(db::audit::digest(&(&receipt.stored, &receipt.refused))),
        )
        .await?;
    }
    Ok(receipt)
}

/// The verdict on one change: `Ok(Some(sheet))` to keep it (the sheet it makes
/// when the batch holds the stored sheet; the same sheet otherwise, unused),
/// `Ok(None)` when it is kept already, or why it is refused.
async fn judged(
    tx: &mut sqlx::AnyConnection,
    held: &mut BTreeMap<SheetKey, Held>,
    key: &SheetKey,
    change: &SheetChange,
    window: &StampWindow,
) -> Result<Result<Option<SheetState>, SyncRefusal>, AppError> {
    if !held.contains_key(key) {
        let stored = db::sheets::sheet_in(tx, &key.0, &key.1).await?;
        held.insert(
            key.clone(),
            Held::Sheet(Box::new(stored.unwrap_or_default())),
        );
    }
    if let Some(Held::Sheet(sheet)) = held.get(key) {
        // A resend, or an id another change holds, before anything else.
        match db::sheets::change_by_id(tx, &change.change_id).await? {
            Some(same) if same == *change => return Ok(Ok(None)),
            Some(_) => return Ok(Err(SyncRefusal::IdTaken)),
            None => {}
        }
        if let Some(verdict) = judge_following(sheet, change, window) {
            return Ok(verdict.map(Some));
        }
        // Stamped before the sheet's last change: the whole history decides.
        let all = db::sheets::changes_of(tx, &key.0, &key.1).await?;
        held.insert(key.clone(), Held::History(all));
    }
    let Some(Held::History(all)) = held.get(key) else {
        return Err(AppError::internal(&"the sheet's history was not read"));
    };
    Ok(match all.iter().find(|c| c.change_id == change.change_id) {
        Some(same) if same == change => Ok(None),
        Some(_) => Err(SyncRefusal::IdTaken),
        None => judge(all, change, window).map(|()| Some(SheetState::default())),
    })
}

/// Why a change cannot be kept: `domain::sheet_check::check` against the
/// product's scorecard from the rule catalogue.
fn edit_refusal(right: &db::councils::ScoringRight, change: &SheetChange) -> Option<SyncRefusal> {
    let scorecard = u32::try_from(right.product_set)
        .ok()
        .and_then(|set| crate::rules_catalog::product_set(&right.rule_set, set));
    crate::domain::sheet_check::check(change, scorecard)
}
