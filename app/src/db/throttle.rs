//! Throttles kept in the database (a restart does not reset them), each counter
//! changed by one statement so that parallel requests are all counted.
//!
//! Wrong logins lock the pair (account, address): behind one carrier-grade NAT or
//! proxy, one person's mistakes (or an attacker's guesses) do not lock out the
//! others. The address alone has a much higher ceiling, against one machine trying
//! many accounts. Requests that send SMS (sign-up codes, reset links) count per
//! number and per address.
use super::DbError;
use sqlx::AnyConnection;

/// At `max` counted events within `window_ms`, refuse for `lockout_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
    pub lockout_ms: i64,
}

/// The sign-in limits the server runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Wrong logins for one account from one address.
    pub max_failures: i64,
    pub window_ms: i64,
    pub lockout_ms: i64,
    /// Wrong logins from one address, whatever the account.
    pub address_max_failures: i64,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        ThrottleSettings {
            max_failures: 10,
            window_ms: 15 * 60 * 1000,
            lockout_ms: 15 * 60 * 1000,
            address_max_failures: 200,
        }
    }
}

impl ThrottleSettings {
    pub fn pair(&self) -> Limit {
        Limit {
            max: self.max_failures,
            window_ms: self.window_ms,
            lockout_ms: self.lockout_ms,
        }
    }

    pub fn address(&self) -> Limit {
        Limit {
            max: self.address_max_failures,
            ..self.pair()
        }
    }
}

const HOUR_MS: i64 = 60 * 60 * 1000;

/// SMS to one number: three an hour (a code or link, and two retries).
pub const SMS_PER_NUMBER: Limit = Limit {
    max: 3,
    window_ms: HOUR_MS,
    lockout_ms: HOUR_MS,
};

/// SMS-sending requests from one address: thirty an hour (a commune office's desk).
pub const SMS_PER_ADDRESS: Limit = Limit {
    max: 30,
    window_ms: HOUR_MS,
    lockout_ms: HOUR_MS,
};

/// The key for wrong logins to one account (normalised phone) from one address.
pub fn pair_key(phone: &str, address: &str) -> String {
    format!("login:{phone}@{address}")
}

pub fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// The keys for SMS sent for `purpose` ("sign_up", "reset") to `phone` from `address`.
pub fn sms_keys(purpose: &str, phone: &str, address: &str) -> [(String, Limit); 2] {
    [
        (format!("sms:{purpose}:{phone}"), SMS_PER_NUMBER),
        (format!("sms:{purpose}@{address}"), SMS_PER_ADDRESS),
    ]
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

/// Counts one event against `key` in one statement and locks the key when the
/// window's count reaches the limit; returns the count. A window starts afresh when
/// it has passed or when a lock has ended.
pub async fn count(
    conn: &mut AnyConnection,
    key: &str,
    now_ms: i64,
    limit: &Limit,
) -> Result<i64, DbError> {
    const FRESH: &str = "($2 - login_throttle.window_start_ms >= $3 \
         OR (login_throttle.locked_until_ms <> 0 AND login_throttle.locked_until_ms <= $2))";
    let next = format!("(CASE WHEN {FRESH} THEN 1 ELSE login_throttle.failures + 1 END)");
    let sql = format!(
        "INSERT INTO login_throttle (throttle_key, failures, window_start_ms, locked_until_ms) \
         VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE 0 END) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
         failures = {next}, \
         window_start_ms = CASE WHEN {FRESH} THEN $2 ELSE login_throttle.window_start_ms END, \
         locked_until_ms = CASE WHEN login_throttle.locked_until_ms > $2 THEN login_throttle.locked_until_ms \
           WHEN {next} >= $4 THEN $2 + $5 ELSE 0 END \
         RETURNING failures"
    );
    let (failures,): (i64,) = sqlx::query_as(&sql)
        .bind(key)
        .bind(now_ms)
        .bind(limit.window_ms)
        .bind(limit.max)
        .bind(limit.lockout_ms)
        .fetch_one(conn)
        .await?;
    Ok(failures)
}

/// Counts one request against each of `keys` unless one is locked; returns how
/// long (ms) to wait when refused. The count is kept even when the request is
/// refused by another key: trying harder does not help.
pub async fn admit(
    conn: &mut AnyConnection,
    keys: &[(String, Limit)],
    now_ms: i64,
) -> Result<Result<(), i64>, DbError> {
    let names: Vec<String> = keys.iter().map(|(key, _)| key.clone()).collect();
    if let Some(wait) = locked_for(conn, &names, now_ms).await? {
        return Ok(Err(wait));
    }
    let mut over = false;
    for (key, limit) in keys {
        over |= count(conn, key, now_ms, limit).await? > limit.max;
    }
    if over {
        return Ok(Err(locked_for(conn, &names, now_ms).await?.unwrap_or(1)));
    }
    Ok(Ok(()))
}

/// Forgets the count of `key` (after a successful login).
pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets every login count of the account `phone` (its password was reset).
pub async fn clear_account(conn: &mut AnyConnection, phone: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key LIKE $1")
        .bind(format!("login:{phone}@%"))
        .execute(conn)
        .await?;
    Ok(())
}
