//! How far a member's sheet for one product is: what the tablet's list, the
//! desk and the member's own view show, the same on the server and the tablet.
use crate::domain::sheet_sync::SheetState;
use serde::{Deserialize, Serialize};

/// A sheet's progress. On the wire and in the page (`data-state`) it is
/// `not_started`, `draft`, `rescore` (the chair asked to score again) or
/// `submitted`; an unknown name is refused when decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetProgress {
    NotStarted,
    Draft,
    Rescore,
    Submitted,
}

impl SheetProgress {
    /// The progress of a sheet replayed from its changes (None: no changes).
    pub fn of(sheet: Option<&SheetState>) -> SheetProgress {
        match sheet {
            None => SheetProgress::NotStarted,
            Some(sheet) if sheet.submitted.is_some() => SheetProgress::Submitted,
            Some(sheet) if sheet.reopened.is_some() => SheetProgress::Rescore,
            Some(sheet) if sheet.answers.is_empty() && sheet.versions == 0 => {
                SheetProgress::NotStarted
            }
            Some(_) => SheetProgress::Draft,
        }
    }

    /// The wire name, for `data-state` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            SheetProgress::NotStarted => "not_started",
            SheetProgress::Draft => "draft",
            SheetProgress::Rescore => "rescore",
            SheetProgress::Submitted => "submitted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SheetProgress;

    #[test]
    fn wire_names_round_trip_and_an_unknown_one_is_refused() {
        for progress in [
            SheetProgress::NotStarted,
            SheetProgress::Draft,
            SheetProgress::Rescore,
            SheetProgress::Submitted,
        ] {
            let json = serde_json::to_string(&progress).expect("encode");
            assert_eq!(json, format!("\"{}\"", progress.as_str()));
            assert_eq!(
                serde_json::from_str::<SheetProgress>(&json).ok(),
                Some(progress)
            );
        }
        assert!(serde_json::from_str::<SheetProgress>("\"finished\"").is_err());
        assert_eq!(SheetProgress::of(None), SheetProgress::NotStarted);
    }
}
