//! A request a server function cannot even read (fields missing or of the
//! wrong type, bytes that are not UTF-8, a cut-off body, the wrong content
//! type) never ran: the framework answers it 500 with its decoding error. That
//! is the client's mistake, not the server's fault, so it is answered here as
//! 400 with a refusal in the page's language (`request_malformed`); the decoding
//! detail goes to the log only.
use app::error::{AppError, Refusal};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// What the framework's error answers are marked with.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An error answer is small; past this it is passed on untouched.
const ERROR_BODY_CAP: usize = 64 * 1024;

/// The refusal a malformed request gets (also the sweep test's expectation).
pub fn refusal() -> AppError {
    AppError::invalid("request", Refusal::RequestMalformed)
}

pub async fn refuse_malformed(request: Request, next: Next) -> Response {
    let on_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !on_api
        || response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_CAP).await else {
        return Response::from_parts(parts, Body::empty());
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(AppError::Transport(detail)) => {
            tracing::info!(detail, "malformed request: answered 400");
            parts.status = StatusCode::BAD_REQUEST;
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            let said = serde_json::to_vec(&refusal()).unwrap_or_default();
            Response::from_parts(parts, Body::from(said))
        }
        _ => Response::from_parts(parts, Body::from(bytes)),
    }
}
