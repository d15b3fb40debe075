//! The rule sets shipped with Sao, embedded in the server binary (never in the
//! WASM: browsers fetch the one product set they need from `/rules/…`).
use crate::domain::rules_index::{ProductSetSummary, RuleIndex};
use sao_scoring::{Profile, RuleError, RuleSet, RuleSetId};
use std::sync::OnceLock;

macro_rules! product_set_files {
    ($dir:literal: $($number:literal)*) => {
        &[$((
            concat!("set-", $number, ".json"),
            include_str!(concat!("../rules/", $dir, "/set-", $number, ".json")),
        )),*]
    };
}

/// (rule set id, [(file name, JSON text)]) for every shipped rule set.
pub const RULE_SET_FILES: &[(&str, &[(&str, &str)])] = &[(
    "qd-26-2026",
    product_set_files!("qd-26-2026":
        "01" "02" "03" "04" "05" "06" "07" "08" "09" "10" "11" "12" "13"
        "14" "15" "16" "17" "18" "19" "20" "21" "22" "23" "24" "25" "26"),
)];

/// Workflow profiles: (file name, JSON text).
pub const PROFILE_FILES: &[(&str, &str)] = &[
    (
        "qd-26-2026.json",
        include_str!("../rules/profiles/qd-26-2026.json"),
    ),
    (
        "qd-148-2023.json",
        include_str!("../rules/profiles/qd-148-2023.json"),
    ),
];

/// Loads and checks every shipped rule set (the same checks as an admin import).
pub fn rule_sets() -> Result<Vec<RuleSet>, RuleError> {
    RULE_SET_FILES
        .iter()
        .map(|(id, files)| {
            let id = RuleSetId::parse(id).map_err(|rule| RuleError {
                file: id.to_string(),
                line: 0,
                rule,
            })?;
            RuleSet::load(&id, files.iter().copied())
        })
        .collect()
}

pub fn profiles() -> Result<Vec<Profile>, String> {
    PROFILE_FILES
        .iter()
        .map(|(file, text)| Profile::parse(file, text))
        .collect()
}

/// The raw JSON of one shipped file, for `/rules/<rule set>/<file>`.
pub fn raw_file(rule_set: &str, file: &str) -> Option<&'static str> {
    RULE_SET_FILES
        .iter()
        .find(|(id, _)| *id == rule_set)
        .and_then(|(_, files)| files.iter().find(|(name, _)| *name == file))
        .map(|(_, text)| *text)
}

/// The shipped rule sets, checked once per process.
pub fn loaded() -> &'static Result<Vec<RuleSet>, RuleError> {
    static LOADED: OnceLock<Result<Vec<RuleSet>, RuleError>> = OnceLock::new();
    LOADED.get_or_init(rule_sets)
}

/// What a browser needs to choose a product set: the list and the workflow profile.
/// Built once per process: every visit to a scorecard page asks for it.
pub fn index(rule_set: &str) -> Option<RuleIndex> {
    static INDEXES: OnceLock<Vec<RuleIndex>> = OnceLock::new();
    INDEXES
        .get_or_init(build_indexes)
        .iter()
        .find(|i| i.rule_set == rule_set)
        .cloned()
}

fn build_indexes() -> Vec<RuleIndex> {
    let (Ok(rule_sets), Ok(profiles)) = (loaded(), profiles()) else {
        return Vec::new();
    };
    rule_sets
        .iter()
        .filter_map(|set| {
            let profile = profiles.iter().find(|p| p.id == set.id.as_str())?.clone();
            Some(RuleIndex {
                rule_set: set.id.to_string(),
                product_sets: set
                    .product_sets
                    .values()
                    .map(|s| ProductSetSummary {
                        number: u32::from(s.number),
                        name: s.name.clone(),
                        sector: s.sector.clone(),
                        group: s.group.clone(),
                    })
                    .collect(),
                profile,
            })
        })
        .collect()
}

/// One product set's scorecard in a shipped rule set.
pub fn product_set(rule_set: &str, number: u32) -> Option<&'static sao_scoring::Scorecard> {
    loaded()
        .as_ref()
        .ok()?
        .iter()
        .find(|set| set.id.as_str() == rule_set)?
        .product_sets
        .values()
        .find(|set| u32::from(set.number) == number)
}
