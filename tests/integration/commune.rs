//! The commune's pre-assessment over HTTP on each engine: queue with working-day
//! deadlines, receipt, checklist and four contents, a supplement round-trip, forward.
use crate::support::dossier::{
    ask_supplement, assessment, dossier_view, receive_assess_forward, timeline_states,
    upload_ticket,
};
use crate::support::dossier::{
    pdf_bytes, producer_with_product, register_product, start, submitted_dossier, upload,
};
use crate::support::people::{office_of_quang_ngai, officer_of};
use crate::support::round::{
    add_member, assign, create_round, create_round_on, declare_conflict, round_event, try_assign,
    try_round_event,
};
use crate::support::{
    create_user, for_each_engine, fresh_phone, pdf_text, Answer, Client, TestServer, TEST_PASSWORD,
};
use app::domain::dossier::DossierState;
use clap::Parser;
use serde_json::json;

#[tokio::test]
async fn a_dossier_goes_from_submission_through_the_commune_and_the_office_into_a_round() {
    for_each_engine(|server| async move {
        // Arrange: a producer in commune 23344 with a submitted dossier; its officer; an officer elsewhere.
        let phone = "+84912000555";
        let (producer, _, product) = producer_with_product(&server, phone).await;
        assert_eq!(
            producer.call_on("producer/submit", &product).await.body,
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
            elsewhere.call_on("commune/receive", &product).await.status,
            403
        );
        assert_eq!(
            elsewhere.call_on("producer/dossier", &product).await.status,
            403
        );

        let refused = receive_assess_forward(&officer, &product, false).await;
        refused.assert_refused(422, "Hồ sơ còn thiếu");
        let returned = ask_supplement(
            &officer,
            "commune",
            &product,
            ("Bổ sung giấy chứng nhận ATTP", "2099-01-15"),
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
        let reopened = producer.call_on("producer/dossier", &product).await.json();
        assert_eq!(reopened["product"]["state"], "SupplementRequested");

        assert_eq!(
            producer.call_on("producer/submit", &product).await.body,
            "2"
        );
        let forwarded = receive_assess_forward(&officer, &product, true).await;
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);

        // Mẫu 03 as a PDF: for the commune's officer, not for another commune's.
        let report_path = format!("/xa/ho-so/{product}/mau-03.pdf");
        let (status, content_type, pdf) = officer.get_bytes(&report_path).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "application/pdf"),
            "{}",
            String::from_utf8_lossy(&pdf)
        );
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        crate::support::save_document(&format!("mau-03-{}.pdf", server.engine), &pdf);
        let text = pdf_text(&pdf);
        let (commune, province, _) = app::db::admin_units::names_of_commune(&server.db, 23344)
            .await
            .expect("names")
            .expect("commune 23344");
        for expected in [
            "BÁO CÁO",
            "Sâm Ngọc Linh củ tươi",
            commune.as_str(),
            &format!("đề nghị Ủy ban nhân dân {province}"),
            "Mức đáp ứng tiêu chí 1.1",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not in Mẫu 03: {text}"
            );
        }
        println!(
            "Mẫu 03 on {}: {} bytes, text names {commune:?} and the product",
            server.engine,
            pdf.len()
        );
        assert_eq!(elsewhere.get_bytes(&report_path).await.0, 403);
        let dossier = dossier_view(&producer, &product).await;
        assert_eq!(dossier.product.state, DossierState::OfficeReview);
        assert_eq!(
            timeline_states(&dossier),
            [
                DossierState::Draft,
                DossierState::Submitted,
                DossierState::CommuneReview,
                DossierState::SupplementRequested,
                DossierState::Submitted,
                DossierState::CommuneReview,
                DossierState::OfficeReview
            ]
        );
        assert_eq!(
            officer.call("commune/queue", &[]).await.json(),
            json!([]),
            "forwarded: off the queue"
        );

        // The office: one supplement round-trip, then a round and its council.
        let office = office_of_quang_ngai(&server).await;
        let intake = office.call("office/queue", &[]).await.json();
        assert_eq!(intake.as_array().map(Vec::len), Some(1), "{intake}");

        // The advisory team attaches a site-visit report; the producer cannot, and
        // the office cannot upload in the producer's own slots.
        let report = pdf_bytes(300 * 1024);
        let upload_id = upload_ticket(
            &office,
            &product,
            "site_visit",
            "bien-ban.pdf",
            report.len(),
        )
        .await;
        let stored = upload(&office, &upload_id, &report, 256 * 1024, 0).await;
        assert_eq!(stored.json()["complete"], true, "{}", stored.body);
        assert_eq!(
            start(&producer, &product, "extra_test", "kq.pdf", 1000)
                .await
                .status,
            403
        );
        assert_eq!(
            start(&office, &product, "food_safety", "attp.pdf", 1000)
                .await
                .status,
            403
        );
        let listed = producer.call_on("producer/dossier", &product).await.json();
        assert!(
            listed["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["slot"] == "site_visit"),
            "the report is part of the dossier: {listed}"
        );
        let asked = ask_supplement(
            &office,
            "office",
            &product,
            ("Bổ sung báo cáo tài chính 2025", "2099-02-01"),
        )
        .await;
        assert_eq!(asked.status, 200, "{}", asked.body);
        let told = app::db::outbox::messages(&server.db, None, None)
            .await
            .expect("outbox");
        assert!(
            told.iter()
                .filter(|m| m.body.contains("báo cáo tài chính 2025"))
                .count()
                >= 2,
            "the producer and the commune are told: {told:?}"
        );
        assert_eq!(
            producer.call_on("producer/submit", &product).await.body,
            "3"
        );
        let again = receive_assess_forward(&officer, &product, true).await;
        assert_eq!(again.status, 200, "{}", again.body);
        let (cutoff, closes) = crate::support::open_round_dates();
        let round_id = create_round_on(&office, "Đợt 2 năm 2026", (&cutoff, &closes)).await;
        let too_early = try_round_event(&office, &round_id, "Seal").await;
        assert_eq!(
            too_early.status, 422,
            "a draft round cannot be sealed: {}",
            too_early.body
        );
        round_event(&office, &round_id, "Open").await;
        assign(&office, &product, &round_id).await;
        let (member_phone, outside_phone) = (fresh_phone(), fresh_phone());
        for phone in [&member_phone, &outside_phone] {
            create_user(
                &server.db,
                phone,
                &[crate::support::people::member_grant(&round_id)],
            )
            .await;
        }
        let mut ids = Vec::new();
        for (name, department, position, phone) in [
            ("Lê Văn An", "Sở Nông nghiệp và Môi trường", "chair", ""),
            ("Trần Thị Hoa", "Sở Y tế", "member", member_phone.as_str()),
            (
                "Phạm Quốc Bảo",
                "Sở Công Thương",
                "member",
                outside_phone.as_str(),
            ),
            ("Y Nhung", "Sở Khoa học và Công nghệ", "advisor", ""),
        ] {
            let seat = (name, department, position, phone);
            ids.push(add_member(&office, &round_id, seat).await);
        }
        let member_id = ids[1].clone();
        let (member, outside) = (server.client(), server.client());
        member.log_in(&member_phone, TEST_PASSWORD).await;
        outside.log_in(&outside_phone, TEST_PASSWORD).await;
        assert_eq!(
            outside.call("council/products", &[]).await.json()[0]["product_id"],
            product,
            "unsplit: every scoring member has the product"
        );
        let split = office
            .call(
                "office/assign_members",
                &[
                    ("round_id", &round_id),
                    ("product_id", &product),
                    ("member_ids", &format!("{},{}", ids[0], ids[1])),
                ],
            )
            .await;
        assert_eq!(split.status, 200, "{}", split.body);
        assert_eq!(
            outside.call("council/products", &[]).await.json(),
            json!([]),
            "split: a member not assigned the product does not see it"
        );
        let scored = member.call("council/products", &[]).await.json();
        assert_eq!(
            scored[0]["product_id"], product,
            "the assigned member scores the product: {scored}"
        );
        let seat = (member_id.as_str(), product.as_str());
        declare_conflict(&member, seat, "Người thân là thành viên hợp tác xã").await;
        assert_eq!(
            member.call("council/products", &[]).await.json(),
            json!([]),
            "a conflicted member no longer sees the product"
        );
        let view = office
            .call("office/round", &[("round_id", &round_id)])
            .await
            .json();
        assert_eq!(view["round"]["state"], "Accepting");
        assert_eq!(view["round"]["proposal_cutoff"], json!(cutoff));
        assert_eq!(
            view["round"]["quorum"],
            json!([3, 4]),
            "inherited from the profile"
        );
        assert_eq!(view["dossiers"], json!([product]));
        assert_eq!(view["members"].as_array().map(Vec::len), Some(4));
        assert_eq!(view["conflicts"], json!([[member_id, product]]));
        let dossier = producer.call_on("producer/dossier", &product).await.json();
        assert_eq!(dossier["product"]["state"], "InRound");
        let second = create_round(&office, "Đợt 1 năm 2027").await;
        let twice = try_assign(&office, &product, &second).await;
        assert_eq!(
            twice.status, 422,
            "a dossier is in at most one open round: {}",
            twice.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_holiday_added_with_the_cli_moves_the_communes_deadline() {
    for_each_engine(|server| async move {
        // Arrange: a dossier submitted on a fixed Monday (the date is set, not
        // taken from the clock), and the Tuesday after it.
        let (_producer, product) = submitted_dossier(&server, &fresh_phone()).await;
        let monday = app::domain::date::CalendarDate::parse("2030-03-04").expect("date");
        sqlx::query(
            "UPDATE dossier_events SET at_ms = $1 WHERE product_id = $2 AND state = 'submitted'",
        )
        .bind(monday.start_ms_vietnam() + 9 * 3_600_000)
        .bind(&product)
        .execute(server.db.pool())
        .await
        .expect("submitted on the Monday");
        let officer = officer_of(&server, 23344).await;
        let before = officer.call("commune/queue", &[]).await.json();
        let day = "2030-03-05".to_string();
        let cli = |action: &[&str]| {
            let mut argv = vec!["sao", "holiday", "--database-url", &server.url];
            argv.extend_from_slice(action);
            sao_server::config::Cli::try_parse_from(argv).expect("arguments")
        };
        let run = |parsed: sao_server::config::Cli| async move {
            match parsed.command {
                Some(sao_server::config::Command::Holiday(args)) => {
                    sao_server::holiday(&args).await
                }
                other => panic!("not the holiday command: {other:?}"),
            }
        };

        // Act
        let refused = run(cli(&["add", "--day", "30/02/2027", "--name", "Sai"])).await;
        let added = run(cli(&["add", "--day", &day, "--name", "Ngày nghỉ bù"])).await;
        let listed = run(cli(&["list"])).await;
        let after = officer.call("commune/queue", &[]).await.json();

        // Assert
        assert!(refused.is_err(), "{refused:?}");
        assert!(added.is_ok(), "{added:?}");
        assert!(listed.unwrap_or_default().contains(&day));
        // 15 working days from Monday 4 March 2030: Monday 25 March; with the
        // Tuesday off, Tuesday 26 March. Days left stay the same (the new day
        // off lies between now and the deadline).
        assert_eq!(before[0]["received_on"], "2030-03-04", "{before}");
        assert_eq!(before[0]["deadline"], "2030-03-25", "{before}");
        assert_eq!(
            after[0]["deadline"], "2030-03-26",
            "the deadline moves past the holiday: {after}"
        );
        assert_eq!(
            after[0]["days_left"], before[0]["days_left"],
            "{before} → {after}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_tourism_dossier_goes_up_without_samples_and_goods_need_five() {
    for_each_engine(|server| async move {
        // Arrange: a submitted community-tourism dossier (set 26).
        let (producer, subject, _) = producer_with_product(&server, &fresh_phone()).await;
        let tour = register_product(&producer, &subject, "Du lịch cộng đồng Đắk Plô", 26).await;
        producer.call_on("producer/submit", &tour).await;
        let officer = officer_of(&server, 23344).await;
        let review = officer.call_on("commune/review", &tour).await.json();
        assert_eq!(review["samples_due"], 0, "{review}");

        // Act: five samples recorded for a tourism service, then none.
        let with_samples = receive_assess_forward(&officer, &tour, true).await;
        let mut none = assessment(true);
        none["samples_received"] = json!(0);
        if let Some(items) = none["checklist"].as_array_mut() {
            items.retain(|item| item != "samples");
        }
        let saved = officer
            .call_json(
                "commune/assess",
                &json!({ "product_id": tour, "assessment": none }),
            )
            .await;
        let forwarded = officer.call_on("commune/forward", &tour).await;

        // Assert
        with_samples.assert_refused(422, "không gửi sản phẩm mẫu");
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);
    })
    .await;
}

async fn reject(office: &Client, product: &str, rule: Option<&str>, note: &str) -> Answer {
    let mut form = vec![("product_id", product), ("note", note)];
    form.extend(rule.map(|r| ("rule", r)));
    office.call("office/reject", &form).await
}

#[tokio::test]
async fn the_office_rejects_a_dossier_on_its_scorecards_rule_with_a_particular_reason() {
    for_each_engine(|server| async move {
        // Arrange: a dossier the commune forwarded to the office.
        let (producer, product) = submitted_dossier(&server, &fresh_phone()).await;
        let officer = officer_of(&server, 23344).await;
        assert_eq!(
            receive_assess_forward(&officer, &product, true)
                .await
                .status,
            200
        );
        let office = office_of_quang_ngai(&server).await;
        let intake = office.call("office/queue", &[]).await.json();
        let rules = intake[0]["rejection_rules"].clone();
        assert!(
            rules[0]
                .as_str()
                .is_some_and(|r| r.starts_with("Hồ sơ bị loại khi")),
            "the scorecard's rule is offered: {intake}"
        );

        // Act: without a rule, with one the scorecard lacks, without a reason, then right.
        let no_rule = reject(&office, &product, None, "Giấy ATTP hết hạn").await;
        let unknown_rule = reject(&office, &product, Some("7"), "Giấy ATTP hết hạn").await;
        let no_note = reject(&office, &product, Some("0"), "  ").await;
        let rejected = reject(&office, &product, Some("0"), "Giấy ATTP hết hạn").await;

        // Assert
        no_rule.assert_refused(422, "căn cứ");
        assert_eq!(unknown_rule.status, 422);
        assert_eq!(no_note.status, 422);
        assert_eq!(rejected.status, 200, "{}", rejected.body);
        let dossier = producer.call_on("producer/dossier", &product).await.json();
        assert_eq!(dossier["product"]["state"], "Rejected");
        let last = dossier["timeline"]
            .as_array()
            .and_then(|t| t.last())
            .map(|e| e["note"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        // As the Vietnamese timeline shows the note Sao wrote.
        let last = app::domain::refusal::EventNote::show(&last, app::domain::refusal::Lang::Vi);
        assert!(
            last.contains(rules[0].as_str().unwrap_or("?")) && last.ends_with("Giấy ATTP hết hạn"),
            "the timeline names the rule and the reason: {last}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_commune_and_office_pages_render_for_their_officials() {
    let test_db = crate::support::TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let (_producer, product) = submitted_dossier(&server, "+84912000666").await;
    let officer = officer_of(&server, 23344).await;
    let office = office_of_quang_ngai(&server).await;

    let queue_page = officer.get("/xa").await;
    let review_page = officer.get(&format!("/xa/ho-so/{product}")).await;
    let office_page = office.get("/van-phong").await;

    assert_eq!(queue_page.status, 200);
    assert!(
        queue_page.body.contains("Sâm Ngọc Linh củ tươi"),
        "the queue lists the dossier"
    );
    assert!(
        queue_page.body.contains("còn 15 ngày làm việc"),
        "with its deadline"
    );
    assert!(review_page.body.contains("Đánh giá bốn nội dung (Mẫu 03)"));
    assert_eq!(office_page.status, 200);
    assert!(office_page.body.contains("Tạo đợt đánh giá"));
    let db = server.stop();
    test_db.cleanup(db).await;
}
