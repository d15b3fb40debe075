//! The index of a rule set as pages read it: its product sets and its workflow profile.
use sao_scoring::Profile;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// One product set (scorecard) of a rule set, as lists show it.
pub struct ProductSetSummary {
    pub number: u32,
    pub name: String,
    pub sector: String,
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// A rule set's product sets and profile.
pub struct RuleIndex {
    pub rule_set: String,
    pub product_sets: Vec<ProductSetSummary>,
    pub profile: Profile,
}
