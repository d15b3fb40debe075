//! Evidence rows: an upload in progress ("receiving") or a stored file ("stored").
use super::{now_ms, Db, DbError};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: String,
    pub product_id: String,
    pub slot: String,
    pub file_name: String,
    pub size: i64,
    pub received: i64,
    pub state: String,
    pub content_type: Option<String>,
    pub sha256: Option<String>,
}

pub const RECEIVING: &str = "receiving";
pub const STORED: &str = "stored";

const COLUMNS: &str =
    "id, product_id, slot, file_name, size, received, state, content_type, sha256";

pub async fn start(
    conn: &mut AnyConnection,
    product_id: &str,
    slot: &str,
    file_name: &str,
    size: i64,
    charged_to: &str,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO evidence (id, product_id, slot, file_name, size, received, state, created_ms, updated_ms, charged_to) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7, $8)",
    )
    .bind(&id)
    .bind(product_id)
    .bind(slot)
    .bind(file_name)
    .bind(size)
    .bind(RECEIVING)
    .bind(now)
    .bind(charged_to)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn get(db: &Db, id: &str) -> Result<Option<EvidenceRow>, DbError> {
    let row: Option<EvidenceRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM evidence WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row)
}

pub async fn of_product(db: &Db, product_id: &str) -> Result<Vec<EvidenceRow>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM evidence WHERE product_id = $1 ORDER BY created_ms, id"
    ))
    .bind(product_id)
    .fetch_all(db.pool())
    .await?)
}

/// Bytes the dossier holds or has reserved (uploads in progress count at full size).
pub async fn dossier_bytes(db: &Db, product_id: &str) -> Result<i64, DbError> {
    let (total,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM evidence WHERE product_id = $1",
    )
    .bind(product_id)
    .fetch_one(db.pool())
    .await?;
    Ok(total)
}

/// Records that `received` bytes are on disk; only moves forward from `expected`.
pub async fn advance(db: &Db, id: &str, expected: i64, received: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE evidence SET received = $1, updated_ms = $2 WHERE id = $3 AND received = $4 AND state = $5",
    )
    .bind(received)
    .bind(now_ms())
    .bind(id)
    .bind(expected)
    .bind(RECEIVING)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_stored(
    conn: &mut AnyConnection,
    id: &str,
    content_type: &str,
    sha256: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE evidence SET state = $1, content_type = $2, sha256 = $3, updated_ms = $4 WHERE id = $5",
    )
    .bind(STORED)
    .bind(content_type)
    .bind(sha256)
    .bind(now_ms())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a refused upload (wrong type): it never became evidence; its bytes go
/// back to the account they were charged to.
pub async fn remove(db: &Db, id: &str) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let gone: Option<(i64, Option<String>)> = sqlx::query_as(
        "DELETE FROM evidence WHERE id = $1 AND state = $2 RETURNING size, charged_to",
    )
    .bind(id)
    .bind(RECEIVING)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((size, Some(user_id))) = gone {
        super::usage::release_bytes(&mut tx, &user_id, size).await?;
    }
    super::commit(tx).await?;
    Ok(())
}

/// Uploads still receiving whose last chunk came before `older_than_ms`: removed
/// with their charge; their ids, for the store to discard the partial files.
pub async fn remove_abandoned(db: &Db, older_than_ms: i64) -> Result<Vec<String>, DbError> {
    let stale: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM evidence WHERE state = $1 AND updated_ms < $2")
            .bind(RECEIVING)
            .bind(older_than_ms)
            .fetch_all(db.pool())
            .await?;
    let mut removed = Vec::with_capacity(stale.len());
    for (id,) in stale {
        let mut tx = db.begin().await?;
        let gone: Option<(i64, Option<String>)> = sqlx::query_as(
            "DELETE FROM evidence WHERE id = $1 AND state = $2 AND updated_ms < $3 \
             RETURNING size, charged_to",
        )
        .bind(&id)
        .bind(RECEIVING)
        .bind(older_than_ms)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((size, charged)) = gone {
            if let Some(user_id) = charged {
                super::usage::release_bytes(&mut tx, &user_id, size).await?;
            }
            removed.push(id);
        }
        super::commit(tx).await?;
    }
    Ok(removed)
}

/// Records a file already in the store as stored evidence (the demo's photos).
pub async fn insert_stored(
    conn: &mut AnyConnection,
    product_id: &str,
    slot: &str,
    file_name: &str,
    content_type: &str,
    sha256: &str,
    size: i64,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO evidence (id, product_id, slot, file_name, size, received, state, content_type, sha256, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(product_id)
    .bind(slot)
    .bind(file_name)
    .bind(size)
    .bind(STORED)
    .bind(content_type)
    .bind(sha256)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Whether the product has a stored file in `slot`.
pub async fn has_stored(db: &Db, product_id: &str, slot: &str) -> Result<bool, DbError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM evidence WHERE product_id = $1 AND slot = $2 AND state = $3 LIMIT 1",
    )
    .bind(product_id)
    .bind(slot)
    .bind(STORED)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}
