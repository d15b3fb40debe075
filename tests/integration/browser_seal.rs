//! The chair seals from the console on a tablet (issue 12): the seal button is
//! disabled with its reason while a flag is open; the chair acknowledges each
//! flag, then seals, and the round's results are stored with the seal.
use crate::browser::set_7_criteria;
use crate::support::browser::{
    assert_fits_width, dom_click, eval, log_in_as, open_chromium, open_sheet, release_over_sqlite,
    screenshot, serve_release_on, set_offline, set_viewport, wait_for, wait_for_text,
    wait_for_within,
};
use crate::support::round::{acknowledge_all, round_event, scored_sheet, scoring_round, sync};
use crate::support::TEST_PASSWORD;
use app::domain::sheet_sync::{SheetChange, SheetEdit};
use serde_json::json;

/// The same page on a 360 × 740 phone: no sideways scrolling, a screenshot; then
/// back to the tablet.
async fn on_a_phone(client: &fantoccini::Client, driver: &str, name: &str) {
    set_viewport(client, driver, 360, 740).await;
    assert_fits_width(client, name).await;
    let shot = screenshot(client, name).await;
    println!("screenshot {}", shot.display());
    set_viewport(client, driver, 820, 1180).await;
}

#[tokio::test]
async fn the_chair_acknowledges_the_flags_and_seals_from_the_console_on_a_tablet() {
    // Arrange: three members; one sheet far from the others (a divergence flag),
    // the round in deliberation; the release build serving that database.
    let Some((bin, test_db, server)) = release_over_sqlite().await else {
        return;
    };
    let round = scoring_round(&server, 1, 3, "qd-26-2026").await;
    for ((member_id, client), total) in round.members.iter().zip([84, 82, 60]) {
        let sheet = scored_sheet(member_id, &round.products[0], total, app::db::now_ms());
        assert_eq!(sync(client, &sheet).await["refused"], json!([]));
    }
    round_event(&round.office, &round.round_id, "StartDeliberation").await;
    let db = server.stop();
    let (_workdir, _sao, base) = serve_release_on(&bin, &test_db.url, "sao-seal").await;
    let (chromium, chair) = open_chromium("seal", 820, 1180).await;

    // Act: the chair opens the console: the seal waits for the flags.
    log_in_as(&chair, &base, &round.phones[0], TEST_PASSWORD).await;
    chair
        .goto(&format!("{base}/hoi-dong/{}", round.round_id))
        .await
        .expect("open the console");
    wait_for(&chair, "body[data-hydrated='true']", "hydrated").await;
    wait_for(
        &chair,
        "#seal-round[disabled]",
        "the seal disabled while flags are open",
    )
    .await;
    let reason_before = eval(
        &chair,
        "return document.querySelector('#seal-reason').textContent",
    )
    .await;
    let flags = eval(
        &chair,
        "return document.querySelectorAll('li[data-flag]').length",
    )
    .await;
    let blocked = screenshot(&chair, "seal-blocked-820x1180").await;
    assert_fits_width(&chair, "the chair's console").await;
    on_a_phone(&chair, &chromium.driver_url, "seal-blocked-360x740").await;
    let open = flags.as_u64().unwrap_or(0);
    for acknowledged in 1..=open {
        dom_click(&chair, "li[data-acknowledged='false'] button[data-ack]").await;
        wait_for_within(
            &chair,
            &format!("li[data-flag]:nth-of-type({acknowledged})[data-acknowledged='true']"),
            "the acknowledgement shown",
            20,
        )
        .await;
    }
    wait_for(
        &chair,
        "#seal-round:not([disabled])",
        "the seal enabled once every flag is acknowledged",
    )
    .await;
    dom_click(&chair, "#seal-round").await;
    assert!(
        app::db::results::stored_seal_digest(&db, &round.round_id)
            .await
            .expect("digest")
            .is_none(),
        "sealed without the chair's tick"
    );
    dom_click(&chair, "#seal-confirm").await;
    dom_click(&chair, "#seal-round").await;
    wait_for_within(&chair, "#sealed", "the seal's digest on the console", 20).await;
    wait_for_text(&chair, "#sealed", "Đã niêm phong").await;
    let sealed = screenshot(&chair, "sealed-820x1180").await;
    on_a_phone(&chair, &chromium.driver_url, "sealed-360x740").await;

    // Assert
    assert!(open >= 1, "the far-off sheet raises a flag");
    assert!(
        reason_before
            .as_str()
            .unwrap_or_default()
            .contains("Chưa niêm phong được"),
        "{reason_before}"
    );
    let digest = app::db::results::stored_seal_digest(&db, &round.round_id)
        .await
        .expect("digest")
        .expect("sealed");
    let shown = eval(
        &chair,
        "return document.querySelector('#sealed code').textContent",
    )
    .await;
    assert_eq!(shown, json!(digest));
    let (acks,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM flag_acknowledgements WHERE round_id = $1")
            .bind(&round.round_id)
            .fetch_one(db.pool())
            .await
            .expect("count");
    assert_eq!(acks as u64, open);
    let results = app::db::results::stored(&db, &round.round_id)
        .await
        .expect("results");
    assert_eq!(results.len(), 1);
    println!(
        "chair seals on a tablet 820x1180: seal disabled with {open} flag(s) open, acknowledged one by one, sealed with {digest}; screenshots {} and {}",
        blocked.display(),
        sealed.display()
    );
    chair.close().await.expect("close");
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn a_change_refused_by_the_server_is_shown_and_the_tablet_returns_to_the_servers_sheet() {
    // Arrange: two members; the second has a draft on the server (every
    // criterion at its first option); the release build serving that database.
    let Some((bin, test_db, server)) = release_over_sqlite().await else {
        return;
    };
    let round = scoring_round(&server, 1, 2, "qd-26-2026").await;
    let product = round.products[0].clone();
    let (member_id, member) = &round.members[1];
    let codes = set_7_criteria();
    let from_ms = app::db::now_ms();
    let draft: Vec<SheetChange> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let answer = SheetEdit::Answer {
                criterion: crate::support::criterion(code),
                option: Some(0),
            };
            let id = format!("draft-{i}");
            crate::hostile::change(
                member_id,
                &product,
                &id,
                from_ms + i as i64,
                "tablet-earlier",
                answer,
            )
        })
        .collect();
    assert_eq!(sync(member, &draft).await["refused"], json!([]));
    let db = server.stop();
    let (_workdir, _sao, base) = serve_release_on(&bin, &test_db.url, "sao-refused").await;
    let office = crate::support::Client::new(&base);
    let office_phone = crate::support::fresh_phone();
    crate::support::create_user(
        &db,
        &office_phone,
        &[crate::support::people::office_grant(51)],
    )
    .await;
    office.log_in(&office_phone, TEST_PASSWORD).await;
    let chair = crate::support::Client::new(&base);
    chair.log_in(&round.phones[0], TEST_PASSWORD).await;
    let (chromium, tablet) = open_chromium("refused", 820, 1180).await;
    log_in_as(&tablet, &base, &round.phones[1], TEST_PASSWORD).await;
    open_sheet(&tablet, &format!("{base}/cham-diem/{product}"), "the sheet").await;
    wait_for(&tablet, "#waiting[data-waiting='0']", "nothing waiting").await;

    // Act: offline, the member ticks the second option of the first criterion;
    // meanwhile the round is sealed; the tablet comes back online.
    set_offline(&tablet, &chromium.driver_url, true).await;
    let ticked = format!("input[name='c-{}'][value='1']", codes[0]);
    dom_click(&tablet, &ticked).await;
    wait_for(&tablet, "#waiting[data-waiting='1']", "the tick waiting").await;
    round_event(&office, &round.round_id, "StartDeliberation").await;
    acknowledge_all(&chair, &round.round_id).await;
    let sealed = chair
        .call("council/seal", &[("round_id", &round.round_id)])
        .await;
    assert_eq!(sealed.status, 200, "{}", sealed.body);
    set_offline(&tablet, &chromium.driver_url, false).await;
    wait_for_within(&tablet, "#refused-changes", "the refusal shown", 40).await;
    let shot = screenshot(&tablet, "tablet-refused-820x1180").await;
    on_a_phone(&tablet, &chromium.driver_url, "tablet-refused-360x740").await;

    // Assert: the reason is shown; the sheet is the server's again; nothing waits.
    let reason = eval(
        &tablet,
        "return document.querySelector('#refused-changes').textContent",
    )
    .await;
    assert!(
        reason.as_str().unwrap_or_default().contains("niêm phong"),
        "{reason}"
    );
    let first = format!("input[name='c-{}'][value='0']:checked", codes[0]);
    wait_for(&tablet, &first, "the server's answer back on the sheet").await;
    let still = eval(
        &tablet,
        &format!("return !!document.querySelector(\"{ticked}:checked\")"),
    )
    .await;
    assert_eq!(still, json!(false), "the refused tick is gone");
    wait_for(
        &tablet,
        "#waiting[data-waiting='0']",
        "nothing left waiting",
    )
    .await;
    println!(
        "refused change on a tablet 820x1180: the round sealed while a tick waited offline; back online the refusal is shown and the sheet is the server's again; screenshot {}",
        shot.display()
    );
    tablet.close().await.expect("close");
    test_db.cleanup(db).await;
}
