//! Server functions, one file per journey; their database code sits in `db/`.
pub mod admin_units;
pub mod rules;
