//! A year's plan and its targets (issue 17; the seed plan's section II): what
//! the office sets for a scope, and how far the data has come. Pure and
//! integer-only: a share is met when `part × 100 ≥ target × whole`.
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// The kinds of target the seed plan sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TargetKind {
    /// New products recognised in the year with 3★ or more.
    NewThreeStar,
    /// New products recognised in the year with 4★ or more.
    NewFourStar,
    /// Share of OCOP subjects with a value chain (supply contracts).
    ValueChainShare,
    /// Share of OCOP subjects that are cooperatives (HTX).
    CooperativeShare,
    /// Share of OCOP subjects that are small and medium enterprises.
    SmeShare,
    /// Share of OCOP subjects selling in modern channels.
    ModernChannelShare,
    /// Showcase and sales points (điểm giới thiệu và bán sản phẩm OCOP).
    ShowcasePoints,
}

impl TargetKind {
    pub const ALL: [TargetKind; 7] = [
        TargetKind::NewThreeStar,
        TargetKind::NewFourStar,
        TargetKind::ValueChainShare,
        TargetKind::CooperativeShare,
        TargetKind::SmeShare,
        TargetKind::ModernChannelShare,
        TargetKind::ShowcasePoints,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::NewThreeStar => "new_three_star",
            TargetKind::NewFourStar => "new_four_star",
            TargetKind::ValueChainShare => "value_chain_share",
            TargetKind::CooperativeShare => "cooperative_share",
            TargetKind::SmeShare => "sme_share",
            TargetKind::ModernChannelShare => "modern_channel_share",
            TargetKind::ShowcasePoints => "showcase_points",
        }
    }

    pub fn parse(text: &str) -> Option<TargetKind> {
        TargetKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A percentage of the scope's OCOP subjects (else a count).
    pub fn is_share(self) -> bool {
        matches!(
            self,
            TargetKind::ValueChainShare
                | TargetKind::CooperativeShare
                | TargetKind::SmeShare
                | TargetKind::ModernChannelShare
        )
    }

    /// The largest value the office may set: 100 % for a share, else a count.
    pub fn max(self) -> u32 {
        if self.is_share() {
            100
        } else {
            10_000
        }
    }
}

/// Where a plan applies: a province, a district (a named group of communes, the
/// seed's tier) or a commune. Stored as `province:51`, `district:<id>`, `commune:23344`.
/// `national` (the whole country) is a report's scope only: no plan sets
/// targets for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanScope {
    Province(i64),
    District(String),
    Commune(i64),
    National,
}

impl PlanScope {
    pub fn stored(&self) -> String {
        match self {
            PlanScope::Province(code) => format!("province:{code}"),
            PlanScope::District(id) => format!("district:{id}"),
            PlanScope::Commune(code) => format!("commune:{code}"),
            PlanScope::National => "national".to_string(),
        }
    }

    /// Reads a stored or sent scope; anything else is refused.
    pub fn parse(text: &str) -> Result<PlanScope, Refusal> {
        let number = |code: &str| code.parse::<i64>().ok().filter(|n| *n > 0);
        if text.trim() == "national" {
            return Ok(PlanScope::National);
        }
        match text.trim().split_once(':') {
            Some(("province", code)) => number(code)
                .map(PlanScope::Province)
                .ok_or(Refusal::ProvinceCodeUnknown),
            Some(("commune", code)) => number(code)
                .map(PlanScope::Commune)
                .ok_or(Refusal::CommuneCodeUnknown),
            Some(("district", id))
                if (1..=80).contains(&id.len())
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                Ok(PlanScope::District(id.to_string()))
            }
            Some(("district", _)) => Err(Refusal::DistrictUnknown),
            _ => Err(Refusal::FormInvalid),
        }
    }
}

/// A target as the office enters it, checked.
pub fn check_target(kind: &str, value: &str) -> Result<(TargetKind, u32), (&'static str, Refusal)> {
    let kind = TargetKind::parse(kind.trim()).ok_or(("kind", Refusal::FormInvalid))?;
    let value = value
        .trim()
        .parse::<u32>()
        .map_err(|_| ("value", Refusal::NotCount))?;
    if value > kind.max() {
        return Err(("value", Refusal::TargetTooLarge { max: kind.max() }));
    }
    Ok((kind, value))
}

/// What the data says of a scope in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub new_three_star: u32,
    pub new_four_star: u32,
    /// OCOP subjects: those holding a certificate in force at the year's end
    /// (or today, in the year itself).
    pub subjects: u32,
    pub with_value_chain: u32,
    pub cooperatives: u32,
    pub smes: u32,
    pub in_modern_channels: u32,
    pub showcase_points: u32,
}

/// How far a target has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Progress {
    /// A count: `done` of `target`.
    Count { done: u32, target: u32, met: bool },
    /// A share: `part` of `whole` subjects against `target` percent.
    Share {
        part: u32,
        whole: u32,
        target: u32,
        met: bool,
    },
    /// A share of no subjects: nothing to measure yet (not 0 %, not met).
    NoSubjects { target: u32 },
}

impl Progress {
    /// How full the chart's bar is, in thousandths of the target (at most 1000).
    pub fn permille(self) -> u32 {
        let (done, of) = match self {
            Progress::Count { done, target, .. } => (u64::from(done), u64::from(target)),
            // part/whole against target/100: (part × 100) / (whole × target).
            Progress::Share {
                part,
                whole,
                target,
                ..
            } => (u64::from(part) * 100, u64::from(whole) * u64::from(target)),
            Progress::NoSubjects { .. } => return 0,
        };
        if of == 0 {
            return 1000;
        }
        (done * 1000 / of).min(1000) as u32
    }

    pub fn met(self) -> bool {
        match self {
            Progress::Count { met, .. } | Progress::Share { met, .. } => met,
            Progress::NoSubjects { .. } => false,
        }
    }
}

/// The progress of `kind` towards `target` given `facts`.
pub fn progress(kind: TargetKind, target: u32, facts: &Facts) -> Progress {
    let share = |part: u32| {
        if facts.subjects == 0 {
            Progress::NoSubjects { target }
        } else {
            Progress::Share {
                part,
                whole: facts.subjects,
                target,
                met: u64::from(part) * 100 >= u64::from(target) * u64::from(facts.subjects),
            }
        }
    };
    let count = |done: u32| Progress::Count {
        done,
        target,
        met: done >= target,
    };
    match kind {
        TargetKind::NewThreeStar => count(facts.new_three_star),
        TargetKind::NewFourStar => count(facts.new_four_star),
        TargetKind::ShowcasePoints => count(facts.showcase_points),
        TargetKind::ValueChainShare => share(facts.with_value_chain),
        TargetKind::CooperativeShare => share(facts.cooperatives),
        TargetKind::SmeShare => share(facts.smes),
        TargetKind::ModernChannelShare => share(facts.in_modern_channels),
    }
}

/// The seed plan's targets for 2025 (section II; the demo's plan): 10 new
/// products of 3★ or more and one of 4★, 30 % with a value chain, 40 %
/// cooperatives, 10 % SMEs, 30 % in modern channels, one showcase point.
pub const SEED_2025: [(TargetKind, u32); 7] = [
    (TargetKind::NewThreeStar, 10),
    (TargetKind::NewFourStar, 1),
    (TargetKind::ValueChainShare, 30),
    (TargetKind::CooperativeShare, 40),
    (TargetKind::SmeShare, 10),
    (TargetKind::ModernChannelShare, 30),
    (TargetKind::ShowcasePoints, 1),
];

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;

/// A report's period: a year, or one of its halves (the seed plan's section V
/// asks for a report every six months and every year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub year: i32,
    /// 1 or 2; None for the whole year.
    pub half: Option<u8>,
}

impl ReportPeriod {
    /// `2025` (the year), `2025-1` or `2025-2` (its halves).
    pub fn parse(text: &str) -> Result<ReportPeriod, Refusal> {
        let (year, half) = match text.trim().split_once('-') {
            Some((year, "1")) => (year, Some(1)),
            Some((year, "2")) => (year, Some(2)),
            Some(_) => return Err(Refusal::FormInvalid),
            None => (text.trim(), None),
        };
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(Refusal::RoundYearRange)?;
        Ok(ReportPeriod { year, half })
    }

    /// Its first and last days.
    pub fn days(self) -> (super::date::CalendarDate, super::date::CalendarDate) {
        use super::date::CalendarDate;
        let (first, last) = match self.half {
            Some(1) => ((1, 1), (6, 30)),
            Some(_) => ((7, 1), (12, 31)),
            None => ((1, 1), (12, 31)),
        };
        let day = |(month, day)| CalendarDate {
            year: self.year,
            month,
            day,
        };
        (day(first), day(last))
    }

    /// Which kind of period, as the tables name it (`report_period:<kind>`).
    pub fn code_kind(self) -> String {
        match self.half {
            Some(1) => "first_half",
            Some(_) => "second_half",
            None => "year",
        }
        .to_string()
    }

    /// As the file name and the URL carry it.
    pub fn code(self) -> String {
        match self.half {
            Some(half) => format!("{}-{half}", self.year),
            None => self.year.to_string(),
        }
    }
}
