//! Evaluation rounds (đợt đánh giá): their states and Điều 5's default dates.
//! Illegal transitions are refused here, whatever a page shows.
use super::date::CalendarDate;
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

pub use super::round_level::{Body, LevelChoice, Office};

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
    pub const ALL: [RoundState; 6] = [
        RoundState::Draft,
        RoundState::Accepting,
        RoundState::Scoring,
        RoundState::Deliberation,
        RoundState::Sealed,
        RoundState::Decided,
    ];

    /// The state of a code, `None` for an unknown one.
    pub fn parse(code: &str) -> Option<RoundState> {
        RoundState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state's code: stored in `rounds.state`, and its name in the locale
    /// tables (`round_state:<code>`).
    pub fn code(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Accepting => "accepting",
            RoundState::Scoring => "scoring",
            RoundState::Deliberation => "deliberation",
            RoundState::Sealed => "sealed",
            RoundState::Decided => "decided",
        }
    }

    pub fn transition(self, event: RoundEvent) -> Result<RoundState, Refusal> {
        use RoundEvent as E;
        use RoundState as S;
        match (self, event) {
            (S::Draft, E::Open) => Ok(S::Accepting),
            (S::Accepting, E::StartScoring) => Ok(S::Scoring),
            (S::Scoring, E::StartDeliberation) => Ok(S::Deliberation),
            (S::Deliberation, E::Rescore) => Ok(S::Scoring),
            (S::Deliberation, E::Seal) => Ok(S::Sealed),
            (S::Sealed, E::Decide) => Ok(S::Decided),
            (state, _) => Err(Refusal::RoundStateForbids {
                round_state: state.code().to_string(),
            }),
        }
    }

    /// Dossiers can join the round only while it accepts them.
    pub fn accepts_dossiers(self) -> bool {
        matches!(self, RoundState::Draft | RoundState::Accepting)
    }
}

impl RoundState {
    /// What the office may do next in this state, the usual next step first.
    /// Sealing is the chair's (on the console); re-scoring is asked there too.
    pub fn office_next(self) -> &'static [RoundEvent] {
        match self {
            RoundState::Draft => &[RoundEvent::Open],
            RoundState::Accepting => &[RoundEvent::StartScoring],
            RoundState::Scoring => &[RoundEvent::StartDeliberation],
            // A sealed round is decided by recording its decision (its own form).
            RoundState::Deliberation | RoundState::Sealed | RoundState::Decided => &[],
        }
    }

    /// Whether the council's quorum and divergence limit may still change.
    pub fn settings_open(self) -> bool {
        self.accepts_dossiers()
    }

    /// Whether seats, conflicts and assignments may still change (not once sealed).
    pub fn council_open(self) -> bool {
        !matches!(self, RoundState::Sealed | RoundState::Decided)
    }
}

impl RoundEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundEvent::Open => "Open",
            RoundEvent::StartScoring => "StartScoring",
            RoundEvent::StartDeliberation => "StartDeliberation",
            RoundEvent::Seal => "Seal",
            RoundEvent::Decide => "Decide",
            RoundEvent::Rescore => "Rescore",
        }
    }
}

/// A round's two dates as the office sets them: proposals close on `cutoff`, the
/// round on `closes`. Both within 2020–2100, the cut-off first.
pub fn round_dates(cutoff: &str, closes: &str) -> Result<(CalendarDate, CalendarDate), Refusal> {
    let cutoff = CalendarDate::parse(cutoff).map_err(|_| Refusal::DateInvalid)?;
    let closes = CalendarDate::parse(closes).map_err(|_| Refusal::DateInvalid)?;
    if !(2020..=2100).contains(&cutoff.year) || !(2020..=2100).contains(&closes.year) {
        return Err(Refusal::RoundYearRange);
    }
    if closes <= cutoff {
        return Err(Refusal::RoundEndBeforeDeadline);
    }
    Ok((cutoff, closes))
}

/// Refuses a dossier the commune proposed (forwarded) after the round's cut-off
/// day (the whole day counts, in Vietnam's time).
pub fn check_proposed_in_time(cutoff: &str, proposed_ms: i64) -> Result<(), Refusal> {
    let cutoff = CalendarDate::parse(cutoff).map_err(|_| Refusal::DateInvalid)?;
    let proposed = CalendarDate::of_ms_vietnam(proposed_ms);
    if proposed > cutoff {
        return Err(Refusal::ForwardedAfterDeadline {
            forwarded: proposed.day_month_year(),
            deadline: cutoff.day_month_year(),
        });
    }
    Ok(())
}

/// The first of Điều 5's rounds whose cut-off is not before `today`: (year, number).
pub fn next_province_round(today: CalendarDate) -> (i32, u8) {
    [(today.year, 1), (today.year, 2), (today.year + 1, 1)]
        .into_iter()
        .find(|(year, number)| {
            province_round_dates(*year, *number).is_some_and(|(cutoff, _)| cutoff >= today)
        })
        .unwrap_or((today.year + 1, 1))
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
    pub body: Body,
    pub name: String,
    pub rule_set: String,
    pub profile: String,
    pub proposal_cutoff: String,
    pub closes_on: String,
    pub state: RoundState,
    pub quorum: (i64, i64),
    pub divergence_limit: i64,
    /// A meeting or written opinion (Điều 7.6 d).
    pub sitting: super::sitting::Sitting,
    /// The chair's request that turned a written-opinion round into a meeting.
    pub meeting_asked: Option<super::sitting::MeetingAsked>,
}

/// A seat on a round's council. The advisory team (tổ tư vấn) does not score.
/// Stored and sent as `member`, `chair` or `advisor`; an unknown name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilPosition {
    Member,
    Chair,
    Advisor,
}

impl CouncilPosition {
    /// In the order the office's form offers them.
    pub const ALL: [CouncilPosition; 3] = [
        CouncilPosition::Member,
        CouncilPosition::Chair,
        CouncilPosition::Advisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CouncilPosition::Member => "member",
            CouncilPosition::Chair => "chair",
            CouncilPosition::Advisor => "advisor",
        }
    }

    pub fn parse(code: &str) -> Option<CouncilPosition> {
        CouncilPosition::ALL
            .into_iter()
            .find(|p| p.as_str() == code)
    }

    /// Whether this seat hands in scoring sheets (the advisory team does not).
    pub fn scores(self) -> bool {
        !matches!(self, CouncilPosition::Advisor)
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("position", self.as_str(), lang)
    }
}

/// A member of a round's council (chair, member or advisory team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub department: String,
    pub position: CouncilPosition,
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

    #[test]
    fn only_the_valid_next_steps_are_offered() {
        use RoundState as S;
        for state in [
            S::Draft,
            S::Accepting,
            S::Scoring,
            S::Deliberation,
            S::Sealed,
            S::Decided,
        ] {
            for event in state.office_next() {
                assert!(
                    state.transition(*event).is_ok(),
                    "{state:?} offers {event:?}"
                );
                assert_ne!(*event, RoundEvent::Seal, "sealing is the chair's");
            }
        }
        assert!(S::Deliberation.office_next().is_empty());
    }

    #[test]
    fn a_dossier_proposed_after_the_cut_off_day_is_late() {
        let cutoff_day = CalendarDate {
            year: 2027,
            month: 4,
            day: 30,
        };
        let last_minute = cutoff_day.next_day().start_ms_vietnam() - 1;
        assert_eq!(check_proposed_in_time("2027-04-30", last_minute), Ok(()));
        let late = check_proposed_in_time("2027-04-30", last_minute + 1).expect_err("late");
        assert_eq!(
            late,
            Refusal::ForwardedAfterDeadline {
                forwarded: "01/05/2027".into(),
                deadline: "30/04/2027".into(),
            }
        );
    }

    #[test]
    fn dates_are_checked_and_the_next_round_is_found() {
        assert!(round_dates("2027-05-15", "2027-05-14").is_err());
        assert!(round_dates("2027-02-30", "2027-06-30").is_err());
        assert!(round_dates("2027-05-15", "2027-11-30").is_ok());
        let day = |year, month, day| CalendarDate { year, month, day };
        assert_eq!(next_province_round(day(2026, 12, 5)), (2027, 1));
        assert_eq!(next_province_round(day(2027, 4, 30)), (2027, 1));
        assert_eq!(next_province_round(day(2027, 5, 1)), (2027, 2));
    }
}
