//! Whether the server keeps a tablet's change: the stamp window, the changes a
//! tablet may never send, and the verdict against the sheet it would change —
//! from the whole history (`judge`) or from the replayed sheet when the change
//! comes after everything in it (`judge_following`). Pure, like `sheet_sync`.
use super::sheet_sync::{
    ChangeOutcome, SheetChange, SheetEdit, SheetState, Stamp, SyncRefusal, RESERVED_DEVICES,
};

/// How far a tablet's clock may run ahead of the server's: one day.
pub const MAX_AHEAD_MS: i64 = 86_400_000;

/// The stamps the server takes: not before the round was opened, not more than
/// [`MAX_AHEAD_MS`] past the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampWindow {
    pub earliest_ms: i64,
    pub latest_ms: i64,
}

impl StampWindow {
    pub fn new(round_opened_ms: i64, now_ms: i64) -> StampWindow {
        StampWindow {
            earliest_ms: round_opened_ms,
            latest_ms: now_ms.saturating_add(MAX_AHEAD_MS),
        }
    }

    pub fn holds(&self, stamp: &Stamp) -> bool {
        (self.earliest_ms..=self.latest_ms).contains(&stamp.device_ms)
            && i64::try_from(stamp.seq).is_ok()
    }
}

/// Whether the server may keep `change` for a sheet that holds `held` (a change
/// with the same id already held is the caller's to compare first). A change is
/// refused when it would alter a counted hand-in (what the member saw is what
/// counts) or change nothing because the sheet is handed in.
pub fn judge(
    held: &[SheetChange],
    change: &SheetChange,
    window: &StampWindow,
) -> Result<(), SyncRefusal> {
    admissible(change, window)?;
    let before = SheetState::replay(held);
    let (after, outcome) =
        SheetState::replay_watching(held.iter().chain([change]), &change.change_id);
    verdict(&before, &after, outcome)
}

/// [`judge`] for a change that follows the sheet's last (see
/// [`SheetState::follow`]), from the replayed sheet alone: the same verdict,
/// and the sheet it makes when kept. `None` when the change does not follow.
pub fn judge_following(
    sheet: &SheetState,
    change: &SheetChange,
    window: &StampWindow,
) -> Option<Result<SheetState, SyncRefusal>> {
    if let Err(refusal) = admissible(change, window) {
        return Some(Err(refusal));
    }
    let (after, outcome) = sheet.follow(change)?;
    Some(verdict(sheet, &after, Some(outcome)).map(|()| after))
}

/// What a change may never be, whatever the sheet holds.
fn admissible(change: &SheetChange, window: &StampWindow) -> Result<(), SyncRefusal> {
    if matches!(change.edit, SheetEdit::Reopen { .. }) {
        return Err(SyncRefusal::ChairOnly);
    }
    if RESERVED_DEVICES.contains(&change.stamp.device_id.as_str()) {
        return Err(SyncRefusal::ReservedDevice);
    }
    if !window.holds(&change.stamp) {
        return Err(SyncRefusal::StampOutOfWindow);
    }
    Ok(())
}

/// Refuses a change that would alter a counted hand-in or lands after one.
fn verdict(
    before: &SheetState,
    after: &SheetState,
    outcome: Option<ChangeOutcome>,
) -> Result<(), SyncRefusal> {
    if !after.counted.starts_with(&before.counted) {
        return Err(SyncRefusal::AfterHandIn);
    }
    if outcome == Some(ChangeOutcome::AfterSubmit) {
        return Err(SyncRefusal::HandedIn);
    }
    Ok(())
}
