//! What the admin filters the audit trail by (both sides; `api::audit` reads it
//! from the form, `db::audit` queries with it).
use serde::{Deserialize, Serialize};

/// What the admin filters the trail by; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Actor's user id (exact).
    pub actor: Option<String>,
    /// Object id (exact), e.g. a user id or a phone number.
    pub object: Option<String>,
    /// From the start of this day, Vietnam time.
    pub from_ms: Option<i64>,
    /// Until the end of this day, Vietnam time.
    pub until_ms: Option<i64>,
}
