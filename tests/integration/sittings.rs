//! Issue 16 (QĐ 26/2026, Điều 7.6 d): a re-evaluation is evaluated by written
//! opinion; the council meets in person only when its chair asks, with the
//! reason. Over HTTP on both engines, each guard asked to refuse as an
//! attacker would: a first-time dossier slipped into a written round, a
//! member who does not chair, the producer, another province's office, no
//! reason, a second request, a request after the seal; and the database keeps
//! the sitting frozen once the round is sealed.
use crate::support::dossier::{receive_assess_forward, reevaluation_at_office, submitted_dossier};
use crate::support::levels::{scored_sealed_decided, seated_council};
use crate::support::people::{office_grant, office_of_quang_ngai, officer_of, official};
use crate::support::round::{assign, four_star_answers, round_event, try_assign};
use crate::support::{
    assert_contains_all, each_engine, fresh_phone, pdf_text, Answer, Client, TestServer,
};
use app::auth::Office;

async fn try_written_round(office: &Client, sitting: &str) -> Answer {
    let (cutoff, closes) = crate::support::open_round_dates();
    let form = [
        ("name", "Đợt đánh giá lại"),
        ("proposal_cutoff", cutoff.as_str()),
        ("closes_on", closes.as_str()),
        ("sitting", sitting),
    ];
    office.call("office/create_round", &form).await
}

async fn ask_meeting(client: &Client, round_id: &str, reason: &str) -> Answer {
    let form = [("round_id", round_id), ("reason", reason)];
    client.call("council/ask_meeting", &form).await
}

#[tokio::test]
async fn a_written_opinion_round_takes_re_evaluations_and_only_its_chair_turns_it_into_a_meeting() {
    for test_db in each_engine().await {
        // Arrange: a re-evaluation and a first-time dossier at the office.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (producer, reevaluation) = reevaluation_at_office(&server).await;
        let (_, first_time) = submitted_dossier(&server, &fresh_phone()).await;
        let officer = officer_of(&server, 23344).await;
        let forwarded = receive_assess_forward(&officer, &first_time, true).await;
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);
        let office = office_of_quang_ngai(&server).await;

        // Act and assert: the round form refuses an unknown sitting.
        try_written_round(&office, "oral")
            .await
            .assert_refused(422, "Hãy chọn hình thức đánh giá");
        let created = try_written_round(&office, "written").await;
        assert_eq!(created.status, 200, "{}", created.body);
        let round_id = created.json().as_str().unwrap_or_default().to_string();
        round_event(&office, &round_id, "Open").await;
        let rounds = office.call("office/rounds", &[]).await.json();
        let listed = rounds
            .as_array()
            .and_then(|all| all.iter().find(|r| r["id"] == round_id.as_str()).cloned())
            .unwrap_or_default();
        assert_eq!(listed["sitting"], "written", "{rounds}");

        // A written round takes the re-evaluation, not the first-time dossier.
        try_assign(&office, &first_time, &round_id)
            .await
            .assert_refused(422, "chỉ dành cho hồ sơ đánh giá lại");
        assign(&office, &reevaluation, &round_id).await;
        let council = seated_council(&server, &office, &round_id, Office::Province(51), 2).await;
        round_event(&office, &round_id, "StartScoring").await;
        let (chair, member) = (&council[0].1, &council[1].1);

        // Refused: a member who does not chair, the producer, another province.
        let elsewhere = official(&server, office_grant(1)).await;
        for (who, client) in [
            ("member", member),
            ("producer", &producer),
            ("another province", &elsewhere),
        ] {
            let refused = ask_meeting(client, &round_id, "Họp cho nhanh").await;
            assert_eq!(refused.status, 403, "{who}: {}", refused.body);
        }
        ask_meeting(chair, &round_id, "   ")
            .await
            .assert_refused(422, "Vui lòng ghi lý do họp trực tiếp");
        let reason = "Ý kiến về tiêu chí 2.3 khác nhau nhiều";
        let asked = ask_meeting(chair, &round_id, reason).await;
        assert_eq!(asked.status, 200, "{}", asked.body);
        ask_meeting(chair, &round_id, "Lần nữa")
            .await
            .assert_refused(422, "đã họp trực tiếp");
        let status = chair
            .call("council/round_status", &[("round_id", round_id.as_str())])
            .await
            .json();
        assert_eq!(status["sitting"], "meeting", "{status}");
        assert_eq!(status["meeting_asked"]["reason"], reason, "{status}");

        // The council scores, seals and the office decides; then nothing moves.
        let sheets = [(reevaluation.as_str(), four_star_answers())];
        scored_sealed_decided(&office, &round_id, &council, &sheets, "31/QĐ-UBND").await;
        ask_meeting(chair, &round_id, "Sau niêm phong")
            .await
            .assert_refused(422, "không đổi được hình thức");
        for (what, sql) in [
            ("back to written", "UPDATE rounds SET sitting = 'written', meeting_reason = NULL, meeting_asked_ms = NULL, meeting_asked_by = NULL WHERE id = $1"),
            ("another reason", "UPDATE rounds SET meeting_reason = 'Khác' WHERE id = $1"),
        ] {
            crate::hostile::refused_by_database(&server.db, what, sql, &[&round_id]).await;
        }

        // The minutes say how the council sat, when it changed and why.
        let path = app::api::council::MINUTES_PATH.replace("{id}", &round_id);
        let (status, _, pdf) = chair.get_bytes(&path).await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        assert_contains_all(
            &text,
            &[
                "lấy ý kiến bằng văn bản",
                "chuyển sang họp trực tiếp",
                "2.3 khác nhau nhiều",
            ],
            "minutes",
        );
        test_db.cleanup(server.stop()).await;
    }
}
