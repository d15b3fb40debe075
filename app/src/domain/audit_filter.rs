//! What an administrator filters the audit trail by, read from the form.
use crate::domain::date::CalendarDate;
use crate::error::AppError;
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

/// The filter as the form (or the CSV link's query) gives it: dates are
/// YYYY-MM-DD (the date input's value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub object: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl AuditFilter {
    /// Reads the form's fields.
    pub fn parse(query: AuditQuery) -> Result<AuditFilter, AppError> {
        let text = |value: Option<String>| {
            value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let date = |field: &str, value: Option<String>| -> Result<Option<CalendarDate>, AppError> {
            text(value)
                .map(|v| CalendarDate::parse(&v).map_err(|e| AppError::invalid(field, e)))
                .transpose()
        };
        let from = date("from", query.from)?;
        let to = date("to", query.to)?;
        Ok(AuditFilter {
            actor: text(query.actor),
            object: text(query.object),
            from_ms: from.map(|d| d.start_ms_vietnam()),
            until_ms: to.map(|d| d.next_day().start_ms_vietnam()),
        })
    }
}
