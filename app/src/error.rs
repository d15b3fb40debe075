//! The one error type that server functions return.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The server failed; details stay in its log under `reference`, which the user can quote.
    #[error("Máy chủ gặp lỗi, vui lòng thử lại sau. Mã tham chiếu: {reference}")]
    Internal { reference: String },
    /// What was asked for does not exist (a rule set, a product set).
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    /// The request never reached the function, or its answer never came back.
    #[error("lỗi kết nối: {0}")]
    Transport(String),
}

impl AppError {
    /// HTTP status a server function answers with for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Internal { .. } => 500,
            AppError::NotFound(_) => 404,
            AppError::Transport(_) => 500,
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
