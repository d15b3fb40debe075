//! The one error type that server functions return.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The database could not answer; details are in the server log, not sent to the browser.
    #[error("cơ sở dữ liệu tạm thời không trả lời")]
    DatabaseUnavailable,
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
            AppError::DatabaseUnavailable => 503,
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
