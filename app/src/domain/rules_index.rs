//! The index of a rule set (its product sets and profile) as `/rules/{id}/index.json`
//! serves it: built by `rules_catalog`, read by the pages through `api::rules`.
use sao_scoring::Profile;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSetSummary {
    pub number: u32,
    pub name: String,
    pub sector: String,
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleIndex {
    pub rule_set: String,
    pub product_sets: Vec<ProductSetSummary>,
    pub profile: Profile,
}
