//! Issue 17: trade promotion over HTTP on each engine. The office records a
//! showcase point and a fair of its province and shows a certified product at
//! both; the product's public page then says where to buy it and the plan's
//! showcase target counts the point. Another province's office, a commune
//! officer, a point elsewhere, a revoked product, a forged id and a fair not yet
//! begun are refused, and write nothing.
use crate::support::dated::{certify, Certified};
use crate::support::people::{office_grant, office_hanoi_and_officer, official};
use crate::support::{audit_rows, for_each_engine, Client, TestServer};

fn certified(commune: i64, revoked: Option<&'static str>) -> Certified {
    Certified {
        commune,
        kind: "cooperative",
        value_chain: false,
        channels: &["ocop_shop"],
        stars: 4,
        issued: "2025-06-01",
        revoked,
    }
}

/// The public product page of `code`, after its redirect to the readable URL.
async fn product_page(server: &TestServer, code: &str) -> String {
    let response = reqwest::get(format!("{}/san-pham/{code}", server.base))
        .await
        .expect("product page");
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.expect("body")
}

/// Rows of the promotion tables: points, fairs, and products shown at either.
async fn rows(server: &TestServer) -> [i64; 4] {
    let mut counts = [0; 4];
    for (slot, table) in counts.iter_mut().zip([
        "sales_points",
        "fairs",
        "sales_point_products",
        "fair_products",
    ]) {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(server.db.pool())
            .await
            .expect("count");
        *slot = n;
    }
    counts
}

/// An endpoint and its form.
type Request = (&'static str, Vec<(String, String)>);

/// (who, request, status, the field refused).
type Case<'a> = (&'a Client, Request, u16, &'static str);

/// `pairs` as owned strings.
fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `pairs` with `field` set to `value`.
fn with(pairs: &[(&str, &str)], field: &str, value: &str) -> Vec<(String, String)> {
    let mut form = owned(pairs);
    for (_, v) in form.iter_mut().filter(|(k, _)| k == field) {
        *v = value.to_string();
    }
    form
}

/// Adding POINT with `field` set to `value`.
fn point_with(field: &str, value: &str) -> Request {
    ("promotion/add_point", with(&POINT, field, value))
}

/// Adding FAIR with `field` set to `value`.
fn fair_with(field: &str, value: &str) -> Request {
    ("promotion/add_fair", with(&FAIR, field, value))
}

/// Showing the product `code` at `target` ("point:…" or "fair:…").
fn show(target: &str, code: &str) -> Request {
    (
        "promotion/show",
        owned(&[("target", target), ("code", code)]),
    )
}

/// `office` adds POINT and FAIR (each answered 200): its desk, and the point's
/// and the fair's targets.
async fn point_and_fair(office: &Client) -> (serde_json::Value, String, String) {
    assert_eq!(office.call("promotion/add_point", &POINT).await.status, 200);
    assert_eq!(office.call("promotion/add_fair", &FAIR).await.status, 200);
    let desk = office.call("promotion/desk", &[]).await.json();
    let point = format!(
        "point:{}",
        desk["points"][0]["id"].as_str().expect("point id")
    );
    let fair = format!("fair:{}", desk["fairs"][0]["id"].as_str().expect("fair id"));
    (desk, point, fair)
}

const POINT: [(&str, &str); 5] = [
    ("commune", "23344"),
    ("name", "Điểm OCOP Đăk Plô"),
    ("address", "Thôn Đăk Ung"),
    ("kind", "showcase"),
    ("opened_on", "2026-01-10"),
];

const FAIR: [(&str, &str); 4] = [
    ("name", "Hội chợ OCOP Quảng Ngãi"),
    ("place", "Quảng trường Phạm Văn Đồng"),
    ("starts_on", "2026-05-01"),
    ("ends_on", "2026-05-05"),
];

#[tokio::test]
async fn an_office_shows_a_product_at_its_point_and_fair_and_the_public_page_says_where() {
    for_each_engine(|server| async move {
        certify(&server, 0, certified(23344, None)).await;
        let office = official(&server, office_grant(51)).await;
        let (desk, point, fair) = point_and_fair(&office).await;
        assert_eq!(desk["points"][0]["kind"], "showcase");
        assert_eq!(desk["points"][0]["opened_on"], "10/01/2026");

        for target in [&point, &fair] {
            let answer = office
                .call("promotion/show", &[("target", target), ("code", "PLAN-0")])
                .await;
            assert_eq!(answer.status, 200, "{target}: {}", answer.body);
        }
        // Shown twice: answered as done, no second row and no second audit row.
        let audit = audit_rows(&server.db).await;
        let again = office
            .call("promotion/show", &[("target", &point), ("code", "PLAN-0")])
            .await;
        assert_eq!(again.status, 200);
        assert_eq!(audit_rows(&server.db).await, audit);
        assert_eq!(rows(&server).await, [1, 1, 1, 1]);

        let desk = office.call("promotion/desk", &[]).await.json();
        assert_eq!(desk["points"][0]["products"][0]["code"], "PLAN-0");
        assert_eq!(desk["fairs"][0]["products"][0]["code"], "PLAN-0");

        // Anyone reads where to buy it, and the fair it took part in.
        let page = product_page(&server, "PLAN-0").await;
        assert!(page.contains("id=\"product-points\""), "{page}");
        assert!(page.contains("Điểm OCOP Đăk Plô") && page.contains("Thôn Đăk Ung"));
        assert!(page.contains("id=\"product-fairs\"") && page.contains("01/05/2026"));

        // The plan's showcase target counts the point from the day it opened.
        let target = ["2026", "commune:23344", "showcase_points", "1"];
        let set = crate::plan::set_target(&office, target).await;
        assert_eq!(set.status, 200, "{}", set.body);
        let plans = office
            .call("plan/progress", &[("year", "2026")])
            .await
            .json();
        let lines = plans[0]["lines"].to_string();
        assert!(
            lines.contains(r#"{"Count":{"done":1,"met":true,"target":1}}"#)
                || lines.contains(r#"{"Count":{"done":1,"target":1,"met":true}}"#),
            "{lines}"
        );
    })
    .await;
}

#[tokio::test]
async fn promotion_outside_the_office_province_or_of_a_revoked_product_is_refused_and_writes_nothing(
) {
    for_each_engine(|server| async move {
        certify(&server, 0, certified(23344, None)).await;
        certify(&server, 1, certified(23344, Some("2026-02-01"))).await;
        let (office, hanoi, officer) = office_hanoi_and_officer(&server).await;
        let (_, point, fair) = point_and_fair(&office).await;
        let before = rows(&server).await;
        let audit = audit_rows(&server.db).await;

        let long = "đ".repeat(201);
        let fair_in_2999 = [
            ("name", "x"),
            ("place", "y"),
            ("starts_on", "2999-01-01"),
            ("ends_on", "2999-01-02"),
        ];
        let cases: Vec<Case> = vec![
            // Another province's office: a point in this province, this province's point and fair.
            (&hanoi, point_with("commune", "23344"), 403, ""),
            (&hanoi, show(&point, "PLAN-0"), 403, ""),
            (&hanoi, show(&fair, "PLAN-0"), 403, ""),
            // A commune officer is not the office.
            (&officer, point_with("name", "x"), 403, ""),
            (&officer, fair_with("name", "x"), 403, ""),
            // This office, on a ward of Hà Nội, or a commune that does not exist.
            (&office, point_with("commune", "70"), 403, ""),
            (&office, point_with("commune", "99999999"), 422, "commune"),
            // Fields: too long, an unknown kind, a day to come, a fair ending before it starts.
            (&office, point_with("name", &long), 422, "name"),
            (&office, point_with("kind", "kiosk"), 422, "kind"),
            (
                &office,
                point_with("opened_on", "2999-01-01"),
                422,
                "opened_on",
            ),
            (&office, fair_with("ends_on", "2026-04-30"), 422, "ends_on"),
            (
                &office,
                ("promotion/add_fair", owned(&fair_in_2999)),
                422,
                "starts_on",
            ),
            // A revoked product, an unknown code, a forged target, a point that does not exist.
            (&office, show(&point, "PLAN-1"), 422, "code"),
            (&office, show(&point, "NO-SUCH-1"), 422, "code"),
            (&office, show("point:1' OR '1'='1", "PLAN-0"), 422, "target"),
            (&office, show("point:0190aaaa-no-such", "PLAN-0"), 404, ""),
        ];
        for (client, (endpoint, form), status, field) in cases {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let answer = client.call(endpoint, &pairs).await;
            assert_eq!(
                answer.status, status,
                "{endpoint} {form:?}: {}",
                answer.body
            );
            if !field.is_empty() {
                assert_eq!(
                    answer.refused_field().as_deref(),
                    Some(field),
                    "{endpoint} {form:?}: {}",
                    answer.body
                );
            }
        }
        assert_eq!(rows(&server).await, before, "nothing written");
        assert_eq!(audit_rows(&server.db).await, audit, "no audit row");

        // The revoked product's page names no point to buy it at.
        let page = product_page(&server, "PLAN-1").await;
        assert!(!page.contains("id=\"product-points\""), "{page}");
    })
    .await;
}
