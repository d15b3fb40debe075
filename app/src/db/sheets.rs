//! Council sheets: the changes tablets send (each kept once), the sheet they
//! replay to, and the hash chain of submitted versions per round. A sealed
//! round's rows are refused by the database itself (migration 7's triggers).
use super::{now_ms, Db, DbError};
use crate::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// The chain's starting digest.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Keeps a change; false when its id was already kept (a resend).
pub async fn insert_change(
    conn: &mut AnyConnection,
    round_id: &str,
    change: &SheetChange,
) -> Result<bool, DbError> {
    let edit = serde_json::to_string(&change.edit).map_err(|e| DbError::Json(e.to_string()))?;
    let done = sqlx::query(
        "INSERT INTO sheet_changes (change_id, round_id, member_id, product_id, device_id, device_seq, \
         device_ms, edit, received_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (change_id) DO NOTHING",
    )
    .bind(&change.change_id)
    .bind(round_id)
    .bind(&change.member_id)
    .bind(&change.product_id)
    .bind(&change.stamp.device_id)
    .bind(i64::try_from(change.stamp.seq).unwrap_or(i64::MAX))
    .bind(change.stamp.device_ms)
    .bind(edit)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

type ChangeRow = (String, String, String, String, i64, i64, String);

const CHANGE_COLUMNS: &str =
    "change_id, member_id, product_id, device_id, device_seq, device_ms, edit";

fn decode_change(row: ChangeRow) -> Result<SheetChange, DbError> {
    let (change_id, member_id, product_id, device_id, seq, device_ms, edit) = row;
    let edit: SheetEdit = serde_json::from_str(&edit).map_err(|e| DbError::Json(e.to_string()))?;
    Ok(SheetChange {
        change_id,
        member_id,
        product_id,
        stamp: Stamp {
            device_ms,
            device_id,
            seq: u64::try_from(seq).unwrap_or(0),
        },
        edit,
    })
}

/// Every change kept for one member's sheet of one product.
pub async fn changes_of(
    conn: &mut AnyConnection,
    member_id: &str,
    product_id: &str,
) -> Result<Vec<SheetChange>, DbError> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM sheet_changes WHERE member_id = $1 AND product_id = $2"
    ))
    .bind(member_id)
    .bind(product_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(decode_change).collect()
}

/// The change kept under `change_id`, for whichever sheet.
pub async fn change_by_id(
    conn: &mut AnyConnection,
    change_id: &str,
) -> Result<Option<SheetChange>, DbError> {
    let row: Option<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM sheet_changes WHERE change_id = $1"
    ))
    .bind(change_id)
    .fetch_optional(conn)
    .await?;
    row.map(decode_change).transpose()
}

/// The stored (replayed) sheet, inside a transaction.
pub async fn sheet_in(
    conn: &mut AnyConnection,
    member_id: &str,
    product_id: &str,
) -> Result<Option<SheetState>, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT content FROM sheets WHERE member_id = $1 AND product_id = $2")
            .bind(member_id)
            .bind(product_id)
            .fetch_optional(conn)
            .await?;
    row.map(|(content,)| serde_json::from_str(&content).map_err(|e| DbError::Json(e.to_string())))
        .transpose()
}

/// Stores the replayed sheet.
pub async fn save_sheet(
    conn: &mut AnyConnection,
    round_id: &str,
    member_id: &str,
    product_id: &str,
    sheet: &SheetState,
) -> Result<(), DbError> {
    let content = serde_json::to_string(sheet).map_err(|e| DbError::Json(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sheets (round_id, member_id, product_id, content, submitted, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (member_id, product_id) DO UPDATE SET \
         content = excluded.content, submitted = excluded.submitted, updated_ms = excluded.updated_ms",
    )
    .bind(round_id)
    .bind(member_id)
    .bind(product_id)
    .bind(content)
    .bind(i64::from(sheet.submitted.is_some()))
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// A member's stored sheet for a product.
pub async fn sheet(
    db: &Db,
    member_id: &str,
    product_id: &str,
) -> Result<Option<SheetState>, DbError> {
    sheet_in(&mut *db.pool().acquire().await?, member_id, product_id).await
}

/// How many versions of this sheet are chained.
pub async fn version_count(
    conn: &mut AnyConnection,
    member_id: &str,
    product_id: &str,
) -> Result<i64, DbError> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sheet_versions WHERE member_id = $1 AND product_id = $2",
    )
    .bind(member_id)
    .bind(product_id)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// The digest of one chained record: it covers the previous digest, so changing
/// any earlier record changes every later one.
pub fn chain_digest(previous: &str, member_id: &str, product_id: &str, content: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [previous, member_id, product_id, content] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Appends a submitted sheet to its round's chain; returns the new head digest.
/// The round row is updated first, which serialises concurrent appends.
pub async fn append_version(
    conn: &mut AnyConnection,
    round_id: &str,
    member_id: &str,
    product_id: &str,
    content: &str,
) -> Result<String, DbError> {
    let (position, previous): (i64, String) = sqlx::query_as(
        "UPDATE rounds SET chain_length = chain_length + 1 WHERE id = $1 RETURNING chain_length, chain_head",
    )
    .bind(round_id)
    .fetch_one(&mut *conn)
    .await?;
    let digest = chain_digest(&previous, member_id, product_id, content);
    sqlx::query(
        "INSERT INTO sheet_versions (round_id, position, member_id, product_id, content, previous_digest, digest, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(round_id)
    .bind(position)
    .bind(member_id)
    .bind(product_id)
    .bind(content)
    .bind(&previous)
    .bind(&digest)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE rounds SET chain_head = $1 WHERE id = $2")
        .bind(&digest)
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    Ok(digest)
}

/// Recomputes a round's chain from its records: (length, head digest), or the
/// first position where a stored digest does not match.
pub async fn verify_chain(
    db: &Db,
    round_id: &str,
) -> Result<Result<(i64, String), String>, DbError> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT position, member_id, product_id, content, previous_digest, digest \
         FROM sheet_versions WHERE round_id = $1 ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(db.pool())
    .await?;
    let (length, head): (i64, String) =
        sqlx::query_as("SELECT chain_length, chain_head FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_one(db.pool())
            .await?;
    let mut previous = GENESIS.to_string();
    for (position, member_id, product_id, content, stored_previous, digest) in &rows {
        let recomputed = chain_digest(&previous, member_id, product_id, content);
        if *stored_previous != previous || recomputed != *digest {
            return Ok(Err(format!(
                "record {position} does not match the hash chain"
            )));
        }
        previous = recomputed;
    }
    if i64::try_from(rows.len()).unwrap_or(-1) != length || previous != head {
        return Ok(Err(
            "the round's chain head does not match its records".into()
        ));
    }
    Ok(Ok((length, head)))
}

/// The round's chain as its row holds it: (length, head digest).
pub async fn chain_head_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<(i64, String), DbError> {
    Ok(
        sqlx::query_as("SELECT chain_length, chain_head FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Every stored sheet of a round: (member id, product id, sheet).
pub async fn of_round(
    db: &Db,
    round_id: &str,
) -> Result<Vec<(String, String, SheetState)>, DbError> {
    of_round_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn of_round_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<(String, String, SheetState)>, DbError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT member_id, product_id, content FROM sheets WHERE round_id = $1 ORDER BY member_id, product_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    parse_sheets(rows)
}

/// Rows of (member id, product id, sheet JSON) as sheets.
fn parse_sheets(
    rows: Vec<(String, String, String)>,
) -> Result<Vec<(String, String, SheetState)>, DbError> {
    rows.into_iter()
        .map(|(member, product, content)| {
            let sheet = serde_json::from_str(&content).map_err(|e| DbError::Json(e.to_string()))?;
            Ok((member, product, sheet))
        })
        .collect()
}

/// Every handed-in version in a round's chain, in chain order:
/// (member id, product id, the sheet as handed in).
pub async fn versions_of_round(
    db: &Db,
    round_id: &str,
) -> Result<Vec<(String, String, SheetState)>, DbError> {
    versions_of_round_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn versions_of_round_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<(String, String, SheetState)>, DbError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT member_id, product_id, content FROM sheet_versions WHERE round_id = $1 ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    parse_sheets(rows)
}
