//! The harness itself: `for_each_engine` stops the server and drops the
//! PostgreSQL database even when the test's body panics, then carries the panic on.
use crate::support::for_each_engine;
use futures::FutureExt;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn a_body_that_panics_still_leaves_no_postgres_database_behind() {
    let admin = std::env::var("SAO_TEST_POSTGRES_URL").unwrap_or_default();
    if admin.is_empty() {
        eprintln!("skipped: SAO_TEST_POSTGRES_URL is not set");
        return;
    }
    // Arrange: a body that notes its PostgreSQL database, then panics there.
    let seen: Arc<Mutex<Option<String>>> = Arc::default();
    let noted = seen.clone();
    let body = move |server: crate::support::TestServer| {
        let noted = noted.clone();
        async move {
            if server.engine == "postgres" {
                let name = server.url.rsplit('/').next().unwrap_or_default();
                *noted.lock().expect("lock") = Some(name.to_string());
                panic!("a failing test body (expected here)");
            }
        }
    };

    // Act
    let outcome = std::panic::AssertUnwindSafe(for_each_engine(body))
        .catch_unwind()
        .await;

    // Assert: the panic came through, and the database is gone.
    assert!(outcome.is_err(), "the body's panic is carried on");
    let name = seen
        .lock()
        .expect("lock")
        .clone()
        .expect("ran on PostgreSQL");
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
        .await
        .expect("admin connection");
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .expect("count");
    assert_eq!(left, 0, "{name} is dropped");
}
