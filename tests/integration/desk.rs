//! Each demo role's desk on the home page, and the demo council's day: the
//! members' products, one sheet already begun, the chair's console (issue 14).
use crate::support::{for_each_engine_with_demo, TestServer};
use app::db::demo::DEMO_PASSWORD;
use serde_json::json;

async fn desk_of(server: &TestServer, phone: &str) -> serde_json::Value {
    let client = server.client();
    client.log_in(phone, DEMO_PASSWORD).await;
    let desk = client.call("account/desk", &[]).await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    desk.json()
}

fn kinds(desk: &serde_json::Value) -> Vec<(String, i64, String)> {
    desk.as_array()
        .expect("cards")
        .iter()
        .map(|card| {
            (
                card["kind"].as_str().unwrap_or_default().to_string(),
                card["waiting"].as_i64().unwrap_or(-1),
                card["link"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_demo_role_finds_its_work_on_the_home_page_and_the_council_can_score() {
    for_each_engine_with_demo(|server| async move {
        // Arrange: the demo data.

        // Act
        let public = server.client().call("account/desk", &[]).await;
        let producer = desk_of(&server, "+84900000005").await;
        let officer = desk_of(&server, "+84900000003").await;
        let office = desk_of(&server, "+84900000004").await;
        let admin = desk_of(&server, "+84900000002").await;
        let member = desk_of(&server, "+84900000007").await;
        let chair = desk_of(&server, "+84900000006").await;
        let member_client = server.client();
        member_client.log_in("+84900000007", DEMO_PASSWORD).await;
        let products = member_client.call("council/products", &[]).await;
        let chair_client = server.client();
        chair_client.log_in("+84900000006", DEMO_PASSWORD).await;
        let console = chair_client
            .call(
                "council/console",
                &[("round_id", app::db::demo_council::DEMO_ROUND)],
            )
            .await;
        let council_page = server
            .client()
            .http
            .get(format!("{}/council", server.base))
            .send()
            .await
            .expect("/council");

        // Assert
        assert_eq!(
            public.json(),
            serde_json::Value::Null,
            "the public has no desk"
        );
        assert_eq!(
            kinds(&producer),
            vec![("Producer".into(), 0, "/producer".into())]
        );
        assert_eq!(kinds(&officer), vec![("Commune".into(), 0, "/xa".into())]);
        assert_eq!(
            kinds(&office),
            vec![("Office".into(), 1, "/van-phong".into())]
        );
        assert_eq!(kinds(&admin), vec![("Admin".into(), 0, "/admin".into())]);
        assert_eq!(
            kinds(&member),
            vec![("Council".into(), 3, "/cham-diem".into())]
        );
        assert_eq!(
            kinds(&chair),
            vec![
                // The chair handed in the divergent product's sheet.
                ("Council".into(), 2, "/cham-diem".into()),
                (
                    "Chair".into(),
                    0,
                    format!("/hoi-dong/{}", app::db::demo_council::DEMO_ROUND)
                ),
                // Last year's round, sealed: its results and minutes.
                (
                    "Chair".into(),
                    0,
                    format!("/hoi-dong/{}", app::db::demo_history::DEMO_PAST_ROUND)
                ),
            ]
        );
        assert_eq!(chair[1]["label"], json!("Đợt 2 năm 2026 (demo)"));
        let states: Vec<String> = products
            .json()
            .as_array()
            .expect("products")
            .iter()
            .map(|p| p["state"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(states.len(), 3, "{}", products.body);
        assert_eq!(
            states.iter().filter(|s| *s == "draft").count(),
            1,
            "{states:?}"
        );
        assert_eq!(console.status, 200, "{}", console.body);
        assert_eq!(console.json().as_array().map(Vec::len), Some(3));
        assert!(
            council_page.status().is_redirection()
                && council_page.headers()["location"] == "/cham-diem",
            "/council goes to the member's list: {:?}",
            council_page.status()
        );
    })
    .await;
}
