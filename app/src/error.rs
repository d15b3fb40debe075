//! The one error type that server functions return, each with its HTTP status.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub use crate::domain::refusal::{Refusal, Thing};

/// The one error type of server functions. What a person reads is rendered from
/// it in the page's language (`components/errors.rs`); `Display` is for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The server failed; details stay in its log under `reference`, which the user can quote.
    #[error("server error, reference {reference}")]
    Internal { reference: String },
    /// What was asked for does not exist (a rule set, a product set, a user).
    #[error("not found: {0:?}")]
    NotFound(Thing),
    /// The request never reached the function, or its answer never came back.
    #[error("transport: {0}")]
    Transport(String),
    /// Signing in is needed first.
    #[error("not signed in")]
    NotSignedIn,
    /// Signed in, but the policy does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A field's value is refused; `field` names the input the refusal belongs beside.
    #[error("invalid {field}: {refusal:?}")]
    Invalid { field: String, refusal: Refusal },
    #[error("wrong credentials")]
    WrongCredentials,
    #[error("account disabled")]
    AccountDisabled,
    /// Too many failed logins: wait this many minutes (rounded up).
    #[error("too many attempts, wait {wait_minutes} min")]
    TooManyAttempts { wait_minutes: i64 },
    /// An invitation or reset link that is unknown, used or expired.
    #[error("link not valid")]
    LinkNotValid,
    /// Too many requests of this kind (SMS to one number, from one address): wait.
    #[error("too many requests, wait {wait_minutes} min")]
    TooManyRequests { wait_minutes: i64 },
    /// The server is at its limit for this work; try again in `retry_after_s` seconds.
    #[error("busy, retry after {retry_after_s} s")]
    Busy { retry_after_s: u32 },
    /// Someone else changed or claimed this at the same moment (e.g. the same chunk).
    #[error("conflict: {0:?}")]
    Conflict(Refusal),
}

impl AppError {
    /// HTTP status a server function answers with for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Internal { .. } | AppError::Transport(_) => 500,
            AppError::NotFound(_) => 404,
            AppError::NotSignedIn | AppError::WrongCredentials => 401,
            AppError::Forbidden | AppError::AccountDisabled => 403,
            AppError::Invalid { .. } | AppError::LinkNotValid => 422,
            AppError::TooManyAttempts { .. } | AppError::TooManyRequests { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::Conflict(_) => 409,
        }
    }

    pub fn invalid(field: &str, refusal: impl Into<Refusal>) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            refusal: refusal.into(),
        }
    }

    /// The refusal to show beside `field`, if this error is about it.
    pub fn refusal_for(&self, field: &str) -> Option<&Refusal> {
        match self {
            AppError::Invalid { field: f, refusal } if f == field => Some(refusal),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs `detail` under a fresh reference and returns the error the user sees.
    pub fn internal(detail: &dyn std::fmt::Display) -> AppError {
        let reference = uuid::Uuid::now_v7().simple().to_string()[20..].to_string();
        tracing::error!(%reference, %detail, "server error");
        AppError::Internal { reference }
    }
}

/// Sets the response's HTTP status from the outcome of a server function, so that
/// a refusal is a 401/403/422/429 on the wire and not a 500.
#[cfg(feature = "ssr")]
pub fn with_status<T>(outcome: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &outcome {
        if let (Some(response), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(error.status_code()),
        ) {
            response.set_status(status);
            let retry_after = match error {
                AppError::Busy { retry_after_s } => Some(i64::from(*retry_after_s)),
                AppError::TooManyAttempts { wait_minutes }
                | AppError::TooManyRequests { wait_minutes } => Some(wait_minutes * 60),
                _ => None,
            };
            if let Some(seconds) = retry_after {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(seconds.max(1)),
                );
            }
        }
    }
    outcome
}
