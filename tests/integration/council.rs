//! Council scoring over HTTP on each engine: tablets' changes kept exactly once
//! whatever their order, the hash chain of submitted sheets, and a sealed round
//! refused by the database itself.
use crate::support::people::office_of_quang_ngai;
use crate::support::round::{
    answers_for_total, declare_conflict, handed_in, request_rescore, rescored, round_event,
    scored_sheet, scoring_round, scoring_round_with, seal_as_chair, submit, sync, try_round_event,
};
use crate::support::{each_engine, for_each_engine, pdf_qr_codes, pdf_text, Client, TestServer};
use app::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
use serde_json::json;

/// A whole sheet of product set 7 as a tablet makes it: every criterion answered
/// (one changed twice), a note, a knock-out flagged then withdrawn, submitted.
fn sheet_changes(member_id: &str, product: &str, from_ms: i64) -> Vec<SheetChange> {
    let codes: Vec<String> = app::rules_catalog::product_set("qd-26-2026", 7)
        .expect("set 7")
        .criteria()
        .map(|(_, _, c)| c.code.to_string())
        .collect();
    let mut edits: Vec<SheetEdit> = codes
        .iter()
        .map(|code| SheetEdit::Answer {
            criterion: crate::support::criterion(code),
            option: Some(0),
        })
        .collect();
    edits.push(SheetEdit::Answer {
        criterion: crate::support::criterion(&codes[0]),
        option: Some(1),
    });
    edits.push(SheetEdit::Note {
        criterion: crate::support::criterion(&codes[0]),
        text: "Nguyên liệu tại chỗ".into(),
    });
    edits.push(SheetEdit::Knockout {
        criterion: crate::support::criterion(&codes[1]),
        flagged: true,
    });
    edits.push(SheetEdit::Knockout {
        criterion: crate::support::criterion(&codes[1]),
        flagged: false,
    });
    edits.push(submit());
    handed_in(
        edits
            .into_iter()
            .enumerate()
            .map(|(i, edit)| SheetChange {
                change_id: format!("{member_id}-{i}"),
                member_id: member_id.to_string(),
                product_id: product.to_string(),
                stamp: Stamp {
                    device_ms: from_ms + i as i64,
                    device_id: "tablet-7".into(),
                    seq: i as u64 + 1,
                },
                edit,
            })
            .collect(),
    )
}

async fn stored_sheet(server: &TestServer, member_id: &str, product: &str) -> SheetState {
    app::db::sheets::sheet(&server.db, member_id, product)
        .await
        .expect("sheet")
        .expect("a stored sheet")
}

#[tokio::test]
async fn the_same_batch_sent_twice_and_out_of_order_stores_the_same_sheets() {
    for_each_engine(|server| async move {
        // Arrange: two members; the same edits for each (their own change ids).
        let round = scoring_round(&server, 1, 2, "qd-26-2026").await;
        let (first_id, first) = &round.members[0];
        let (second_id, second) = &round.members[1];
        // One base for both: their sheets are then equal, stamps included.
        let from_ms = app::db::now_ms();
        let in_order = sheet_changes(first_id, &round.products[0], from_ms);
        let shuffled: Vec<SheetChange> = {
            let mut batch = sheet_changes(second_id, &round.products[0], from_ms);
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
            stored_sheet(&server, first_id, &round.products[0]).await,
            stored_sheet(&server, second_id, &round.products[0]).await,
        );
        // The same sheet; only the change ids (each member's own) differ in the trail.
        let seen = |s: &SheetState| (s.content_digest(), s.submitted.clone(), s.versions);
        assert_eq!(seen(&a), seen(&b));
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
            server.engine,
            in_order.len()
        );
    })
    .await;
}

#[tokio::test]
async fn a_sealed_round_refuses_every_change_in_the_database_and_its_chain_recomputes() {
    for_each_engine(|server| async move {
        // Arrange: both sheets submitted, the round sealed.
        let round = scoring_round(&server, 1, 2, "qd-26-2026").await;
        for (member_id, client) in &round.members {
            sync(
                client,
                &sheet_changes(member_id, &round.products[0], app::db::now_ms()),
            )
            .await;
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
        seal_as_chair(&round.members[0].1, &round.round_id).await;

        // Act + Assert: write to the sheets behind the application's back, and through it.
        let round_id = round.round_id.as_str();
        for (what, sql) in [
            (
                "UPDATE sheets",
                "UPDATE sheets SET content = '{}' WHERE round_id = $1",
            ),
            ("DELETE sheets", "DELETE FROM sheets WHERE round_id = $1"),
            (
                "UPDATE sheet_versions",
                "UPDATE sheet_versions SET content = '{}' WHERE round_id = $1",
            ),
        ] {
            crate::hostile::refused_by_database(&server.db, what, sql, &[round_id]).await;
        }
        let (member_id, client) = &round.members[0];
        let mut late = sheet_changes(member_id, &round.products[0], app::db::now_ms());
        late.truncate(1);
        late[0].change_id = "late".into();
        let late_sync = sync(client, &late).await;
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
        let seal = app::db::results::stored_seal_digest(&server.db, &round.round_id)
            .await
            .expect("seal")
            .expect("sealed with a digest");
        for expected in [
            seal.as_str(),
            "Sâm Ngọc Linh củ tươi",
            "Trần Thị Hoa",
            "Điểm trung bình",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not in the minutes: {text}"
            );
        }
        crate::support::save_document(&format!("bien-ban-{}.pdf", server.engine), &pdf);
        println!(
            "sealed on {}: UPDATE/DELETE refused by the database; chain of {length} recomputes to {head}, printed in the minutes",
            server.engine
        );
    })
    .await;
}

/// The model's result for the same sheets, computed here without the server.
fn expected_outcome(
    profile_id: &str,
    totals: &[Option<u32>],
) -> (Option<sao_scoring::CouncilResult>, u32) {
    let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
    let profile = app::rules_catalog::profiles()
        .expect("profiles")
        .into_iter()
        .find(|p| p.id == profile_id)
        .expect("profile");
    let sheets: Vec<sao_scoring::MemberSheet> = totals
        .iter()
        .map(|total| {
            let answers = match total {
                Some(total) => answers_for_total(*total),
                None => answers_for_total(0)
                    .into_iter()
                    .map(|(c, _)| (c, None))
                    .collect(),
            };
            sao_scoring::MemberSheet {
                answers: sao_scoring::Answers(
                    answers
                        .into_iter()
                        .map(|(c, o)| {
                            (
                                sao_scoring::CriterionCode::parse(&c).expect("code"),
                                o.map(sao_scoring::OptionIndex),
                            )
                        })
                        .collect(),
                ),
                conflict: total.is_none(),
                knockouts: Vec::new(),
            }
        })
        .collect();
    let confirmed = std::collections::BTreeSet::new();
    let input = sao_scoring::CouncilInput {
        scorecard: card,
        profile: &profile,
        level: "province",
        sheets: &sheets,
        members: Some(totals.len() as u32),
        chair: Some(0),
        confirmed_knockouts: &confirmed,
    };
    (input.evaluate().ok(), totals.len() as u32)
}

#[tokio::test]
async fn a_full_round_with_a_conflict_a_rescore_and_a_mean_near_70_under_both_profiles() {
    for profile in ["qd-26-2026", "qd-148-2023"] {
        for test_db in each_engine().await {
            // Arrange: 5 members, 4 products. A scores high; B has one member far
            // off (re-scored); C averages 69.2; member 5 is conflicted on D.
            let server = TestServer::start(&test_db.url, false, None).await;
            let round = scoring_round(&server, 4, 5, profile).await;
            let (a, b, c, d) = (
                &round.products[0],
                &round.products[1],
                &round.products[2],
                &round.products[3],
            );
            let plan: [(&String, [Option<u32>; 5]); 4] = [
                (a, [Some(92), Some(93), Some(91), Some(92), Some(94)]),
                (b, [Some(75), Some(76), Some(74), Some(75), Some(55)]),
                (c, [Some(69), Some(70), Some(69), Some(69), Some(69)]),
                (d, [Some(60), Some(61), Some(59), Some(60), None]),
            ];
            let (last_id, last_member) = &round.members[4];
            let reason = "Con gái là thành viên hợp tác xã";
            declare_conflict(last_member, (last_id, d), reason).await;

            // Act: every sheet synced; B re-scored by member 5 after the chair asks.
            let mut b_first = Vec::new();
            for (product, totals) in &plan {
                for ((member_id, client), total) in round.members.iter().zip(totals) {
                    if let Some(total) = total {
                        let sheet = scored_sheet(member_id, product, *total, app::db::now_ms());
                        if *product == b && member_id == last_id {
                            b_first = sheet.clone();
                        }
                        let receipt = sync(client, &sheet).await;
                        assert_eq!(receipt["refused"], json!([]), "{receipt}");
                    }
                }
            }
            let (_, chair) = &round.members[0];
            let console = |chair: &Client| {
                let round_id = round.round_id.clone();
                let chair = chair.clone();
                async move {
                    chair
                        .call("council/console", &[("round_id", &round_id)])
                        .await
                        .json()
                }
            };
            let before = console(chair).await;
            request_rescore(
                chair,
                &round.round_id,
                (last_id, b),
                "Tổng điểm lệch 20 điểm so với các thành viên khác",
            )
            .await;
            let waiting = console(chair).await;
            let again = rescored(
                last_member,
                b,
                &b_first,
                scored_sheet(last_id, b, 74, app::db::now_ms() + 1_000),
            )
            .await;
            assert_eq!(sync(last_member, &again).await["refused"], json!([]));
            round_event(&round.office, &round.round_id, "StartDeliberation").await;
            let after = console(chair).await;
            let page = chair.get(&format!("/hoi-dong/{}", round.round_id)).await;
            assert_eq!(page.status, 200);
            assert!(
                page.body.contains("sát ngưỡng: 70") && page.body.contains("Trung bình"),
                "the chair's console page shows flags and results"
            );
            let office_seal = try_round_event(&round.office, &round.round_id, "Seal").await;
            assert_eq!(
                office_seal.status, 422,
                "the office does not seal: {}",
                office_seal.body
            );
            seal_as_chair(chair, &round.round_id).await;

            // Assert
            let row = |console: &serde_json::Value, product: &str| {
                console
                    .as_array()
                    .and_then(|rows| rows.iter().find(|r| r["product_id"] == product))
                    .cloned()
                    .unwrap_or_default()
            };
            assert!(
                row(&before, b)["divergent_totals"].as_u64() > Some(10),
                "B diverges before the re-score: {}",
                row(&before, b)
            );
            assert_eq!(row(&waiting, b)["cells"][4]["state"], "rescore");
            assert!(
                row(&after, b)["divergent_totals"].is_null(),
                "{}",
                row(&after, b)
            );
            let b_versions = app::db::sheets::verify_chain(&server.db, &round.round_id)
                .await
                .expect("chain")
                .expect("the chain recomputes");
            assert_eq!(b_versions.0, 20, "19 sheets + the re-scored version");
            let mut final_plan = plan;
            final_plan[1].1[4] = Some(74);
            for (product, totals) in &final_plan {
                let got = row(&after, product);
                let (expected, _) = expected_outcome(profile, totals);
                let expected = expected.expect("the model's result");
                let outcome = expected.outcome.as_ref().expect("quorum met");
                assert_eq!(got["outcome"]["sum"], json!(outcome.sum), "{got}");
                assert_eq!(got["outcome"]["counted"], json!(outcome.counted), "{got}");
                assert_eq!(got["outcome"]["mean"], json!(outcome.mean), "{got}");
                assert_eq!(
                    got["outcome"]["star"],
                    json!(outcome.star.map(|s| s.get())),
                    "{got}"
                );
                assert_eq!(
                    got["near_boundary"],
                    json!(expected.flags.near_boundary),
                    "{got}"
                );
            }
            assert_eq!(
                row(&after, d)["outcome"]["counted"],
                4,
                "the conflicted member is excluded"
            );
            assert_eq!(row(&after, d)["cells"][4]["state"], "conflict");
            assert_eq!(row(&after, c)["near_boundary"], 70);
            let c_next = next_step_vi(&row(&after, c)["outcome"]["next_step"]);
            let a_next = next_step_vi(&row(&after, a)["outcome"]["next_step"]);
            assert!(
                a_next.starts_with("Đề xuất lên Hội đồng cấp trung ương"),
                "{a_next}"
            );
            if profile == "qd-148-2023" {
                assert_eq!(
                    c_next, "Trả về Hội đồng cấp huyện",
                    "QĐ 148: below 70 goes back"
                );
            } else {
                assert!(
                    !c_next.starts_with("Trả về"),
                    "QĐ 26: the province decides: {c_next}"
                );
            }
            let minutes_path = app::api::council::MINUTES_PATH.replace("{id}", &round.round_id);
            let (status, _, pdf) = round.office.get_bytes(&minutes_path).await;
            assert_eq!(status, 200);
            let text = pdf_text(&pdf);
            let seal = app::db::results::stored_seal_digest(&server.db, &round.round_id)
                .await
                .expect("seal")
                .expect("sealed with a digest");
            assert!(text.contains(&seal) && text.contains(&c_next), "{text}");
            assert!(
                text.contains("đã xem xét cảnh báo") && text.contains("sát ngưỡng: 70"),
                "the chair's acknowledgement of C's flag is printed: {text}"
            );
            println!(
                "full round on {} under {profile}: 5 members, 4 products; A → {a_next}; C (mean {}) → {c_next}; D counted 4 of 5; B re-scored; chain of {} sealed",
                test_db.engine,
                row(&after, c)["outcome"]["mean"],
                b_versions.0
            );
            let db = server.stop();
            test_db.cleanup(db).await;
        }
    }
}

#[tokio::test]
async fn a_paper_sheet_counts_only_when_two_officials_key_it_the_same() {
    for_each_engine(|server| async move {
        // Arrange: the second member scored on paper; two officials of the office.
        let round = scoring_round(&server, 1, 2, "qd-26-2026").await;
        let (member_id, _) = &round.members[1];
        let product = &round.products[0];
        let second_official = office_of_quang_ngai(&server).await;
        let paper: serde_json::Map<String, serde_json::Value> = answers_for_total(80)
            .into_iter()
            .map(|(code, option)| (code, json!(option)))
            .collect();
        let mut misread = paper.clone();
        let (first_code, first_option) = paper
            .iter()
            .next()
            .map(|(c, o)| (c.clone(), o.clone()))
            .expect("criteria");
        misread.insert(
            first_code.clone(),
            if first_option == json!(0) {
                json!(1)
            } else {
                json!(0)
            },
        );
        let key = |client: &Client, answers: &serde_json::Map<String, serde_json::Value>| {
            let body = json!({ "round_id": round.round_id, "member_id": member_id,
                "product_id": product, "answers": answers });
            let client = client.clone();
            async move { client.call_json("council/key_paper_sheet", &body).await }
        };

        // Act
        let first = key(&round.office, &paper).await;
        let mismatch = key(&second_official, &misread).await;
        let agreed = key(&second_official, &paper).await;

        // Assert
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(first.json(), json!("Waiting"));
        assert_eq!(mismatch.status, 422, "{}", mismatch.body);
        assert!(
            mismatch
                .said()
                .contains(&format!("tiêu chí: {first_code}.")),
            "the differing criterion is named: {}",
            mismatch.body
        );
        assert_eq!(
            agreed.json(),
            json!({ "Counted": { "total": 80 } }),
            "{}",
            agreed.body
        );
        let sheet = stored_sheet(&server, member_id, product).await;
        assert!(sheet.submitted.is_some());
        let console = round
            .office
            .call("council/console", &[("round_id", &round.round_id)])
            .await
            .json();
        assert_eq!(console[0]["cells"][1]["total"], 80, "{console}");
    })
    .await;
}

/// What `member` sees of `product` in their list: its progress and re-score requests.
async fn listed(member: &Client, product: &str) -> serde_json::Value {
    let list = member.call("council/products", &[]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    list.json()
        .as_array()
        .and_then(|all| all.iter().find(|p| p["product_id"] == product).cloned())
        .unwrap_or_default()
}

#[tokio::test]
async fn members_read_the_dossier_flag_a_knockout_the_chair_confirms_and_a_paper_sheet_carries_a_qr_code(
) {
    for_each_engine(|server| async move {
        // Arrange: 3 members, 2 products; the third member is conflicted on B,
        // which has the advisory team's site-visit report.
        let round = scoring_round(&server, 2, 3, "qd-26-2026").await;
        let (a, b) = (&round.products[0], &round.products[1]);
        let (chair_id, chair) = &round.members[0];
        let (member_id, member) = &round.members[1];
        let (third_id, third) = &round.members[2];
        declare_conflict(&round.office, (third_id, b), "Anh trai là chủ cơ sở").await;
        let report = crate::support::dossier::pdf_bytes(40_000);
        let upload_id = crate::support::dossier::upload_ticket(&round.office, b, "site_visit", "bien-ban-khao-sat.pdf", report.len()).await;
        crate::support::dossier::upload(&round.office, &upload_id, &report, 16_384, 0).await;

        // Act + Assert 1: the dossier beside the sheet, for scoring members only.
        let dossier = member.call_on("council/dossier", b).await;
        assert_eq!(dossier.status, 200, "{}", dossier.body);
        let dossier = dossier.json();
        assert_eq!(
            dossier["commune"].as_array().map(Vec::len),
            Some(4),
            "{dossier}"
        );
        let advisory = dossier["documents"]
            .as_array()
            .and_then(|docs| docs.iter().find(|d| d["advisory"] == true).cloned())
            .expect("the site-visit report");
        let file_path = advisory["path"].as_str().unwrap_or_default().to_string();
        let report_path = dossier["commune_report_path"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (status, content_type, bytes) = member.get_bytes(&file_path).await;
        assert_eq!((status, bytes.len()), (200, report.len()), "{content_type}");
        let (status, _, pdf) = member.get_bytes(&report_path).await;
        assert_eq!(status, 200);
        assert!(pdf_text(&pdf).contains("BÁO CÁO"));
        let refused = third.call_on("council/dossier", b).await;
        assert_eq!(
            refused.status, 403,
            "a conflicted member reads nothing of B"
        );
        assert_eq!(third.get_bytes(&file_path).await.0, 403);
        assert_eq!(third.get_bytes(&report_path).await.0, 403);

        // Act + Assert 2: progress, a flagged knock-out confirmed by the chair.
        assert_eq!(listed(member, a).await["state"], "not_started");
        let knockout_code = answers_for_total(80)[0].0.clone();
        let scored_from = app::db::now_ms();
        for (id, client) in [(chair_id, chair), (member_id, member), (third_id, third)] {
            let mut changes = scored_sheet(id, a, 80, scored_from);
            if id == member_id {
                let submit = changes.pop().expect("the submit");
                changes.push(SheetChange {
                    change_id: format!("{}-knockout", submit.change_id),
                    edit: SheetEdit::Knockout {
                        criterion: crate::support::criterion(&knockout_code),
                        flagged: true,
                    },
                    ..submit.clone()
                });
                changes.push(SheetChange {
                    stamp: Stamp {
                        device_ms: submit.stamp.device_ms + 1,
                        ..submit.stamp.clone()
                    },
                    ..submit
                });
                changes = handed_in(changes);
            }
            assert_eq!(sync(client, &changes).await["refused"], json!([]));
        }
        assert_eq!(listed(member, a).await["state"], "submitted");
        let console = |client: &Client| {
            let (client, round_id) = (client.clone(), round.round_id.clone());
            async move {
                let rows = client
                    .call("council/console", &[("round_id", &round_id)])
                    .await;
                rows.json()
                    .as_array()
                    .and_then(|rows| rows.iter().find(|r| r["product_id"] == *a).cloned())
                    .unwrap_or_default()
            }
        };
        let flagged = console(chair).await;
        assert_eq!(
            flagged["knockouts_flagged"],
            json!([knockout_code]),
            "{flagged}"
        );
        assert!(flagged["outcome"]["star"].as_u64().is_some(), "{flagged}");
        let decide_as = |who: &Client, criterion: &str, confirmed: &str| {
            let (who, round_id, criterion, confirmed) = (
                who.clone(),
                round.round_id.clone(),
                criterion.to_string(),
                confirmed.to_string(),
            );
            async move {
                let form = [
                    ("round_id", round_id.as_str()),
                    ("product_id", a.as_str()),
                    ("criterion", criterion.as_str()),
                    ("confirmed", confirmed.as_str()),
                ];
                who.call("council/decide_knockout", &form).await
            }
        };
        let decide = |criterion: &str, confirmed: &str| decide_as(chair, criterion, confirmed);
        assert_eq!(
            decide("9.9", "true").await.status,
            422,
            "only a flagged criterion"
        );
        let refused = decide_as(member, &knockout_code, "true").await;
        assert_eq!(refused.status, 403, "only the chair or the office decides");
        assert_eq!(decide(&knockout_code, "false").await.status, 200);
        let dismissed = console(chair).await;
        assert_eq!(dismissed["knockouts_dismissed"], json!([knockout_code]));
        assert!(
            dismissed["outcome"]["star"].as_u64().is_some(),
            "{dismissed}"
        );
        assert_eq!(decide(&knockout_code, "true").await.status, 200);
        let confirmed = console(chair).await;
        assert_eq!(confirmed["knockouts_confirmed"], json!([knockout_code]));
        assert!(confirmed["outcome"]["star"].is_null(), "{confirmed}");
        assert_eq!(
            next_step_vi(&confirmed["outcome"]["next_step"]),
            "Không công nhận"
        );

        // Act + Assert 3: the chair's re-score request reaches the member's list.
        let why = "Xem lại tiêu chí đề nghị điểm liệt";
        request_rescore(chair, &round.round_id, (member_id, a), why).await;
        let relisted = listed(member, a).await;
        assert_eq!(relisted["state"], "rescore", "{relisted}");
        assert_eq!(
            relisted["reopens"][0]["reason"],
            "Xem lại tiêu chí đề nghị điểm liệt"
        );
        assert!(
            relisted["reopens"][0]["stamp"]["device_ms"].as_i64() > Some(scored_from + 40),
            "stamped after the sheet it reopens: {relisted}"
        );

        // Act + Assert 4: the paper sheet of member 2 for B, with its QR code.
        let paper_path = app::api::council::PAPER_SHEET_PATH
            .replace("{id}", &round.round_id)
            .replace("{member}", member_id)
            .replace("{product}", b);
        let (status, content_type, pdf) = round.office.get_bytes(&paper_path).await;
        assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
        let text = pdf_text(&pdf);
        let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
        assert!(
            text.contains("PHIẾU CHẤM ĐIỂM") && text.contains("Trần Thị Hoa"),
            "{text}"
        );
        for (_, _, criterion) in card.criteria() {
            let label = format!("{}.", criterion.code);
            assert!(text.contains(&label), "criterion {label} on the sheet");
        }
        let codes = pdf_qr_codes(&pdf);
        let payload: serde_json::Value =
            serde_json::from_str(codes.first().expect("a QR code on the sheet")).expect("JSON");
        assert_eq!(payload["round"], round.round_id.as_str());
        assert_eq!(payload["member"], member_id.as_str());
        assert_eq!(payload["product"], b.as_str());
        assert_eq!(payload["rule_set"], "qd-26-2026");
        crate::support::save_document("phieu-cham.pdf", &pdf);
        let conflicted_paper = app::api::council::PAPER_SHEET_PATH
            .replace("{id}", &round.round_id)
            .replace("{member}", third_id)
            .replace("{product}", b);
        assert_eq!(round.office.get_bytes(&conflicted_paper).await.0, 422);
        assert_eq!(
            member.get_bytes(&paper_path).await.0,
            403,
            "members do not print"
        );
        println!(
            "council dossier on {}: 4 Mẫu 03 contents, site-visit report read by a member, 403 for the conflicted one; knock-out {knockout_code} dismissed then confirmed → {}; re-score reached the list; paper sheet {} bytes, QR {}",
            server.engine,
            next_step_vi(&confirmed["outcome"]["next_step"]),
            pdf.len(),
            codes[0]
        );
    })
    .await;
}

#[tokio::test]
async fn the_councils_own_quorum_and_divergence_limit_are_what_the_result_uses() {
    for_each_engine(|server| async move {
        // Arrange: the same three sheets (80, 82, 84) of a council of four under
        // the profile's settings (3/4, limit 10), a council limit of 2, and a
        // council quorum of 4/4.
        let mut rows = Vec::new();
        for settings in [None, Some((2, 4, 2)), Some((4, 4, 10))] {
            let round = scoring_round_with(&server, 1, 4, "qd-26-2026", settings).await;
            for ((member_id, client), total) in round.members.iter().zip([80, 82, 84]) {
                let sheet = scored_sheet(member_id, &round.products[0], total, app::db::now_ms());
                assert_eq!(sync(client, &sheet).await["refused"], json!([]));
            }
            let console = round.members[0]
                .1
                .call("council/console", &[("round_id", &round.round_id)])
                .await
                .json();
            // Act: the office tries to change the settings once scoring has started.
            let late = round
                .office
                .call(
                    "office/council_settings",
                    &[
                        ("round_id", round.round_id.as_str()),
                        ("numerator", "1"),
                        ("denominator", "4"),
                        ("divergence_limit", "50"),
                    ],
                )
                .await;
            assert_eq!(late.status, 422, "{}", late.body);
            rows.push(console[0].clone());
        }

        // Assert
        let (profile, narrow, strict) = (&rows[0], &rows[1], &rows[2]);
        assert_eq!(profile["quorum"], json!([3, 3, true]), "{profile}");
        assert!(profile["divergent_totals"].is_null(), "{profile}");
        assert_eq!(narrow["quorum"], json!([3, 2, true]), "{narrow}");
        assert_eq!(narrow["divergent_totals"], json!(4), "{narrow}");
        assert_eq!(narrow["outcome"]["mean"], profile["outcome"]["mean"]);
        assert_eq!(strict["quorum"], json!([3, 4, false]), "{strict}");
        assert!(strict["outcome"].is_null(), "{strict}");
        println!(
            "council settings on {}: quorum {} / {} / {}, spread flagged only under the council's limit of 2; refused once scoring started",
            server.engine, profile["quorum"], narrow["quorum"], strict["quorum"]
        );
    })
    .await;
}

/// A console outcome's next step as the Vietnamese console and minutes say it.
fn next_step_vi(value: &serde_json::Value) -> String {
    use app::domain::refusal::{Lang, NextStepSaid, Said};
    serde_json::from_value::<NextStepSaid>(value.clone())
        .map(|step| step.text(Lang::Vi))
        .unwrap_or_else(|e| panic!("not a next step ({e}): {value}"))
}
