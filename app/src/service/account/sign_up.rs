//! A producer signs up by phone (an SMS code), and a user accepts an offered role.
use crate::auth::Principal;
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::policy::{Action, Target},
    auth::session::{authorize, hash_password},
    db::{self, audit, Db},
    domain::name::DisplayName,
    service::account::{admit_sms, check_password, loaded, parse_phone, sign_in},
};

/// Holds the sign-up and sends its code; a registered number is told instead.
pub async fn send_code(db: &Db, phone: &str, name: &str, hash: &str) -> Result<(), AppError> {
    let registered = db::users::by_phone(db, phone).await?.is_some();
    let mut tx = db.begin().await?;
    let body = if registered {
        crate::domain::refusal::Sms::SmsAlreadyRegistered.body()
    } else {
        let code = db::proofs::new_code();
        db::proofs::hold_sign_up(&mut tx, phone, name, hash, &code).await?;
        crate::domain::refusal::Sms::SmsSignUpCode { code }.body()
    };
    db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
    db::commit(tx).await?;
    Ok(())
}

pub async fn sign_up(form: crate::api::sign_up::SignUpForm) -> Result<String, AppError> {
    authorize(Action::SignUp, &Target::Nothing).await?;
    let phone = parse_phone(&form.phone)?;
    let name =
        DisplayName::parse(&form.display_name).map_err(|e| AppError::invalid("display_name", e))?;
    check_password("password", &form.password, phone.as_str())?;
    let db = db::from_context()?;
    admit_sms("sign_up", phone.as_str(), &db).await?;
    let hash = hash_password(form.password).await?;
    let (number, name) = (phone.as_str().to_string(), name.as_str().to_string());
    tokio::spawn(async move {
        if let Err(error) = send_code(&db, &number, &name, &hash).await {
            tracing::error!(%error, "sending a sign-up code failed");
        }
    });
    Ok(phone.as_str().to_string())
}

pub async fn confirm_sign_up(phone: String, code: String) -> Result<Principal, AppError> {
    let mut authorized = authorize(Action::SignUp, &Target::Nothing).await?;
    let phone = parse_phone(&phone)?;
    let db = db::from_context()?;
    let mut tx = db.begin().await?;
    let proven = db::proofs::take_sign_up(&mut tx, phone.as_str(), &code).await?;
    let Some(proven) = proven else {
        // The try is counted even though nothing else is kept.
        db::commit(tx).await?;
        return Err(AppError::invalid("code", Refusal::SignUpCodeWrong));
    };
    let producer = crate::auth::Grant {
        role: crate::auth::Role::Producer,
        scope: crate::auth::Scope::Everywhere,
    };
    let user_id = db::users::create(
        &mut tx,
        phone.as_str(),
        &proven.display_name,
        Some(&proven.password_hash),
        std::slice::from_ref(&producer),
    )
    .await
    .map_err(|error| match error.constraint() {
        Some("users_phone_unique" | "users.phone") => {
            AppError::invalid("code", Refusal::PhoneHasAccount)
        }
        _ => error.into(),
    })?;
    crate::db::audit::write(
        &mut tx,
        &crate::db::audit::Actor::new(user_id.as_str(), "producer"),
        crate::db::audit::Change::new("sign_up", "user", &user_id)
            .after(Some(audit::digest(&(phone.as_str(), &proven.display_name)))),
    )
    .await?;
    db::commit(tx).await?;
    let user = loaded(&db, &user_id).await?;
    sign_in(&mut authorized.session, &user).await?;
    Ok(user.principal)
}

pub async fn accept_role(token: String) -> Result<String, AppError> {
    let mut authorized = authorize(Action::ChangeOwnAccount, &Target::Nothing).await?;
    let user_id = authorized.user()?.user_id.clone();
    let db = db::from_context()?;
    let mut tx = db.begin().await?;
    let role = db::proofs::take_offer(&mut tx, &token, &user_id)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    crate::db::audit::write(
        &mut tx,
        &crate::db::audit::Actor::new(user_id.as_str(), "user"),
        crate::db::audit::Change::new("accept_role", "user", &user_id)
            .after(Some(audit::digest(&role))),
    )
    .await?;
    db::commit(tx).await?;
    // The session carries the new grant from now on.
    let user = loaded(&db, &user_id).await?;
    sign_in(&mut authorized.session, &user).await?;
    Ok(role)
}
