//! Sao's scoring model, one implementation for the browser (WASM) and the server.
//!
//! Plain Rust: no leptos, no I/O, no `cfg` on the target, no floating point in
//! any decision. Every comparison of a mean is made on integers
//! (mean ≥ 70 ⇔ sum ≥ 70·n); display values are rounded half up to two decimals.
pub mod catalog;
pub mod corpus;
pub mod council;
pub mod display;
pub mod errata;
pub mod ids;
pub mod profile;
pub mod rules;
pub mod sheet;

pub use catalog::RuleSet;
pub use council::{CouncilInput, CouncilResult, MemberSheet, MinimumMode};
pub use ids::{CriterionCode, OptionIndex, ProductSetNumber, RuleSetId, Stars};
pub use profile::{Level, NextStep, Profile};
pub use rules::{RuleError, Scorecard};
pub use sheet::{Answers, ScoredSheet, SheetError};
