//! The flags the chair acknowledges before sealing (totals or criteria too far
//! apart, a mean near a boundary, sheets missing, no result), computed from a
//! product's row of the console.
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A flag of the model the chair acknowledges before sealing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Counted totals further apart than the council's divergence limit.
    DivergentTotals,
    /// Criteria where two members are two or more options apart.
    DivergentCriteria,
    /// The mean just below 50, 70 or 90.
    NearBoundary,
    /// Eligible members whose sheet does not count (not handed in, or re-scoring).
    SheetsMissing,
    /// No result: quorum not met, or the model refused the sheets.
    NoResult,
}

/// A flag with its value: an acknowledgement holds for this value only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub detail: String,
    pub acknowledged: bool,
}

impl Flag {
    /// The key an acknowledgement is stored under.
    pub fn key(&self) -> String {
        let kind = serde_json::to_value(self.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        format!("{kind}:{}", self.detail)
    }
}

/// The flags of a row, each marked acknowledged when the chair acknowledged that value.
pub(super) fn flags_of(
    row: &super::round_result::ConsoleRow,
    missing: u32,
    acknowledged: &BTreeSet<(String, String)>,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut add = |kind, detail: String| {
        flags.push(Flag {
            kind,
            detail,
            acknowledged: false,
        })
    };
    if let Some(spread) = row.divergent_totals {
        add(FlagKind::DivergentTotals, spread.to_string());
    }
    if !row.divergent_criteria.is_empty() {
        add(
            FlagKind::DivergentCriteria,
            row.divergent_criteria.join(","),
        );
    }
    if let Some(boundary) = row.near_boundary {
        add(FlagKind::NearBoundary, boundary.to_string());
    }
    if missing > 0 {
        add(FlagKind::SheetsMissing, missing.to_string());
    }
    if row.outcome.is_none() {
        let detail = match (&row.quorum, &row.problem) {
            (Some((counted, required, _)), _) => format!("{counted}/{required}"),
            (None, Some(problem)) => problem.chars().take(120).collect(),
            (None, None) => String::new(),
        };
        add(FlagKind::NoResult, detail);
    }
    for flag in &mut flags {
        flag.acknowledged = acknowledged.contains(&(row.product_id.clone(), flag.key()));
    }
    flags
}
