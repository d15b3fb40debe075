//! How a council gives its evaluation. A first evaluation is a meeting; a
//! re-evaluation is "by written opinion; a meeting in person only when the
//! opinions differ widely or the content is complex and needs discussion"
//! (QĐ 26/2026, Điều 7.6 d, for the province's and the central council alike).
//! Under written opinion each member hands in a sheet from their own tablet or
//! phone (the same sheets, offline alike); the chair may turn the round into a
//! meeting, once, with the reason, until the seal.
use super::dossier::ProductKind;
use super::refusal::Refusal;
use super::round::RoundState;
use serde::{Deserialize, Serialize};

/// Stored and sent as `meeting` or `written`; an unknown name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sitting {
    Meeting,
    Written,
}

impl Sitting {
    pub const ALL: [Sitting; 2] = [Sitting::Meeting, Sitting::Written];

    pub fn code(self) -> &'static str {
        match self {
            Sitting::Meeting => "meeting",
            Sitting::Written => "written",
        }
    }

    pub fn parse(text: &str) -> Option<Sitting> {
        Sitting::ALL.into_iter().find(|s| s.code() == text)
    }

    /// Whether a dossier of this kind may enter a round of this sitting: a
    /// written-opinion round is for re-evaluation only; a re-evaluation may
    /// still be met on in person.
    pub fn admits(self, kind: ProductKind) -> Result<(), Refusal> {
        match (self, kind) {
            (Sitting::Written, ProductKind::Reevaluation) | (Sitting::Meeting, _) => Ok(()),
            (Sitting::Written, _) => Err(Refusal::WrittenRoundReevaluationOnly),
        }
    }
}

/// The chair's request to meet in person, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingAsked {
    pub reason: String,
    pub asked_ms: i64,
}

/// The longest reason kept.
pub const REASON_MAX: usize = 500;

/// Checks the chair's request to meet in person: only a written-opinion round,
/// only before the seal, and with the reason (cleaned) the minutes print.
pub fn ask_meeting(sitting: Sitting, state: RoundState, reason: &str) -> Result<String, Refusal> {
    if matches!(state, RoundState::Sealed | RoundState::Decided) {
        return Err(Refusal::SittingAfterSeal);
    }
    if sitting != Sitting::Written {
        return Err(Refusal::AlreadyMeeting);
    }
    let reason = super::subject::clean_text(reason);
    if reason.is_empty() {
        return Err(Refusal::MeetingReasonRequired);
    }
    if reason.chars().count() > REASON_MAX {
        return Err(Refusal::TooLong {
            max: REASON_MAX as u32,
        });
    }
    Ok(reason)
}

/// Whether the console advises a meeting: the opinions differ widely (a total
/// or a criterion beyond the round's divergence limit) on some product.
pub fn meeting_advised(rows: &[super::round_result::ConsoleRow]) -> bool {
    rows.iter()
        .any(|row| row.divergent_totals.is_some() || !row.divergent_criteria.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitting_decodes_loudly() {
        for sitting in Sitting::ALL {
            assert_eq!(Sitting::parse(sitting.code()), Some(sitting));
        }
        assert_eq!(Sitting::parse("Written"), None);
        assert_eq!(Sitting::parse(""), None);
    }

    #[test]
    fn a_written_round_takes_re_evaluations_only() {
        let table = [
            (Sitting::Written, ProductKind::Reevaluation, true),
            (Sitting::Written, ProductKind::FirstTime, false),
            (Sitting::Written, ProductKind::Upgrade, false),
            (Sitting::Meeting, ProductKind::Reevaluation, true),
            (Sitting::Meeting, ProductKind::FirstTime, true),
            (Sitting::Meeting, ProductKind::Upgrade, true),
        ];
        for (sitting, kind, admitted) in table {
            assert_eq!(
                sitting.admits(kind).is_ok(),
                admitted,
                "{sitting:?} {kind:?}"
            );
        }
    }

    #[test]
    fn a_meeting_is_asked_once_before_the_seal_with_a_reason() {
        use RoundState as S;
        let table: [(Sitting, RoundState, &str, Result<&str, Refusal>); 8] = [
            (
                Sitting::Written,
                S::Scoring,
                "  Ý kiến  khác nhau ",
                Ok("Ý kiến khác nhau"),
            ),
            (
                Sitting::Written,
                S::Accepting,
                "Nội dung phức tạp",
                Ok("Nội dung phức tạp"),
            ),
            (Sitting::Written, S::Draft, "x", Ok("x")),
            (
                Sitting::Written,
                S::Scoring,
                "   ",
                Err(Refusal::MeetingReasonRequired),
            ),
            (
                Sitting::Meeting,
                S::Scoring,
                "x",
                Err(Refusal::AlreadyMeeting),
            ),
            (
                Sitting::Written,
                S::Sealed,
                "x",
                Err(Refusal::SittingAfterSeal),
            ),
            (
                Sitting::Meeting,
                S::Decided,
                "x",
                Err(Refusal::SittingAfterSeal),
            ),
            (Sitting::Written, S::Deliberation, "x", Ok("x")),
        ];
        for (sitting, state, reason, expected) in table {
            let got = ask_meeting(sitting, state, reason);
            assert_eq!(
                got,
                expected.map(str::to_string),
                "{sitting:?} {state:?} {reason:?}"
            );
        }
        let long = "a".repeat(REASON_MAX + 1);
        assert_eq!(
            ask_meeting(Sitting::Written, S::Scoring, &long),
            Err(Refusal::TooLong { max: 500 })
        );
        let longest = "a".repeat(REASON_MAX);
        assert!(ask_meeting(Sitting::Written, S::Scoring, &longest).is_ok());
    }
}
