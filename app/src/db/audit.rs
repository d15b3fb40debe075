//! The append-only audit trail: one row per state change, in the change's transaction.
use super::DbError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// The actor of changes Sao makes itself (first-start loads, demo data).
pub const SYSTEM_ACTOR: &str = "system";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub object_kind: &'a str,
    pub object_id: &'a str,
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
}

/// SHA-256 of a value's JSON, hex: enough to prove what a row looked like without copying it.
pub fn digest(value: &impl Serialize) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Writes one audit row on `conn`, which must be the transaction making the change.
pub async fn record(conn: &mut AnyConnection, entry: &AuditEntry<'_>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(now_ms())
    .bind(entry.actor)
    .bind(entry.role)
    .bind(entry.action)
    .bind(entry.object_kind)
    .bind(entry.object_id)
    .bind(entry.before_digest.clone())
    .bind(entry.after_digest.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// One row as stored, for the admin's browser and for tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub at_ms: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
}

/// Rows in time order, optionally for one actor.
pub async fn list(db: &super::Db, actor: Option<&str>) -> Result<Vec<AuditRow>, DbError> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT at_ms, actor, role, action, object_kind, object_id FROM audit_log \
         WHERE ($1 IS NULL OR actor = $1) ORDER BY at_ms, id",
    )
    .bind(actor)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(at_ms, actor, role, action, object_kind, object_id)| AuditRow {
                at_ms,
                actor,
                role,
                action,
                object_kind,
                object_id,
            },
        )
        .collect())
}
