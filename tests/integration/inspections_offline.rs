//! Issue 16: an inspection recorded offline carries its device's id, so the
//! tablet may send it again (its first answer lost on the way) and it is
//! recorded once. Over HTTP on both engines, refused as an attacker would
//! send it: a malformed id, the same id with other content, the same id for
//! another certificate, another province's office.
use crate::support::certified::certified_product;
use crate::support::people::{office_grant, official};
use crate::support::{each_engine, Answer, Client, TestServer};
use app::domain::date::CalendarDate;

async fn inspect(client: &Client, id: &str, code: &str, mark_use: &str) -> Answer {
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
    let form = [
        ("id", id),
        ("code", code),
        ("kind", "ad_hoc"),
        ("inspected_on", today.as_str()),
        ("mark_use", mark_use),
        ("findings", "[]"),
        ("outcome", "kept"),
    ];
    client.call("office/inspect", &form).await
}

async fn inspections_of(server: &TestServer, code: &str) -> usize {
    app::db::aftercare::inspections(&server.db, code)
        .await
        .expect("inspections")
        .len()
}

#[tokio::test]
async fn an_inspection_sent_twice_from_a_device_is_recorded_once() {
    for test_db in each_engine().await {
        // Arrange: a certificate of province 51, and another province's office.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (round, code) = certified_product(&server, "40/QĐ-UBND").await;
        let office = &round.office;
        let elsewhere = official(&server, office_grant(1)).await;
        let id = "insp-0a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d";

        // Act + Assert: refused before anything is written.
        for bad in ["short", "insp-../../../../etc/passwd-0000", &"a".repeat(81)] {
            inspect(office, bad, &code, "proper")
                .await
                .assert_refused(422, "không hợp lệ");
        }
        let refused = inspect(&elsewhere, id, &code, "proper").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert_eq!(inspections_of(&server, &code).await, 0);

        // The first send and its repeat: one inspection.
        for _ in 0..2 {
            let sent = inspect(office, id, &code, "proper").await;
            assert_eq!(sent.status, 200, "{}", sent.body);
        }
        assert_eq!(inspections_of(&server, &code).await, 1);
        let audited = app::db::audit::list(&server.db, None)
            .await
            .expect("audit")
            .into_iter()
            .filter(|row| row.action == "inspect_certificate")
            .count();
        assert_eq!(audited, 1, "one audit row for one inspection");

        // The same id with other content is not this inspection.
        inspect(office, id, &code, "not_used")
            .await
            .assert_refused(422, "đã dùng cho một lần kiểm tra khác");
        assert_eq!(inspections_of(&server, &code).await, 1);
        test_db.cleanup(server.stop()).await;
    }
}
