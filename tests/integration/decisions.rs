//! Issue 16: from a sealed round to certificates. The office records the signed
//! decision (refused when back-dated before the seal, dated ahead, from another
//! province, or twice); certificates get consecutive codes; the producer sees the
//! star after publication and gets the certificate PDF with a QR code that opens
//! the verification page.
use crate::support::people::{office_grant, official};
use crate::support::round::{
    answered_sheet, four_star_answers, round_event, scored_sheet, scoring_round, seal_as_chair,
    sync,
};
use crate::support::{each_engine, pdf_qr_codes, pdf_text, said, TestServer};
use app::domain::date::CalendarDate;

#[tokio::test]
async fn a_sealed_round_is_decided_certified_published_and_verifiable() {
    for test_db in each_engine().await {
        // Arrange: two products, a 4★ sheet and a 40-point one from both members; sealed.
        let server = TestServer::start(&test_db.url, false, None).await;
        let round = scoring_round(&server, 2, 2, "qd-26-2026").await;
        let now = app::db::now_ms();
        for (member_id, client) in &round.members {
            let mut changes =
                answered_sheet(member_id, &round.products[0], four_star_answers(), now);
            changes.extend(scored_sheet(member_id, &round.products[1], 40, now + 1000));
            sync(client, &changes).await;
        }
        round_event(&round.office, &round.round_id, "StartDeliberation").await;
        seal_as_chair(&round.members[0].1, &round.round_id).await;
        let office = &round.office;
        let rid = round.round_id.as_str();
        let today = CalendarDate::of_ms_vietnam(app::db::now_ms());
        let record = |number: &str, day: String| {
            let (number, day) = (number.to_string(), day);
            async move {
                office
                    .call(
                        "office/record_decision",
                        &[
                            ("round_id", rid),
                            ("number", &number),
                            ("signed_on", &day),
                            ("signer", "Nguyễn Văn Chủ tịch"),
                        ],
                    )
                    .await
            }
        };

        // Act + Assert: refusals first, nothing recorded by any of them.
        let plain = office
            .call(
                "office/round_event",
                &[("round_id", rid), ("event", "Decide")],
            )
            .await;
        assert_eq!(plain.status, 422, "{}", plain.body);
        let back_dated = record("12/QĐ-UBND", "2020-01-01".into()).await;
        assert_eq!(back_dated.status, 422, "{}", back_dated.body);
        assert!(
            said(&back_dated.body).contains("Ngày ký"),
            "{}",
            back_dated.body
        );
        let ahead = CalendarDate::from_days_since_epoch(today.days_since_epoch() + 1).iso();
        let future = record("12/QĐ-UBND", ahead).await;
        assert_eq!(future.status, 422, "{}", future.body);
        // Someone signed out, a council member, another province's office.
        let stranger = crate::support::Client::new(&server.base);
        let elsewhere = official(&server, office_grant(1)).await;
        let signed_on = today.iso();
        let form = [
            ("round_id", rid),
            ("number", "1"),
            ("signed_on", signed_on.as_str()),
            ("signer", "x"),
        ];
        for (who, client, statuses) in [
            ("signed out", &stranger, &[401, 403][..]),
            ("member", &round.members[1].1, &[403][..]),
            ("other province", &elsewhere, &[403][..]),
        ] {
            let refused = client.call("office/record_decision", &form).await;
            assert!(
                statuses.contains(&refused.status),
                "{who}: {}",
                refused.body
            );
        }
        let view = office.call("office/decision", &[("round_id", rid)]).await;
        assert_eq!(view.status, 200, "{}", view.body);
        assert!(view.json()["recorded"].is_null(), "{}", view.body);

        // Act: record, then publish.
        let recorded = record("12/QĐ-UBND", today.iso()).await;
        assert_eq!(recorded.status, 200, "{}", recorded.body);
        let again = record("13/QĐ-UBND", today.iso()).await;
        assert_eq!(
            again.status, 422,
            "a decided round takes no second decision: {}",
            again.body
        );
        let view = office
            .call("office/decision", &[("round_id", rid)])
            .await
            .json();
        let lines = view["lines"].as_array().cloned().unwrap_or_default();
        assert_eq!(lines[0]["outcome"]["outcome"], "recognised", "{view}");
        assert_eq!(lines[0]["outcome"]["stars"], 4, "{view}");
        assert_eq!(lines[1]["outcome"]["outcome"], "not_recognised", "{view}");
        let code = view["recorded"]["codes"][0][1]
            .as_str()
            .expect("a code")
            .to_string();
        assert!(view["recorded"]["codes"][1][1].is_null(), "{view}");
        let year = CalendarDate::parse(view["recorded"]["signed_on"].as_str().unwrap_or_default())
            .expect("date");
        assert!(code.starts_with("51-23344-001-"), "{code}");
        let _ = year;
        let parsed = app::domain::certificate::ProductCode::parse(&code).expect("a product code");
        assert_eq!(parsed.serial, 1, "{code}");
        let state = app::db::rounds::get(&server.db, rid)
            .await
            .expect("round")
            .expect("found");
        assert_eq!(state.state, app::domain::round::RoundState::Decided);

        // Before publication the producer sees no result; after it, the star.
        let producer = &round.producers[0];
        let before = producer
            .call_on("producer/result", &round.products[0])
            .await;
        assert_eq!(before.status, 200, "{}", before.body);
        assert!(before.json().is_null(), "{}", before.body);
        let published = office
            .call("office/publish_decision", &[("round_id", rid)])
            .await;
        assert_eq!(published.status, 200, "{}", published.body);
        let twice = office
            .call("office/publish_decision", &[("round_id", rid)])
            .await;
        assert_eq!(twice.status, 422, "{}", twice.body);
        let result = producer
            .call_on("producer/result", &round.products[0])
            .await;
        let result = result.json();
        assert_eq!(result["outcome"]["stars"], 4, "{result}");
        assert_eq!(result["certificate"]["code"], code.as_str(), "{result}");
        assert_eq!(result["certificate"]["status"], "valid", "{result}");

        // The certificate: its PDF carries the code, stars, dates and a QR code
        // that decodes to the verification URL; another province's office is refused.
        let (status, _, pdf) = producer
            .get_bytes(&format!("/giay-chung-nhan/{code}.pdf"))
            .await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        assert!(text.contains(&code), "{text}");
        assert!(text.contains("4 SAO"), "{text}");
        assert!(text.contains("12/QĐ-UBND"), "{text}");
        let qr = pdf_qr_codes(&pdf);
        assert!(
            qr.iter().any(|q| q.ends_with(&format!("/xac-minh/{code}"))),
            "{qr:?}"
        );
        let page = server.page(&format!("/xac-minh/{code}")).await;
        assert!(page.contains("data-status=\"valid\""), "{page}");
        let (stranger_status, _, _) = stranger
            .get_bytes(&format!("/giay-chung-nhan/{code}.pdf"))
            .await;
        assert!(matches!(stranger_status, 401 | 403), "{stranger_status}");
        let (elsewhere_status, _, _) = elsewhere
            .get_bytes(&format!("/giay-chung-nhan/{code}.pdf"))
            .await;
        assert_eq!(elsewhere_status, 403, "another province's office");
        let (elsewhere_status, _, _) = elsewhere
            .get_bytes(&format!("/van-phong/dot/{rid}/quyet-dinh.pdf"))
            .await;
        assert_eq!(elsewhere_status, 403, "another province's office");

        // The decision PDF lists the recognised product with its stars and code.
        let (status, _, pdf) = office
            .get_bytes(&format!("/van-phong/dot/{rid}/quyet-dinh.pdf"))
            .await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        assert!(
            text.contains("12/QĐ-UBND") && text.contains(&code) && text.contains("4 sao"),
            "{text}"
        );

        // The decision is frozen in the database.
        for (what, sql) in [
            ("UPDATE decision_items", "UPDATE decision_items SET stars = 5 WHERE decision_id IN (SELECT id FROM decisions WHERE round_id = $1)"),
            ("UPDATE decisions", "UPDATE decisions SET number = 'forged' WHERE round_id = $1"),
        ] {
            crate::hostile::refused_by_database(&server.db, what, sql, &[rid]).await;
        }
        test_db.cleanup(server.stop()).await;
    }
}
