//! The administrators' audit browser.
use crate::api::audit::{AuditFilter, AuditItem, AuditQuery, PAGE_ROWS};
use crate::auth::policy::{Action, Target};
use crate::error::AppError;

/// Which rows `who` may read: their provinces' people's, or all for a super admin.
pub fn reach_of(who: &crate::auth::Principal) -> crate::db::audit::Reach {
    match crate::auth::policy::audit_provinces(who) {
        None => crate::db::audit::Reach::All,
        Some(provinces) => crate::db::audit::Reach::Provinces(provinces),
    }
}

pub async fn list(query: AuditQuery) -> Result<Vec<AuditItem>, AppError> {
    let authorized = crate::auth::session::authorize(Action::ViewAudit, &Target::Nothing).await?;
    let reach = reach_of(authorized.user()?);
    let filter = AuditFilter::parse(query)?;
    let db = crate::db::from_context()?;
    let rows = crate::db::audit::search_within(&db, &filter, &reach, None, PAGE_ROWS).await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditItem {
            at_ms: row.at_ms,
            actor: row.actor,
            role: row.role,
            action: row.action,
            object_kind: row.object_kind,
            object_id: row.object_id,
        })
        .collect())
}
