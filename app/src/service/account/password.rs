//! Passwords: changed, reset by SMS link, set from an invitation.
use super::*;
use crate::auth::Principal;
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::policy::{Action, Target},
    auth::session::{authorize, hash_password, verify_password},
    db::{self, links::TokenPurpose},
};

pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let mut authorized = authorize(Action::ChangeOwnAccount, &Target::Nothing).await?;
    let user_id = authorized.user()?.user_id.clone();
    let db = db::from_context()?;
    let record = db::users::by_id(&db, &user_id)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    if !verify_password(current_password, record.password_hash.clone()).await? {
        return Err(AppError::invalid(
            "current_password",
            Refusal::CurrentPasswordWrong,
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

pub async fn request_password_reset(phone: String) -> Result<(), AppError> {
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

pub async fn reset_password(token: String, password: String) -> Result<Principal, AppError> {
    set_password_with_link(
        TokenPurpose::PasswordReset,
        token,
        password,
        "reset_password",
    )
    .await
}

pub async fn accept_invitation(token: String, password: String) -> Result<Principal, AppError> {
    set_password_with_link(
        TokenPurpose::Invitation,
        token,
        password,
        "accept_invitation",
    )
    .await
}
