//! One-time links: invitations and password resets (only their hash is stored),
//! and the first super administrator's invitation.
use super::users::{create, random_token, sha256_hex};
use super::{now_ms, Db, DbError};
use crate::auth::{Grant, Role, Scope};
use crate::domain::refusal::Said;
use sqlx::AnyConnection;

/// How long a password-reset link stays valid (one hour).
pub const RESET_VALID_MS: i64 = 60 * 60 * 1000;
/// How long an invitation link stays valid (seven days).
pub const INVITATION_VALID_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invitation,
    PasswordReset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }
}

/// Issues a one-time token valid for `valid_ms`; only its hash is stored.
pub async fn issue_token(
    conn: &mut AnyConnection,
    purpose: TokenPurpose,
    user_id: &str,
    valid_ms: i64,
) -> Result<String, DbError> {
    let token = random_token();
    let now = now_ms();
    // Two requests at once for one account wait for each other here (a row lock
    // on PostgreSQL, the write lock on SQLite), so one live token stays one.
    sqlx::query("UPDATE users SET session_epoch = session_epoch WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    // One live token per account and purpose: a new one revokes the older ones.
    sqlx::query(
        "UPDATE one_time_tokens SET used_ms = $1 WHERE user_id = $2 AND purpose = $3 AND used_ms IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(purpose.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(purpose.as_str())
    .bind(user_id)
    .bind(now)
    .bind(now + valid_ms)
    .execute(conn)
    .await?;
    Ok(token)
}

/// Marks an unused, unexpired token used and returns its user; None if it is not
/// valid. One conditional statement: of two concurrent uses, one wins.
/// The user a live (unused, unexpired) token belongs to, without using it: a
/// check before slow work (hashing) that runs outside any transaction.
pub async fn token_user(
    db: &Db,
    purpose: TokenPurpose,
    token: &str,
) -> Result<Option<String>, DbError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT user_id FROM one_time_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_ms IS NULL AND expires_ms > $3",
    )
    .bind(sha256_hex(token.trim()))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    Ok(found.map(|(user_id,)| user_id))
}

pub async fn consume_token(
    conn: &mut AnyConnection,
    purpose: TokenPurpose,
    token: &str,
) -> Result<Option<String>, DbError> {
    let found: Option<(String,)> = sqlx::query_as(
        "UPDATE one_time_tokens SET used_ms = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_ms IS NULL AND expires_ms > $1 RETURNING user_id",
    )
    .bind(now_ms())
    .bind(sha256_hex(token.trim()))
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(user_id,)| user_id))
}

/// Creates a super admin without a password and returns the one-time link to choose
/// it (also queued in the outbox). For `sao invite-super-admin` on a new installation.
pub async fn invite_super_admin(
    db: &Db,
    phone: &str,
    display_name: &str,
    origin: &str,
) -> Result<String, String> {
    let phone = crate::domain::phone::PhoneNumber::parse(phone).map_err(|e| e.to_string())?;
    let name = crate::domain::name::DisplayName::parse(display_name).map_err(|e| e.to_string())?;
    let grant = Grant {
        role: Role::SuperAdmin,
        scope: Scope::Everywhere,
    };
    let run = async {
        let mut tx = db.begin().await?;
        let user_id = create(
            &mut tx,
            phone.as_str(),
            name.as_str(),
            None,
            std::slice::from_ref(&grant),
        )
        .await?;
        let token = issue_token(
            &mut tx,
            TokenPurpose::Invitation,
            &user_id,
            INVITATION_VALID_MS,
        )
        .await?;
        let link = format!("{}/loi-moi?ma={token}", origin.trim_end_matches('/'));
        let body = crate::domain::refusal::Sms::SmsAdminInvitation { link: link.clone() }.body();
        super::outbox::enqueue(&mut tx, super::outbox::SMS, phone.as_str(), &body).await?;
        crate::db::audit::write(
            &mut tx,
            &super::audit::Actor::system(),
            crate::db::audit::Change::new("invite_user", "user", &user_id)
                .after(Some(super::audit::digest(&(phone.as_str(), &grant)))),
        )
        .await?;
        super::commit(tx).await?;
        Ok::<_, DbError>(link)
    };
    run.await.map_err(|error| match error.constraint() {
        Some("users_phone_unique" | "users.phone") => {
            crate::domain::refusal::Refusal::PhoneHasAccount.text(crate::domain::refusal::Lang::Vi)
        }
        _ => error.to_string(),
    })
}
