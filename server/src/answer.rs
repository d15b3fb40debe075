//! How a plain route (not a server function) answers a refusal: the status of
//! the `AppError`, the error as JSON (the page renders it in its language), and
//! Retry-After when the server is busy or the caller must wait.
use app::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Json, Response};

pub fn refuse(error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry_after = match &error {
        AppError::Busy { retry_after_s } => Some(i64::from(*retry_after_s)),
        AppError::TooManyAttempts { wait_minutes } | AppError::TooManyRequests { wait_minutes } => {
            Some(wait_minutes * 60)
        }
        _ => None,
    };
    let mut response = (status, Json(error)).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    }
    response
}
