//! The programme report's counts (issue 17) for a scope and a period: products
//! evaluated (results stored at a seal), recognised, expiring, re-evaluated,
//! revoked, inspections, and OCOP subjects by kind. Every count is one query.
use super::plan::{bind_scope, in_scope};
use super::{Db, DbError};
use crate::domain::plan::PlanScope;

/// The period's first and last days (ISO) and the first and last
/// milliseconds (Vietnam's days).
#[derive(Debug, Clone)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Where a product's subject is, joined from `alias.product_id`-like columns.
const SUBJECT_OF_CERTIFICATE: &str =
    "JOIN products p ON p.id = c.product_id JOIN subjects s ON s.id = p.subject_id";

async fn count_days(db: &Db, sql: &str, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    let query = sqlx::query_as::<_, (i64,)>(sql)
        .bind(span.from.clone())
        .bind(span.to.clone());
    let (n,) = bind_scope(query, scope).fetch_one(db.pool()).await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Products whose result was stored at a seal within the period.
pub async fn evaluated(db: &Db, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM round_results rr JOIN rounds r ON r.id = rr.round_id \
         JOIN products p ON p.id = rr.product_id JOIN subjects s ON s.id = p.subject_id \
         WHERE r.sealed_ms >= $1 AND r.sealed_ms <= $2 AND {}",
        in_scope("s.commune_code", scope, 3)
    );
    let query = sqlx::query_as::<_, (i64,)>(&sql)
        .bind(span.from_ms)
        .bind(span.to_ms);
    let (n,) = bind_scope(query, scope).fetch_one(db.pool()).await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Certificates issued in the period: (rule set, product set, stars, count).
pub async fn recognised(
    db: &Db,
    scope: &PlanScope,
    span: &Span,
) -> Result<Vec<(String, i64, i64, i64)>, DbError> {
    let sql = format!(
        "SELECT p.rule_set, p.product_set, c.stars, COUNT(*) FROM certificates c {SUBJECT_OF_CERTIFICATE} \
         WHERE c.source = 'recognised' AND c.issued_on >= $1 AND c.issued_on <= $2 AND {} \
         GROUP BY p.rule_set, p.product_set, c.stars ORDER BY p.rule_set, p.product_set, c.stars",
        in_scope("s.commune_code", scope, 3)
    );
    let query = sqlx::query_as(&sql)
        .bind(span.from.clone())
        .bind(span.to.clone());
    Ok(bind_scope(query, scope).fetch_all(db.pool()).await?)
}

/// Certificates of the scope (a condition on `c`) counted by `condition`.
async fn certificates_where(
    db: &Db,
    scope: &PlanScope,
    span: &Span,
    condition: &str,
) -> Result<u32, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM certificates c {SUBJECT_OF_CERTIFICATE} WHERE {condition} AND {}",
        in_scope("s.commune_code", scope, 3)
    );
    count_days(db, &sql, scope, span).await
}

/// Certificates whose validity ends in the period (not revoked).
pub async fn expiring(db: &Db, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    certificates_where(
        db,
        scope,
        span,
        "c.revoked_on IS NULL AND c.valid_until >= $1 AND c.valid_until <= $2",
    )
    .await
}

/// Products re-evaluated (a new certificate on a re-evaluation dossier) in the period.
pub async fn reevaluated(db: &Db, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    certificates_where(
        db,
        scope,
        span,
        "p.kind = 'reevaluation' AND c.issued_on >= $1 AND c.issued_on <= $2",
    )
    .await
}

/// Certificates revoked in the period.
pub async fn revoked(db: &Db, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    certificates_where(db, scope, span, "c.revoked_on >= $1 AND c.revoked_on <= $2").await
}

/// Inspections made in the period.
pub async fn inspections(db: &Db, scope: &PlanScope, span: &Span) -> Result<u32, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM inspections i JOIN certificates c ON c.code = i.certificate_code \
         {SUBJECT_OF_CERTIFICATE} WHERE i.inspected_on >= $1 AND i.inspected_on <= $2 AND {}",
        in_scope("s.commune_code", scope, 3)
    );
    count_days(db, &sql, scope, span).await
}

/// OCOP subjects (a certificate in force on the period's last day) by kind.
pub async fn subjects_by_kind(
    db: &Db,
    scope: &PlanScope,
    span: &Span,
) -> Result<Vec<(String, i64)>, DbError> {
    let sql = format!(
        "SELECT s.kind, COUNT(*) FROM subjects s WHERE {} AND $1 <= $2 AND EXISTS (SELECT 1 \
         FROM certificates c JOIN products p ON p.id = c.product_id WHERE p.subject_id = s.id \
         AND {}) GROUP BY s.kind ORDER BY s.kind",
        in_scope("s.commune_code", scope, 3),
        super::certificates::in_force_on("$2"),
    );
    let query = sqlx::query_as(&sql)
        .bind(span.from.clone())
        .bind(span.to.clone());
    Ok(bind_scope(query, scope).fetch_all(db.pool()).await?)
}
