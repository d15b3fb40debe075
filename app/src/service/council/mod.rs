//! The council's work on the server: what a member's tablet sends and reads,
//! the chair's console and requests, and the paper fallback. Each function is
//! what a server function does after parsing: guard, change, audit, commit.
pub mod console;
mod group_commit;
pub mod member;
pub mod paper;
pub mod rescore;
pub mod sitting;
pub mod sync;

use crate::db;
use crate::domain::sheet_sync::SheetState;
use crate::error::AppError;

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
    chain_sheet(tx, round_id, member_id, product_id, sheet).await
}

/// Stores a sheet already replayed (or followed, see `SheetState::follow`) and
/// chains it when it is a newly counted hand-in.
pub async fn chain_sheet(
    tx: &mut sqlx::AnyConnection,
    round_id: &str,
    member_id: &str,
    product_id: &str,
    sheet: SheetState,
) -> Result<SheetState, AppError> {
    db::sheets::save_sheet(tx, round_id, member_id, product_id, &sheet).await?;
    let chained = db::sheets::version_count(tx, member_id, product_id).await?;
    // Only a counted hand-in (its digest equal to the replay) is chained.
    if sheet.submitted.is_some() && chained < i64::from(sheet.versions) {
        let content = serde_json::to_string(&sheet).map_err(|e| AppError::internal(&e))?;
        db::sheets::append_version(tx, round_id, member_id, product_id, &content).await?;
    }
    Ok(sheet)
}
