//! Every table and its row count: what a backup's manifest records and a
//! restore (and the malformed-request sweep) compares.
use super::{Db, DbError, Engine};
use std::collections::BTreeMap;

/// The application's tables (SQLite's own and the migrations' bookkeeping aside).
pub async fn names(db: &Db) -> Result<Vec<String>, DbError> {
    let query = match db.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' \
             AND tablename <> '_sqlx_migrations' ORDER BY tablename"
        }
    };
    Ok(sqlx::query_scalar::<_, String>(query)
        .fetch_all(db.pool())
        .await?)
}

/// Each table's row count, read on one connection.
pub async fn counts(db: &Db) -> Result<BTreeMap<String, i64>, DbError> {
    let tables = names(db).await?;
    let mut conn = db.pool().acquire().await?;
    counts_on(&mut conn, &tables).await
}

/// The same on `conn` (e.g. inside a snapshot transaction).
pub async fn counts_on(
    conn: &mut sqlx::AnyConnection,
    tables: &[String],
) -> Result<BTreeMap<String, i64>, DbError> {
    let mut counts = BTreeMap::new();
    for table in tables {
        // Names come from the catalogue above, never from a request.
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM \"{table}\""))
            .fetch_one(&mut *conn)
            .await?;
        counts.insert(table.clone(), count);
    }
    Ok(counts)
}
