//! A request body limit per route, applied before the handler reads anything:
//! 64 KB for server functions and pages, what a tablet's batch of changes and an
//! upload chunk really need for theirs. A body over its limit is answered 413
//! with a message in the page's language (a refusal, never a server fault), and
//! no more of it than the limit is ever held in memory.
use app::domain::evidence::CHUNK_BYTES;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions and everything else.
pub const DEFAULT_LIMIT: usize = 64 * 1024;
/// `council/sync`: up to 500 changes (a note is at most 2,000 characters).
pub const SYNC_LIMIT: usize = 1024 * 1024;
/// An evidence upload chunk, with room for nothing else.
pub const UPLOAD_LIMIT: usize = CHUNK_BYTES as usize;

/// The limit for a request path.
pub fn limit_for(path: &str) -> usize {
    if path == "/api/council/sync" {
        SYNC_LIMIT
    } else if path.starts_with("/tai-lieu/") && !path.ends_with("/tep") {
        UPLOAD_LIMIT
    } else {
        DEFAULT_LIMIT
    }
}

fn too_large(limit: usize) -> Response {
    let error = app::error::AppError::invalid(
        "body",
        app::error::Refusal::BodyTooLarge {
            max_kb: (limit / 1024) as u64,
        },
    );
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// A refused body is still read to its end (up to this much, for this long) and
/// thrown away, so that a client still writing gets the 413 and not a broken pipe;
/// nothing of it is kept.
const DRAIN_CAP: usize = 64 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

async fn drain(mut body: Body) {
    use http_body_util::BodyExt;
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        let mut seen = 0_usize;
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |data| data.len());
            if seen > DRAIN_CAP {
                break;
            }
        }
    })
    .await;
}

/// Refuses a body over its route's limit: by its Content-Length before reading
/// any of it, else as soon as what was read passes the limit; the refused body is
/// drained and dropped, never held.
pub async fn limit_bodies(request: Request, next: Next) -> Response {
    use http_body_util::BodyExt;
    let limit = limit_for(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let path = request.uri().path().to_string();
    let (parts, mut body) = request.into_parts();
    if declared.is_some_and(|length| length > limit as u64) {
        tracing::warn!(%path, ?declared, "refused an oversized body");
        drain(body).await;
        return too_large(limit);
    }
    let mut kept: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return (StatusCode::BAD_REQUEST, "Yêu cầu bị gián đoạn.").into_response();
        };
        if let Ok(data) = frame.into_data() {
            if kept.len() + data.len() > limit {
                tracing::warn!(%path, "refused an oversized body");
                drain(body).await;
                return too_large(limit);
            }
            kept.extend_from_slice(&data);
        }
    }
    next.run(Request::from_parts(parts, Body::from(kept))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_the_limit_it_needs() {
        assert_eq!(limit_for("/api/account/log_in"), 64 * 1024);
        assert_eq!(limit_for("/api/council/sync"), 1024 * 1024);
        assert_eq!(limit_for("/tai-lieu/abc"), 256 * 1024);
        assert_eq!(limit_for("/tai-lieu/abc/tep"), 64 * 1024);
    }
}
