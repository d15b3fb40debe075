//! One member's sheet (phiếu chấm điểm) and its totals.
use crate::ids::{CriterionCode, OptionIndex};
use crate::rules::Scorecard;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Criterion → chosen option, or `None` for "không đạt" (none applies, 0 points).
/// Parsing refuses a criterion given twice, which a plain map would hide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answers(pub BTreeMap<CriterionCode, Option<OptionIndex>>);

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một đối tượng: mã tiêu chí → số thứ tự phương án (từ 0) hoặc null")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Answers, M::Error> {
                let mut answers = BTreeMap::new();
                while let Some(code) = map.next_key::<CriterionCode>()? {
                    let choice: Option<OptionIndex> = map.next_value()?;
                    if answers.insert(code.clone(), choice).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "tiêu chí {code} được trả lời hai lần"
                        )));
                    }
                }
                Ok(Answers(answers))
            }
        }
        deserializer.deserialize_map(AnswersVisitor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SheetError {
    UnknownCriterion(CriterionCode),
    Missing(CriterionCode),
    OptionOutOfRange {
        criterion: CriterionCode,
        index: u16,
        options: usize,
    },
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SheetError::UnknownCriterion(code) => write!(f, "tiêu chí {code} không có trong bộ tiêu chí"),
            SheetError::Missing(code) => write!(f, "tiêu chí {code} chưa được chấm"),
            SheetError::OptionOutOfRange { criterion, index, options } => write!(
                f,
                "tiêu chí {criterion}: phương án {index} không tồn tại (có {options} phương án, đánh số từ 0)"
            ),
        }
    }
}

impl std::error::Error for SheetError {}

/// A sheet checked against its scorecard, with its points per criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoredSheet {
    pub total: u32,
    /// Part code → subtotal, in the scorecard's order.
    pub parts: Vec<(String, u32)>,
    /// Group code → subtotal, in the scorecard's order.
    pub groups: Vec<(String, u32)>,
    pub points: BTreeMap<CriterionCode, u32>,
    pub choices: BTreeMap<CriterionCode, Option<OptionIndex>>,
}

impl ScoredSheet {
    /// Checks that every criterion has exactly one valid answer, then adds up.
    pub fn score(scorecard: &Scorecard, answers: &Answers) -> Result<ScoredSheet, SheetError> {
        if let Some(code) = answers
            .0
            .keys()
            .find(|code| scorecard.criterion(code).is_none())
        {
            return Err(SheetError::UnknownCriterion(code.clone()));
        }
        let mut points = BTreeMap::new();
        let mut parts = Vec::new();
        let mut groups = Vec::new();
        for part in &scorecard.parts {
            let mut part_total = 0;
            for group in &part.groups {
                let mut group_total = 0;
                for criterion in &group.criteria {
                    let choice = answers
                        .0
                        .get(&criterion.code)
                        .ok_or_else(|| SheetError::Missing(criterion.code.clone()))?;
                    let earned = match choice {
                        None => 0,
                        Some(index) => {
                            criterion.option(*index).map(|o| o.points).ok_or_else(|| {
                                SheetError::OptionOutOfRange {
                                    criterion: criterion.code.clone(),
                                    index: index.0,
                                    options: criterion.option_count(),
                                }
                            })?
                        }
                    };
                    points.insert(criterion.code.clone(), earned);
                    group_total += earned;
                }
                groups.push((group.code.clone(), group_total));
                part_total += group_total;
            }
            parts.push((part.code.clone(), part_total));
        }
        Ok(ScoredSheet {
            total: parts.iter().map(|(_, p)| p).sum(),
            parts,
            groups,
            points,
            choices: answers.0.clone(),
        })
    }
}
