//! A round's result at the seal: everything it depends on read in one
//! connection, the results written once with the seal's digest, and the
//! chair's acknowledgements of the model's flags.
use super::{now_ms, Db, DbError};
use crate::domain::round::MemberRow;
use crate::domain::sheet_sync::SheetState;
use sqlx::AnyConnection;

/// What a round's result depends on, as stored.
pub struct RoundInputRows {
    /// (product id, name, rule set, product set), in the round's order.
    pub products: Vec<(String, String, String, u32)>,
    pub members: Vec<MemberRow>,
    pub conflicts: Vec<(String, String)>,
    pub assignments: Vec<(String, String)>,
    pub sheets: Vec<(String, String, SheetState)>,
    pub versions: Vec<(String, String, SheetState)>,
    pub decisions: Vec<(String, String, bool)>,
    /// (product id, flag key).
    pub acknowledged: Vec<(String, String)>,
}

pub async fn round_inputs(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<RoundInputRows, DbError> {
    let products: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, p.rule_set, p.product_set FROM round_dossiers d JOIN products p ON p.id = d.product_id \
         WHERE d.round_id = $1 ORDER BY d.assigned_ms, p.id",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    let acknowledged = sqlx::query_as(
        "SELECT product_id, flag FROM flag_acknowledgements WHERE round_id = $1 ORDER BY product_id, flag",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(RoundInputRows {
        products: products
            .into_iter()
            .map(|(id, name, rule_set, set)| (id, name, rule_set, u32::try_from(set).unwrap_or(0)))
            .collect(),
        members: super::councils::members_in(conn, round_id).await?,
        conflicts: super::councils::conflicts_in(conn, round_id).await?,
        assignments: super::councils::assignments_in(conn, round_id).await?,
        sheets: super::sheets::of_round_in(conn, round_id).await?,
        versions: super::sheets::versions_of_round_in(conn, round_id).await?,
        decisions: super::sheet_decisions::knockout_decisions_in(conn, round_id).await?,
        acknowledged,
    })
}

/// The seal's digest: the chain's head, then each stored result in order, each
/// step covering the one before (as the chain of sheets does).
pub fn seal_digest(chain_head: &str, results: &[(String, String)]) -> String {
    results
        .iter()
        .fold(chain_head.to_string(), |previous, (product, content)| {
            super::sheets::chain_digest(&previous, "result", product, content)
        })
}

/// Writes the results of a round being sealed (the round is still deliberating:
/// the database takes results only then).
pub async fn save_results(
    conn: &mut AnyConnection,
    round_id: &str,
    results: &[(String, String)],
) -> Result<(), DbError> {
    for (position, (product_id, content)) in results.iter().enumerate() {
        sqlx::query(
            "INSERT INTO round_results (round_id, position, product_id, content) VALUES ($1, $2, $3, $4)",
        )
        .bind(round_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(product_id)
        .bind(content)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Seals a deliberating round with its digest, in one compare-and-set: false
/// when the round was no longer deliberating (another request moved it).
pub async fn seal(
    conn: &mut AnyConnection,
    round_id: &str,
    digest: &str,
    sealed_by: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE rounds SET state = 'sealed', seal_digest = $1, sealed_ms = $2, sealed_by = $3 \
         WHERE id = $4 AND state = 'deliberation'",
    )
    .bind(digest)
    .bind(now_ms())
    .bind(sealed_by)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored results of a sealed round, in order: (product id, JSON).
pub async fn stored(db: &Db, round_id: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT product_id, content FROM round_results WHERE round_id = $1 ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(db.pool())
    .await?)
}

/// The digest the round was sealed with (None before the seal).
pub async fn stored_seal_digest(db: &Db, round_id: &str) -> Result<Option<String>, DbError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT seal_digest FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(digest,)| digest))
}

/// Records the chair's acknowledgement of a flag (with its value).
pub async fn acknowledge(
    conn: &mut AnyConnection,
    round_id: &str,
    product_id: &str,
    flag: &str,
    by: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO flag_acknowledgements (round_id, product_id, flag, acknowledged_by, acknowledged_ms) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (round_id, product_id, flag) DO NOTHING",
    )
    .bind(round_id)
    .bind(product_id)
    .bind(flag)
    .bind(by)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// When the round was sealed (None before the seal).
pub async fn sealed_ms(db: &Db, round_id: &str) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT sealed_ms FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|(ms,)| ms))
}
