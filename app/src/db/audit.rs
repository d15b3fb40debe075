//! The append-only audit trail: one row per state change, in the change's transaction.
use super::DbError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// The id (and role) of changes Sao makes itself (first-start loads, demo data).
pub const SYSTEM_ACTOR: &str = "system";

/// Who made a change, as the audit trail names them: a user with the role they
/// acted in, the public, the operator's command line, or Sao itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    id: String,
    role: String,
}

impl Actor {
    /// A signed-in user acting in `role`.
    pub fn new(id: impl Into<String>, role: impl Into<String>) -> Actor {
        Actor {
            id: id.into(),
            role: role.into(),
        }
    }

    /// Sao itself: first-start loads, demo data, the demo's sealed history.
    pub fn system() -> Actor {
        Actor::new(SYSTEM_ACTOR, SYSTEM_ACTOR)
    }

    /// Someone not signed in (a failed sign-in, a reset asked for).
    pub fn public() -> Actor {
        Actor::new("anonymous", "public")
    }

    /// The operator at the server's command line.
    pub fn operator() -> Actor {
        Actor::new("cli", "operator")
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn role(&self) -> &str {
        &self.role
    }
}

/// What changed: the action, the kind and id of what it changed, and a digest
/// of what the change recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<'a> {
    action: &'a str,
    object_kind: &'a str,
    object_id: &'a str,
    before_digest: Option<String>,
    after_digest: Option<String>,
}

impl<'a> Change<'a> {
    pub fn new(action: &'a str, object_kind: &'a str, object_id: &'a str) -> Change<'a> {
        Change {
            action,
            object_kind,
            object_id,
            before_digest: None,
            after_digest: None,
        }
    }

    /// The digest of what was there before (when the change overwrote it).
    pub fn before(self, digest: String) -> Change<'a> {
        Change {
            before_digest: Some(digest),
            ..self
        }
    }

    /// The digest of what the change recorded (see `digest`).
    pub fn after(self, digest: impl Into<Option<String>>) -> Change<'a> {
        Change {
            after_digest: digest.into(),
            ..self
        }
    }
}

/// SHA-256 of a value's JSON, hex: enough to prove what a row looked like without copying it.
pub fn digest(value: &impl Serialize) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The one audit writer: one row on `conn`, which must be the transaction
/// making the change (so the two are kept or lost together).
pub async fn write(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(super::now_ms())
    .bind(actor.id())
    .bind(actor.role())
    .bind(change.action)
    .bind(change.object_kind)
    .bind(change.object_id)
    .bind(change.before_digest)
    .bind(change.after_digest)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the change's row in `tx` and commits the transaction.
pub async fn commit(mut tx: super::Tx, actor: &Actor, change: Change<'_>) -> Result<(), DbError> {
    write(&mut tx, actor, change).await?;
    super::commit(tx).await
}

/// Rows in time order, optionally for one actor.
pub async fn list(db: &super::Db, actor: Option<&str>) -> Result<Vec<FullAuditRow>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {FULL_COLUMNS} FROM audit_log WHERE ($1 IS NULL OR actor = $1) ORDER BY at_ms, id"
    ))
    .bind(actor)
    .fetch_all(db.pool())
    .await?)
}

/// A stored row with its digests, for search and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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

const FULL_COLUMNS: &str =
    "id, at_ms, actor, role, action, object_kind, object_id, before_digest, after_digest";

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
    let list = super::placeholders(first, count);
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
    filter: &crate::domain::audit_filter::AuditFilter,
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
        "SELECT {FULL_COLUMNS} FROM audit_log WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR object_id = $2) \
         AND ($3 IS NULL OR at_ms >= $3) AND ($4 IS NULL OR at_ms < $4) \
         AND ($6 IS NULL OR at_ms < $6 OR (at_ms = $6 AND id < $7)){scope} \
         ORDER BY at_ms DESC, id DESC LIMIT $5"
    );
    let (before_ms, before_id) = before.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    let mut query = sqlx::query_as::<_, FullAuditRow>(&sql)
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
    Ok(rows)
}

/// Rows matching `filter`, newest first, at most `limit` of them (every province).
pub async fn search(
    db: &super::Db,
    filter: &crate::domain::audit_filter::AuditFilter,
    limit: Option<i64>,
) -> Result<Vec<FullAuditRow>, DbError> {
    search_within(db, filter, &Reach::All, None, limit.unwrap_or(i64::MAX)).await
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
