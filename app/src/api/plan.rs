//! A year's plan targets and their live progress (issue 17): the office sets
//! them for its province, a district group or a commune; the office's and the
//! commune's desks show how far the data has come.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::plan::{Progress, TargetKind};

/// One scope's targets for a year, each with its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanBlock {
    /// Stored form (`province:51`, `district:<id>`, `commune:23344`).
    pub scope: String,
    /// Its name (a province's, a district's, a commune's).
    pub name: String,
    pub year: i32,
    pub lines: Vec<(TargetKind, Progress)>,
    /// Whether the reader may download this scope's report.
    pub reportable: bool,
}

/// A scope the office may set targets for: stored form and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChoice {
    pub scope: String,
    pub name: String,
}

/// The plans the signed-in official works under, for `year` (none: the latest
/// year with targets, else this year).
#[server(endpoint = "plan/progress")]
pub async fn plan_progress(year: Option<i32>) -> Result<Vec<PlanBlock>, AppError> {
    crate::error::with_status(crate::service::plan::progress(year).await)
}

/// The scopes of the office's province (itself, its districts, its communes).
#[server(endpoint = "plan/scopes")]
pub async fn plan_scopes() -> Result<Vec<ScopeChoice>, AppError> {
    crate::error::with_status(crate::service::plan::scopes().await)
}

/// Sets one target of `year` for `scope` (the office's province only).
#[server(endpoint = "plan/set_target")]
pub async fn set_target(#[server(flatten)] target: TargetSet) -> Result<(), AppError> {
    crate::error::with_status(crate::service::plan::set_target(target).await)
}

/// A plan target as the form sends it (each part parsed by the service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSet {
    pub year: String,
    pub scope: String,
    pub kind: String,
    pub value: String,
}
