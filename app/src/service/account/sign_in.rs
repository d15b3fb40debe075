//! Sign-in (throttled, audited), sign-out here or everywhere, the account page.
use super::*;
use crate::api::account::AccountSummary;
use crate::auth::Principal;
use crate::error::AppError;
use crate::{
    auth::policy::{Action, Target},
    auth::session::{authorize, verify_password, AuthSettings},
    db::{self, audit},
};
use leptos::prelude::use_context;

pub async fn log_in(phone: String, password: String) -> Result<Principal, AppError> {
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

pub async fn log_out() -> Result<(), AppError> {
    end_sessions(false).await
}

pub async fn log_out_everywhere() -> Result<(), AppError> {
    end_sessions(true).await
}

pub async fn current_user() -> Result<Option<Principal>, AppError> {
    let authorized = authorize(Action::ViewPublicData, &Target::Nothing).await?;
    Ok(authorized.principal)
}

pub async fn overview() -> Result<AccountSummary, AppError> {
    let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
    let principal = authorized.user()?.clone();
    let db = db::from_context()?;
    let live_sessions = db::users::session_count(&db, &principal.user_id).await?;
    Ok(AccountSummary {
        principal,
        live_sessions,
    })
}
