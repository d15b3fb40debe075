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

impl AuditFilter {
    /// Reads the form's fields; dates are YYYY-MM-DD (the date input's value).
    pub fn parse(
        actor: Option<String>,
        object: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<AuditFilter, AppError> {
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
        let from = date("from", from)?;
        let to = date("to", to)?;
        Ok(AuditFilter {
            actor: text(actor),
            object: text(object),
            from_ms: from.map(|d| d.start_ms_vietnam()),
            until_ms: to.map(|d| d.next_day().start_ms_vietnam()),
        })
    }
}
