//! Web hardening for every response: state changes only from Sao's own pages, and
//! security headers. Pages add their own Content-Security-Policy with the per-request
//! nonce (see `content_security_policy` in app/src/root.rs); this one covers everything else.
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a state-changing request whose Origin (or, lacking it, Referer) is not this site.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(authority);
    match (host, claimed) {
        (Some(host), Some(claimed)) if claimed.eq_ignore_ascii_case(host) => {
            next.run(request).await
        }
        _ => {
            tracing::warn!(
                path = request.uri().path(),
                "refused a cross-origin state change"
            );
            (
                StatusCode::FORBIDDEN,
                "Yêu cầu bị từ chối: chỉ chấp nhận thao tác từ chính trang Sao.",
            )
                .into_response()
        }
    }
}

/// `https://host:port/path` → `host:port`.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty())
}

/// The policy for responses that are not pages (files, JSON, errors): nothing runs from them.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn authority_is_host_and_port() {
        assert_eq!(authority("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(
            authority("https://sao.gov.vn/tu-danh-gia?bo=7"),
            Some("sao.gov.vn")
        );
        assert_eq!(authority("null"), None);
        assert_eq!(authority("http://"), None);
    }
}
