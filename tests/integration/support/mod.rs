//! Fresh databases on each engine, an in-process server, and the release binary.
pub mod browser;
pub mod certified;
mod client;
pub mod dated;
pub mod dossier;
pub mod files;
pub mod levels;
pub mod netlog;
mod pdf;
pub mod people;
pub mod round;
use app::auth::session::AuthSettings;
use app::db::Db;
pub use client::{said, session_set_cookie, Answer, Client};
use futures::FutureExt;
pub use pdf::{assert_contains_all, pdf_qr_codes, pdf_text, save_document};
use sao_server::watchdog::Deadlines;
use sao_server::{leptos_options, open_database, router, site, AppState};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// No request in these tests should take this long: a hung one fails, naming
/// itself, instead of eating CI's time limit.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// How long closing a pool may wait for its connections to come back.
const CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// A directory removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "sao-test-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database of its own for one test; PostgreSQL ones are dropped by `cleanup`.
pub struct TestDb {
    pub url: String,
    pub engine: &'static str,
    postgres_admin: Option<(String, String)>,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = TempDir::new("db");
        TestDb {
            url: format!("sqlite:{}?mode=rwc", dir.0.join("sao.db").display()),
            engine: "sqlite",
            postgres_admin: None,
            _dir: Some(dir),
        }
    }

    pub async fn postgres(admin_url: &str) -> TestDb {
        use sqlx::Connection;
        let name = format!(
            "sao_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("SAO_TEST_POSTGRES_URL is set but {admin_url} refused: {e}")
            });
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base)
            .unwrap_or(admin_url);
        TestDb {
            url: format!("{base}/{name}"),
            engine: "postgres",
            postgres_admin: Some((admin_url.to_string(), name)),
            _dir: None,
        }
    }

    /// Drops a PostgreSQL test database (after the pool using it is closed).
    pub async fn cleanup(mut self, db: Db) {
        // sqlx's close waits for every checked-out connection; a connection still
        // held by a leftover task must not hang the run (FORCE drops it below).
        if tokio::time::timeout(CLOSE_TIMEOUT, db.close())
            .await
            .is_err()
        {
            eprintln!(
                "note: the {} pool did not close within {CLOSE_TIMEOUT:?}",
                self.engine
            );
        }
        if let Some((admin_url, name)) = self.postgres_admin.take() {
            drop_database(&admin_url, &name).await;
        }
    }

    /// The PostgreSQL database's name, while it exists.
    pub fn postgres_name(&self) -> Option<&str> {
        self.postgres_admin.as_ref().map(|(_, name)| name.as_str())
    }
}

async fn drop_database(admin_url: &str, name: &str) {
    use sqlx::Connection;
    if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

/// A test that panicked never reached `cleanup`: its PostgreSQL database is
/// dropped here, from a thread and runtime of its own (this may run inside the
/// test's runtime, which cannot be blocked on).
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres_admin.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(drop_database(&admin_url, &name));
                }
            })
            .join();
        }
    }
}

/// The engines this run covers: SQLite always, PostgreSQL when configured.
pub async fn each_engine() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    match std::env::var("SAO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => dbs.push(TestDb::postgres(&url).await),
        _ => eprintln!("SAO_TEST_POSTGRES_URL is not set: this test ran on SQLite only"),
    }
    dbs
}

/// Runs `body` against a fresh in-process server on each engine (SQLite, and
/// PostgreSQL when `SAO_TEST_POSTGRES_URL` is set). The server is stopped and the
/// database dropped after each run, also when `body` panics: the panic is caught,
/// the engine cleaned up, and the panic then carried on.
pub async fn for_each_engine<F, Fut>(body: F)
where
    F: FnMut(TestServer) -> Fut,
    Fut: Future<Output = ()>,
{
    for_each_engine_with(false, AuthSettings::default(), body).await
}

/// The same over the demo data (`sao --demo`).
pub async fn for_each_engine_with_demo<F, Fut>(body: F)
where
    F: FnMut(TestServer) -> Fut,
    Fut: Future<Output = ()>,
{
    for_each_engine_with(true, AuthSettings::default(), body).await
}

/// The same, over a database with (`demo`) or without the demo data and with
/// the given session settings.
pub async fn for_each_engine_with<F, Fut>(demo: bool, auth: AuthSettings, mut body: F)
where
    F: FnMut(TestServer) -> Fut,
    Fut: Future<Output = ()>,
{
    for test_db in each_engine().await {
        let server = TestServer::start_with(&test_db.url, demo, None, auth.clone()).await;
        let db = server.db.clone();
        let task = server.task.abort_handle();
        let outcome = std::panic::AssertUnwindSafe(body(server))
            .catch_unwind()
            .await;
        task.abort();
        test_db.cleanup(db).await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

/// The database after a first start with the demo data (closed again) and a
/// second start, as a restarted server opens it.
pub async fn started_twice_with_demo(url: &str) -> Db {
    open_database(url, true)
        .await
        .expect("first start")
        .close()
        .await;
    open_database(url, true).await.expect("second start")
}

/// Sao in-process on a free port, over `db`, with an optional site directory.
pub struct TestServer {
    pub base: String,
    pub db: Db,
    /// The database's URL, and its engine ("sqlite" or "postgres").
    pub url: String,
    pub engine: &'static str,
    /// Where this server keeps evidence files (removed with the server).
    _files: std::sync::Arc<TempDir>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(url: &str, demo: bool, site_root: Option<&Path>) -> TestServer {
        TestServer::start_with(url, demo, site_root, AuthSettings::default()).await
    }

    pub async fn start_with(
        url: &str,
        demo: bool,
        site_root: Option<&Path>,
        auth: AuthSettings,
    ) -> TestServer {
        let db = open_database(url, demo).await.expect("open database");
        TestServer::serve(url, db, site_root, auth, Deadlines::default()).await
    }

    /// Sao over an opened `db` (e.g. a pool of one), with the watchdog's `deadlines`.
    pub async fn serve(
        url: &str,
        db: Db,
        site_root: Option<&Path>,
        auth: AuthSettings,
        deadlines: Deadlines,
    ) -> TestServer {
        let files = std::sync::Arc::new(TempDir::new("files"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("local addr");
        let service_worker = site::ServiceWorker::new(site_root);
        let state = AppState {
            leptos_options: leptos_options(site_root, addr),
            db: db.clone(),
            service_worker,
            auth,
            evidence: app::storage::EvidenceStore::local(&files.0).expect("evidence store"),
            public_origin: app::auth::session::PublicOrigin(format!("http://{addr}").into()),
            deadlines,
        };
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer {
            base: format!("http://{addr}"),
            db,
            url: url.to_string(),
            engine: if url.starts_with("postgres") {
                "postgres"
            } else {
                "sqlite"
            },
            _files: files,
            task,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, &[]).await
    }

    /// The body of `path` as text, whatever its status.
    pub async fn page(&self, path: &str) -> String {
        self.page_with(path, &[]).await
    }

    /// The same, sent with `headers`.
    pub async fn page_with(&self, path: &str, headers: &[(&str, &str)]) -> String {
        let response = self.get_with(path, headers).await;
        response.text().await.expect("the page's body")
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .timeout(REQUEST_TIMEOUT);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request")
    }

    /// A browser-like client of this server: keeps cookies, sends this site's Origin.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// The directory this server keeps uploaded files in (its data directory).
    pub fn files_dir(&self) -> &Path {
        &self._files.0
    }

    pub fn stop(self) -> Db {
        self.task.abort();
        self.db
    }
}

/// The release binary and site built by README's test command, if present.
pub fn release_build() -> Option<(PathBuf, PathBuf)> {
    let bin = PathBuf::from(std::env::var_os("SAO_RELEASE_BIN")?);
    let site = PathBuf::from(std::env::var_os("SAO_SITE_ROOT")?);
    Some((bin, site))
}

/// The release build, or `None` after saying the test is skipped; under README's
/// test command (`SAO_REQUIRE_RELEASE=1`) a missing build fails instead.
pub fn release_build_or_skip() -> Option<(PathBuf, PathBuf)> {
    let build = release_build();
    if build.is_none() {
        assert!(
            !release_required(),
            "SAO_RELEASE_BIN / SAO_SITE_ROOT not set"
        );
        eprintln!("skipped: no release build (README's test command builds it)");
    }
    build
}

/// Whether the release-only tests must run (README's test command sets it): then a
/// missing build is a failure, not a skip.
pub fn release_required() -> bool {
    std::env::var("SAO_REQUIRE_RELEASE").is_ok_and(|v| v == "1")
}

/// The workspace's own `target/` (screenshots go there, whatever CARGO_TARGET_DIR is).
pub fn workspace_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The password every test account uses.
pub const TEST_PASSWORD: &str = "lua-nuong-tay-bac";

/// A hash of `TEST_PASSWORD`, computed once (argon2 is slow on purpose).
pub fn test_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        app::auth::session::hash_password_now(TEST_PASSWORD).expect("hash test password")
    })
}

/// A fresh, unused mobile number for this test run.
pub fn fresh_phone() -> String {
    format!("+8491{:07}", COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// Creates an active user with `grants` straight in the database; returns the id.
pub async fn create_user(db: &Db, phone: &str, grants: &[app::auth::Grant]) -> String {
    let mut tx = db.begin().await.expect("begin");
    let id = app::db::users::create(
        &mut tx,
        phone,
        "Người thử",
        Some(test_password_hash()),
        grants,
    )
    .await
    .expect("create user");
    app::db::commit(tx).await.expect("commit");
    id
}

/// Rows in the audit trail.
pub async fn audit_rows(db: &Db) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db.pool())
        .await
        .expect("count audit rows");
    count
}

/// Dates for a round that takes proposals now: (cut-off in 60 days, closing in 120),
/// as `<input type="date">` sends them.
pub fn open_round_dates() -> (String, String) {
    use app::domain::date::CalendarDate;
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms());
    let later = |days: i64| {
        let date = CalendarDate::from_days_since_epoch(today.days_since_epoch() + days);
        format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
    };
    (later(60), later(120))
}

/// A criterion code a test names ("1.1").
pub fn criterion(text: &str) -> sao_scoring::CriterionCode {
    sao_scoring::CriterionCode::parse(text).expect("a criterion code")
}
