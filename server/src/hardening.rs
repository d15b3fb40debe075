//! Web hardening for every response: state changes only from Sao's own pages, and
//! security headers. Pages add their own Content-Security-Policy with the per-request
//! nonce (see `content_security_policy` in app/src/root.rs); this one covers everything else.
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a state-changing request whose Origin (or, lacking it, Referer) is not
/// the site's public origin (`--public-url`): the request's Host is never trusted.
pub async fn same_origin_only(
    State(public): State<app::auth::session::PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(app::auth::session::PublicOrigin::parse);
    if claimed.as_ref() == Some(&public) {
        return next.run(request).await;
    }
    tracing::warn!(
        path = request.uri().path(),
        "refused a state change not from the site's own origin"
    );
    (
        StatusCode::FORBIDDEN,
        "Yêu cầu bị từ chối: chỉ chấp nhận thao tác từ chính trang Sao.",
    )
        .into_response()
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

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        use app::auth::session::PublicOrigin;
        let origin = |url| PublicOrigin::parse(url).map(|o| o.as_str().to_string());
        assert_eq!(
            origin("http://127.0.0.1:3000"),
            Some("http://127.0.0.1:3000".into())
        );
        assert_eq!(
            origin("https://Sao.gov.vn/tu-danh-gia?bo=7"),
            Some("https://sao.gov.vn".into())
        );
        assert_eq!(origin("null"), None);
        assert_eq!(origin("http://"), None);
        assert_eq!(origin("ftp://sao.gov.vn"), None);
    }
}
