//! The public catalogue's routes (issue 17): `GET /san-pham` (search and
//! filters), `GET /san-pham/{code}[/{slug}]` (a product's page) and
//! `GET /san-pham/{tinh|xa}/{code}[/{slug}]` (a province's or a commune's
//! page) and `GET /sitemap.xml`. Plain HTML rendered by `app::pages::catalogue`: no
//! session is read and no script is sent, so the page carries its own
//! Content-Security-Policy that allows none.
use crate::AppState;
use app::domain::catalogue::CatalogueQuery;
use app::i18n::Locale;
use app::pages::catalogue as pages;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// No script, no frame, forms only to Sao.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The visitor's language: the cookie the language switch sets, else Vietnamese.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    let chose_english = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| pair.trim() == "i18n_pref_locale=en");
    if chose_english {
        Locale::en
    } else {
        Locale::vi
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn failed(error: app::error::AppError, locale: Locale) -> Response {
    if let app::error::AppError::Busy { retry_after_s } = error {
        // The database is busy: say so, and when to try again (never a 500).
        let said = format!(
            "{} {retry_after_s}",
            leptos_i18n::td_string!(locale, error_busy)
        );
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, retry_after_s.to_string())],
            said,
        )
            .into_response();
    }
    tracing::error!(%error, "catalogue");
    let said = leptos_i18n::td_string!(locale, error_internal).to_string();
    (StatusCode::INTERNAL_SERVER_ERROR, said).into_response()
}

/// `GET /san-pham?q=&sao=&tinh=&xa=&bo=&trang=`: a parameter that cannot be
/// read is answered 400 with the form, its message beside it, and every product.
pub async fn catalogue(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let locale = locale_of(&headers);
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let parsed = CatalogueQuery::parse(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let (query, refused, status) = match parsed {
        Ok(query) => (query, None, StatusCode::OK),
        Err(refused) => (
            CatalogueQuery {
                page: 1,
                ..CatalogueQuery::default()
            },
            Some(refused),
            StatusCode::BAD_REQUEST,
        ),
    };
    match app::service::catalogue::search(&state.db, query).await {
        Ok(page) => html(
            status,
            pages::catalogue(&state.leptos_options, locale, page, refused),
        ),
        Err(error) => failed(error, locale),
    }
}

/// `GET /san-pham/{code}`: the product's page is at its readable address.
pub async fn product_short(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let locale = locale_of(&headers);
    match app::service::catalogue::product(&state.db, &code).await {
        Ok(Some(page)) => Redirect::permanent(&app::domain::catalogue::product_path(
            &page.certificate.code,
            &page.certificate.product_name,
        ))
        .into_response(),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::not_found(&state.leptos_options, locale),
        ),
        Err(error) => failed(error, locale),
    }
}

/// `GET /san-pham/{code}/{slug}`: found by its code (a changed slug still finds it).
pub async fn product(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((code, slug)): Path<(String, String)>,
) -> Response {
    let locale = locale_of(&headers);
    if code == "tinh" || code == "xa" {
        return place_short(&state, locale, &code, &slug).await;
    }
    match app::service::catalogue::product(&state.db, &code).await {
        Ok(Some(page)) => html(
            StatusCode::OK,
            pages::product(&state.leptos_options, locale, page),
        ),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::not_found(&state.leptos_options, locale),
        ),
        Err(error) => failed(error, locale),
    }
}

async fn place_page(
    state: &AppState,
    locale: Locale,
    kind: &str,
    code: &str,
) -> Result<Option<app::service::catalogue_place::PlacePage>, Response> {
    let Some(place) = app::domain::catalogue::Place::parse(kind, code) else {
        return Ok(None);
    };
    app::service::catalogue_place::page(&state.db, place)
        .await
        .map_err(|error| failed(error, locale))
}

/// `GET /san-pham/{tinh|xa}/{code}`: the place's page is at its readable
/// address. (The same shape as a product's page, so that route asks here first.)
async fn place_short(state: &AppState, locale: Locale, kind: &str, code: &str) -> Response {
    match place_page(state, locale, kind, code).await {
        Ok(Some(page)) => Redirect::permanent(&page.place.path(&page.name)).into_response(),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::not_found(&state.leptos_options, locale),
        ),
        Err(response) => response,
    }
}

/// `GET /san-pham/{tinh|xa}/{code}/{slug}`: a province's or a commune's page.
pub async fn place(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kind, code, _slug)): Path<(String, String, String)>,
) -> Response {
    let locale = locale_of(&headers);
    match place_page(&state, locale, &kind, &code).await {
        Ok(Some(page)) => html(
            StatusCode::OK,
            app::pages::catalogue_place::place(&state.leptos_options, locale, page),
        ),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::not_found(&state.leptos_options, locale),
        ),
        Err(response) => response,
    }
}

/// `GET /sitemap.xml`, with the configured public origin (never the request's Host).
pub async fn sitemap(State(state): State<AppState>) -> Response {
    match app::service::catalogue::sitemap(&state.db, &state.public_origin.0).await {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            xml,
        )
            .into_response(),
        Err(error) => failed(error, Locale::vi),
    }
}
