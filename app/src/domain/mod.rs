//! Types and rules both sides share: parsed once, in Rust, for the browser and the server.
pub mod admin_units;
pub mod audit_filter;
pub mod commune_review;
pub mod date;
pub mod dossier;
pub mod evidence;
pub mod name;
pub mod password;
pub mod phone;
pub mod round;
pub mod round_result;
pub mod rules_index;
pub mod search;
pub mod self_report;
pub mod sheet_sync;
pub mod subject;
pub mod working_days;
