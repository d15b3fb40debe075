//! The one error type that server functions return, each with its HTTP status.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The server failed; details stay in its log under `reference`, which the user can quote.
    #[error("Máy chủ gặp lỗi, vui lòng thử lại sau. Mã tham chiếu: {reference}")]
    Internal { reference: String },
    /// What was asked for does not exist (a rule set, a product set, a user).
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    /// The request never reached the function, or its answer never came back.
    #[error("lỗi kết nối: {0}")]
    Transport(String),
    /// Signing in is needed first.
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    NotSignedIn,
    /// Signed in, but the policy does not allow this.
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    /// A field's value is refused; `field` names the input the message belongs beside.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("Số điện thoại hoặc mật khẩu không đúng.")]
    WrongCredentials,
    #[error("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên.")]
    AccountDisabled,
    /// Too many failed logins: wait this many minutes (rounded up).
    #[error("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait_minutes} phút.")]
    TooManyAttempts { wait_minutes: i64 },
    /// An invitation or reset link that is unknown, used or expired.
    #[error(
        "Đường dẫn này không còn hiệu lực (đã dùng hoặc quá hạn). Vui lòng xin đường dẫn mới."
    )]
    LinkNotValid,
    /// Too many requests of this kind (SMS to one number, from one address): wait.
    #[error("Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau {wait_minutes} phút.")]
    TooManyRequests { wait_minutes: i64 },
    /// The server is at its limit for this work; try again in `retry_after_s` seconds.
    #[error("Máy chủ đang bận, vui lòng thử lại sau {retry_after_s} giây.")]
    Busy { retry_after_s: u32 },
    /// Someone else changed or claimed this at the same moment (e.g. the same chunk).
    #[error("{0}")]
    Conflict(String),
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

    pub fn invalid(field: &str, message: impl std::fmt::Display) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            message: message.to_string(),
        }
    }

    /// The message to show beside `field`, if this error is about it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { field: f, message } if f == field => Some(message.clone()),
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
