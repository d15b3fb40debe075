//! Results nobody can bend (issue 12), tried as a hostile client would over HTTP
//! against the release build, on each engine: a sealed round refuses every
//! change its result depends on (in the code and in the database), a member's
//! counted sheet cannot be changed by a late or back-dated change, stamps are
//! checked, paper keying cannot be pre-empted, the office cannot seal, a seal
//! racing a re-score has one winner — and the sealed minutes, stored results
//! and `sao verify-round` are the same afterwards.
use crate::support::browser::{start_sao, wait_until_healthy};
use crate::support::round::{
    acknowledge_all, answers_for_total, handed_in, request_rescore, round_event, scored_sheet,
    scoring_round, seal_as_chair, submit, sync, try_round_event, ScoringRound,
};
use crate::support::{create_user, each_engine, fresh_phone, pdf_text, Client, TEST_PASSWORD};
use app::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
use serde_json::json;

/// An office user of Quảng Ngãi: (phone).
async fn office_phone(db: &app::db::Db) -> String {
    let phone = fresh_phone();
    create_user(db, &phone, &[crate::support::people::office_grant(51)]).await;
    phone
}

async fn signed_in(base: &str, phone: &str) -> Client {
    let client = Client::new(base);
    client.log_in(phone, TEST_PASSWORD).await;
    client
}

/// Sends one change from `member`'s tablet; asserts the server refuses it as `code`.
async fn refused_as(member: &Client, change: SheetChange, code: &str) {
    let receipt = sync(member, &[change]).await;
    assert_eq!(refusals(&receipt), vec![code.to_string()], "{receipt}");
}

/// The refusal codes of a sync receipt.
fn refusals(receipt: &serde_json::Value) -> Vec<String> {
    receipt["refused"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|pair| pair[1]["refusal"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn change(
    member: &str,
    product: &str,
    id: &str,
    ms: i64,
    device: &str,
    edit: SheetEdit,
) -> SheetChange {
    SheetChange {
        change_id: id.into(),
        member_id: member.into(),
        product_id: product.into(),
        stamp: Stamp {
            device_ms: ms,
            device_id: device.into(),
            seq: 1,
        },
        edit,
    }
}

/// Everything printed or stored about a sealed round, to compare before and after.
async fn sealed_snapshot(
    db: &app::db::Db,
    office: &Client,
    round_id: &str,
) -> (String, Vec<(String, String)>) {
    let path = app::api::council::MINUTES_PATH.replace("{id}", round_id);
    let (status, _, pdf) = office.get_bytes(&path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let results = app::db::results::stored(db, round_id)
        .await
        .expect("results");
    (pdf_text(&pdf), results)
}

/// `sao verify-round` against the database: (exit ok, stdout + stderr).
fn verify_round(bin: &std::path::Path, url: &str, round_id: &str) -> (bool, String) {
    let out = std::process::Command::new(bin)
        .args(["verify-round", round_id, "--database-url", url])
        .output()
        .expect("sao verify-round");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Raw SQL that must be refused by the database on a sealed round.
pub(crate) async fn refused_by_database(db: &app::db::Db, what: &str, sql: &str, binds: &[&str]) {
    refused_saying(db, what, sql, binds, &["sealed", "append-only"]).await;
}

/// The same, the refusal's message holding one of `said`.
pub(crate) async fn refused_saying(
    db: &app::db::Db,
    what: &str,
    sql: &str,
    binds: &[&str],
    said: &[&str],
) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    let outcome = query.execute(db.pool()).await;
    let error = outcome
        .as_ref()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        said.iter().any(|text| error.contains(text)),
        "{what} after the seal: {outcome:?}"
    );
}

/// Sets up a sealed round (two products, five members, one far-off sheet) and a
/// round still in scoring (one product, three members) on `server`.
async fn two_rounds(server: &crate::support::TestServer) -> (ScoringRound, ScoringRound) {
    let sealed = scoring_round(server, 2, 5, "qd-26-2026").await;
    let plan = [[84, 85, 83, 82, 84], [72, 73, 71, 70, 50]];
    for (i, (member_id, client)) in sealed.members.iter().enumerate() {
        for (p, product) in sealed.products.iter().enumerate() {
            let sheet = scored_sheet(member_id, product, plan[p][i], app::db::now_ms());
            assert_eq!(sync(client, &sheet).await["refused"], json!([]));
        }
    }
    round_event(&sealed.office, &sealed.round_id, "StartDeliberation").await;
    let (_, chair) = &sealed.members[0];
    // A flag is open (product 2's totals are far apart): the seal is refused.
    let early = chair
        .call("council/seal", &[("round_id", &sealed.round_id)])
        .await;
    assert_eq!(early.status, 422, "sealed with a flag open: {}", early.body);
    assert!(early.said().contains("cảnh báo"), "{}", early.body);
    seal_as_chair(chair, &sealed.round_id).await;
    let open = scoring_round(server, 1, 3, "qd-26-2026").await;
    let (member_id, member) = &open.members[1];
    let sheet = scored_sheet(member_id, &open.products[0], 80, app::db::now_ms());
    assert_eq!(sync(member, &sheet).await["refused"], json!([]));
    (sealed, open)
}

#[tokio::test]
async fn hostile_clients_cannot_bend_a_sealed_or_counted_result() {
    let Some((bin, _site)) = crate::support::release_build_or_skip() else {
        return;
    };
    for test_db in each_engine().await {
        // Arrange: two rounds set up in-process, then the release binary on that database.
        let server = crate::support::TestServer::start(&test_db.url, false, None).await;
        let (sealed, open) = two_rounds(&server).await;
        let offices = [
            office_phone(&server.db).await,
            office_phone(&server.db).await,
        ];
        let officer_phone = fresh_phone();
        create_user(
            &server.db,
            &officer_phone,
            &[crate::support::people::officer_grant(23344)],
        )
        .await;
        let (_, dossier) =
            crate::support::dossier::submitted_dossier(&server, &fresh_phone()).await;
        let db = server.stop();
        let workdir = crate::support::TempDir::new("sao-hostile");
        let args = ["--database-url", test_db.url.as_str(), "--data-dir", "data"];
        let (running, base) = start_sao(&bin, &workdir.0, &args).await;
        wait_until_healthy(&base).await;
        let office = signed_in(&base, &offices[0]).await;
        let office2 = signed_in(&base, &offices[1]).await;
        let s_chair = signed_in(&base, &sealed.phones[0]).await;
        let s_member = signed_in(&base, &sealed.phones[4]).await;
        let (s_member_id, _) = &sealed.members[4];
        let s_product = &sealed.products[0];
        let before = sealed_snapshot(&db, &office, &sealed.round_id).await;
        let (ok, verified) = verify_round(&bin, &test_db.url, &sealed.round_id);
        assert!(ok && verified.starts_with("equal"), "{verified}");

        // Act + Assert 1: every change to the sealed round, through the app.
        let round = sealed.round_id.as_str();
        let attempts = [
            (
                &s_member,
                "office/declare_conflict",
                vec![
                    ("member_id", s_member_id.as_str()),
                    ("product_id", s_product.as_str()),
                    ("reason", "Sau khi niêm phong"),
                ],
            ),
            (
                &office,
                "office/council_settings",
                vec![
                    ("round_id", round),
                    ("numerator", "1"),
                    ("denominator", "2"),
                    ("divergence_limit", "30"),
                ],
            ),
            (
                &office,
                "office/assign_members",
                vec![
                    ("round_id", round),
                    ("product_id", s_product.as_str()),
                    ("member_ids", s_member_id.as_str()),
                ],
            ),
            (
                &office,
                "office/add_member",
                vec![
                    ("round_id", round),
                    ("name", "Người thêm sau"),
                    ("department", "Sở"),
                    ("position", "member"),
                ],
            ),
            (
                &office,
                "office/round_event",
                vec![("round_id", round), ("event", "Rescore")],
            ),
            (
                &office,
                "office/round_event",
                vec![("round_id", round), ("event", "Seal")],
            ),
            (
                &s_chair,
                "council/request_rescore",
                vec![
                    ("round_id", round),
                    ("member_id", s_member_id.as_str()),
                    ("product_id", s_product.as_str()),
                    ("reason", "Sau niêm phong"),
                ],
            ),
            (
                &s_chair,
                "council/decide_knockout",
                vec![
                    ("round_id", round),
                    ("product_id", s_product.as_str()),
                    ("criterion", "1.1"),
                    ("confirmed", "true"),
                ],
            ),
            (&s_chair, "council/seal", vec![("round_id", round)]),
            (
                &s_chair,
                "council/acknowledge_flag",
                vec![
                    ("round_id", round),
                    ("product_id", s_product.as_str()),
                    ("flag", "near_boundary:90"),
                ],
            ),
        ];
        for (client, endpoint, form) in &attempts {
            let answer = client.call(endpoint, form).await;
            assert_eq!(
                answer.status, 422,
                "{endpoint} on a sealed round: {}",
                answer.body
            );
        }
        let paper = office
            .call_json(
                "council/key_paper_sheet",
                &json!({ "round_id": round, "member_id": s_member_id, "product_id": s_product, "answers": {} }),
            )
            .await;
        assert!(matches!(paper.status, 403 | 422), "{}", paper.body);
        let late = handed_in(vec![
            change(
                s_member_id,
                s_product,
                "late-1",
                1,
                "tablet-x",
                SheetEdit::Answer {
                    criterion: crate::support::criterion("1.1"),
                    option: Some(0),
                },
            ),
            change(
                s_member_id,
                s_product,
                "late-2",
                app::db::now_ms(),
                "tablet-x",
                submit(),
            ),
        ]);
        let receipt = sync(&s_member, &late).await;
        assert_eq!(receipt["stored"], json!([]), "{receipt}");

        // Act + Assert 2: the same through the database, behind the app's back.
        let (s_member_row, s_other) = (sealed.members[4].0.as_str(), sealed.members[3].0.as_str());
        let behind_the_app: [(&str, &str, &[&str]); 14] = [
            ("UPDATE rounds", "UPDATE rounds SET quorum_numerator = 1 WHERE id = $1", &[round]),
            ("UPDATE rounds state", "UPDATE rounds SET state = 'scoring' WHERE id = $1", &[round]),
            ("DELETE rounds", "DELETE FROM rounds WHERE id = $1", &[round]),
            ("INSERT conflict", "INSERT INTO conflicts_of_interest (member_id, product_id, reason, declared_by, declared_ms) VALUES ($1, $2, 'x', 'x', 0)", &[s_member_row, s_product]),
            ("INSERT assignment", "INSERT INTO council_assignments (member_id, product_id) VALUES ($1, $2)", &[s_other, s_product]),
            ("INSERT member", "INSERT INTO council_members (id, round_id, name, department, position) VALUES ('intruder', $1, 'x', 'x', 'member')", &[round]),
            ("UPDATE member", "UPDATE council_members SET position = 'advisor' WHERE round_id = $1", &[round]),
            ("DELETE round_dossiers", "DELETE FROM round_dossiers WHERE round_id = $1", &[round]),
            ("UPDATE round_results", "UPDATE round_results SET content = '{}' WHERE round_id = $1", &[round]),
            ("DELETE round_results", "DELETE FROM round_results WHERE round_id = $1", &[round]),
            ("INSERT round_results", "INSERT INTO round_results (round_id, position, product_id, content) VALUES ($1, 99, $2, '{}')", &[round, s_product]),
            ("UPDATE products", "UPDATE products SET product_set = 8 WHERE id = $1", &[s_product]),
            ("DELETE knockout_decisions", "INSERT INTO knockout_decisions (round_id, product_id, criterion, confirmed, decided_by, decided_ms) VALUES ($1, $2, '1.1', 1, 'x', 0)", &[round, s_product]),
            ("UPDATE flag_acknowledgements", "UPDATE flag_acknowledgements SET flag = 'x' WHERE round_id = $1", &[round]),
        ];
        for (what, sql, binds) in behind_the_app {
            refused_by_database(&db, what, sql, binds).await;
        }

        // Act + Assert 3: a counted sheet in an open round cannot be bent.
        let (o_member_id, _) = &open.members[1];
        let o_product = &open.products[0];
        let o_member = signed_in(&base, &open.phones[1]).await;
        let counted_before = app::db::sheets::sheet(&db, o_member_id, o_product)
            .await
            .expect("sheet")
            .expect("sheet");
        let submitted_ms = counted_before
            .submitted
            .as_ref()
            .expect("counted")
            .device_ms;
        let (code, counted_option) = answers_for_total(80)[0].clone();
        // An answer other than the one handed in, so that it would change the sheet.
        let other = if counted_option == Some(0) { 1 } else { 0 };
        let answer = |_: u16| SheetEdit::Answer {
            criterion: crate::support::criterion(&code),
            option: Some(other),
        };
        let bent = [
            (
                change(o_member_id, o_product, "back-1", 1, "tablet-x", answer(0)),
                "stamp_out_of_window",
            ),
            (
                change(
                    o_member_id,
                    o_product,
                    "back-2",
                    submitted_ms - 1,
                    "tablet-x",
                    answer(0),
                ),
                "after_hand_in",
            ),
            (
                change(
                    o_member_id,
                    o_product,
                    "after-1",
                    submitted_ms + 5,
                    "tablet-x",
                    answer(0),
                ),
                "handed_in",
            ),
            (
                change(
                    o_member_id,
                    o_product,
                    "max-1",
                    i64::MAX,
                    "tablet-x",
                    submit(),
                ),
                "stamp_out_of_window",
            ),
            (
                change(
                    o_member_id,
                    o_product,
                    "posing",
                    submitted_ms + 6,
                    "server",
                    SheetEdit::Reopen { reason: "x".into() },
                ),
                "chair_only",
            ),
            (
                change(
                    o_member_id,
                    o_product,
                    "paper-own",
                    submitted_ms + 7,
                    "paper",
                    answer(0),
                ),
                "reserved_device",
            ),
            (
                change(
                    &open.members[2].0,
                    o_product,
                    "paper-slot",
                    app::db::now_ms(),
                    "tablet-x",
                    answer(0),
                ),
                "not_yours",
            ),
        ];
        for (attack, want) in &bent {
            let receipt = sync(&o_member, std::slice::from_ref(attack)).await;
            assert_eq!(
                refusals(&receipt),
                vec![want.to_string()],
                "{}: {receipt}",
                attack.change_id
            );
            if attack.member_id == *o_member_id {
                assert!(
                    !receipt["held"]
                        .as_array()
                        .map(Vec::is_empty)
                        .unwrap_or(true),
                    "the tablet gets the server's sheet back"
                );
            }
        }
        // A criterion that is no code at all is refused at the door, with the
        // whole batch: nothing of it is written, and the answer is the client's
        // mistake (400, said in the page's language), not a server fault.
        let held: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sheet_changes")
            .fetch_one(db.pool())
            .await
            .expect("count");
        let mut forged = serde_json::to_value(change(
            o_member_id,
            o_product,
            "forged-code",
            app::db::now_ms(),
            "tablet-x",
            answer(0),
        ))
        .expect("json");
        forged["criterion"] = serde_json::json!("1.1'; DROP TABLE sheets; --");
        let refused = o_member
            .call_json("council/sync", &serde_json::json!({ "changes": [forged] }))
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.said().contains("không đọc được yêu cầu"),
            "{}",
            refused.body
        );
        let still: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sheet_changes")
            .fetch_one(db.pool())
            .await
            .expect("count");
        assert_eq!(held, still, "nothing of a refused batch is written");
        // A change id the server holds already: the member's own with other content,
        // or another member's (of another round) for a sheet not handed in.
        let (own_id,): (String,) = sqlx::query_as(
            "SELECT change_id FROM sheet_changes WHERE member_id = $1 ORDER BY device_ms LIMIT 1",
        )
        .bind(o_member_id)
        .fetch_one(db.pool())
        .await
        .expect("an own change");
        let reused = change(
            o_member_id,
            o_product,
            &own_id,
            submitted_ms - 2,
            "tablet-x",
            answer(0),
        );
        refused_as(&o_member, reused, "id_taken").await;
        let (others_id,): (String,) =
            sqlx::query_as("SELECT change_id FROM sheet_changes WHERE member_id = $1 LIMIT 1")
                .bind(s_member_id)
                .fetch_one(db.pool())
                .await
                .expect("another member's change");
        let (paper_member_id, _) = &open.members[2];
        let o_third = signed_in(&base, &open.phones[2]).await;
        let taken = change(
            paper_member_id,
            o_product,
            &others_id,
            app::db::now_ms(),
            "tablet-y",
            answer(0),
        );
        refused_as(&o_third, taken, "id_taken").await;
        let (third_changes,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sheet_changes WHERE member_id = $1")
                .bind(paper_member_id)
                .fetch_one(db.pool())
                .await
                .expect("count");
        assert_eq!(third_changes, 0, "nothing stored for a taken id");
        let counted_after = app::db::sheets::sheet(&db, o_member_id, o_product)
            .await
            .expect("sheet")
            .expect("sheet");
        assert_eq!(
            counted_after, counted_before,
            "the counted sheet is what the member handed in"
        );

        // Act + Assert 4: paper keying by two officials, again after a re-score.
        let o_chair = signed_in(&base, &open.phones[0]).await;
        let (paper_member, _) = &open.members[2];
        let key = |client: &Client, total: u32| {
            let answers: serde_json::Map<String, serde_json::Value> = answers_for_total(total)
                .into_iter()
                .map(|(c, o)| (c, json!(o)))
                .collect();
            let body = json!({ "round_id": open.round_id, "member_id": paper_member, "product_id": o_product, "answers": answers });
            let client = client.clone();
            async move { client.call_json("council/key_paper_sheet", &body).await }
        };
        assert_eq!(key(&office, 60).await.json(), json!("Waiting"));
        assert_eq!(
            key(&office2, 60).await.json(),
            json!({ "Counted": { "total": 60 } })
        );
        request_rescore(
            &o_chair,
            &open.round_id,
            (paper_member, o_product),
            "Đối chiếu lại",
        )
        .await;
        assert_eq!(
            key(&office, 70).await.json(),
            json!("Waiting"),
            "the earlier keying does not pair with the new one"
        );
        assert_eq!(
            key(&office2, 70).await.json(),
            json!({ "Counted": { "total": 70 } })
        );
        let console = o_chair
            .call("council/console", &[("round_id", &open.round_id)])
            .await
            .json();
        let cell = console[0]["cells"]
            .as_array()
            .and_then(|cells| cells.iter().find(|c| c["member_id"] == *paper_member))
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            (cell["total"].clone(), cell["versions"].clone()),
            (json!(70), json!([60, 70])),
            "{cell}"
        );

        // Act + Assert 5: settings frozen once scoring started; the office cannot seal.
        let settings = office
            .call(
                "office/council_settings",
                &[
                    ("round_id", &open.round_id),
                    ("numerator", "1"),
                    ("denominator", "3"),
                    ("divergence_limit", "40"),
                ],
            )
            .await;
        assert_eq!(settings.status, 422, "{}", settings.body);
        let office_seal = try_round_event(&office, &open.round_id, "Seal").await;
        assert_eq!(office_seal.status, 422, "{}", office_seal.body);
        let o_office = signed_in(&base, &offices[0]).await;
        round_event(&o_office, &open.round_id, "StartDeliberation").await;
        let not_yet = o_chair
            .call("council/seal", &[("round_id", &open.round_id)])
            .await;
        assert_eq!(
            not_yet.status, 422,
            "the chair has not scored: a flag is open: {}",
            not_yet.body
        );

        let raw_seal = "UPDATE rounds SET state = 'sealed' WHERE id = $1";
        refused_by_database(
            &db,
            "a seal without its digest",
            raw_seal,
            &[open.round_id.as_str()],
        )
        .await;
        for (endpoint, form) in [
            ("council/seal", vec![("round_id", open.round_id.as_str())]),
            (
                "council/acknowledge_flag",
                vec![
                    ("round_id", open.round_id.as_str()),
                    ("product_id", o_product.as_str()),
                    ("flag", "no_result:"),
                ],
            ),
        ] {
            let by_member = o_member.call(endpoint, &form).await;
            assert_eq!(
                by_member.status, 403,
                "{endpoint} by a member who does not chair: {}",
                by_member.body
            );
        }
        let bogus = o_chair
            .call(
                "council/acknowledge_flag",
                &[
                    ("round_id", open.round_id.as_str()),
                    ("product_id", o_product.as_str()),
                    ("flag", "near_boundary:90"),
                ],
            )
            .await;
        assert_eq!(
            bogus.status, 422,
            "a flag the console does not show: {}",
            bogus.body
        );

        // Act + Assert 6: a seal racing a re-score: exactly one wins.
        acknowledge_all(&o_chair, &open.round_id).await;
        let round_id = open.round_id.clone();
        let seal_form = [("round_id", round_id.as_str())];
        let rescore_form = [("round_id", round_id.as_str()), ("event", "Rescore")];
        let (seal, rescore) = tokio::join!(
            o_chair.call("council/seal", &seal_form),
            office.call("office/round_event", &rescore_form),
        );
        let winners = [seal.status, rescore.status]
            .iter()
            .filter(|s| **s == 200)
            .count();
        assert_eq!(
            winners, 1,
            "seal {} {} / re-score {} {}",
            seal.status, seal.body, rescore.status, rescore.body
        );
        let state = app::db::rounds::get(&db, &round_id)
            .await
            .expect("round")
            .expect("round")
            .state;
        let results = app::db::results::stored(&db, &round_id)
            .await
            .expect("results")
            .len();
        if seal.status == 200 {
            assert_eq!(
                (state, results),
                (app::domain::round::RoundState::Sealed, 1)
            );
            let (ok, text) = verify_round(&bin, &test_db.url, &round_id);
            assert!(ok, "{text}");
        } else {
            assert_eq!(
                (state, results),
                (app::domain::round::RoundState::Scoring, 0)
            );
        }

        // Act + Assert 7: one dossier received twice at once: one wins.
        let officer = signed_in(&base, &officer_phone).await;
        let receive_form = [("product_id", dossier.as_str())];
        let (first, second) = tokio::join!(
            officer.call("commune/receive", &receive_form),
            officer.call("commune/receive", &receive_form),
        );
        let mut statuses = [first.status, second.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 422], "{} / {}", first.body, second.body);

        // Assert: the sealed round printed, stored and verified as before.
        let after = sealed_snapshot(&db, &office, &sealed.round_id).await;
        assert_eq!(after, before, "the sealed round is unchanged");
        let (ok, verified) = verify_round(&bin, &test_db.url, &sealed.round_id);
        assert!(ok && verified.starts_with("equal"), "{verified}");

        // And `sao verify-round` names a stored result changed with the triggers off.
        let disable = match test_db.engine {
            "postgres" => "ALTER TABLE round_results DISABLE TRIGGER round_results_append_only",
            _ => "DROP TRIGGER round_results_no_update",
        };
        sqlx::query(disable)
            .execute(db.pool())
            .await
            .expect("triggers off");
        sqlx::query("UPDATE round_results SET content = replace(content, '\"counted\":5', '\"counted\":4') WHERE round_id = $1 AND position = 0")
            .bind(round)
            .execute(db.pool())
            .await
            .expect("tamper");
        let (ok, text) = verify_round(&bin, &test_db.url, round);
        assert!(
            !ok && text.contains("differs") && text.contains(s_product.as_str()),
            "{text}"
        );
        println!(
            "hostile clients on {}: {} changes to a sealed round refused by the app and {} by the database; 7 bent sheet changes refused; paper re-keyed after a re-score counts 70; seal vs re-score: {}; verify-round: {verified}; tampered: {}",
            test_db.engine,
            attempts.len() + 2,
            behind_the_app.len(),
            if seal.status == 200 { "seal won" } else { "re-score won" },
            text.trim()
        );
        drop(running);
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_50_mb_body_is_refused_with_413_before_it_is_read() {
    let Some((bin, _site)) = crate::support::release_build_or_skip() else {
        return;
    };
    // Arrange: the release build on a fresh database.
    let test_db = crate::support::TestDb::sqlite();
    let workdir = crate::support::TempDir::new("sao-body");
    let args = ["--database-url", test_db.url.as_str(), "--data-dir", "data"];
    let (running, base) = start_sao(&bin, &workdir.0, &args).await;
    wait_until_healthy(&base).await;
    let pid = running.0.id();
    let before = sao_tests::rss_kb(pid);
    let http = reqwest::Client::new();
    let url = format!("{base}/api/account/log_in");

    // Act: 50 MB declared by its length; 50 MB streamed without one; a sync batch.
    let declared = http
        .post(&url)
        .header("origin", &base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 50 * 1024 * 1024])
        .send()
        .await
        .expect("declared");
    let chunks = (0..50).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 1024 * 1024]));
    let streamed = http
        .post(&url)
        .header("origin", &base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .expect("streamed");
    let (declared_status, streamed_status) =
        (declared.status().as_u16(), streamed.status().as_u16());
    let message = streamed.text().await.unwrap_or_default();
    let after = sao_tests::rss_kb(pid);

    // Assert: 413 with a message, never 500; memory barely moves.
    assert_eq!((declared_status, streamed_status), (413, 413), "{message}");
    assert!(
        crate::support::said(&message).contains("Yêu cầu quá lớn"),
        "{message}"
    );
    let grown_mb = after.saturating_sub(before) / 1024;
    assert!(
        grown_mb < 20,
        "RSS grew {grown_mb} MB ({before} → {after} kB)"
    );
    println!("50 MB bodies: 413 by length and while streaming; RSS {before} → {after} kB");
    drop(running);
    let _ = test_db;
}

#[tokio::test]
async fn a_forged_host_neither_passes_the_origin_check_nor_reaches_a_link() {
    for test_db in each_engine().await {
        // Arrange: the release build; an official's account; the attacker's
        // requests name evil.example.
        let Some((_sao, base, db, _dir)) = crate::hostile_accounts::release_on(&test_db, &[]).await
        else {
            return;
        };
        let phone = fresh_phone();
        create_user(&db, &phone, &[]).await;
        let http = reqwest::Client::new();
        let url = format!("{base}/api/account/request_password_reset");
        let send = |host: &'static str, origin: String| {
            let request = http
                .post(&url)
                .header("host", host)
                .header("origin", origin)
                .form(&[("phone", phone.as_str())]);
            async move { request.send().await.expect("request").status().as_u16() }
        };

        // Act: Host and Origin both forged; then only the Host forged.
        let both = send("evil.example", "http://evil.example".into()).await;
        let outbox_after_both = app::db::outbox::messages(&db, None, Some(&phone))
            .await
            .expect("outbox")
            .len();
        let host_only = send("evil.example", base.clone()).await;
        crate::sms::sms_to(&db, &phone, 1).await;
        let messages = app::db::outbox::messages(&db, None, Some(&phone))
            .await
            .expect("outbox");

        // Assert: refused; and the SMS link is the site's own origin.
        assert_eq!(both, 403);
        assert_eq!(outbox_after_both, 0, "nothing sent for a forged origin");
        assert_eq!(host_only, 200);
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0]
                .body
                .contains(&format!("{}/dat-lai-mat-khau?ma=", base))
                && !messages[0].body.contains("evil.example"),
            "{}",
            messages[0].body
        );
        println!(
            "forged Host on {}: refused with a forged Origin; the reset link names {}",
            test_db.engine, base
        );
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn an_official_of_two_provinces_cannot_put_one_provinces_product_into_the_others_round() {
    for test_db in each_engine().await {
        // Arrange: a dossier of Quảng Ngãi (51) at the office; an official of Hà Nội
        // (1) and Quảng Ngãi, whose new round is Hà Nội's.
        let server = crate::support::TestServer::start(&test_db.url, false, None).await;
        let officer = crate::support::people::officer_of(&server, 23344).await;
        let (_, product) =
            crate::support::dossier::submitted_dossier(&server, &fresh_phone()).await;
        let forwarded =
            crate::support::dossier::receive_assess_forward(&officer, &product, true).await;
        assert_eq!(forwarded.status, 200, "{}", forwarded.body);
        let phone = fresh_phone();
        let office = crate::support::people::office_grant;
        create_user(&server.db, &phone, &[office(1), office(51)]).await;
        // The attack goes to the release build on that database.
        let db = server.stop();
        let Some((_sao, base, _release_db, _dir)) =
            crate::hostile_accounts::release_on(&test_db, &[]).await
        else {
            return;
        };
        let both = Client::new(&base);
        both.log_in(&phone, TEST_PASSWORD).await;
        let round_id = crate::support::round::create_round(&both, "Đợt Hà Nội").await;

        // Act
        let assigned = crate::support::round::try_assign(&both, &product, &round_id).await;

        // Assert: refused, nothing stored.
        assigned.assert_refused(422, "tỉnh khác");
        let dossiers = app::db::rounds::dossiers(&db, &round_id)
            .await
            .expect("dossiers");
        assert!(dossiers.is_empty());
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_subject_with_a_dossier_under_review_cannot_move_to_another_commune() {
    for test_db in each_engine().await {
        // Arrange: a producer whose dossier is submitted to the commune.
        let server = crate::support::TestServer::start(&test_db.url, false, None).await;
        let phone = fresh_phone();
        let (_, subject_id, product) =
            crate::support::dossier::producer_with_product(&server, &phone).await;
        // What follows goes to the release build on that database.
        let db = server.stop();
        let Some((_sao, base, _release_db, _dir)) =
            crate::hostile_accounts::release_on(&test_db, &[]).await
        else {
            return;
        };
        let producer = Client::new(&base);
        producer.log_in(&phone, TEST_PASSWORD).await;
        let mut moved = crate::support::dossier::subject();
        moved["commune_code"] = json!("1");
        let before_submit = producer
            .call_json(
                "producer/save_subject",
                &json!({ "id": subject_id, "form": crate::support::dossier::subject() }),
            )
            .await;
        let submitted = producer.call_on("producer/submit", &product).await;
        assert_eq!(submitted.status, 200, "{}", submitted.body);

        // Act: the subject moved to Hà Nội's commune 1 while its dossier is under review.
        let after_submit = producer
            .call_json(
                "producer/save_subject",
                &json!({ "id": subject_id, "form": moved }),
            )
            .await;

        // Assert: editable before, refused after; the commune is still 23344.
        assert_eq!(before_submit.status, 200, "{}", before_submit.body);
        assert_eq!(after_submit.status, 422, "{}", after_submit.body);
        let scope = app::db::producers::product_scope(&db, &product)
            .await
            .expect("scope")
            .expect("product");
        assert_eq!((scope.commune, scope.province), (23344, 51));
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn demo_data_on_a_reachable_address_needs_demo_public_and_then_has_random_passwords() {
    let Some((bin, _site)) = crate::support::release_build_or_skip() else {
        return;
    };
    // Arrange: a fresh database; sao asked for demo data on every interface.
    let test_db = crate::support::TestDb::sqlite();
    let run = |port: u16, extra: &[&str]| {
        let addr = format!("0.0.0.0:{port}");
        let public = format!("http://127.0.0.1:{port}");
        let mut args = vec![
            "--addr",
            addr.as_str(),
            "--public-url",
            public.as_str(),
            "--database-url",
            test_db.url.as_str(),
            "--demo",
        ];
        args.extend_from_slice(extra);
        std::process::Command::new(&bin)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start sao")
    };

    // Act: without --demo-public it refuses; with it, it prints random passwords.
    let refused = run(0, &[]).wait_with_output().expect("sao exits");
    let (mut serving, port) =
        crate::support::browser::on_a_free_port("sao --demo-public", "/healthz", |port| {
            run(port, &["--demo-public"])
        })
        .await;
    let base = format!("http://127.0.0.1:{port}");
    let readme_password = Client::new(&base)
        .call(
            "account/log_in",
            &[
                ("phone", "0900000004"),
                ("password", app::db::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    let _ = serving.0.kill();
    let mut printed = String::new();
    if let Some(mut stdout) = serving.0.stdout.take() {
        std::io::Read::read_to_string(&mut stdout, &mut printed).expect("sao's output");
    }

    // Assert
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--demo-public"));
    assert_eq!(
        readme_password.status, 401,
        "README's password must not open a public demo"
    );
    let office_line = printed
        .lines()
        .find(|l| l.contains("+84900000004"))
        .unwrap_or_else(|| panic!("no passwords printed: {printed}"));
    let password = office_line
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_string();
    assert_ne!(password, app::db::demo::DEMO_PASSWORD);
    assert_eq!(password.len(), 16);
    let _ = test_db;
}
