//! The data layer: one pool over SQLite (embedded, default) or PostgreSQL (scale),
//! chosen by the URL scheme. Queries use `$1` placeholders, which both engines accept.
pub mod admin_units;
pub mod aftercare;
pub mod audit;
pub mod catalogue;
pub mod certificates;
pub mod commune;
pub mod councils;
pub mod decisions;
pub mod demo;
pub mod demo_catalogue;
pub mod demo_council;
pub mod demo_history;
pub mod demo_office;
pub mod demo_product;
pub mod demo_promotion;
pub mod districts;
pub mod dossiers;
pub mod evidence;
pub mod links;
pub mod outbox;
pub mod photos;
pub mod plan;
pub mod producers;
pub mod promotion;
pub mod proofs;
pub mod report;
pub mod results;
pub mod return_decisions;
pub mod rounds;
pub mod self_reports;
pub mod sessions;
pub mod sheet_decisions;
pub mod sheets;
pub mod tables;
pub mod throttle;
pub mod usage;
pub mod users;

use crate::error::AppError;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Reads the engine from a database URL, refusing schemes Sao does not support.
    pub fn from_url(url: &str) -> Result<Engine, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(
                url.split(':').next().unwrap_or("").to_string(),
            ))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database address not supported: \"{0}\" (use sqlite:… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("administrative units data wrong at line {line}: {reason}")]
    AdminUnitCsv { line: u64, reason: String },
    #[error("could not write CSV: {0}")]
    Csv(String),
    #[error("could not hash the password: {0}")]
    PasswordHash(String),
    #[error("unreadable JSON in the database: {0}")]
    Json(String),
    #[error("could not make the demo data: {0}")]
    Demo(String),
    /// A stored value no enum knows (changed by hand, or by a newer version):
    /// refused, never read as a default.
    #[error("invalid value in column {column}: \"{value}\"")]
    Decode { column: &'static str, value: String },
}

/// `parsed` (the enum `value` of `column` decoded to), or a `DbError::Decode`.
pub fn decoded<T>(column: &'static str, value: &str, parsed: Option<T>) -> Result<T, DbError> {
    parsed.ok_or_else(|| DbError::Decode {
        column,
        value: value.to_string(),
    })
}

impl DbError {
    /// The name of the constraint a write broke, if that is why it failed.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            DbError::Sqlx(sqlx::Error::Database(error)) => error.constraint().or_else(|| {
                // SQLite names the columns, not the constraint: "UNIQUE constraint failed: users.phone".
                let message = error.message();
                message
                    .strip_prefix("UNIQUE constraint failed: ")
                    .map(|columns| columns.split(',').next().unwrap_or(columns).trim())
            }),
            _ => None,
        }
    }

    /// The database was busy past its wait (SQLite's lock, PostgreSQL's lock
    /// wait, serialization or deadlock victim) or the pool had no connection in
    /// time: the request can be tried again, it is not the server's fault.
    pub fn is_busy(&self) -> bool {
        match self {
            DbError::Sqlx(sqlx::Error::PoolTimedOut) => true,
            DbError::Sqlx(sqlx::Error::Database(error)) => {
                let code = error.code();
                matches!(
                    code.as_deref(),
                    // SQLite: SQLITE_BUSY, SQLITE_LOCKED and their extended codes.
                    Some("5" | "6" | "261" | "262" | "517" | "773")
                    // PostgreSQL: serialization failure, deadlock, lock not available.
                    | Some("40001" | "40P01" | "55P03")
                ) || error.message().contains("database is locked")
            }
            _ => false,
        }
    }

    /// The request carried a value the database cannot hold or read as asked
    /// (PostgreSQL refuses a NUL byte in text, a number out of range, text
    /// where a number belongs): the client's mistake, never the server's.
    pub fn is_malformed_input(&self) -> bool {
        match self {
            DbError::Sqlx(sqlx::Error::Database(error)) => matches!(
                error.code().as_deref(),
                Some("22021" | "22P05" | "22003" | "22P02" | "22001")
            ),
            _ => false,
        }
    }
}

pub use crate::domain::date::now_ms;

/// `count` numbered placeholders from `$first`, for an `IN (…)` list:
/// `placeholders(2, 3)` is `"$2, $3, $4"`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How long a request waits for the database before it is answered 503.
pub const BUSY_RETRY_AFTER_S: u32 = 2;

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        if error.is_busy() {
            tracing::warn!(%error, "database busy: answered 503");
            return AppError::Busy {
                retry_after_s: BUSY_RETRY_AFTER_S,
            };
        }
        if error.is_malformed_input() {
            tracing::info!(%error, "malformed input refused by the database");
            return AppError::invalid("request", crate::domain::refusal::Refusal::RequestMalformed);
        }
        AppError::internal(&error)
    }
}

/// An open transaction on either engine.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Marks a point in a transaction that a part of it can be undone to alone
/// (`undo_to_mark`), the rest kept; `keep_mark` forgets the mark. Both engines.
pub async fn mark(conn: &mut sqlx::AnyConnection, name: &str) -> Result<(), DbError> {
    sqlx::query(&format!("SAVEPOINT {name}"))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn keep_mark(conn: &mut sqlx::AnyConnection, name: &str) -> Result<(), DbError> {
    sqlx::query(&format!("RELEASE SAVEPOINT {name}"))
        .execute(conn)
        .await?;
    Ok(())
}

/// Undoes what the transaction did since `mark`, and forgets the mark.
pub async fn undo_to_mark(conn: &mut sqlx::AnyConnection, name: &str) -> Result<(), DbError> {
    sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}"))
        .execute(&mut *conn)
        .await?;
    keep_mark(conn, name).await
}

/// Commits a transaction.
pub async fn commit(tx: Tx) -> Result<(), DbError> {
    Ok(tx.commit().await?)
}

/// A connection pool and the engine behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// Tells one connected pool from another in this process (its clones share it).
    id: u64,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects (creating an SQLite file when the URL asks for `mode=rwc`).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let engine = Engine::from_url(url)?;
        let max_connections = match engine {
            // One writer at a time is SQLite's rule; a few readers keep pages quick.
            Engine::Sqlite => 4,
            Engine::Postgres => 16,
        };
        Db::connect_with(url, max_connections).await
    }

    /// Connects with a pool of `max_connections` (tests run with 1: a request
    /// that holds a connection and asks for another then fails at once).
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let engine = Engine::from_url(url)?;
        sqlx::any::install_default_drivers();
        if engine == Engine::Sqlite {
            write_ahead_log(url).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            // Past this a request is answered 503 (busy), not left waiting.
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(url)
            .await?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Db { pool, engine, id })
    }

    /// Applies the engine's migrations from `migrations/<engine>/`.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// The highest migration version applied (0 before any).
    pub async fn migration_level(&self) -> Result<i64, DbError> {
        let (level,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = $1",
        )
        .bind(true)
        .fetch_one(&self.pool)
        .await?;
        Ok(level)
    }

    /// Starts a transaction; a change and its audit row go in the same one.
    /// On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`): a
    /// transaction that read and then writes can otherwise lose to another
    /// writer with "database is locked" and no wait; up front, it waits its
    /// turn (the connection's busy timeout) like any writer.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// This pool's number in the process (the same for its clones).
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Puts an SQLite database in write-ahead-log mode (kept in the file, so once
/// is enough; a no-op after). Readers then never wait for a writer nor a writer
/// for readers, and a commit is one append and one sync of the log instead of
/// a rollback journal's several (`synchronous` stays FULL: a commit that was
/// answered survives a power cut, not only a killed process).
async fn write_ahead_log(url: &str) -> Result<(), DbError> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode = WAL")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if mode != "wal" && mode != "memory" {
        tracing::warn!(mode, "SQLite did not take the write-ahead log");
    }
    Ok(())
}

/// The database handed to server functions by the server's router.
pub fn from_context() -> Result<Db, AppError> {
    leptos::prelude::use_context::<Db>()
        .ok_or_else(|| AppError::internal(&"no database in the server function context"))
}

#[cfg(test)]
mod tests {
    use crate::error::AppError;

    #[test]
    fn a_server_error_shows_a_reference_not_the_internals() {
        let error: AppError =
            super::DbError::UnsupportedUrl("secret://internal-host".into()).into();

        // What crosses the wire: a reference the page renders, not the detail.
        let shown = serde_json::to_string(&error).expect("serializes");

        assert!(matches!(error, AppError::Internal { .. }), "{shown}");
        assert!(!shown.contains("internal-host"), "{shown}");
        assert_eq!(error.status_code(), 500);
    }
}
