//! The audit trail for admins: filtered rows on a page, the same filter as CSV.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::audit_filter::{AuditFilter, AuditQuery};

/// One audit row as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditItem {
    pub at_ms: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
}

/// At most this many rows on a page (the CSV has them all).
pub const PAGE_ROWS: i64 = 500;

/// Rows matching the filter, newest first.
#[server(endpoint = "audit/list")]
pub async fn list_audit(#[server(flatten)] query: AuditQuery) -> Result<Vec<AuditItem>, AppError> {
    crate::error::with_status(crate::service::audit::list(query).await)
}
