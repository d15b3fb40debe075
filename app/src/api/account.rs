//! Signing up, in and out, passwords, one-time links: the account server functions.
use crate::auth::Principal;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// What "my account" shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub principal: Principal,
    pub live_sessions: i64,
}

/// Logs in with a phone number in any usual form. Failures are counted per account
/// and per address; past the limit even the right password waits.
#[server(endpoint = "account/log_in")]
pub async fn log_in(phone: String, password: String) -> Result<Principal, AppError> {
    with_status(crate::service::account::sign_in::log_in(phone, password).await)
}

/// Ends this session.
#[server(endpoint = "account/log_out")]
pub async fn log_out() -> Result<(), AppError> {
    with_status(crate::service::account::sign_in::log_out().await)
}

/// Ends every session of this account, on every device, this one included.
#[server(endpoint = "account/log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    with_status(crate::service::account::sign_in::log_out_everywhere().await)
}

/// Who is signed in, if anyone (the header and the pages ask).
#[server(endpoint = "account/current_user")]
pub async fn current_user() -> Result<Option<Principal>, AppError> {
    with_status(crate::service::account::sign_in::current_user().await)
}

/// The signed-in user's account and how many sessions they have open.
#[server(endpoint = "account/overview")]
pub async fn account_overview() -> Result<AccountSummary, AppError> {
    with_status(crate::service::account::sign_in::overview().await)
}

/// Changes the password; every other session ends, this one stays.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    with_status(
        crate::service::account::password::change_password(current_password, new_password).await,
    )
}

/// Sends a reset link by SMS (through the outbox) if the number has an account. The
/// answer is the same either way, so nobody learns which numbers are registered.
#[server(endpoint = "account/request_password_reset")]
pub async fn request_password_reset(phone: String) -> Result<(), AppError> {
    with_status(crate::service::account::password::request_password_reset(phone).await)
}

#[server(endpoint = "account/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<Principal, AppError> {
    with_status(crate::service::account::password::reset_password(token, password).await)
}

/// An invited official chooses their password.
#[server(endpoint = "account/accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<Principal, AppError> {
    with_status(crate::service::account::password::accept_invitation(token, password).await)
}
