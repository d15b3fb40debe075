//! tower-sessions records in Sao's own database, on either engine.
use super::{now_ms, Db};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

/// axum-login keeps the signed-in user under this key of the session data.
const AUTH_DATA_KEY: &str = "axum-login.data";

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> DbSessionStore {
        DbSessionStore { db }
    }

    /// Removes expired records; the server runs it periodically.
    pub async fn delete_expired(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expiry_ms <= $1")
            .bind(now_ms())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}

fn backend(error: sqlx::Error) -> Error {
    Error::Backend(error.to_string())
}

/// The fields stored beside the record's JSON: its user (if signed in) and expiry.
fn columns(record: &Record) -> Result<(Option<String>, i64, String)> {
    let user_id = record
        .data
        .get(AUTH_DATA_KEY)
        .and_then(|data| data.get("user_id"))
        .and_then(|id| id.as_str())
        .map(str::to_string);
    let expiry_ms = record.expiry_date.unix_timestamp() * 1000;
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    Ok((user_id, expiry_ms, data))
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (user_id, expiry_ms, data) = columns(record)?;
        // A new id on the (unlikely) collision, never an overwrite of someone's session.
        loop {
            let done = sqlx::query(
                "INSERT INTO sessions (id, user_id, expiry_ms, data) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(user_id.clone())
            .bind(expiry_ms)
            .bind(data.clone())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (user_id, expiry_ms, data) = columns(record)?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, expiry_ms, data) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, \
             expiry_ms = excluded.expiry_ms, data = excluded.data",
        )
        .bind(record.id.to_string())
        .bind(user_id)
        .bind(expiry_ms)
        .bind(data)
        .execute(self.db.pool())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expiry_ms FROM sessions WHERE id = $1 AND expiry_ms > $2")
                .bind(id.to_string())
                .bind(now_ms())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
        let Some((data, expiry_ms)) = row else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expiry_ms / 1000)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}
