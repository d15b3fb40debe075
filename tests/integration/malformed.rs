//! Issue 19: the malformed-request sweep. Every server function (from the
//! registry), every plain route (read from the router's source) and every page
//! route (from the router's own list) gets hostile requests: duplicate keys,
//! bodies over the limit, wrong types, truncated and non-UTF-8 JSON, overflowing
//! numbers, the wrong content type, hostile path and query parameters; as the
//! public and as a person the endpoint serves. None may answer 5xx; a refused
//! server-function call says why in an `AppError` the page renders; and nothing
//! is persisted (every table's row count unchanged).
use crate::authz::{fixture, registered_endpoints, Payload, Who, MATRIX};
use crate::support::Client;
use app::error::AppError;
use reqwest::Method;
use std::collections::BTreeSet;

/// Every table's row count, in one string: what "nothing persisted" compares.
async fn fingerprint(db: &app::db::Db) -> Vec<(String, i64)> {
    let mut counts = app::db::tables::counts(db).await.expect("row counts");
    // A signed-in request may refresh its own session's expiry: not data.
    counts.remove("sessions");
    counts.remove("tower_sessions");
    counts.into_iter().collect()
}

/// One hostile request: what it is, its content type and body.
struct Hostile {
    what: String,
    content_type: &'static str,
    body: Vec<u8>,
}

fn hostile(what: impl Into<String>, content_type: &'static str, body: Vec<u8>) -> Hostile {
    Hostile {
        what: what.into(),
        content_type,
        body,
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

fn encode(form: &[(String, String)]) -> Vec<u8> {
    let pairs: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect();
    pairs.join("&").into_bytes()
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A body over every server function's limit (64 KB; the sync's is 1 MB).
fn over_limit(endpoint: &str) -> usize {
    if endpoint == "council/sync" {
        1024 * 1024 + 10
    } else {
        64 * 1024 + 10
    }
}

/// The hostile variants of one valid payload.
fn variants(endpoint: &str, payload: &Payload) -> Vec<Hostile> {
    let huge = "A".repeat(over_limit(endpoint));
    let mut out = Vec::new();
    match payload {
        Payload::Form(form) if form.is_empty() => {
            out.push(hostile(
                "a body over the limit",
                FORM,
                format!("x={huge}").into_bytes(),
            ));
        }
        Payload::Form(form) => {
            let mut doubled = form.clone();
            doubled.extend(form.iter().map(|(k, _)| (k.clone(), "khác".to_string())));
            out.push(hostile("every key twice", FORM, encode(&doubled)));
            let mut big = form.clone();
            big[0].1 = huge;
            out.push(hostile("a huge string", FORM, encode(&big)));
            out.push(hostile("no fields at all", FORM, Vec::new()));
            let mut nested = form.clone();
            for (key, _) in nested.iter_mut() {
                key.push_str("[0][x]");
            }
            out.push(hostile("nested keys only", FORM, encode(&nested)));
            out.push(hostile(
                "JSON where a form is read",
                JSON,
                b"{\"a\":[1,{\"b\":null}]}".to_vec(),
            ));
        }
        Payload::Json(value) => {
            let text = value.to_string();
            out.push(hostile(
                "truncated JSON",
                JSON,
                text.as_bytes()[..text.len() / 2].to_vec(),
            ));
            let mut bad = text.clone().into_bytes();
            if let Some(quote) = bad.iter().position(|b| *b == b'"') {
                bad.splice(quote + 1..quote + 1, [0xFF, 0xFE, 0xC3, 0x28]);
            }
            out.push(hostile("invalid UTF-8 in JSON", JSON, bad));
            if let serde_json::Value::Object(map) = value {
                for key in map.keys() {
                    let mut wrong = value.clone();
                    wrong[key] = serde_json::json!([{"x": [1, -1]}]);
                    out.push(hostile(
                        format!("{key} of the wrong type"),
                        JSON,
                        wrong.to_string().into_bytes(),
                    ));
                    let mut overflow = value.clone();
                    overflow[key] = serde_json::json!(-99999999999999999999999_f64);
                    out.push(hostile(
                        format!("{key} an overflowing number"),
                        JSON,
                        overflow.to_string().into_bytes(),
                    ));
                }
                if let Some((key, first)) = map.iter().next() {
                    let duplicate = format!("{{\"{key}\":{first},{}", &text[1..]);
                    out.push(hostile("a duplicate key", JSON, duplicate.into_bytes()));
                }
            }
            out.push(hostile(
                "a form where JSON is read",
                FORM,
                b"changes=1&changes=2".to_vec(),
            ));
            out.push(hostile(
                "a body over the limit",
                JSON,
                format!("{{\"x\":\"{huge}\"}}").into_bytes(),
            ));
        }
    }
    out
}

/// The first person a row serves who is signed in (the public's own rows: a producer).
fn served_by(allowed: &[Who]) -> Who {
    allowed
        .iter()
        .copied()
        .find(|who| !matches!(who, Who::Public | Who::Disabled | Who::Revoked))
        .unwrap_or(Who::Producer)
}

/// The plain routes in the router's source: the first argument of each `.route(`.
fn plain_routes_in_source() -> BTreeSet<String> {
    let source = include_str!("../../server/src/lib.rs");
    source
        .split(".route(")
        .skip(1)
        .map(|rest| rest.split(',').next().unwrap_or("").trim().to_string())
        .collect()
}

/// Each plain route as the router names it, and its path pattern.
const PLAIN_ROUTES: &[(&str, &str)] = &[
    ("\"/healthz\"", "/healthz"),
    ("\"/sw.js\"", "/sw.js"),
    ("\"/council\"", "/council"),
    ("\"/rules/{rule_set}/{file}\"", "/rules/{rule_set}/{file}"),
    (
        "app::pages::catalogue::CATALOGUE_PATH",
        app::pages::catalogue::CATALOGUE_PATH,
    ),
    ("\"/san-pham/{code}\"", "/san-pham/{code}"),
    ("\"/san-pham/{code}/{slug}\"", "/san-pham/{code}/{slug}"),
    (
        "\"/san-pham/{kind}/{code}/{slug}\"",
        "/san-pham/{kind}/{code}/{slug}",
    ),
    ("\"/sitemap.xml\"", "/sitemap.xml"),
    ("photos::PHOTO_PATH", sao_server::photos::PHOTO_PATH),
    ("AUDIT_CSV_PATH", sao_server::AUDIT_CSV_PATH),
    ("uploads::UPLOAD_PATH", sao_server::uploads::UPLOAD_PATH),
    ("uploads::FILE_PATH", sao_server::uploads::FILE_PATH),
    (
        "documents::COMMUNE_REPORT_PATH",
        app::api::commune::COMMUNE_REPORT_PATH,
    ),
    ("documents::MINUTES_PATH", app::api::council::MINUTES_PATH),
    (
        "documents::producer_forms::FORM_01_PATH",
        app::api::self_report::FORM_01_PATH,
    ),
    (
        "documents::producer_forms::FORM_02_PATH",
        app::api::self_report::FORM_02_PATH,
    ),
    (
        "documents::PAPER_SHEET_PATH",
        app::api::council::PAPER_SHEET_PATH,
    ),
    (
        "documents::decision_forms::DECISION_PATH",
        sao_server::documents::decision_forms::DECISION_PATH,
    ),
    (
        "documents::decision_forms::CERTIFICATE_PATH",
        sao_server::documents::decision_forms::CERTIFICATE_PATH,
    ),
    (
        "documents::proposal::PROPOSAL_PATH",
        sao_server::documents::proposal::PROPOSAL_PATH,
    ),
    (
        "documents::programme::REPORT_PATH",
        sao_server::documents::programme::REPORT_PATH,
    ),
    (
        "documents::revocation_form::REVOCATION_PATH",
        sao_server::documents::revocation_form::REVOCATION_PATH,
    ),
];

/// What a hostile client puts where a route takes a parameter.
const HOSTILE_PARAMS: &[&str] = &[
    "%FF%FE%C3%28",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "-1",
    "99999999999999999999999999",
    "%00",
    "'%20OR%201%3D1%20--",
    "%F0%9F%92%A9%E2%80%AE",
];

/// A pattern with every `{param}` or `:param` replaced by `value`.
fn filled(pattern: &str, value: &str) -> String {
    pattern
        .split('/')
        .map(|part| {
            if (part.starts_with('{') && part.ends_with('}')) || part.starts_with(':') {
                value.to_string()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The watchdog's own answer (503, busy, Retry-After 5): a request slower than
/// the deadline, not one the input broke.
fn watchdog_answer(answer: &crate::support::Answer) -> bool {
    answer.status == 503
        && matches!(
            serde_json::from_str::<AppError>(&answer.body),
            Ok(AppError::Busy { retry_after_s }) if retry_after_s == sao_server::watchdog::RETRY_AFTER_S
        )
}

/// Paths with hostile parameters, a hostile query, and a 5,000-character segment.
fn hostile_paths(pattern: &str) -> Vec<String> {
    let mut paths: Vec<String> = HOSTILE_PARAMS.iter().map(|v| filled(pattern, v)).collect();
    paths.push(filled(pattern, &"x".repeat(5_000)));
    let plain = filled(pattern, "abc");
    paths.push(format!(
        "{plain}?offset=-1&offset=2&trang=abc&q=%FF%FE&tinh=99999999999999999999&x={}",
        "y".repeat(3_000)
    ));
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_refuses_malformed_requests_without_a_5xx_or_a_write() {
    // The sweep covers what the router has: a new endpoint without a place here fails.
    let in_source = plain_routes_in_source();
    let known: BTreeSet<String> = PLAIN_ROUTES.iter().map(|(e, _)| e.to_string()).collect();
    let unknown: Vec<_> = in_source.difference(&known).collect();
    assert!(
        unknown.is_empty(),
        "plain routes missing from the sweep: {unknown:?}"
    );
    let in_matrix: BTreeSet<String> = MATRIX.iter().map(|r| r.endpoint.to_string()).collect();
    let missing: Vec<_> = registered_endpoints()
        .difference(&in_matrix)
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the sweep: {missing:?}"
    );
    let pages = sao_server::page_paths();
    assert!(pages.len() > 20, "{pages:?}");

    for test_db in crate::support::each_engine().await {
        let fixture = fixture(&test_db.url).await;
        let server = &fixture.server;
        let public = server.client();
        let mut people: Vec<(Who, Client)> = Vec::new();
        let mut failures = Vec::new();
        let mut slow: Vec<String> = Vec::new();
        let mut sent = 0_usize;
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for row in MATRIX {
            if !seen.insert(row.endpoint) {
                continue;
            }
            let who = served_by(row.allowed);
            if !people.iter().any(|(w, _)| *w == who) {
                people.push((who, fixture.client_for(who).await));
            }
            let payload = fixture.payload(row.body).await;
            let before = fingerprint(&server.db).await;
            let path = format!("/api/{}", row.endpoint);
            for variant in variants(row.endpoint, &payload) {
                for (as_who, client) in [
                    (Who::Public, &public),
                    (
                        who,
                        &people.iter().find(|(w, _)| *w == who).expect("client").1,
                    ),
                ] {
                    let answer = client
                        .send_raw(
                            Method::POST,
                            &path,
                            variant.content_type,
                            variant.body.clone(),
                        )
                        .await
                        .unwrap_or_else(|e| crate::support::Answer {
                            status: 599,
                            body: e,
                        });
                    sent += 1;
                    let decoded = serde_json::from_str::<AppError>(&answer.body).ok();
                    let clear = matches!(
                        decoded,
                        Some(
                            AppError::Invalid { .. }
                                | AppError::NotSignedIn
                                | AppError::Forbidden
                                | AppError::NotFound(_)
                                | AppError::LinkNotValid
                                | AppError::WrongCredentials
                                | AppError::Conflict(_)
                                | AppError::TooManyRequests { .. }
                                | AppError::TooManyAttempts { .. }
                        )
                    );
                    if !(400..500).contains(&answer.status) || !clear {
                        failures.push(format!(
                            "{} ({}) as {as_who:?}: {} {}",
                            row.endpoint,
                            variant.what,
                            answer.status,
                            answer.body.chars().take(200).collect::<String>()
                        ));
                    }
                }
            }
            let after = fingerprint(&server.db).await;
            if before != after {
                let changed: Vec<_> = before.iter().zip(&after).filter(|(b, a)| b != a).collect();
                failures.push(format!("{}: rows changed {changed:?}", row.endpoint));
            }
        }
        // Plain routes and pages: hostile paths, queries and methods.
        let office = fixture.client_for(Who::OfficeStaff).await;
        let before = fingerprint(&server.db).await;
        let mut patterns: Vec<String> = PLAIN_ROUTES.iter().map(|(_, p)| p.to_string()).collect();
        patterns.extend(pages.iter().cloned());
        for pattern in &patterns {
            for path in hostile_paths(pattern) {
                for (method, body) in [
                    (Method::GET, Vec::new()),
                    (Method::PUT, vec![0xFF_u8; 700]),
                    (Method::POST, b"%%%&&&==".to_vec()),
                ] {
                    for (as_who, client) in [(Who::Public, &public), (Who::OfficeStaff, &office)] {
                        let answer = client
                            .send_raw(
                                method.clone(),
                                &path,
                                "application/octet-stream",
                                body.clone(),
                            )
                            .await
                            .unwrap_or_else(|e| crate::support::Answer {
                                status: 599,
                                body: e,
                            });
                        sent += 1;
                        if watchdog_answer(&answer) {
                            // A page left waiting past the watchdog's deadline:
                            // before the route list was made once per process,
                            // another test server's listing could stall a page.
                            slow.push(format!("{method} {path} as {as_who:?}"));
                        } else if answer.status >= 500 {
                            failures.push(format!(
                                "{method} {} as {as_who:?}: {} {}",
                                path.chars().take(120).collect::<String>(),
                                answer.status,
                                answer.body.chars().take(200).collect::<String>()
                            ));
                        }
                    }
                }
            }
        }
        let after = fingerprint(&server.db).await;
        if before != after {
            failures.push(format!(
                "plain routes and pages changed rows: {before:?} → {after:?}"
            ));
        }
        eprintln!(
            "malformed sweep on {}: {} server functions, {} routes and pages, {sent} requests, {} failures, {} answered 503 by the watchdog {slow:?}",
            test_db.engine,
            seen.len(),
            patterns.len(),
            failures.len(),
            slow.len()
        );
        assert!(
            slow.is_empty(),
            "pages left waiting until the watchdog answered: {slow:?}"
        );
        assert!(sent >= 500, "{sent}");
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
        let db = fixture.server.stop();
        test_db.cleanup(db).await;
    }
}
