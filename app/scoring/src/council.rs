//! The council's result for one product from its members' sheets.
use crate::display::mean_two_decimals;
use crate::ids::{CriterionCode, OptionIndex, Stars};
use crate::profile::{NextStep, Profile};
use crate::rules::Scorecard;
use crate::sheet::{Answers, ScoredSheet, SheetError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How mandatory minimums are checked: on the criterion's mean over counted
/// sheets (default) or on every counted sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinimumMode {
    Mean,
    EverySheet,
}

/// One member's sheet with the flags that travel with it. In JSON it is one flat
/// object: criterion code → option index (or null), plus the optional keys
/// `conflict` (bool) and `knockouts` (criterion codes) — the `sao score` format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberSheet {
    pub answers: Answers,
    /// Declared conflict of interest on this product: the sheet is not counted.
    pub conflict: bool,
    /// Knock-out conditions this member flags, for the chair to confirm or dismiss.
    pub knockouts: Vec<CriterionCode>,
}

impl Serialize for MemberSheet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (code, choice) in &self.answers.0 {
            map.serialize_entry(code, choice)?;
        }
        if self.conflict {
            map.serialize_entry("conflict", &true)?;
        }
        if !self.knockouts.is_empty() {
            map.serialize_entry("knockouts", &self.knockouts)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MemberSheet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SheetVisitor;
        impl<'de> serde::de::Visitor<'de> for SheetVisitor {
            type Value = MemberSheet;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("một phiếu: mã tiêu chí → số thứ tự phương án (từ 0) hoặc null")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<MemberSheet, M::Error> {
                let mut sheet = MemberSheet::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "conflict" => sheet.conflict = map.next_value()?,
                        "knockouts" => sheet.knockouts = map.next_value()?,
                        _ => {
                            let code =
                                CriterionCode::parse(&key).map_err(serde::de::Error::custom)?;
                            let choice: Option<OptionIndex> = map.next_value()?;
                            if sheet.answers.0.insert(code, choice).is_some() {
                                return Err(serde::de::Error::custom(format!(
                                    "tiêu chí {key} được trả lời hai lần"
                                )));
                            }
                        }
                    }
                }
                Ok(sheet)
            }
        }
        deserializer.deserialize_map(SheetVisitor)
    }
}

/// Everything the result depends on.
#[derive(Debug, Clone)]
pub struct CouncilInput<'a> {
    pub scorecard: &'a Scorecard,
    pub profile: &'a Profile,
    /// The level deciding (a `Level::code` of the profile).
    pub level: &'a str,
    pub sheets: &'a [MemberSheet],
    /// Council size; `None`: every given sheet counts and quorum is not checked.
    pub members: Option<u32>,
    /// Index in `sheets` of the chair's sheet.
    pub chair: Option<usize>,
    /// Knock-outs the chair confirmed: any one disqualifies the product.
    pub confirmed_knockouts: &'a BTreeSet<CriterionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuorumCheck {
    pub eligible: u32,
    pub required: u32,
    pub counted: u32,
    pub missing: u32,
    pub chair_counted: bool,
    pub met: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    /// Highest minus lowest counted total, when above the divergence limit.
    pub divergent_totals: Option<u32>,
    /// Criteria where two members' answers are two or more options apart.
    pub divergent_criteria: Vec<CriterionCode>,
    /// The boundary (50, 70, 90) the mean sits just below.
    pub near_boundary: Option<u32>,
    /// Knock-outs flagged by members, for the chair.
    pub knockouts_flagged: Vec<CriterionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub sum: u64,
    pub counted: u64,
    /// Two decimals, rounded half up (display only; decisions use `sum` and `counted`).
    pub mean: String,
    pub band: Stars,
    /// None when disqualified by a confirmed knock-out.
    pub star: Option<Stars>,
    /// Star level (3, 4, 5) → criteria whose minimum failed.
    pub failed_minimums: BTreeMap<u8, Vec<CriterionCode>>,
    pub disqualified: bool,
    pub next_step: NextStep,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilResult {
    /// One total per given sheet, in input order.
    pub totals: Vec<u32>,
    pub quorum: Option<QuorumCheck>,
    /// None below quorum: no result is produced.
    pub outcome: Option<Outcome>,
    pub flags: Flags,
}

/// A sheet refused, naming the member (0-based input position) and the criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouncilError {
    Sheet { member: usize, error: SheetError },
    UnknownLevel(String),
    ChairOutOfRange(usize),
}

impl std::fmt::Display for CouncilError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CouncilError::Sheet { member, error } => {
                write!(f, "phiếu của thành viên {member}: {error}")
            }
            CouncilError::UnknownLevel(code) => write!(f, "quy trình không có cấp {code}"),
            CouncilError::ChairOutOfRange(i) => write!(f, "không có phiếu số {i} cho Chủ tịch"),
        }
    }
}

impl std::error::Error for CouncilError {}

/// The band of a mean `sum / n`, compared exactly: 5★ ≥ 90, 4★ ≥ 70, 3★ ≥ 50, 2★ ≥ 30.
pub fn band(sum: u64, n: u64) -> Stars {
    let at_least = |points: u64| sum >= points * n;
    if at_least(90) {
        Stars::FIVE
    } else if at_least(70) {
        Stars::FOUR
    } else if at_least(50) {
        Stars::THREE
    } else if at_least(30) {
        Stars::TWO
    } else {
        Stars::ONE
    }
}

const BOUNDARIES: [u32; 3] = [50, 70, 90];

impl CouncilInput<'_> {
    pub fn evaluate(&self) -> Result<CouncilResult, CouncilError> {
        let level = self
            .profile
            .level(self.level)
            .ok_or_else(|| CouncilError::UnknownLevel(self.level.to_string()))?;
        if let Some(chair) = self.chair.filter(|c| *c >= self.sheets.len()) {
            return Err(CouncilError::ChairOutOfRange(chair));
        }
        let scored: Vec<ScoredSheet> = self
            .sheets
            .iter()
            .enumerate()
            .map(|(member, sheet)| {
                ScoredSheet::score(self.scorecard, &sheet.answers)
                    .map_err(|error| CouncilError::Sheet { member, error })
            })
            .collect::<Result<_, _>>()?;
        let totals: Vec<u32> = scored.iter().map(|s| s.total).collect();
        let counted: Vec<usize> = (0..self.sheets.len())
            .filter(|i| !self.sheets[*i].conflict)
            .collect();

        let quorum = self.members.map(|members| {
            let conflicted = self.sheets.iter().filter(|s| s.conflict).count() as u32;
            let eligible = members.saturating_sub(conflicted);
            let required = self.profile.quorum.required(eligible);
            let count = counted.len() as u32;
            let chair_conflicted = self.chair.is_some_and(|c| self.sheets[c].conflict);
            let chair_counted = self.chair.is_some_and(|c| counted.contains(&c));
            let chair_ok = !self.profile.quorum.chair_required || chair_conflicted || chair_counted;
            QuorumCheck {
                eligible,
                required,
                counted: count,
                missing: required.saturating_sub(count),
                chair_counted,
                met: count >= required && chair_ok && count > 0,
            }
        });

        let flags = self.flags(&scored, &counted);
        let outcome = match &quorum {
            Some(check) if !check.met => None,
            _ if counted.is_empty() => None,
            _ => Some(self.outcome(level, &scored, &counted)),
        };
        let near_boundary = outcome.as_ref().and_then(|o| {
            let margin = u64::from(self.profile.near_boundary_margin);
            BOUNDARIES.into_iter().find(|b| {
                let b = u64::from(*b);
                (b.saturating_sub(margin)) * o.counted <= o.sum && o.sum < b * o.counted
            })
        });
        Ok(CouncilResult {
            totals,
            quorum,
            outcome,
            flags: Flags {
                near_boundary,
                ..flags
            },
        })
    }

    fn outcome(
        &self,
        level: &crate::profile::Level,
        scored: &[ScoredSheet],
        counted: &[usize],
    ) -> Outcome {
        let n = counted.len() as u64;
        let sum: u64 = counted.iter().map(|i| u64::from(scored[*i].total)).sum();
        let band = band(sum, n);
        let mut failed_minimums = BTreeMap::new();
        for level_stars in [Stars::THREE, Stars::FOUR, Stars::FIVE] {
            let failed: Vec<CriterionCode> = self
                .scorecard
                .criteria()
                .filter_map(|(_, _, criterion)| {
                    let required = u64::from(criterion.minimum_for(level_stars)?);
                    let points = counted
                        .iter()
                        .map(|i| u64::from(scored[*i].points[&criterion.code]));
                    let holds = match self.profile.minimum_mode {
                        MinimumMode::Mean => points.sum::<u64>() >= required * n,
                        MinimumMode::EverySheet => points.into_iter().all(|p| p >= required),
                    };
                    (!holds).then(|| criterion.code.clone())
                })
                .collect();
            failed_minimums.insert(level_stars.get(), failed);
        }
        let star = Stars::ALL
            .into_iter()
            .rev()
            .filter(|s| *s <= band)
            .find(|s| failed_minimums.get(&s.get()).is_none_or(|f| f.is_empty()))
            .unwrap_or(Stars::ONE);
        let disqualified = !self.confirmed_knockouts.is_empty();
        Outcome {
            sum,
            counted: n,
            mean: mean_two_decimals(sum, n),
            band,
            star: (!disqualified).then_some(star),
            failed_minimums,
            disqualified,
            next_step: level.next_step(sum, n, star, disqualified),
        }
    }

    fn flags(&self, scored: &[ScoredSheet], counted: &[usize]) -> Flags {
        let totals: Vec<u32> = counted.iter().map(|i| scored[*i].total).collect();
        let spread = match (totals.iter().max(), totals.iter().min()) {
            (Some(max), Some(min)) => max - min,
            _ => 0,
        };
        let divergent_criteria = self
            .scorecard
            .criteria()
            .filter(|(_, _, criterion)| {
                // "None applies" sits just below the first option.
                let positions: Vec<i32> = counted
                    .iter()
                    .map(|i| match scored[*i].choices[&criterion.code] {
                        Some(OptionIndex(index)) => i32::from(index),
                        None => -1,
                    })
                    .collect();
                match (positions.iter().max(), positions.iter().min()) {
                    (Some(max), Some(min)) => max - min >= 2,
                    _ => false,
                }
            })
            .map(|(_, _, criterion)| criterion.code.clone())
            .collect();
        let knockouts_flagged: BTreeSet<CriterionCode> = self
            .sheets
            .iter()
            .flat_map(|s| s.knockouts.iter().cloned())
            .collect();
        Flags {
            divergent_totals: (spread > self.profile.divergence_limit).then_some(spread),
            divergent_criteria,
            near_boundary: None,
            knockouts_flagged: knockouts_flagged.into_iter().collect(),
        }
    }
}
