//! Errata: where the decision's printed scorecard is blank, repeats itself or
//! contradicts itself, and the reading the data holds. The loader refuses a
//! blank points cell, or two options of one criterion with equal points,
//! unless an erratum names that criterion with that kind.
use crate::ids::CriterionCode;
use crate::rules::{Criterion, RuleError, Scorecard};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where the decision differs from the data and what the data holds instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    pub kind: ErratumKind,
    /// The criterion it concerns; required for the kinds that concern one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionCode>,
    pub source_line: u32,
    pub place: String,
    pub source_says: String,
    pub data_holds: String,
    pub note: String,
}

/// What an erratum corrects; decoded loudly (an unknown kind refuses the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErratumKind {
    // A criterion printed with points but no options.
    MissingOptions,
    // A printed points value that cannot be right (above the criterion's maximum).
    Points,
    // A points cell left blank.
    BlankPoints,
    // Two options of one criterion printed with the same points.
    EqualPoints,
    // An option's or a note's wording.
    Text,
    // A note that is an eligibility condition or covers more criteria than it sits under.
    Knockout,
    // The "(Sản phẩm: … Nhóm: …)" line under a set's heading.
    Classification,
    // The product set's name.
    Name,
    // A group's printed maximum.
    GroupMax,
    // A part's printed maximum.
    PartMax,
    // The printed grand total.
    Total,
}

impl ErratumKind {
    /// Kinds that concern one criterion and must name it.
    pub fn names_a_criterion(self) -> bool {
        matches!(
            self,
            ErratumKind::MissingOptions
                | ErratumKind::Points
                | ErratumKind::BlankPoints
                | ErratumKind::EqualPoints
                | ErratumKind::Text
                | ErratumKind::Knockout
        )
    }
}

/// A criterion's options within one case that share their points.
pub fn has_equal_points(criterion: &Criterion) -> bool {
    criterion.cases.iter().any(|case| {
        let mut seen = BTreeSet::new();
        case.options.iter().any(|o| !seen.insert(o.points))
    })
}

/// Refuses a blank cell or equal points no erratum names, and an erratum that
/// names a criterion the scorecard does not have or a fault it does not show.
pub(crate) fn check(
    scorecard: &Scorecard,
    fail: &dyn Fn(&str, String) -> RuleError,
) -> Result<(), RuleError> {
    let named = |kind: ErratumKind, code: &CriterionCode| {
        scorecard
            .errata
            .iter()
            .any(|e| e.kind == kind && e.criterion.as_ref() == Some(code))
    };
    for (_, _, criterion) in scorecard.criteria() {
        let code = criterion.code.as_str();
        let blank = criterion.options().any(|o| o.blank);
        if blank && !named(ErratumKind::BlankPoints, &criterion.code) {
            return Err(fail(
                code,
                format!("tiêu chí {code}: ô điểm để trống mà không có đính chính nào ghi nhận"),
            ));
        }
        if has_equal_points(criterion) && !named(ErratumKind::EqualPoints, &criterion.code) {
            return Err(fail(
                code,
                format!(
                    "tiêu chí {code}: hai phương án cùng số điểm mà không có đính chính nào ghi nhận"
                ),
            ));
        }
    }
    for erratum in &scorecard.errata {
        let place = erratum.place.as_str();
        let criterion = match (&erratum.criterion, erratum.kind.names_a_criterion()) {
            (None, true) => {
                return Err(fail(
                    "errata",
                    format!("đính chính \"{place}\" phải ghi tiêu chí"),
                ))
            }
            (None, false) => continue,
            (Some(code), _) => scorecard.criterion(code).ok_or_else(|| {
                fail(
                    "errata",
                    format!("đính chính \"{place}\" ghi tiêu chí {code} không có trong bộ"),
                )
            })?,
        };
        let shows = match erratum.kind {
            ErratumKind::BlankPoints => criterion.options().any(|o| o.blank),
            ErratumKind::EqualPoints => has_equal_points(criterion),
            _ => true,
        };
        if !shows {
            return Err(fail(
                criterion.code.as_str(),
                format!(
                    "đính chính \"{place}\" ghi một lỗi mà tiêu chí {} không có",
                    criterion.code
                ),
            ));
        }
    }
    Ok(())
}
