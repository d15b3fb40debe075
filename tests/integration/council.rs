//! Council scoring over HTTP on each engine: tablets' changes kept exactly once
//! whatever their order, the hash chain of submitted sheets, and a sealed round
//! refused by the database itself.
use crate::commune::{office_of_quang_ngai, officer_of, receive_assess_forward};
use crate::producer::producer_with_product;
use crate::support::{
    create_user, each_engine, fresh_phone, pdf_text, workspace_target, Client, TestServer,
    TEST_PASSWORD,
};
use app::auth::{Grant, Role, Scope};
use app::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
use serde_json::json;

/// A round in scoring with one product and two members who have accounts.
struct ScoringRound {
    office: Client,
    round_id: String,
    product: String,
    members: Vec<(String, Client)>,
}

async fn scoring_round(server: &TestServer) -> ScoringRound {
    let (producer, _, product) = producer_with_product(server, &fresh_phone()).await;
    producer
        .call("producer/submit", &[("product_id", &product)])
        .await;
    let officer = officer_of(server, 23344).await;
    assert_eq!(
        receive_assess_forward(&officer, &product, true)
            .await
            .status,
        200
    );
    let office = office_of_quang_ngai(server).await;
    let round_id = office
        .call(
            "office/create_round",
            &[("name", "Đợt 2"), ("year", "2026"), ("number", "2")],
        )
        .await
        .json()
        .as_str()
        .unwrap_or_default()
        .to_string();
    round_event(&office, &round_id, "Open").await;
    let assigned = office
        .call(
            "office/assign",
            &[("product_id", &product), ("round_id", &round_id)],
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    let mut members = Vec::new();
    for (name, position) in [("Lê Văn An", "chair"), ("Trần Thị Hoa", "member")] {
        let phone = fresh_phone();
        create_user(
            &server.db,
            &phone,
            &[Grant {
                role: Role::CouncilMember,
                scope: Scope::Council(round_id.clone()),
            }],
        )
        .await;
        let added = office
            .call(
                "office/add_member",
                &[
                    ("round_id", &round_id),
                    ("name", name),
                    ("department", "Sở Y tế"),
                    ("position", position),
                    ("phone", &phone),
                ],
            )
            .await;
        assert_eq!(added.status, 200, "{}", added.body);
        let client = server.client();
        client.log_in(&phone, TEST_PASSWORD).await;
        members.push((
            added.json().as_str().unwrap_or_default().to_string(),
            client,
        ));
    }
    round_event(&office, &round_id, "StartScoring").await;
    ScoringRound {
        office,
        round_id,
        product,
        members,
    }
}

async fn round_event(office: &Client, round_id: &str, event: &str) {
    let moved = office
        .call(
            "office/round_event",
            &[("round_id", round_id), ("event", event)],
        )
        .await;
    assert_eq!(moved.status, 200, "{event}: {}", moved.body);
}

/// A whole sheet of product set 7 as a tablet makes it: every criterion answered
/// (one changed twice), a note, a knock-out flagged then withdrawn, submitted.
fn sheet_changes(member_id: &str, product: &str) -> Vec<SheetChange> {
    let codes: Vec<String> = app::rules_catalog::product_set("qd-26-2026", 7)
        .expect("set 7")
        .criteria()
        .map(|(_, _, c)| c.code.to_string())
        .collect();
    let mut edits: Vec<SheetEdit> = codes
        .iter()
        .map(|code| SheetEdit::Answer {
            criterion: code.clone(),
            option: Some(0),
        })
        .collect();
    edits.push(SheetEdit::Answer {
        criterion: codes[0].clone(),
        option: Some(1),
    });
    edits.push(SheetEdit::Note {
        criterion: codes[0].clone(),
        text: "Nguyên liệu tại chỗ".into(),
    });
    edits.push(SheetEdit::Knockout {
        criterion: codes[1].clone(),
        flagged: true,
    });
    edits.push(SheetEdit::Knockout {
        criterion: codes[1].clone(),
        flagged: false,
    });
    edits.push(SheetEdit::Submit);
    edits
        .into_iter()
        .enumerate()
        .map(|(i, edit)| SheetChange {
            change_id: format!("{member_id}-{i}"),
            member_id: member_id.to_string(),
            product_id: product.to_string(),
            stamp: Stamp {
                device_ms: 1_764_000_000_000 + i as i64,
                device_id: "tablet-7".into(),
                seq: i as u64 + 1,
            },
            edit,
        })
        .collect()
}

async fn sync(member: &Client, changes: &[SheetChange]) -> serde_json::Value {
    let answer = member
        .call_json("council/sync", &json!({ "changes": changes }))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

async fn stored_sheet(server: &TestServer, member_id: &str, product: &str) -> SheetState {
    app::db::sheets::sheet(&server.db, member_id, product)
        .await
        .expect("sheet")
        .expect("a stored sheet")
}

#[tokio::test]
async fn the_same_batch_sent_twice_and_out_of_order_stores_the_same_sheets() {
    for test_db in each_engine().await {
        // Arrange: two members; the same edits for each (their own change ids).
        let server = TestServer::start(&test_db.url, false, None).await;
        let round = scoring_round(&server).await;
        let (first_id, first) = &round.members[0];
        let (second_id, second) = &round.members[1];
        let in_order = sheet_changes(first_id, &round.product);
        let shuffled: Vec<SheetChange> = {
            let mut batch = sheet_changes(second_id, &round.product);
            batch.reverse();
            batch.rotate_left(7);
            batch
        };

        // Act: one in-order send; the other twice, shuffled, the second time split.
        let once = sync(first, &in_order).await;
        let twice_a = sync(second, &shuffled).await;
        let (head, tail) = shuffled.split_at(10);
        let twice_b = sync(second, tail).await;
        let twice_c = sync(second, head).await;

        // Assert: every change acknowledged, kept once; the sheets are the same.
        assert_eq!(
            once["stored"].as_array().map(Vec::len),
            Some(in_order.len())
        );
        assert_eq!(once["refused"], json!([]));
        for receipt in [&twice_a, &twice_b, &twice_c] {
            assert_eq!(receipt["refused"], json!([]), "{receipt}");
        }
        let (kept,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sheet_changes WHERE member_id = $1")
                .bind(second_id)
                .fetch_one(server.db.pool())
                .await
                .expect("count");
        assert_eq!(
            kept as usize,
            shuffled.len(),
            "each change kept exactly once"
        );
        let (a, b) = (
            stored_sheet(&server, first_id, &round.product).await,
            stored_sheet(&server, second_id, &round.product).await,
        );
        assert_eq!(a, b);
        assert!(a.submitted.is_some());
        assert_eq!(a.choices().values().filter(|c| **c == Some(1)).count(), 1);
        assert_eq!(a.flagged_knockouts(), Vec::<String>::new());
        let (versions,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sheet_versions WHERE round_id = $1")
                .bind(&round.round_id)
                .fetch_one(server.db.pool())
                .await
                .expect("count");
        assert_eq!(versions, 2, "one chained version per submitted sheet");
        println!(
            "sync on {}: {} changes once in order = the same sent twice, shuffled and split",
            test_db.engine,
            in_order.len()
        );
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_sealed_round_refuses_every_change_in_the_database_and_its_chain_recomputes() {
    for test_db in each_engine().await {
        // Arrange: both sheets submitted, the round sealed.
        let server = TestServer::start(&test_db.url, false, None).await;
        let round = scoring_round(&server).await;
        for (member_id, client) in &round.members {
            sync(client, &sheet_changes(member_id, &round.product)).await;
        }
        let (_, chair) = &round.members[0];
        let console = chair
            .call("council/console", &[("round_id", &round.round_id)])
            .await;
        assert_eq!(console.status, 200, "{}", console.body);
        let row = &console.json()[0];
        assert_eq!(row["quorum"], json!([2, 2, true]), "{row}");
        assert!(row["outcome"]["mean"].is_string(), "{row}");
        round_event(&round.office, &round.round_id, "StartDeliberation").await;
        round_event(&round.office, &round.round_id, "Seal").await;

        // Act: write to the sheets behind the application's back, and through it.
        let update = sqlx::query("UPDATE sheets SET content = '{}' WHERE round_id = $1")
            .bind(&round.round_id)
            .execute(server.db.pool())
            .await;
        let delete = sqlx::query("DELETE FROM sheets WHERE round_id = $1")
            .bind(&round.round_id)
            .execute(server.db.pool())
            .await;
        let rewrite = sqlx::query("UPDATE sheet_versions SET content = '{}' WHERE round_id = $1")
            .bind(&round.round_id)
            .execute(server.db.pool())
            .await;
        let (member_id, client) = &round.members[0];
        let mut late = sheet_changes(member_id, &round.product);
        late.truncate(1);
        late[0].change_id = "late".into();
        let late_sync = sync(client, &late).await;

        // Assert
        for (what, outcome) in [
            ("UPDATE sheets", &update),
            ("DELETE sheets", &delete),
            ("UPDATE sheet_versions", &rewrite),
        ] {
            let error = outcome
                .as_ref()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                error.contains("sealed") || error.contains("append-only"),
                "{what} after sealing on {}: {outcome:?}",
                test_db.engine
            );
        }
        assert_eq!(late_sync["stored"], json!([]), "{late_sync}");
        let verified = app::db::sheets::verify_chain(&server.db, &round.round_id)
            .await
            .expect("chain");
        let (length, head) = verified.expect("the chain recomputes");
        assert_eq!(length, 2);
        assert_eq!(head.len(), 64);
        let minutes_path = app::api::council::MINUTES_PATH.replace("{id}", &round.round_id);
        let (status, _, pdf) = round.office.get_bytes(&minutes_path).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        let text = pdf_text(&pdf);
        for expected in [
            head.as_str(),
            "Sâm Ngọc Linh củ tươi",
            "Trần Thị Hoa",
            "Điểm trung bình",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not in the minutes: {text}"
            );
        }
        let saved = workspace_target().join("documents");
        std::fs::create_dir_all(&saved).expect("target/documents");
        std::fs::write(saved.join(format!("bien-ban-{}.pdf", test_db.engine)), &pdf)
            .expect("save the minutes");
        println!(
            "sealed on {}: UPDATE/DELETE refused by the database; chain of {length} recomputes to {head}, printed in the minutes",
            test_db.engine
        );
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}
