//! Login throttling, kept in the database so that a restart does not reset it.
use super::DbError;
use sqlx::AnyConnection;

/// After `max_failures` failed logins within `window_ms`, refuse for `lockout_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSettings {
    pub max_failures: i64,
    pub window_ms: i64,
    pub lockout_ms: i64,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        ThrottleSettings {
            max_failures: 10,
            window_ms: 15 * 60 * 1000,
            lockout_ms: 15 * 60 * 1000,
        }
    }
}

/// The key for an account (normalised phone) or for a client address.
pub fn account_key(phone: &str) -> String {
    format!("phone:{phone}")
}

pub fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// How long (ms) the longest lock among `keys` still lasts; None when none is locked.
pub async fn locked_for(
    conn: &mut AnyConnection,
    keys: &[String],
    now_ms: i64,
) -> Result<Option<i64>, DbError> {
    let mut longest = None;
    for key in keys {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT locked_until_ms FROM login_throttle WHERE throttle_key = $1")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((until,)) = row {
            if until > now_ms {
                longest = Some(longest.map_or(until - now_ms, |l: i64| l.max(until - now_ms)));
            }
        }
    }
    Ok(longest)
}

/// Counts one failure against `key`; locks it when the window's count reaches the limit.
pub async fn record_failure(
    conn: &mut AnyConnection,
    key: &str,
    now_ms: i64,
    settings: &ThrottleSettings,
) -> Result<(), DbError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT failures, window_start_ms FROM login_throttle WHERE throttle_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let (failures, window_start) = match row {
        Some((failures, start)) if now_ms - start < settings.window_ms => (failures + 1, start),
        _ => (1, now_ms),
    };
    let locked_until = if failures >= settings.max_failures {
        now_ms + settings.lockout_ms
    } else {
        0
    };
    // A lock, once reached, starts a fresh count when it ends.
    let (failures, window_start) = if locked_until > 0 {
        (0, locked_until)
    } else {
        (failures, window_start)
    };
    sqlx::query(
        "INSERT INTO login_throttle (throttle_key, failures, window_start_ms, locked_until_ms) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (throttle_key) DO UPDATE SET \
         failures = excluded.failures, window_start_ms = excluded.window_start_ms, \
         locked_until_ms = excluded.locked_until_ms",
    )
    .bind(key)
    .bind(failures)
    .bind(window_start)
    .bind(locked_until)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the failures of `key` (after a successful login).
pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
