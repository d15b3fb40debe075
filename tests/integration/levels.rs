//! Issue 16: rounds at every level, over HTTP on both engines. Under QĐ 26 a
//! product of ≥ 90 goes to the ministry's central round, comes back < 90 and is
//! recognised 4★ by the province on the central result; under the seed's QĐ
//! 148 a district recognises 3★, forwards ≥ 70 to the province, and decides on
//! what the province returns < 70. Each guard is asked to refuse as an
//! attacker would: the province opening a central round, the ministry or
//! another province reaching into rounds and returns that are not theirs, a
//! product not proposed, from outside the district, decided twice, back-dated.
use crate::support::dossier::{receive_assess_forward, submitted_dossier};
use crate::support::levels::{
    level_round, ministry_of, outcomes, record, record_return, scored_sealed_decided,
    seated_council, try_create_level_round,
};
use crate::support::people::{office_grant, office_of_quang_ngai, officer_of, official};
use crate::support::round::{
    answers_for_total, assign, four_star_answers, round_event, scoring_round, three_star_answers,
    try_add_member, try_assign,
};
use crate::support::{each_engine, fresh_phone, said, TestServer};
use app::auth::Office;
use app::domain::date::CalendarDate;

#[tokio::test]
async fn ninety_goes_to_the_ministry_comes_back_under_ninety_and_the_province_recognises_four_stars(
) {
    for test_db in each_engine().await {
        // Arrange: a provincial round of two products: one scored 95, one 40.
        let server = TestServer::start(&test_db.url, false, None).await;
        let round = scoring_round(&server, 2, 2, "qd-26-2026").await;
        let province = &round.office;
        let (high, low) = (round.products[0].as_str(), round.products[1].as_str());
        let sheets = [(high, answers_for_total(95)), (low, answers_for_total(40))];
        let view = scored_sealed_decided(
            province,
            &round.round_id,
            &round.members,
            &sheets,
            "10/QĐ-UBND",
        )
        .await;
        assert_eq!(outcomes(&view), ["forwarded", "not_recognised"], "{view}");

        // The province cannot open a central round; the ministry opens one.
        let refused = try_create_level_round(province, "Trung ương", "qd-26-2026", "central").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(said(&refused.body).contains("Bộ"), "{}", refused.body);
        let ministry = ministry_of(&server).await;
        let refused = try_create_level_round(&ministry, "Tỉnh", "qd-26-2026", "province").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        let central = level_round(&ministry, "Đợt trung ương 2026", "qd-26-2026", "central").await;

        // Only the forwarded product enters, once, and only by the ministry's hand.
        let not_proposed = try_assign(&ministry, low, &central).await;
        assert_eq!(not_proposed.status, 422, "{}", not_proposed.body);
        let by_province = try_assign(province, high, &central).await;
        assert_eq!(by_province.status, 403, "{}", by_province.body);
        assign(&ministry, high, &central).await;
        let twice = try_assign(&ministry, high, &central).await;
        assert_eq!(twice.status, 422, "{}", twice.body);
        // The province seats nobody on the ministry's council.
        let seat = ("Người lạ", "Sở", "member", "");
        let seated = try_add_member(province, &central, seat).await;
        assert_eq!(seated.status, 403, "{}", seated.body);
        let council = seated_council(&server, &ministry, &central, Office::Ministry, 2).await;
        round_event(&ministry, &central, "StartScoring").await;

        // Act: the central council scores it 4★ (< 90): it goes back to the province.
        let sheets = [(high, four_star_answers())];
        let province_tries = record(province, &central, "1/QĐ-BNNMT").await;
        assert_eq!(province_tries.status, 403, "{}", province_tries.body);
        let view =
            scored_sealed_decided(&ministry, &central, &council, &sheets, "5/QĐ-BNNMT").await;
        assert_eq!(outcomes(&view), ["returned"], "{view}");

        // The province decides on the central result; the ministry and another province cannot.
        let listed = province.call("office/returned", &[]).await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        let listed = listed.json();
        assert_eq!(listed[0]["product_id"], high, "{listed}");
        assert_eq!(listed[0]["proposed"]["stars"], 4, "{listed}");
        let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
        let elsewhere = official(&server, office_grant(1)).await;
        for (who, client) in [("ministry", &ministry), ("another province", &elsewhere)] {
            let refused = record_return(client, &central, high, "7/QĐ-UBND", &today).await;
            assert_eq!(refused.status, 403, "{who}: {}", refused.body);
        }
        let back_dated = record_return(province, &central, high, "7/QĐ-UBND", "2020-01-01").await;
        assert_eq!(back_dated.status, 422, "{}", back_dated.body);
        let not_returned = record_return(province, &round.round_id, low, "8/QĐ-UBND", &today).await;
        assert_eq!(not_returned.status, 422, "{}", not_returned.body);
        let recorded = record_return(province, &central, high, "7/QĐ-UBND", &today).await;
        assert_eq!(recorded.status, 200, "{}", recorded.body);
        let again = record_return(province, &central, high, "9/QĐ-UBND", &today).await;
        assert_eq!(again.status, 422, "{}", again.body);
        // Recorded means frozen in the database too.
        for (what, sql) in [
            ("UPDATE return_decisions", "UPDATE return_decisions SET stars = 4, outcome = 'recognised' WHERE product_id = $1"),
            ("DELETE FROM return_decisions", "DELETE FROM return_decisions WHERE product_id = $1"),
        ] {
            crate::hostile::refused_by_database(&server.db, what, sql, &[high]).await;
        }

        // Assert: the producer sees 4★ with its certificate; the public page verifies it.
        let result = round.producers[0].call_on("producer/result", high).await;
        assert_eq!(result.status, 200, "{}", result.body);
        let result = result.json();
        assert_eq!(result["outcome"]["stars"], 4, "{result}");
        assert_eq!(result["decision_number"], "7/QĐ-UBND", "{result}");
        let code = result["certificate"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(code.starts_with("51-"), "{result}");
        let page = server.get(&format!("/xac-minh/{code}")).await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap_or_default();
        assert!(page.contains("Sâm Ngọc Linh"), "{page}");
        test_db.cleanup(server.stop()).await;
    }
}

#[tokio::test]
async fn under_the_seed_a_district_recognises_three_stars_forwards_seventy_and_decides_what_comes_back(
) {
    for test_db in each_engine().await {
        // Arrange: the former Đắk Glei district (its communes), a second one without 23344,
        // and two dossiers of commune 23344 the office accepted.
        let server = TestServer::start(&test_db.url, false, None).await;
        let communes = app::db::demo::DEMO_DISTRICT_COMMUNES;
        let dak_glei = app::service::districts::define(&server.db, 51, "huyện Đắk Glei", &communes)
            .await
            .expect("a district");
        let other = app::service::districts::define(&server.db, 51, "huyện Khác", &[23368])
            .await
            .expect("another district");
        let twice = app::service::districts::define(&server.db, 51, "huyện Lạ", &[23344]).await;
        assert!(twice.is_err(), "a commune in two districts");
        let officer = officer_of(&server, 23344).await;
        let office = office_of_quang_ngai(&server).await;
        let mut products = Vec::new();
        let mut producers = Vec::new();
        for _ in 0..2 {
            let (producer, product) = submitted_dossier(&server, &fresh_phone()).await;
            let forwarded = receive_assess_forward(&officer, &product, true).await;
            assert_eq!(forwarded.status, 200, "{}", forwarded.body);
            products.push(product);
            producers.push(producer);
        }
        let (three, seventy) = (products[0].as_str(), products[1].as_str());

        // Rounds only at a level the profile names, of a district of one's own province.
        let level = format!("district:{dak_glei}");
        let wrong_profile = try_create_level_round(&office, "Huyện", "qd-26-2026", &level).await;
        assert_eq!(wrong_profile.status, 422, "{}", wrong_profile.body);
        let unknown = try_create_level_round(&office, "Huyện", "qd-148-2023", "district:x").await;
        assert_eq!(unknown.status, 422, "{}", unknown.body);
        let elsewhere = official(&server, office_grant(1)).await;
        let foreign = try_create_level_round(&elsewhere, "Huyện", "qd-148-2023", &level).await;
        assert_eq!(foreign.status, 422, "{}", foreign.body);
        let district = level_round(&office, "Đợt huyện Đắk Glei", "qd-148-2023", &level).await;
        let other_level = format!("district:{other}");
        let other_round = level_round(&office, "Đợt huyện khác", "qd-148-2023", &other_level).await;
        let outside = try_assign(&office, three, &other_round).await;
        assert_eq!(outside.status, 422, "{}", outside.body);
        assert!(said(&outside.body).contains("huyện"), "{}", outside.body);

        // Act: the district council: 3★ for one, ≥ 70 for the other.
        assign(&office, three, &district).await;
        assign(&office, seventy, &district).await;
        let council = seated_council(&server, &office, &district, Office::Province(51), 2).await;
        round_event(&office, &district, "StartScoring").await;
        let sheets = [
            (three, three_star_answers()),
            (seventy, four_star_answers()),
        ];
        let view = scored_sealed_decided(&office, &district, &council, &sheets, "3/QĐ-UBND").await;
        assert_eq!(outcomes(&view), ["recognised 3", "forwarded"], "{view}");
        // A decided district round keeps its district (the frozen round, both engines).
        crate::hostile::refused_by_database(
            &server.db,
            "UPDATE rounds SET district_id",
            "UPDATE rounds SET district_id = (SELECT id FROM district_group WHERE name = 'huyện Khác') \
             WHERE id = $1",
            &[district.as_str()],
        )
        .await;

        // The province's round takes only the product the district proposed.
        let province = level_round(&office, "Đợt tỉnh 2025", "qd-148-2023", "province").await;
        let recognised_already = try_assign(&office, three, &province).await;
        assert_eq!(
            recognised_already.status, 422,
            "{}",
            recognised_already.body
        );
        assign(&office, seventy, &province).await;
        let council = seated_council(&server, &office, &province, Office::Province(51), 2).await;
        round_event(&office, &province, "StartScoring").await;
        let sheets = [(seventy, three_star_answers())];
        let view = scored_sealed_decided(&office, &province, &council, &sheets, "4/QĐ-UBND").await;
        assert_eq!(outcomes(&view), ["returned"], "{view}");

        // The province returned it < 70: the district decides 3★ on that result.
        let listed = office.call("office/returned", &[]).await.json();
        assert_eq!(listed[0]["level"], "district", "{listed}");
        assert_eq!(listed[0]["proposed"]["stars"], 3, "{listed}");
        let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
        let recorded = record_return(&office, &province, seventy, "5/QĐ-UBND", &today).await;
        assert_eq!(recorded.status, 200, "{}", recorded.body);

        // Assert: both producers hold 3★ certificates, issued by the district.
        for (producer, product) in producers.iter().zip([three, seventy]) {
            let result = producer.call_on("producer/result", product).await.json();
            assert_eq!(result["outcome"]["stars"], 3, "{result}");
        }
        let result = producers[0].call_on("producer/result", three).await.json();
        let code = result["certificate"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (status, _, pdf) = producers[0]
            .get_bytes(&format!("/giay-chung-nhan/{code}.pdf"))
            .await;
        assert_eq!(status, 200);
        let text = crate::support::pdf_text(&pdf);
        assert!(text.to_lowercase().contains("huyện đắk glei"), "{text}");
        test_db.cleanup(server.stop()).await;
    }
}
