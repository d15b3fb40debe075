//! What is proven by a code or link sent to a number: a sign-up waiting for its
//! code, and a role offered to an existing account. Only hashes are stored.
use super::users::{random_token, sha256_hex};
use super::{now_ms, DbError};
use crate::auth::Grant;
use sqlx::AnyConnection;

/// How long a sign-up code stays valid (ten minutes) and how many tries it allows.
pub const CODE_VALID_MS: i64 = 10 * 60 * 1000;
pub const CODE_TRIES: i64 = 5;
/// How long a role offer stays open (seven days).
pub const OFFER_VALID_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Six random digits.
pub fn new_code() -> String {
    format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000)
}

/// Keeps a sign-up until its code is entered; replaces an earlier one for the number.
pub async fn hold_sign_up(
    conn: &mut AnyConnection,
    phone: &str,
    display_name: &str,
    password_hash: &str,
    code: &str,
) -> Result<(), DbError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO pending_sign_ups (phone, display_name, password_hash, code_hash, tries, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (phone) DO UPDATE SET \
         display_name = excluded.display_name, password_hash = excluded.password_hash, \
         code_hash = excluded.code_hash, tries = 0, created_ms = excluded.created_ms, \
         expires_ms = excluded.expires_ms",
    )
    .bind(phone)
    .bind(display_name)
    .bind(password_hash)
    .bind(sha256_hex(code))
    .bind(now)
    .bind(now + CODE_VALID_MS)
    .execute(conn)
    .await?;
    Ok(())
}

/// A sign-up whose code matched: what the account is made of.
pub struct ProvenSignUp {
    pub display_name: String,
    pub password_hash: String,
}

/// Spends one try of the number's code (in one statement, so parallel guesses are
/// all counted); on a match the sign-up is taken (only one caller gets it).
pub async fn take_sign_up(
    conn: &mut AnyConnection,
    phone: &str,
    code: &str,
) -> Result<Option<ProvenSignUp>, DbError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE pending_sign_ups SET tries = tries + 1 \
         WHERE phone = $1 AND expires_ms > $2 AND tries < $3 \
         RETURNING code_hash, display_name, password_hash",
    )
    .bind(phone)
    .bind(now_ms())
    .bind(CODE_TRIES)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((code_hash, display_name, password_hash)) = row else {
        return Ok(None);
    };
    if code_hash != sha256_hex(code.trim()) {
        return Ok(None);
    }
    let taken = sqlx::query("DELETE FROM pending_sign_ups WHERE phone = $1 AND code_hash = $2")
        .bind(phone)
        .bind(&code_hash)
        .execute(conn)
        .await?;
    Ok((taken.rows_affected() == 1).then_some(ProvenSignUp {
        display_name,
        password_hash,
    }))
}

/// Offers `grant` to the account `user_id`; returns the link's token (one live offer
/// per account and grant: a new one replaces the older).
pub async fn offer_role(
    conn: &mut AnyConnection,
    user_id: &str,
    grant: &Grant,
    offered_by: &str,
) -> Result<String, DbError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE role_offers SET expires_ms = $1 WHERE user_id = $2 AND role = $3 \
         AND scope_kind = $4 AND scope_code = $5 AND accepted_ms IS NULL AND expires_ms > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(grant.role.as_str())
    .bind(grant.scope.kind().as_str())
    .bind(grant.scope.code())
    .execute(&mut *conn)
    .await?;
    let token = random_token();
    sqlx::query(
        "INSERT INTO role_offers (token_hash, user_id, role, scope_kind, scope_code, offered_by, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(grant.role.as_str())
    .bind(grant.scope.kind().as_str())
    .bind(grant.scope.code())
    .bind(offered_by)
    .bind(now)
    .bind(now + OFFER_VALID_MS)
    .execute(conn)
    .await?;
    Ok(token)
}

/// Takes an open offer for the account `user_id` and gives it the role; returns
/// the role's name. One conditional statement takes it: a used, expired or other
/// account's link is not taken.
pub async fn take_offer(
    conn: &mut AnyConnection,
    token: &str,
    user_id: &str,
) -> Result<Option<String>, DbError> {
    let now = now_ms();
    let row: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE role_offers SET accepted_ms = $1 \
         WHERE token_hash = $2 AND user_id = $3 AND accepted_ms IS NULL AND expires_ms > $1 \
         RETURNING role, scope_kind, scope_code",
    )
    .bind(now)
    .bind(sha256_hex(token.trim()))
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((role, kind, code)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "INSERT INTO role_grants (id, user_id, role, scope_kind, scope_code, granted_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(&role)
    .bind(&kind)
    .bind(&code)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Some(role))
}
