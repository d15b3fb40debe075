//! Whether one sheet change can be kept at all, judged against the product's
//! scorecard alone: ids of a sane length, a criterion and option the scorecard
//! has, a note of at most 2,000 characters, no re-score request from a member.
//! Pure and shared: the server runs it on every change a tablet sends (before
//! `sheet_sync::judge` weighs it against the sheet it holds).
use super::sheet_sync::{SheetChange, SheetEdit, SyncRefusal};
use sao_scoring::{CriterionCode, Scorecard};

/// The longest change id, device id or digest a change may carry.
pub const MAX_ID_LEN: usize = 64;
/// The longest note on a criterion, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why `change` cannot be kept (None: it can), given the product's scorecard
/// (None: the product has none, which refuses every change).
pub fn check(change: &SheetChange, scorecard: Option<&Scorecard>) -> Option<SyncRefusal> {
    if change.change_id.is_empty()
        || change.change_id.len() > MAX_ID_LEN
        || change.stamp.device_id.is_empty()
        || change.stamp.device_id.len() > MAX_ID_LEN
    {
        return Some(SyncRefusal::BadId);
    }
    let Some(scorecard) = scorecard else {
        return Some(SyncRefusal::NoScorecard);
    };
    let criterion = |code: &CriterionCode| scorecard.criterion(code).cloned();
    let unknown = |code: &CriterionCode| {
        SyncRefusal::UnknownCriterion(code.as_str().chars().take(16).collect())
    };
    match &change.edit {
        SheetEdit::Answer {
            criterion: code,
            option,
        } => match criterion(code) {
            None => Some(unknown(code)),
            Some(found) if option.is_some_and(|o| usize::from(o) >= found.option_count()) => {
                Some(SyncRefusal::UnknownOption(code.as_str().to_string()))
            }
            Some(_) => None,
        },
        SheetEdit::Note {
            criterion: code,
            text,
        } => match criterion(code) {
            None => Some(unknown(code)),
            Some(_) if text.chars().count() > MAX_NOTE_CHARS => Some(SyncRefusal::NoteTooLong),
            Some(_) => None,
        },
        SheetEdit::Knockout {
            criterion: code, ..
        } => criterion(code).is_none().then(|| unknown(code)),
        SheetEdit::Submit { digest } => (digest.len() > MAX_ID_LEN).then_some(SyncRefusal::BadId),
        SheetEdit::Reopen { .. } => Some(SyncRefusal::ChairOnly),
    }
}
