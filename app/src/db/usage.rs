//! Per-account quotas (products registered, bytes uploaded), reserved in the one
//! statement that checks the limit: two parallel requests cannot both pass it.
use super::DbError;
use sqlx::AnyConnection;

/// What one account may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    pub products: i64,
    pub bytes: i64,
}

impl Default for Quotas {
    /// Twenty products and 1 GiB: a cooperative with several products, each with its
    /// dossier (up to 200 MB) and a re-evaluation or two.
    fn default() -> Self {
        Quotas {
            products: 20,
            bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Makes the account's row, counting what it already holds (accounts from before
/// quotas start with their real usage).
async fn ensure_row(conn: &mut AnyConnection, user_id: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO account_usage (user_id, products, bytes) \
         SELECT $1, \
           (SELECT COUNT(*) FROM audit_log WHERE actor = $1 AND action = 'register_product'), \
           (SELECT COALESCE(SUM(size), 0) FROM evidence WHERE charged_to = $1) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reserves one product; false when the account is at its limit.
pub async fn reserve_product(
    conn: &mut AnyConnection,
    user_id: &str,
    quotas: &Quotas,
) -> Result<bool, DbError> {
    ensure_row(conn, user_id).await?;
    let done = sqlx::query(
        "UPDATE account_usage SET products = products + 1 WHERE user_id = $1 AND products + 1 <= $2",
    )
    .bind(user_id)
    .bind(quotas.products)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reserves `bytes`; false when they would pass the account's limit.
pub async fn reserve_bytes(
    conn: &mut AnyConnection,
    user_id: &str,
    bytes: i64,
    quotas: &Quotas,
) -> Result<bool, DbError> {
    ensure_row(conn, user_id).await?;
    let done = sqlx::query(
        "UPDATE account_usage SET bytes = bytes + $2 WHERE user_id = $1 AND bytes + $2 <= $3",
    )
    .bind(user_id)
    .bind(bytes)
    .bind(quotas.bytes)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives back `bytes` (a refused or abandoned upload).
pub async fn release_bytes(
    conn: &mut AnyConnection,
    user_id: &str,
    bytes: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE account_usage SET bytes = CASE WHEN bytes > $2 THEN bytes - $2 ELSE 0 END WHERE user_id = $1")
        .bind(user_id)
        .bind(bytes)
        .execute(conn)
        .await?;
    Ok(())
}

/// An account's usage: (products, bytes).
pub async fn of(conn: &mut AnyConnection, user_id: &str) -> Result<(i64, i64), DbError> {
    ensure_row(conn, user_id).await?;
    let row: (i64, i64) =
        sqlx::query_as("SELECT products, bytes FROM account_usage WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(conn)
            .await?;
    Ok(row)
}
