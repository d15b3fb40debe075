//! A producer's own account, on a proven number: sign-up sends a six-digit code by
//! SMS and the account exists only once it is entered. A role offered to an
//! existing account attaches when the number's holder opens the SMS link.
use crate::auth::Principal;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::account::ssr::{admit_sms, check_password, loaded, parse_phone, sign_in},
    auth::policy::{Action, Target},
    auth::session::{authorize, hash_password},
    db::{self, audit, Db},
    domain::name::DisplayName,
    error::with_status,
};

/// Starts a sign-up: checks the fields, then sends a code to the number (or, when it
/// already has an account, an SMS saying so). The reply is the same either way and
/// leaves before the lookup: the normalised number, for the code step.
#[server(endpoint = "account/sign_up")]
pub async fn sign_up(
    phone: String,
    display_name: String,
    password: String,
) -> Result<String, AppError> {
    with_status(
        async move {
            authorize(Action::SignUp, &Target::Nothing).await?;
            let phone = parse_phone(&phone)?;
            let name = DisplayName::parse(&display_name)
                .map_err(|e| AppError::invalid("display_name", e))?;
            check_password("password", &password, phone.as_str())?;
            let db = db::from_context()?;
            admit_sms("sign_up", phone.as_str(), &db).await?;
            let hash = hash_password(password).await?;
            let (number, name) = (phone.as_str().to_string(), name.as_str().to_string());
            tokio::spawn(async move {
                if let Err(error) = send_code(&db, &number, &name, &hash).await {
                    tracing::error!(%error, "sending a sign-up code failed");
                }
            });
            Ok(phone.as_str().to_string())
        }
        .await,
    )
}

/// Holds the sign-up and sends its code; a registered number is told instead.
#[cfg(feature = "ssr")]
async fn send_code(db: &Db, phone: &str, name: &str, hash: &str) -> Result<(), AppError> {
    let registered = db::users::by_phone(db, phone).await?.is_some();
    let mut tx = db.begin().await?;
    let body = if registered {
        "Sao OCOP: có người vừa đăng ký bằng số này, nhưng số đã có tài khoản. \
         Nếu là bạn, hãy đăng nhập hoặc dùng \"Quên mật khẩu\"."
            .to_string()
    } else {
        let code = db::proofs::new_code();
        db::proofs::hold_sign_up(&mut tx, phone, name, hash, &code).await?;
        format!(
            "Sao OCOP: mã xác nhận đăng ký của bạn là {code} (hiệu lực 10 phút). \
             Không đưa mã này cho ai."
        )
    };
    db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
    db::commit(tx).await?;
    Ok(())
}

/// Enters the code sent to the number: the account is made and signed in. Five
/// tries per code; a wrong, used or expired code gets one answer.
#[server(endpoint = "account/confirm_sign_up")]
pub async fn confirm_sign_up(phone: String, code: String) -> Result<Principal, AppError> {
    with_status(
        async move {
            let mut authorized = authorize(Action::SignUp, &Target::Nothing).await?;
            let phone = parse_phone(&phone)?;
            let db = db::from_context()?;
            let mut tx = db.begin().await?;
            let proven = db::proofs::take_sign_up(&mut tx, phone.as_str(), &code).await?;
            let Some(proven) = proven else {
                // The try is counted even though nothing else is kept.
                db::commit(tx).await?;
                return Err(AppError::invalid(
                    "code",
                    "Mã không đúng hoặc đã hết hạn. Kiểm tra tin nhắn, hoặc đăng ký lại để nhận mã mới.",
                ));
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
                Some("users_phone_unique" | "users.phone") => AppError::invalid(
                    "code",
                    "Số điện thoại này đã có tài khoản. Vui lòng đăng nhập.",
                ),
                _ => error.into(),
            })?;
            crate::db::audit::write(&mut tx, &crate::db::audit::Actor::new(user_id.as_str(), "producer"), crate::db::audit::Change::new("sign_up", "user", &user_id).after(Some(audit::digest(&(phone.as_str(), &proven.display_name)))))
            .await?;
            db::commit(tx).await?;
            let user = loaded(&db, &user_id).await?;
            sign_in(&mut authorized.session, &user).await?;
            Ok(user.principal)
        }
        .await,
    )
}

/// The signed-in user takes a role offered by SMS to their number; the link is for
/// their account only. Returns the role's name.
#[server(endpoint = "account/accept_role")]
pub async fn accept_role(token: String) -> Result<String, AppError> {
    with_status(
        async move {
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
        .await,
    )
}
