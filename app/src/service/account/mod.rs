//! Signing in and out, passwords and links: the session's user, SMS budgets,
//! the site's origin for links.
pub mod password;
pub mod sign_in;
pub mod sign_up;

use crate::auth::Principal;
use crate::error::AppError;
use crate::{
    auth::policy::{Action, Target},
    auth::session::{authorize, hash_password, load_user, AuthSession, SessionUser},
    db::{self, links::TokenPurpose, Db},
    domain::{password::check_new_password, phone::PhoneNumber},
};
use leptos::prelude::use_context;

pub fn parse_phone(input: &str) -> Result<PhoneNumber, AppError> {
    PhoneNumber::parse(input).map_err(|e| AppError::invalid("phone", e))
}

pub fn check_password(field: &str, password: &str, phone: &str) -> Result<(), AppError> {
    check_new_password(password, Some(phone)).map_err(|e| AppError::invalid(field, e))
}

/// Signs `user` in on this request's session, always under a new session id (axum-login
/// renews it only for a session that had no user; renewing it every time also
/// covers switching accounts on one device).
pub async fn sign_in(session: &mut AuthSession, user: &SessionUser) -> Result<(), AppError> {
    let raw = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|error| AppError::internal(&format!("no session: {error}")))?;
    raw.cycle_id()
        .await
        .map_err(|error| AppError::internal(&error))?;
    session
        .login(user)
        .await
        .map_err(|error| AppError::internal(&format!("{error:?}")))
}

/// Counts one SMS-sending request (`purpose`) against the number and the
/// client's address; refuses past the limits, before anything is looked up.
pub async fn admit_sms(purpose: &str, phone: &str, db: &Db) -> Result<(), AppError> {
    let address = crate::auth::session::client_address().await;
    let keys = db::throttle::sms_keys(purpose, phone, &address);
    let mut conn = db.pool().acquire().await.map_err(db::DbError::from)?;
    match db::throttle::admit(&mut conn, &keys, db::now_ms()).await? {
        Ok(()) => Ok(()),
        Err(wait_ms) => Err(AppError::TooManyRequests {
            wait_minutes: (wait_ms + 59_999) / 60_000,
        }),
    }
}

pub async fn loaded(db: &Db, user_id: &str) -> Result<SessionUser, AppError> {
    load_user(db, user_id)
        .await?
        .ok_or(AppError::AccountDisabled)
}

/// The site's origin as the client reached it, for links sent by SMS.
pub async fn site_origin_for_links() -> String {
    use_context::<crate::auth::session::PublicOrigin>()
        .map(|origin| origin.as_str().to_string())
        .unwrap_or_else(|| "http://127.0.0.1:3000".to_string())
}

/// Ends this session, or (`everywhere`) every session of the account on every
/// device: one audit row either way.
pub async fn end_sessions(everywhere: bool) -> Result<(), AppError> {
    let mut authorized = authorize(Action::ChangeOwnAccount, &Target::Nothing).await?;
    let actor = authorized.actor();
    let db = db::from_context()?;
    let mut tx = db.begin().await?;
    if everywhere {
        db::users::end_all_sessions(&mut tx, actor.id()).await?;
    }
    let action = if everywhere {
        "log_out_everywhere"
    } else {
        "log_out"
    };
    crate::db::audit::write(
        &mut tx,
        &actor,
        crate::db::audit::Change::new(action, "user", actor.id()),
    )
    .await?;
    db::commit(tx).await?;
    authorized
        .session
        .logout()
        .await
        .map_err(|error| AppError::internal(&format!("{error:?}")))?;
    Ok(())
}

/// The reset SMS for `phone`, if it has an active account (one live link: a new
/// one revokes the older).
pub async fn send_reset_link(db: &Db, phone: &str, origin: &str) -> Result<(), AppError> {
    let Some(record) = db::users::by_phone(db, phone).await? else {
        return Ok(());
    };
    if record.disabled_ms.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let token = db::links::issue_token(
        &mut tx,
        TokenPurpose::PasswordReset,
        &record.id,
        db::links::RESET_VALID_MS,
    )
    .await?;
    let body = crate::domain::refusal::Sms::SmsPasswordReset {
        link: format!("{origin}/dat-lai-mat-khau?ma={token}"),
    }
    .body();
    db::outbox::enqueue(&mut tx, db::outbox::SMS, &record.phone, &body).await?;
    crate::db::audit::write(
        &mut tx,
        &crate::db::audit::Actor::new("anonymous", "public"),
        crate::db::audit::Change::new("request_password_reset", "user", &record.id),
    )
    .await?;
    db::commit(tx).await?;
    Ok(())
}

/// Uses a reset or invitation link to set a password; signs the user in.
pub async fn set_password_with_link(
    purpose: TokenPurpose,
    token: String,
    password: String,
    action: &str,
) -> Result<Principal, AppError> {
    let mut authorized = authorize(Action::Authenticate, &Target::Nothing).await?;
    let db = db::from_context()?;
    // Checked and hashed before the transaction: no write lock or pooled
    // connection is held across the hash.
    let user_id = db::links::token_user(&db, purpose, &token)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    let record = db::users::by_id(&db, &user_id)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    // A refused password leaves the link unused.
    check_password("password", &password, &record.phone)?;
    let hash = hash_password(password).await?;
    let mut tx = db.begin().await?;
    // Used now, atomically: a second request with the same link loses here.
    if db::links::consume_token(&mut tx, purpose, &token)
        .await?
        .as_deref()
        != Some(user_id.as_str())
    {
        return Err(AppError::LinkNotValid);
    }
    db::users::set_password(&mut tx, &user_id, &hash).await?;
    db::users::end_all_sessions(&mut tx, &user_id).await?;
    db::throttle::clear_account(&mut tx, &record.phone).await?;
    crate::db::audit::write(
        &mut tx,
        &crate::db::audit::Actor::new(user_id.as_str(), "user"),
        crate::db::audit::Change::new(action, "user", &user_id),
    )
    .await?;
    db::commit(tx).await?;
    let user = loaded(&db, &user_id).await?;
    sign_in(&mut authorized.session, &user).await?;
    Ok(user.principal)
}
