//! Issue 16: an upgrade dossier names its certificate; the council's tablet
//! and the chair's console show the previous result per criterion beside the
//! new sheet, with what the producer says changed. Read from the sheets counted
//! at that evaluation's seal; refused to anyone who does not score it or run it.
use crate::support::certified::certified_product;
use crate::support::dossier::{assessment, register_product_as};
use crate::support::people::{member_grant, officer_of};
use crate::support::round::{add_member, assign, create_round, four_star_answers, round_event};
use crate::support::{create_user, each_engine, fresh_phone, TestServer, TEST_PASSWORD};
use app::domain::commune_review::checklist;
use app::domain::dossier::ProductKind;
use serde_json::json;

#[tokio::test]
async fn an_upgrade_shows_the_previous_result_per_criterion_on_the_tablet_and_the_console() {
    for test_db in each_engine().await {
        // Arrange: a 4★ certificate (two members gave `four_star_answers`), then
        // the same subject's upgrade dossier naming it, accepted into a new round.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (certified, code) = certified_product(&server, "21/QĐ-UBND").await;
        let producer = &certified.producers[0];
        let subject = app::db::producers::product_scope(&server.db, &certified.products[0])
            .await
            .expect("scope")
            .expect("a subject")
            .subject_id;
        let changes = "Bao bì mới, thêm chứng nhận VietGAP";
        let upgrade = register_product_as(
            producer,
            &subject,
            ("Sâm Ngọc Linh củ tươi", 7),
            ("upgrade", &code, changes),
        )
        .await;
        let submitted = producer.call_on("producer/submit", &upgrade).await;
        assert_eq!(submitted.status, 200, "{}", submitted.body);
        let officer = officer_of(&server, 23344).await;
        let received = officer.call_on("commune/receive", &upgrade).await;
        assert_eq!(received.status, 200, "{}", received.body);
        let mut checked = assessment(true);
        checked["checklist"] = json!(checklist(ProductKind::Upgrade));
        let form = json!({ "product_id": upgrade, "assessment": checked });
        let assessed = officer.call_json("commune/assess", &form).await;
        assert_eq!(assessed.status, 200, "{}", assessed.body);
        let forwarded = officer.call_on("commune/forward", &upgrade).await;
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);
        let office = &certified.office;
        let round_id = create_round(office, "Đợt nâng hạng").await;
        round_event(office, &round_id, "Open").await;
        assign(office, &upgrade, &round_id).await;
        let phone = fresh_phone();
        create_user(&server.db, &phone, &[member_grant(&round_id)]).await;
        let seat = ("Lê Văn Chấm", "Sở", "chair", phone.as_str());
        add_member(office, &round_id, seat).await;
        let member = server.client();
        member.log_in(&phone, TEST_PASSWORD).await;
        round_event(office, &round_id, "StartScoring").await;

        // Act: the member's tablet and the office's console ask.
        let dossier = member.call_on("council/dossier", &upgrade).await;
        let console = office
            .call(
                "council/previous_results",
                &[("round_id", round_id.as_str())],
            )
            .await;

        // Assert: the certificate, its stars, what changed, and per criterion the
        // points both members gave then (the same answers: the mean is exact).
        assert_eq!(dossier.status, 200, "{}", dossier.body);
        let previous = &dossier.json()["previous"];
        assert_eq!(previous["certificate"], code.as_str(), "{previous}");
        assert_eq!(previous["stars"], 4, "{previous}");
        assert_eq!(previous["changes"], changes, "{previous}");
        let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
        for (criterion, chosen) in four_star_answers() {
            let code = sao_scoring::CriterionCode::parse(&criterion).expect("a code");
            let points = chosen
                .and_then(|i| card.criterion(&code)?.option(sao_scoring::OptionIndex(i)))
                .map_or(0, |o| o.points);
            let shown = previous["criteria"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c[0] == criterion.as_str()))
                .map(|c| c[1].clone());
            assert_eq!(shown, Some(format!("{points}.00").into()), "{criterion}");
        }
        assert_eq!(console.status, 200, "{}", console.body);
        assert_eq!(console.json()[0][0], upgrade.as_str(), "{}", console.body);
        assert_eq!(console.json()[0][1]["certificate"], code.as_str());

        // Refused: the producer (no seat), an officer; a first-time dossier has none.
        for client in [producer, &officer] {
            let refused = client
                .call(
                    "council/previous_results",
                    &[("round_id", round_id.as_str())],
                )
                .await;
            assert_eq!(refused.status, 403, "{}", refused.body);
            let refused = client.call_on("council/dossier", &upgrade).await;
            assert_eq!(refused.status, 403, "{}", refused.body);
        }
        test_db.cleanup(server.stop()).await;
    }
}

#[tokio::test]
async fn a_re_evaluation_at_the_office_carries_its_45_day_deadline() {
    for test_db in each_engine().await {
        // Arrange: a re-evaluation naming a paper certificate (Sao cannot check
        // its window; the office does at intake), forwarded complete today.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (_, product) = crate::support::dossier::reevaluation_at_office(&server).await;

        // Act
        let office = crate::support::people::office_of_quang_ngai(&server).await;
        let queue = office.call("office/queue", &[]).await.json();

        // Assert: 45 days from today (Vietnam's day).
        let today = app::domain::date::CalendarDate::of_ms_vietnam(app::db::now_ms());
        let due = app::domain::certificate::reevaluation_due(today).day_month_year();
        let item = queue
            .as_array()
            .and_then(|all| all.iter().find(|i| i["product"]["id"] == product.as_str()))
            .cloned()
            .unwrap_or_default();
        assert_eq!(item["reevaluate_by"], due.as_str(), "{queue}");
        test_db.cleanup(server.stop()).await;
    }
}
