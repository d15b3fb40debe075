//! The commune's pre-assessment over HTTP on each engine: queue with working-day
//! deadlines, receipt, checklist and four contents, a supplement round-trip, forward.
use crate::producer::producer_with_product;
use crate::support::{
    create_user, each_engine, fresh_phone, Answer, Client, TestServer, TEST_PASSWORD,
};
use app::auth::{Grant, Role, Scope};
use serde_json::json;

/// An official of `commune` (province 51), signed in.
async fn officer_of(server: &TestServer, commune: i64) -> Client {
    let phone = fresh_phone();
    let grant = Grant {
        role: Role::CommuneOfficer,
        scope: Scope::Commune {
            code: commune,
            province: 51,
        },
    };
    create_user(&server.db, &phone, &[grant]).await;
    let client = server.client();
    client.log_in(&phone, TEST_PASSWORD).await;
    client
}

/// Receives the dossier, saves a (complete or partial) assessment, asks to forward it.
async fn receive_assess_forward(officer: &Client, product: &str, complete: bool) -> Answer {
    let received = officer
        .call("commune/receive", &[("product_id", product)])
        .await;
    assert_eq!(received.status, 200, "{}", received.body);
    let assessed = officer
        .call_json(
            "commune/assess",
            &json!({ "product_id": product, "assessment": assessment(complete) }),
        )
        .await;
    assert_eq!(assessed.status, 200, "{}", assessed.body);
    officer
        .call("commune/forward", &[("product_id", product)])
        .await
}

fn assessment(complete: bool) -> serde_json::Value {
    use app::domain::commune_review::{checklist, CONTENTS};
    use app::domain::dossier::ProductKind;
    let items: Vec<&str> = checklist(ProductKind::FirstTime)
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let items = if complete { items } else { items[..2].to_vec() };
    json!({
        "checklist": items,
        "contents": CONTENTS.iter().map(|(c, _, _)| json!({ "content": c, "agrees": true, "option": 0, "comment": "Đúng như kê khai" })).collect::<Vec<_>>(),
        "samples_received": 5
    })
}

#[tokio::test]
async fn a_dossier_goes_through_the_commune_with_one_supplement_round() {
    for test_db in each_engine().await {
        // Arrange: a producer in commune 23344 with a submitted dossier; its officer; an officer elsewhere.
        let server = TestServer::start(&test_db.url, false, None).await;
        let phone = "+84912000555";
        let (producer, _, product) = producer_with_product(&server, phone).await;
        assert_eq!(
            producer
                .call("producer/submit", &[("product_id", &product)])
                .await
                .body,
            "1"
        );
        let officer = officer_of(&server, 23344).await;
        let elsewhere = officer_of(&server, 23341).await;

        // Act + Assert, step by step.
        let queue = officer.call("commune/queue", &[]).await.json();
        assert_eq!(queue.as_array().map(Vec::len), Some(1), "{queue}");
        assert_eq!(queue[0]["product_name"], "Sâm Ngọc Linh củ tươi");
        assert_eq!(queue[0]["days_left"], 15, "{queue}");
        let elsewhere_queue = elsewhere.call("commune/queue", &[]).await.json();
        assert_eq!(
            elsewhere_queue,
            json!([]),
            "another commune's officer sees nothing"
        );
        assert_eq!(
            elsewhere
                .call("commune/receive", &[("product_id", &product)])
                .await
                .status,
            403
        );
        assert_eq!(
            elsewhere
                .call("producer/dossier", &[("product_id", &product)])
                .await
                .status,
            403
        );

        let refused = receive_assess_forward(&officer, &product, false).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Hồ sơ còn thiếu"), "{}", refused.body);
        let returned = officer
            .call(
                "commune/request_supplement",
                &[
                    ("product_id", &product),
                    ("note", "Bổ sung giấy chứng nhận ATTP"),
                    ("deadline", "2099-01-15"),
                ],
            )
            .await;
        assert_eq!(returned.status, 200, "{}", returned.body);
        let sms = app::db::outbox::messages(&server.db, None, Some(phone))
            .await
            .expect("outbox");
        assert!(
            sms.iter()
                .any(|m| m.body.contains("Bổ sung giấy chứng nhận ATTP")),
            "{sms:?}"
        );
        let reopened = producer
            .call("producer/dossier", &[("product_id", &product)])
            .await
            .json();
        assert_eq!(reopened["product"]["state"], "SupplementRequested");

        assert_eq!(
            producer
                .call("producer/submit", &[("product_id", &product)])
                .await
                .body,
            "2"
        );
        let forwarded = receive_assess_forward(&officer, &product, true).await;
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);
        let dossier = producer
            .call("producer/dossier", &[("product_id", &product)])
            .await
            .json();
        assert_eq!(dossier["product"]["state"], "OfficeReview");
        let states: Vec<_> = dossier["timeline"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["state"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            states,
            vec![
                "Draft",
                "Submitted",
                "CommuneReview",
                "SupplementRequested",
                "Submitted",
                "CommuneReview",
                "OfficeReview"
            ]
        );
        assert_eq!(
            officer.call("commune/queue", &[]).await.json(),
            json!([]),
            "forwarded: off the queue"
        );
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}
