//! Signing up, in and out, passwords, one-time links: the account server functions.
use crate::auth::Principal;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::{
        authorize, hash_password, load_user, verify_password, AuthSession, AuthSettings,
        SessionUser,
    },
    db::{self, audit, users::TokenPurpose, Db},
    domain::{password::check_new_password, phone::PhoneNumber},
    error::with_status,
};

/// What "my account" shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub principal: Principal,
    pub live_sessions: i64,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;

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
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::*;

/// Logs in with a phone number in any usual form. Failures are counted per account
/// and per address; past the limit even the right password waits.
#[server(endpoint = "account/log_in")]
pub async fn log_in(phone: String, password: String) -> Result<Principal, AppError> {
    with_status(
        async move {
            use db::throttle;
            let mut authorized = authorize(Action::Authenticate, &Target::Nothing).await?;
            let phone = parse_phone(&phone)?;
            let settings = use_context::<AuthSettings>().unwrap_or_default().throttle;
            let address = crate::auth::session::client_address().await;
            let keys = [
                (
                    throttle::pair_key(phone.as_str(), &address),
                    settings.pair(),
                ),
                (throttle::address_key(&address), settings.address()),
            ];
            let names = [keys[0].0.clone(), keys[1].0.clone()];
            let db = db::from_context()?;
            let now = db::now_ms();
            {
                let mut conn = db.pool().acquire().await.map_err(db::DbError::from)?;
                if let Some(wait_ms) = throttle::locked_for(&mut conn, &names, now).await? {
                    return Err(AppError::TooManyAttempts {
                        wait_minutes: (wait_ms + 59_999) / 60_000,
                    });
                }
            }
            let record = db::users::by_phone(&db, phone.as_str()).await?;
            let matches = verify_password(
                password,
                record.as_ref().and_then(|r| r.password_hash.clone()),
            )
            .await?;
            let mut tx = db.begin().await?;
            let Some(record) = record.filter(|_| matches) else {
                for (key, limit) in &keys {
                    throttle::count(&mut tx, key, now, limit).await?;
                }
                audit::write(
                    &mut tx,
                    &audit::Actor::public(),
                    audit::Change::new("log_in_failed", "phone", phone.as_str())
                        .after(audit::digest(&address)),
                )
                .await?;
                db::commit(tx).await?;
                return Err(AppError::WrongCredentials);
            };
            if record.disabled_ms.is_some() {
                return Err(AppError::AccountDisabled);
            }
            throttle::clear(&mut tx, &names[0]).await?;
            crate::db::audit::write(
                &mut tx,
                &crate::db::audit::Actor::new(record.id.as_str(), "user"),
                crate::db::audit::Change::new("log_in", "user", &record.id)
                    .after(Some(audit::digest(&address))),
            )
            .await?;
            db::commit(tx).await?;
            let user = loaded(&db, &record.id).await?;
            sign_in(&mut authorized.session, &user).await?;
            Ok(user.principal)
        }
        .await,
    )
}

/// Ends this session, or (`everywhere`) every session of the account on every
/// device: one audit row either way.
#[cfg(feature = "ssr")]
async fn end_sessions(everywhere: bool) -> Result<(), AppError> {
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

/// Ends this session.
#[server(endpoint = "account/log_out")]
pub async fn log_out() -> Result<(), AppError> {
    with_status(end_sessions(false).await)
}

/// Ends every session of this account, on every device, this one included.
#[server(endpoint = "account/log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    with_status(end_sessions(true).await)
}

/// Who is signed in, if anyone (the header and the pages ask).
#[server(endpoint = "account/current_user")]
pub async fn current_user() -> Result<Option<Principal>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ViewPublicData, &Target::Nothing).await?;
            Ok(authorized.principal)
        }
        .await,
    )
}

/// The signed-in user's account and how many sessions they have open.
#[server(endpoint = "account/overview")]
pub async fn account_overview() -> Result<AccountSummary, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
            let principal = authorized.user()?.clone();
            let db = db::from_context()?;
            let live_sessions = db::users::session_count(&db, &principal.user_id).await?;
            Ok(AccountSummary {
                principal,
                live_sessions,
            })
        }
        .await,
    )
}

/// Changes the password; every other session ends, this one stays.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let mut authorized = authorize(Action::ChangeOwnAccount, &Target::Nothing).await?;
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            let record = db::users::by_id(&db, &user_id)
                .await?
                .ok_or(AppError::NotSignedIn)?;
            if !verify_password(current_password, record.password_hash.clone()).await? {
                return Err(AppError::invalid(
                    "current_password",
                    "Mật khẩu hiện tại không đúng.",
                ));
            }
            check_password("new_password", &new_password, &record.phone)?;
            let hash = hash_password(new_password).await?;
            let actor = authorized.actor();
            let mut tx = db.begin().await?;
            db::users::set_password(&mut tx, &user_id, &hash).await?;
            crate::db::audit::write(
                &mut tx,
                &actor,
                crate::db::audit::Change::new("change_password", "user", &user_id),
            )
            .await?;
            db::commit(tx).await?;
            let user = loaded(&db, &user_id).await?;
            sign_in(&mut authorized.session, &user).await?;
            Ok(())
        }
        .await,
    )
}

/// Sends a reset link by SMS (through the outbox) if the number has an account. The
/// answer is the same either way, so nobody learns which numbers are registered.
#[server(endpoint = "account/request_password_reset")]
pub async fn request_password_reset(phone: String) -> Result<(), AppError> {
    with_status(
        async move {
            authorize(Action::Authenticate, &Target::Nothing).await?;
            let phone = parse_phone(&phone)?;
            let db = db::from_context()?;
            admit_sms("reset", phone.as_str(), &db).await?;
            // The reply leaves now, whether or not the number has an account: the
            // lookup and the SMS happen after it, so its timing tells nothing.
            let origin = site_origin_for_links().await;
            tokio::spawn(async move {
                if let Err(error) = send_reset_link(&db, phone.as_str(), &origin).await {
                    tracing::error!(%error, "sending a reset link failed");
                }
            });
            Ok(())
        }
        .await,
    )
}

/// The reset SMS for `phone`, if it has an active account (one live link: a new
/// one revokes the older).
#[cfg(feature = "ssr")]
async fn send_reset_link(db: &Db, phone: &str, origin: &str) -> Result<(), AppError> {
    let Some(record) = db::users::by_phone(db, phone).await? else {
        return Ok(());
    };
    if record.disabled_ms.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let token = db::users::issue_token(
        &mut tx,
        TokenPurpose::PasswordReset,
        &record.id,
        db::users::RESET_VALID_MS,
    )
    .await?;
    let body = format!(
        "Sao OCOP: đặt lại mật khẩu tại {origin}/dat-lai-mat-khau?ma={token} (hiệu lực 60 phút). \
         Nếu bạn không yêu cầu, hãy bỏ qua tin này."
    );
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
#[cfg(feature = "ssr")]
async fn set_password_with_link(
    purpose: TokenPurpose,
    token: String,
    password: String,
    action: &str,
) -> Result<Principal, AppError> {
    let mut authorized = authorize(Action::Authenticate, &Target::Nothing).await?;
    let db = db::from_context()?;
    let mut tx = db.begin().await?;
    let user_id = db::users::consume_token(&mut tx, purpose, &token)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    let record = db::users::by_id(&db, &user_id)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    // A refused password leaves the link unused: the transaction is dropped.
    check_password("password", &password, &record.phone)?;
    let hash = hash_password(password).await?;
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

#[server(endpoint = "account/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<Principal, AppError> {
    with_status(
        set_password_with_link(
            TokenPurpose::PasswordReset,
            token,
            password,
            "reset_password",
        )
        .await,
    )
}

/// An invited official chooses their password.
#[server(endpoint = "account/accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<Principal, AppError> {
    with_status(
        set_password_with_link(
            TokenPurpose::Invitation,
            token,
            password,
            "accept_invitation",
        )
        .await,
    )
}
