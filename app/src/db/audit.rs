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

/// Writes one audit row on `conn`, which must be the transaction making the change.
pub async fn record(conn: &mut AnyConnection, entry: &AuditEntry<'_>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(super::now_ms())
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

/// Records a change to a user account made by `actor` (id, role); `after` is a
/// digest of what the change recorded.
pub async fn record_user_change(
    conn: &mut AnyConnection,
    actor: (&str, &str),
    action: &str,
    user_id: &str,
    after: Option<String>,
) -> Result<(), DbError> {
    let entry = AuditEntry {
        actor: actor.0,
        role: actor.1,
        action,
        object_kind: "user",
        object_id: user_id,
        before_digest: None,
        after_digest: after,
    };
    record(conn, &entry).await
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

/// A stored row with its digests, for search and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FullAuditRow {
    pub id: String,
    pub at_ms: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
}

type FullRowTuple = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Which rows an admin may read: all (super admin) or those about the people of
/// some provinces (see `people_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    All,
    Provinces(Vec<i64>),
}

/// Users of the provinces whose codes are the parameters from `$first` on: those
/// holding a grant there (province, one of its communes, one of its rounds'
/// councils) and the producers of its subjects.
fn people_of(first: usize, count: usize) -> String {
    let list = (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT g.user_id FROM role_grants g WHERE \
           (g.scope_kind = 'province' AND g.scope_code IN (SELECT CAST(code AS TEXT) FROM province WHERE code IN ({list}))) \
           OR (g.scope_kind = 'commune' AND g.scope_code IN (SELECT CAST(code AS TEXT) FROM commune WHERE province_code IN ({list}))) \
           OR (g.scope_kind = 'council' AND g.scope_code IN (SELECT id FROM rounds WHERE province_code IN ({list}))) \
         UNION SELECT m.user_id FROM subject_members m JOIN subjects s ON s.id = m.subject_id \
           JOIN commune c ON c.code = s.commune_code WHERE c.province_code IN ({list})"
    )
}

/// Rows matching `filter` within `reach`, newest first, at most `limit` of them,
/// older than `before` (at_ms, id) when given: the CSV reads page after page.
pub async fn search_within(
    db: &super::Db,
    filter: &crate::api::audit::AuditFilter,
    reach: &Reach,
    before: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<FullAuditRow>, DbError> {
    let scope = match reach {
        Reach::All => String::new(),
        Reach::Provinces(codes) if codes.is_empty() => " AND 1 = 0".to_string(),
        Reach::Provinces(codes) => {
            let people = people_of(8, codes.len());
            format!(
                " AND (actor IN ({people}) OR object_id IN ({people}) \
                 OR object_id IN (SELECT phone FROM users WHERE id IN ({people})))"
            )
        }
    };
    let sql = format!(
        "SELECT id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest \
         FROM audit_log WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR object_id = $2) \
         AND ($3 IS NULL OR at_ms >= $3) AND ($4 IS NULL OR at_ms < $4) \
         AND ($6 IS NULL OR at_ms < $6 OR (at_ms = $6 AND id < $7)){scope} \
         ORDER BY at_ms DESC, id DESC LIMIT $5"
    );
    let (before_ms, before_id) = before.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    let mut query = sqlx::query_as::<_, FullRowTuple>(&sql)
        .bind(filter.actor.clone())
        .bind(filter.object.clone())
        .bind(filter.from_ms)
        .bind(filter.until_ms)
        .bind(limit)
        .bind(before_ms)
        .bind(before_id.unwrap_or_default());
    if let Reach::Provinces(codes) = reach {
        for code in codes {
            query = query.bind(*code);
        }
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(full_row).collect())
}

/// Rows matching `filter`, newest first, at most `limit` of them (every province).
pub async fn search(
    db: &super::Db,
    filter: &crate::api::audit::AuditFilter,
    limit: Option<i64>,
) -> Result<Vec<FullAuditRow>, DbError> {
    search_within(db, filter, &Reach::All, None, limit.unwrap_or(i64::MAX)).await
}

fn full_row(
    (id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest): FullRowTuple,
) -> FullAuditRow {
    FullAuditRow {
        id,
        at_ms,
        actor,
        role,
        action,
        object_kind,
        object_id,
        before_digest,
        after_digest,
    }
}

/// The rows as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the accents).
pub fn to_csv(rows: &[FullAuditRow]) -> Result<String, DbError> {
    csv_page(rows, true)
}

/// One page of the CSV; the `first` starts with the byte-order mark and the header.
pub fn csv_page(rows: &[FullAuditRow], first: bool) -> Result<String, DbError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| DbError::Csv(e.to_string());
    if first {
        writer
            .write_record([
                "thoi_gian",
                "at_ms",
                "nguoi_thuc_hien",
                "vai_tro",
                "thao_tac",
                "loai_doi_tuong",
                "doi_tuong",
                "digest_truoc",
                "digest_sau",
                "id",
            ])
            .map_err(csv_error)?;
    }
    for row in rows {
        writer
            .write_record([
                crate::domain::date::format_vietnam_time(row.at_ms).as_str(),
                &row.at_ms.to_string(),
                &row.actor,
                &row.role,
                &row.action,
                &row.object_kind,
                &row.object_id,
                row.before_digest.as_deref().unwrap_or(""),
                row.after_digest.as_deref().unwrap_or(""),
                &row.id,
            ])
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| DbError::Csv(e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(if first {
        format!("\u{feff}{text}")
    } else {
        text.into_owned()
    })
}
