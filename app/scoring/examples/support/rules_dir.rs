//! Loads the committed QĐ 26/2026 rule data from the repository (examples only:
//! the model itself does no I/O).
use sao_scoring::{Profile, RuleSetId, Scorecard};

pub fn rules_root() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../rules")
}

/// The 26 scorecards, in number order.
pub fn scorecards() -> Vec<Scorecard> {
    let id = RuleSetId::parse("qd-26-2026").expect("id");
    (1..=26)
        .map(|n| {
            let file = format!("{}/qd-26-2026/set-{n:02}.json", rules_root());
            let text = std::fs::read_to_string(&file).expect("rule file");
            Scorecard::parse(&file, &text, &id).expect("valid scorecard")
        })
        .collect()
}

pub fn profile(id: &str) -> Profile {
    let file = format!("{}/profiles/{id}.json", rules_root());
    Profile::parse(&file, &std::fs::read_to_string(&file).expect("profile")).expect("valid profile")
}
