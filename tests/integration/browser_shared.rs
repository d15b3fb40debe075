//! A shared tablet (issue 13): member A's log-out leaves nothing of A behind for
//! member B, online or offline; and a log-out with council changes waiting is
//! refused with their count.
use crate::support::browser::{
    eval, log_in_as, open_chromium, release_over_sqlite, screenshot, serve_release_on, set_offline,
    wait_for, wait_settled,
};
use crate::support::round::scoring_round;
use crate::support::TEST_PASSWORD;
use fantoccini::Client;
use serde_json::json;

/// Runs `script` (which ends by calling `done(value)`) in the page; its value.
async fn run_async(client: &Client, script: &str) -> serde_json::Value {
    client
        .execute_async(&format!("const done = arguments[0]; {script}"), vec![])
        .await
        .expect("script")
}

/// What of A's round the tablet still holds: cached sheet pages and stored packets.
async fn held_of(client: &Client, products: &[String]) -> serde_json::Value {
    run_async(
        client,
        &format!(
            "const ids = {ids}; \
             Promise.all(ids.map(id => caches.match('/cham-diem/' + id))).then(pages => done({{ \
               pages: pages.filter(Boolean).length, \
               packets: ids.filter(id => localStorage.getItem('sao.council.dossier.' + id)).length, \
               list: !!localStorage.getItem('sao.council.products') }}));",
            ids = json!(products)
        ),
    )
    .await
}

/// What the tablet holds of `products`, asked every 250 ms until it is
/// `expected` or `tries` asks have passed; the last answer.
async fn held_when(
    client: &Client,
    products: &[String],
    expected: &serde_json::Value,
    tries: usize,
) -> serde_json::Value {
    let mut held = json!(null);
    for _ in 0..tries {
        held = held_of(client, products).await;
        if held == *expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    held
}

/// Runs `outbox` (a script setting the tablet's outbox), opens the account page
/// and taps log-out once `ready` (a selector and what it is) shows.
async fn tap_log_out(client: &Client, base: &str, outbox: &str, ready: (&str, &str)) {
    eval(client, outbox).await;
    client
        .goto(&format!("{base}/tai-khoan"))
        .await
        .expect("account");
    wait_for(client, "body[data-hydrated='true']", "hydrated").await;
    wait_for(client, ready.0, ready.1).await;
    client
        .find(fantoccini::Locator::Css("#log-out"))
        .await
        .expect("log-out button")
        .click()
        .await
        .expect("click");
}

#[tokio::test]
async fn on_a_shared_tablet_the_next_member_finds_nothing_of_the_last_one_even_offline() {
    // Arrange: A scores two products in one round, B sits on another council.
    let Some((bin, test_db, server)) = release_over_sqlite().await else {
        return;
    };
    let round_a = scoring_round(&server, 2, 1, "qd-26-2026").await;
    let round_b = scoring_round(&server, 1, 1, "qd-26-2026").await;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM products WHERE id = $1")
        .bind(&round_a.products[0])
        .fetch_one(server.db.pool())
        .await
        .expect("product name");
    let db = server.stop();
    let (_workdir, _sao, base) = serve_release_on(&bin, &test_db.url, "sao-shared").await;
    let (chromium, tablet) = open_chromium("shared", 820, 1180).await;

    // A works: the list downloads the session packet (pages, dossiers, files).
    log_in_as(&tablet, &base, &round_a.phones[0], TEST_PASSWORD).await;
    tablet
        .goto(&format!("{base}/cham-diem"))
        .await
        .expect("list");
    wait_for(&tablet, "#my-products li:nth-child(2)", "A's products").await;
    let full = json!({ "pages": 2, "packets": 2, "list": true });
    let before = held_when(&tablet, &round_a.products, &full, 60).await;
    assert_eq!(
        before,
        json!({ "pages": 2, "packets": 2, "list": true }),
        "A's packet"
    );

    // Act 1: a change waits (not yet sent): log-out is refused and says how many.
    let waiting = "localStorage.setItem('sao.council.waiting', JSON.stringify([{}])); return true;";
    let keep = ("#log-out-keep", "the keep choice offered");
    tap_log_out(&tablet, &base, waiting, keep).await;
    wait_for(&tablet, "#log-out-waiting:not([hidden])", "the refusal").await;
    let refusal = eval(
        &tablet,
        "return document.querySelector('#log-out-waiting').textContent",
    )
    .await;
    let refused_shot = screenshot(&tablet, "log-out-refused-820x1180").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let still_in = eval(&tablet, "return !!document.querySelector('#account-id')").await;

    // Act 2: the change is sent (gone from the outbox); A logs out.
    let sent = "localStorage.removeItem('sao.council.waiting'); return true;";
    tap_log_out(&tablet, &base, sent, ("#log-out", "the log-out button")).await;
    wait_for(&tablet, "a#account-link[href='/dang-nhap']", "signed out").await;
    let empty = json!({ "pages": 0, "packets": 0, "list": false });
    let after = held_when(&tablet, &round_a.products, &empty, 40).await;

    // Act 3: B signs in on the same tablet, goes offline and tries A's sheet.
    log_in_as(&tablet, &base, &round_b.phones[0], TEST_PASSWORD).await;
    set_offline(&tablet, &chromium.driver_url, true).await;
    let _ = tablet
        .goto(&format!("{base}/cham-diem/{}", round_a.products[0]))
        .await;
    wait_settled(&tablet, "true", "B's offline visit to A's sheet").await;
    let offline_text = eval(
        &tablet,
        "return document.body ? document.body.innerText : ''",
    )
    .await;
    let offline_sheet = eval(&tablet, "return !!document.querySelector('form.sheet')").await;
    let b_holds = held_of(&tablet, &round_a.products).await;
    // What B's own visit may have cached (Chromium's offline switch does not
    // always reach the service worker's fetch, so B's request can reach the
    // server, which answers B — never with A's sheet): none of it is A's.
    let b_cached = run_async(
        &tablet,
        &format!(
            "Promise.all({ids}.map(id => caches.match('/cham-diem/' + id) \
               .then(hit => hit ? hit.text() : ''))).then(texts => done(texts.join('\\n')));",
            ids = json!(round_a.products)
        ),
    )
    .await;
    let offline_shot = screenshot(&tablet, "shared-tablet-b-offline-820x1180").await;
    set_offline(&tablet, &chromium.driver_url, false).await;

    // Assert
    assert!(
        refusal.as_str().unwrap_or_default().contains('1'),
        "{refusal}"
    );
    assert_eq!(
        still_in,
        json!(true),
        "the refused log-out kept the session"
    );
    assert_eq!(
        after,
        json!({ "pages": 0, "packets": 0, "list": false }),
        "A's copies gone"
    );
    assert_eq!(offline_sheet, json!(false), "no sheet offline for B");
    assert!(
        !offline_text
            .as_str()
            .unwrap_or_default()
            .contains(name.as_str()),
        "A's product shows offline to B: {offline_text}"
    );
    assert_eq!(b_holds["packets"], json!(0), "{b_holds}");
    assert_eq!(b_holds["list"], json!(false), "{b_holds}");
    let b_cached = b_cached.as_str().unwrap_or_default();
    assert!(
        !b_cached.contains(name.as_str()) && !b_cached.contains("form class=\"sheet"),
        "B's cache holds A's sheet: {b_cached}"
    );
    println!(
        "shared tablet 820x1180: log-out with 1 change waiting refused ({}); after A's log-out the cache and storage hold none of A's 2 sheets; B offline gets no sheet; screenshots {} {}",
        refusal.as_str().unwrap_or_default(),
        refused_shot.display(),
        offline_shot.display()
    );
    tablet.close().await.expect("close");
    test_db.cleanup(db).await;
}
