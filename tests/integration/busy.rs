//! Issue 19: a busy database never reaches a person as a 500, and no request is
//! left hanging. Concurrent writers on SQLite take the write lock up front and
//! wait their turn; past the pool's wait a request is answered 503 with
//! Retry-After; past its deadline the watchdog answers 503.
use crate::support::people::{admin_grant, invitation_link, invite_officer};
use crate::support::round::{scored_sheet, scoring_round};
use crate::support::{create_user, each_engine, fresh_phone, TestServer, TEST_PASSWORD};
use app::auth::session::AuthSettings;
use app::db::Db;
use futures::future::join_all;
use sao_server::open_database;
use sao_server::watchdog::Deadlines;
use serde_json::json;
use std::time::{Duration, Instant};

/// 15 sign-ins, 15 invitation acceptances and 20 tablet syncs at once: on
/// SQLite before the fix some answered 500 "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_sign_ins_acceptances_and_syncs_see_no_5xx() {
    crate::support::for_each_engine(|server| async move {
        // Arrange: a round of 4 products and 5 members, 15 accounts, 15 invitations.
        let round = scoring_round(&server, 4, 5, "qd-26-2026").await;
        let mut accounts = Vec::new();
        for _ in 0..15 {
            let phone = fresh_phone();
            create_user(&server.db, &phone, &[]).await;
            accounts.push(phone);
        }
        let admin = crate::support::people::official(&server, admin_grant(51)).await;
        let mut tokens = Vec::new();
        for _ in 0..15 {
            let local = fresh_phone();
            let invited = invite_officer(&admin, &local, "Cán bộ xã").await;
            tokens.push(invitation_link(&invited).1);
        }
        let audit_before = crate::support::audit_rows(&server.db).await;

        // Act: all fifty at once.
        let mut calls: Vec<futures::future::BoxFuture<'_, (String, u16, String)>> = Vec::new();
        for phone in &accounts {
            let client = server.client();
            calls.push(Box::pin(async move {
                let answer = client.try_log_in(phone, TEST_PASSWORD).await;
                ("log in".to_string(), answer.status, answer.body)
            }));
        }
        for token in &tokens {
            let client = server.client();
            calls.push(Box::pin(async move {
                let answer = client
                    .call(
                        "account/accept_invitation",
                        &[("token", token.as_str()), ("password", TEST_PASSWORD)],
                    )
                    .await;
                ("accept".to_string(), answer.status, answer.body)
            }));
        }
        for product in &round.products {
            for (member_id, client) in &round.members {
                let sheet = scored_sheet(member_id, product, 75, app::db::now_ms());
                calls.push(Box::pin(async move {
                    let answer = client
                        .call_json("council/sync", &json!({ "changes": sheet }))
                        .await;
                    ("sync".to_string(), answer.status, answer.body)
                }));
            }
        }
        assert_eq!(calls.len(), 50);
        let answers = join_all(calls).await;

        // Assert: every one done, none refused by the server's own state.
        let failed: Vec<_> = answers
            .iter()
            .filter(|(_, status, _)| *status != 200)
            .collect();
        assert!(failed.is_empty(), "on {}: {failed:?}", server.engine);
        // Each sign-in, acceptance and sync is audited, once.
        let audit_after = crate::support::audit_rows(&server.db).await;
        assert_eq!(audit_after - audit_before, 50, "on {}", server.engine);
    })
    .await;
}

/// Sao over a pool of one connection, and that connection, held.
async fn held_pool_server(
    url: &str,
    deadlines: Deadlines,
) -> (TestServer, sqlx::pool::PoolConnection<sqlx::Any>) {
    open_database(url, false)
        .await
        .expect("migrate")
        .close()
        .await;
    let db = Db::connect_with(url, 1).await.expect("pool of one");
    let server = TestServer::serve(url, db.clone(), None, AuthSettings::default(), deadlines).await;
    let held = db.pool().acquire().await.expect("the only connection");
    (server, held)
}

/// The catalogue page from `server`, and how long it took to answer.
async fn timed_catalogue(server: &TestServer) -> (reqwest::Response, Duration) {
    let started = Instant::now();
    let answer = server.get(app::pages::catalogue::CATALOGUE_PATH).await;
    (answer, started.elapsed())
}

/// The answer's Retry-After header.
fn retry_after(answer: &reqwest::Response) -> Option<&str> {
    answer
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or(""))
}

/// A database whose only connection is held elsewhere: the request waits for
/// the pool, then is answered 503 with Retry-After — not 500, not never.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_cannot_get_the_database_is_answered_503_with_retry_after() {
    for test_db in each_engine().await {
        // Another holder of the only connection (a stuck job, a long report).
        let (server, held) = held_pool_server(&test_db.url, Deadlines::default()).await;

        let (answer, waited) = timed_catalogue(&server).await;

        assert_eq!(answer.status().as_u16(), 503, "on {}", server.engine);
        assert_eq!(retry_after(&answer), Some("2"), "on {}", server.engine);
        assert!(waited < Duration::from_secs(20), "{waited:?}");
        drop(held);
        // Free again: the same request is served.
        let again = server.get(app::pages::catalogue::CATALOGUE_PATH).await;
        assert_eq!(again.status().as_u16(), 200, "on {}", server.engine);
        test_db.cleanup(server.stop()).await;
    }
}

/// A request still unanswered at its deadline is answered 503 by the watchdog
/// (logged with the pool's state), however long the work behind it would take.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watchdog_answers_a_request_past_its_deadline_with_503() {
    for test_db in each_engine().await {
        let deadlines = Deadlines {
            read: Duration::from_millis(800),
            write: Duration::from_millis(800),
        };
        let (server, held) = held_pool_server(&test_db.url, deadlines).await;

        let (answer, waited) = timed_catalogue(&server).await;

        assert_eq!(answer.status().as_u16(), 503, "on {}", server.engine);
        assert_eq!(retry_after(&answer), Some("5"), "on {}", server.engine);
        assert!(
            waited >= Duration::from_millis(800) && waited < Duration::from_secs(5),
            "{waited:?}"
        );
        drop(held);
        test_db.cleanup(server.stop()).await;
    }
}

/// Two transactions that read, then write: the second must wait its turn, not
/// fail. (SQLite's deferred transactions failed here: the second read a
/// snapshot, the first committed, and the second's write was refused at once
/// with "database is locked"; taking the write lock up front makes it wait.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_transactions_that_read_then_write_both_commit() {
    for test_db in each_engine().await {
        let db = open_database(&test_db.url, false).await.expect("open");
        let user = create_user(&db, &fresh_phone(), &[]).await;
        let read_then_write = |db: Db, user: String, name: &'static str| async move {
            let mut tx = db.begin().await?;
            let (_,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(&mut *tx)
                .await?;
            Ok::<_, app::db::DbError>((tx, user, name))
        };
        let write = |(mut tx, user, name): (app::db::Tx, String, &'static str)| async move {
            sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
                .bind(name)
                .bind(&user)
                .execute(&mut *tx)
                .await?;
            app::db::commit(tx).await
        };

        // Act: the first reads; the second begins and reads (or waits for the
        // first, if it takes the write lock up front); then the first writes
        // and commits, then the second.
        let first = read_then_write(db.clone(), user.clone(), "Người một")
            .await
            .expect("first reads");
        let (read_tx, read_rx) = tokio::sync::oneshot::channel();
        let second = {
            let (db, user) = (db.clone(), user.clone());
            tokio::spawn(async move {
                let opened = read_then_write(db, user, "Người hai").await;
                let _ = read_tx.send(());
                write(opened?).await
            })
        };
        // Until the second has read, or it is seen waiting for the first.
        let _ = tokio::time::timeout(Duration::from_secs(2), read_rx).await;
        let first = write(first).await;
        let second = second.await.expect("task");

        assert!(first.is_ok(), "{first:?}");
        assert!(second.is_ok(), "on {}: {second:?}", test_db.engine);
        test_db.cleanup(db).await;
    }
}

/// Listing the page routes renders the app with resource loading suppressed by
/// a process-wide flag; a page whose resource is first polled meanwhile used to
/// wait forever (answered 503 by the watchdog after 30 s). The routes are now
/// listed once per process: listing them again and again while pages render
/// leaves every page answering at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_the_routes_are_listed_beside_them() {
    // Arrange: a server; a thread listing the routes without pause.
    let test_db = crate::support::TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listing = {
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || {
            let mut listed = 0_u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                assert!(!sao_server::page_paths().is_empty());
                listed += 1;
            }
            listed
        })
    };

    // Act: 100 renders of a page that loads a resource, each given 10 s (the
    // third left waiting ends it: before the fix most were).
    let mut stuck = Vec::new();
    for i in 0..100 {
        if stuck.len() == 3 {
            break;
        }
        let path = format!("/xac-minh/QN-2023-{i:03}");
        let answer = tokio::time::timeout(Duration::from_secs(10), server.get(&path)).await;
        match answer {
            Ok(response) if response.status() == 200 => {}
            Ok(response) => stuck.push(format!("{path}: {}", response.status())),
            Err(_) => stuck.push(format!("{path}: no answer in 10 s")),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let listed = listing.await.expect("the listing task");

    // Assert
    assert!(listed > 0);
    assert!(stuck.is_empty(), "pages left waiting: {stuck:?}");
    let db = server.stop();
    test_db.cleanup(db).await;
}
