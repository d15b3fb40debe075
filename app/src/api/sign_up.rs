//! A producer's own account, on a proven number: sign-up sends a six-digit code by
//! SMS and the account exists only once it is entered. A role offered to an
//! existing account attaches when the number's holder opens the SMS link.
use crate::auth::Principal;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// Starts a sign-up: checks the fields, then sends a code to the number (or, when it
/// already has an account, an SMS saying so). The reply is the same either way and
/// leaves before the lookup: the normalised number, for the code step.
#[server(endpoint = "account/sign_up")]
pub async fn sign_up(#[server(flatten)] form: SignUpForm) -> Result<String, AppError> {
    with_status(crate::service::account::sign_up::sign_up(form).await)
}

/// The sign-up form: a phone number, the name to show, a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpForm {
    pub phone: String,
    pub display_name: String,
    pub password: String,
}

/// Enters the code sent to the number: the account is made and signed in. Five
/// tries per code; a wrong, used or expired code gets one answer.
#[server(endpoint = "account/confirm_sign_up")]
pub async fn confirm_sign_up(phone: String, code: String) -> Result<Principal, AppError> {
    with_status(crate::service::account::sign_up::confirm_sign_up(phone, code).await)
}

/// The signed-in user takes a role offered by SMS to their number; the link is for
/// their account only. Returns the role's name.
#[server(endpoint = "account/accept_role")]
pub async fn accept_role(token: String) -> Result<String, AppError> {
    with_status(crate::service::account::sign_up::accept_role(token).await)
}
