//! A tablet's batch of sheet changes: judged one by one against the sheet the
//! server holds, kept once by id, replayed, chained, audited, in one transaction.
use crate::api::council::{SyncReceipt, SYNC_BATCH_LIMIT};
use crate::auth::policy::{Action, Target};
use crate::auth::session::authorize;
use crate::db;
use crate::error::AppError;

pub async fn sync(
    changes: Vec<crate::domain::sheet_sync::SheetChange>,
) -> Result<SyncReceipt, AppError> {
    use crate::domain::sheet_sync::{judge, SheetChange, StampWindow, SyncRefusal};
    use std::collections::{BTreeMap, BTreeSet};
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
            let open =
                db::rounds::lock_in_state(&mut tx, &round, &crate::auth::guards::SCORING_STATES)
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
            None => Err(SyncRefusal::NotYours),
            Some(right) if !open_rounds.get(&right.round_id).copied().unwrap_or(false) => {
                Err(SyncRefusal::NotScoring)
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
                        Some(_) => Err(SyncRefusal::IdTaken),
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
        let (Some(right), Some(all)) = (
            rights
                .iter()
                .find(|r| r.member_id == key.0 && r.product_id == key.1),
            held.get(key),
        ) else {
            continue;
        };
        super::chain_replayed(&mut tx, &right.round_id, &key.0, &key.1, all).await?;
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

/// Why a change cannot be kept: `domain::sheet_check::check` against the
/// product's scorecard from the rule catalogue.
fn edit_refusal(
    right: &db::councils::ScoringRight,
    change: &crate::domain::sheet_sync::SheetChange,
) -> Option<crate::domain::sheet_sync::SyncRefusal> {
    let scorecard = u32::try_from(right.product_set)
        .ok()
        .and_then(|set| crate::rules_catalog::product_set(&right.rule_set, set));
    crate::domain::sheet_check::check(change, scorecard)
}
