//! Scorecards as data: loaded from one JSON file per product set and checked
//! against every invariant of scoring-rules.md before use.
pub use crate::errata::{Erratum, ErratumKind};
use crate::ids::{CriterionCode, OptionIndex, ProductSetNumber, RuleSetId, Stars};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// One product set's scorecard (bộ tiêu chí), as in Phụ lục II.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    pub rule_set: RuleSetId,
    pub number: ProductSetNumber,
    pub name: String,
    pub sector: String,
    pub group: String,
    pub ministry: String,
    pub source_line: u32,
    pub rejection_rules: Vec<String>,
    pub parts: Vec<Part>,
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub code: String,
    pub name: String,
    pub max: u32,
    pub source_line: u32,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub max: u32,
    pub source_line: u32,
    pub criteria: Vec<Criterion>,
    /// Headings over three-level criteria (6.2 over 6.2.1, 6.2.2, …), sets 11 and 13.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// A heading that groups criteria inside a group without being scored itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub max: u32,
    pub source_line: u32,
    pub criteria: Vec<CriterionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub code: CriterionCode,
    pub name: String,
    pub max: u32,
    pub source_line: u32,
    pub notes: Vec<String>,
    /// Notes that disqualify the product ("Bị loại nếu…").
    pub knockouts: Vec<String>,
    /// "Chỉ áp dụng khi…": when it fails the criterion scores 0.
    pub condition: Option<String>,
    /// One case normally; two for "Lựa chọn một trong hai trường hợp sau".
    pub cases: Vec<Case>,
    /// The section heading this criterion sits under, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub label: Option<String>,
    pub title: Option<String>,
    pub options: Vec<ChoiceOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub text: String,
    pub points: u32,
    /// "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao".
    pub stars: Option<Stars>,
    pub source_line: u32,
    /// The decision leaves this option's points cell blank: `points` is the
    /// reading an erratum of kind `blank_points` names.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blank: bool,
}

/// A scorecard file refused, naming the file, the line and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub rule: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.rule)
    }
}

impl std::error::Error for RuleError {}

/// The total every scorecard adds up to.
pub const TOTAL_POINTS: u32 = 100;

impl Criterion {
    /// Options through all cases, in the decision's order (the index is the `OptionIndex`).
    pub fn options(&self) -> impl Iterator<Item = &ChoiceOption> {
        self.cases.iter().flat_map(|case| case.options.iter())
    }

    pub fn option_count(&self) -> usize {
        self.cases.iter().map(|case| case.options.len()).sum()
    }

    pub fn option(&self, index: OptionIndex) -> Option<&ChoiceOption> {
        self.options().nth(usize::from(index.0))
    }

    /// The points a product needs here to reach `level`: the points of the option
    /// marked with the most asterisks not above `level` (None: no minimum).
    pub fn minimum_for(&self, level: Stars) -> Option<u32> {
        let strongest = self
            .options()
            .filter_map(|o| o.stars)
            .filter(|s| *s <= level)
            .max()?;
        self.options()
            .filter(|o| o.stars == Some(strongest))
            .map(|o| o.points)
            .min()
    }
}

impl Scorecard {
    /// Parses and checks one product-set file; `file` names it in errors.
    pub fn parse(
        file: &str,
        text: &str,
        expected_rule_set: &RuleSetId,
    ) -> Result<Scorecard, RuleError> {
        let scorecard: Scorecard = serde_json::from_str(text).map_err(|error| RuleError {
            file: file.to_string(),
            line: error.line(),
            rule: format!("không đọc được JSON: {error}"),
        })?;
        scorecard.check(file, text, expected_rule_set)?;
        Ok(scorecard)
    }

    /// Every criterion with the part and group it sits in.
    pub fn criteria(&self) -> impl Iterator<Item = (&Part, &Group, &Criterion)> {
        self.parts.iter().flat_map(|part| {
            part.groups
                .iter()
                .flat_map(move |group| group.criteria.iter().map(move |c| (part, group, c)))
        })
    }

    pub fn criterion(&self, code: &CriterionCode) -> Option<&Criterion> {
        self.criteria().map(|(_, _, c)| c).find(|c| &c.code == code)
    }

    fn check(&self, file: &str, text: &str, expected: &RuleSetId) -> Result<(), RuleError> {
        let fail = |code: &str, rule: String| RuleError {
            file: file.to_string(),
            line: line_of_code(text, code),
            rule,
        };
        if &self.rule_set != expected {
            return Err(RuleError {
                file: file.to_string(),
                line: line_of_key(text, "rule_set"),
                rule: format!(
                    "thuộc bộ quy định {} nhưng được nạp vào {expected}",
                    self.rule_set
                ),
            });
        }
        let part_sum: u32 = self.parts.iter().map(|p| p.max).sum();
        if part_sum != TOTAL_POINTS {
            return Err(RuleError {
                file: file.to_string(),
                line: line_of_key(text, "parts"),
                rule: format!("tổng điểm các phần là {part_sum}, phải là {TOTAL_POINTS}"),
            });
        }
        let mut seen = BTreeSet::new();
        for part in &self.parts {
            let groups: u32 = part.groups.iter().map(|g| g.max).sum();
            if groups != part.max {
                return Err(fail(
                    &part.code,
                    format!(
                        "phần {}: điểm tối đa {} khác tổng các nhóm {groups}",
                        part.code, part.max
                    ),
                ));
            }
            for group in &part.groups {
                let criteria: u32 = group.criteria.iter().map(|c| c.max).sum();
                if criteria != group.max {
                    return Err(fail(
                        &group.code,
                        format!(
                            "nhóm {}: điểm tối đa {} khác tổng các tiêu chí {criteria}",
                            group.code, group.max
                        ),
                    ));
                }
                for section in &group.sections {
                    let sum: u32 = group
                        .criteria
                        .iter()
                        .filter(|c| section.criteria.contains(&c.code))
                        .map(|c| c.max)
                        .sum();
                    let all_present = section
                        .criteria
                        .iter()
                        .all(|code| group.criteria.iter().any(|c| &c.code == code));
                    if sum != section.max || !all_present {
                        return Err(fail(
                            &section.code,
                            format!(
                                "mục {}: điểm tối đa {} khác tổng các tiêu chí {sum}",
                                section.code, section.max
                            ),
                        ));
                    }
                }
                for criterion in &group.criteria {
                    let code = criterion.code.as_str();
                    if !seen.insert(criterion.code.clone()) {
                        return Err(fail(code, format!("tiêu chí {code} xuất hiện hai lần")));
                    }
                    let in_group =
                        code == group.code || code.starts_with(&format!("{}.", group.code));
                    if !in_group {
                        return Err(fail(
                            code,
                            format!("tiêu chí {code} không thuộc nhóm {}", group.code),
                        ));
                    }
                    if criterion.option_count() == 0 {
                        return Err(fail(
                            code,
                            format!("tiêu chí {code} không có phương án nào"),
                        ));
                    }
                    if criterion.cases.len() > 1
                        && criterion.cases.iter().any(|c| c.label.is_none())
                    {
                        return Err(fail(
                            code,
                            format!("tiêu chí {code}: trường hợp lựa chọn thiếu nhãn"),
                        ));
                    }
                    if let Some(option) = criterion.options().find(|o| o.points > criterion.max) {
                        return Err(fail(
                            code,
                            format!(
                                "tiêu chí {code}: phương án \"{}\" có {} điểm, vượt tối đa {}",
                                option.text, option.points, criterion.max
                            ),
                        ));
                    }
                    let best = criterion.options().map(|o| o.points).max().unwrap_or(0);
                    if best != criterion.max {
                        return Err(fail(
                            code,
                            format!(
                                "tiêu chí {code}: điểm tối đa {} khác phương án cao nhất {best}",
                                criterion.max
                            ),
                        ));
                    }
                    if let Some(option) = criterion
                        .options()
                        .find(|o| o.stars.is_some_and(|s| !s.is_certifiable()))
                    {
                        return Err(fail(
                            code,
                            format!(
                                "tiêu chí {code}: dấu sao chỉ có thể là 3, 4 hoặc 5 (\"{}\")",
                                option.text
                            ),
                        ));
                    }
                }
            }
        }
        crate::errata::check(self, &fail)
    }
}

/// The line where `"code": "<code>"` first appears (1 if not found).
fn line_of_code(text: &str, code: &str) -> usize {
    let needle = format!("\"code\": \"{code}\"");
    text.lines()
        .position(|line| line.contains(&needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}

fn line_of_key(text: &str, key: &str) -> usize {
    let needle = format!("\"{key}\"");
    text.lines()
        .position(|line| line.contains(&needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}
