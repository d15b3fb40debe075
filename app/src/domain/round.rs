//! Evaluation rounds (đợt đánh giá): their states and Điều 5's default dates.
//! Illegal transitions are refused here, whatever a page shows.
use super::date::CalendarDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundState {
    Draft,
    Accepting,
    Scoring,
    Deliberation,
    Sealed,
    Decided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundEvent {
    Open,
    StartScoring,
    StartDeliberation,
    Seal,
    Decide,
    /// Back to scoring from deliberation (a member asked to re-score).
    Rescore,
}

impl RoundState {
    pub fn label_vi(self) -> &'static str {
        match self {
            RoundState::Draft => "Đang chuẩn bị",
            RoundState::Accepting => "Đang nhận hồ sơ",
            RoundState::Scoring => "Đang chấm điểm",
            RoundState::Deliberation => "Đang thảo luận kết quả",
            RoundState::Sealed => "Đã niêm phong",
            RoundState::Decided => "Đã có quyết định",
        }
    }

    pub fn transition(self, event: RoundEvent) -> Result<RoundState, String> {
        use RoundEvent as E;
        use RoundState as S;
        match (self, event) {
            (S::Draft, E::Open) => Ok(S::Accepting),
            (S::Accepting, E::StartScoring) => Ok(S::Scoring),
            (S::Scoring, E::StartDeliberation) => Ok(S::Deliberation),
            (S::Deliberation, E::Rescore) => Ok(S::Scoring),
            (S::Deliberation, E::Seal) => Ok(S::Sealed),
            (S::Sealed, E::Decide) => Ok(S::Decided),
            (state, _) => Err(format!(
                "Đợt đánh giá đang ở trạng thái \u{201c}{}\u{201d}: không thực hiện được thao tác này.",
                state.label_vi()
            )),
        }
    }

    /// Dossiers can join the round only while it accepts them.
    pub fn accepts_dossiers(self) -> bool {
        matches!(self, RoundState::Draft | RoundState::Accepting)
    }
}

/// Điều 5's province rounds: (proposal cut-off, round closes). Round 1: proposals
/// by 30 April, done by 30 June; round 2: by 30 October, done by 30 December.
pub fn province_round_dates(year: i32, round: u8) -> Option<(CalendarDate, CalendarDate)> {
    let date = |month, day| CalendarDate { year, month, day };
    match round {
        1 => Some((date(4, 30), date(6, 30))),
        2 => Some((date(10, 30), date(12, 30))),
        _ => None,
    }
}

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRow {
    pub id: String,
    pub province: i64,
    pub level: String,
    pub name: String,
    pub rule_set: String,
    pub profile: String,
    pub proposal_cutoff: String,
    pub closes_on: String,
    pub state: RoundState,
    pub quorum: (i64, i64),
    pub divergence_limit: i64,
}

/// Positions on a council: (code, label). The advisory team does not score.
pub const POSITIONS: [(&str, &str); 3] = [
    ("member", "Thành viên"),
    ("chair", "Chủ tịch Hội đồng"),
    ("advisor", "Tổ tư vấn"),
];

/// The label of a position code (the code itself when unknown).
pub fn position_label(code: &str) -> &str {
    POSITIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// A member of a round's council (chair, member or advisory team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub department: String,
    pub position: String,
    pub user_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_moves_only_forward_except_for_rescoring() {
        let mut state = RoundState::Draft;
        for event in [
            RoundEvent::Open,
            RoundEvent::StartScoring,
            RoundEvent::StartDeliberation,
        ] {
            state = state.transition(event).expect("allowed");
        }
        assert_eq!(
            state.transition(RoundEvent::Rescore),
            Ok(RoundState::Scoring)
        );
        let sealed = state.transition(RoundEvent::Seal).expect("seal");
        for event in [
            RoundEvent::Open,
            RoundEvent::StartScoring,
            RoundEvent::Rescore,
            RoundEvent::Seal,
        ] {
            assert!(sealed.transition(event).is_err(), "{event:?} after sealing");
        }
        assert_eq!(
            sealed.transition(RoundEvent::Decide),
            Ok(RoundState::Decided)
        );
        assert!(RoundState::Draft.transition(RoundEvent::Seal).is_err());
        assert!(!sealed.accepts_dossiers());
    }

    #[test]
    fn province_rounds_follow_article_5() {
        let (cutoff, close) = province_round_dates(2026, 2).expect("round 2");
        assert_eq!(
            (cutoff.month, cutoff.day, close.month, close.day),
            (10, 30, 12, 30)
        );
        assert!(province_round_dates(2026, 3).is_none());
    }
}
