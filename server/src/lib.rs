//! Sao's axum server: pages (server-rendered, then hydrated), server functions,
//! the site files (compressed, cached), `/healthz` and the service worker.
pub mod answer;
pub mod audit_csv;
pub mod backup;
pub mod body_limit;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod demo_photos;
pub mod documents;
pub mod hardening;
pub mod malformed;
pub mod pdf_cache;
pub mod photos;
pub mod site;
pub mod uploads;
pub mod watchdog;

use app::auth::session::{AuthSettings, Backend};
use app::db::{self, Db};
use app::{shell, App};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tower_http::compression::CompressionLayer;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("không tạo được thư mục dữ liệu {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("không mở được địa chỉ {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("bộ quy định bị từ chối: {0}")]
    Rules(sao_scoring::RuleError),
    #[error("không mở được kho tệp: {0}")]
    Storage(app::storage::StorageError),
    #[error("máy chủ dừng vì lỗi: {0}")]
    Io(#[from] std::io::Error),
    #[error("--public-url phải là một địa chỉ http:// hoặc https:// (nhận được {0:?})")]
    PublicUrl(String),
    #[error("--demo trên địa chỉ {0} (không phải loopback) mở các tài khoản demo có mật khẩu công khai: thêm --demo-public để dùng mật khẩu ngẫu nhiên")]
    DemoPublic(std::net::SocketAddr),
}

/// What every handler can reach.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub service_worker: site::ServiceWorker,
    pub auth: AuthSettings,
    pub evidence: app::storage::EvidenceStore,
    /// Links and the same-origin check use this origin, never the request's Host.
    pub public_origin: app::auth::session::PublicOrigin,
    /// How long a request may run before the watchdog answers 503.
    pub deadlines: watchdog::Deadlines,
}

/// Connects, migrates and loads the reference data (and the demo data when asked).
pub async fn open_database(url: &str, demo: bool) -> Result<Db, db::DbError> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    if db::admin_units::ensure_loaded(&db).await? {
        tracing::info!("loaded the administrative units (34 provinces, 3,321 communes)");
    }
    if demo {
        if db::demo::ensure_loaded(&db).await? {
            tracing::info!("loaded the demo data");
        }
        // Also on a later start, should the first one have stopped before it.
        seal_demo_history(&db).await?;
    }
    let indexed = db::catalogue::index_missing(&db).await?;
    if indexed > 0 {
        tracing::info!(
            indexed,
            "stored the catalogue's search text of older certificates"
        );
    }
    Ok(db)
}

/// Seals the demo's last-year round once it is loaded (its chair's seal, as a
/// service: the results are computed and stored at the seal like any round's).
async fn seal_demo_history(db: &Db) -> Result<(), db::DbError> {
    match app::service::seal::seal_demo_history(db).await {
        Ok(true) => {
            tracing::info!("sealed the demo's last-year round");
            Ok(())
        }
        Ok(false) => Ok(()),
        Err(error) => Err(db::DbError::Demo(error.to_string())),
    }
}

/// Leptos options for a site at `site_root` (hashed file names when the hash file exists).
pub fn leptos_options(
    site_root: Option<&std::path::Path>,
    addr: std::net::SocketAddr,
) -> LeptosOptions {
    let hash_file = site::hash_file();
    let site_root: Arc<str> = site_root
        .map(|root| root.display().to_string())
        .unwrap_or_else(|| "target/site".to_string())
        .into();
    LeptosOptions::builder()
        .output_name("sao")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hash_file.is_some())
        .hash_file(Arc::<str>::from(
            hash_file
                .map(|path| path.display().to_string())
                .unwrap_or_else(|| "hash.txt".into()),
        ))
        .build()
}

/// The page routes, listed once per process. Listing them renders the whole
/// app with resource loading suppressed by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`): a page whose resource is first polled while any
/// listing runs waits forever (leptos issue 4773). With one listing, made
/// before the first router exists, no page can render while it runs — which
/// is what happened when each in-process test server listed the routes while
/// other tests' pages rendered: a page answered 503 by the watchdog after 30 s.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The page routes the router serves, with their `:param`s (the malformed-request
/// sweep walks every one).
pub fn page_paths() -> Vec<String> {
    route_list()
        .iter()
        .map(|route| route.path().to_string())
        .collect()
}

/// The whole application as a router, ready to serve.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let (db_for_pages, auth_for_pages) = (state.db.clone(), state.auth.clone());
    let (db_for_files, auth_for_files) = (state.db.clone(), state.auth.clone());
    let (origin_for_pages, origin_for_files) =
        (state.public_origin.clone(), state.public_origin.clone());
    let origin_for_check = state.public_origin.clone();
    let options = state.leptos_options.clone();
    let auth_layer = auth_layer(&state);
    let watched_db = state.db.clone();
    Router::new()
        .route("/healthz", get(health))
        .route("/sw.js", get(service_worker))
        // The council member's entry is the tablet's list of rounds and products.
        .route(
            "/council",
            get(|| async { axum::response::Redirect::to("/cham-diem") }),
        )
        .route("/rules/{rule_set}/{file}", get(rule_file))
        .route(
            app::pages::catalogue::CATALOGUE_PATH,
            get(catalogue::catalogue),
        )
        .route("/san-pham/{code}", get(catalogue::product_short))
        .route("/san-pham/{code}/{slug}", get(catalogue::product))
        .route("/san-pham/{kind}/{code}/{slug}", get(catalogue::place))
        .route("/sitemap.xml", get(catalogue::sitemap))
        .route(photos::PHOTO_PATH, get(photos::photo))
        .route(AUDIT_CSV_PATH, get(audit_csv::audit_csv))
        .route(
            uploads::UPLOAD_PATH,
            get(uploads::status).put(uploads::put_chunk),
        )
        .route(uploads::FILE_PATH, get(uploads::file))
        .route(
            documents::COMMUNE_REPORT_PATH,
            get(documents::commune_report),
        )
        .route(documents::MINUTES_PATH, get(documents::minutes))
        .route(
            documents::producer_forms::FORM_01_PATH,
            get(documents::producer_forms::registration_form),
        )
        .route(
            documents::producer_forms::FORM_02_PATH,
            get(documents::producer_forms::self_assessment_report),
        )
        .route(documents::PAPER_SHEET_PATH, get(documents::paper_sheet))
        .route(
            documents::decision_forms::DECISION_PATH,
            get(documents::decision_forms::decision),
        )
        .route(
            documents::decision_forms::CERTIFICATE_PATH,
            get(documents::decision_forms::certificate),
        )
        .route(
            documents::proposal::PROPOSAL_PATH,
            get(documents::proposal::proposal),
        )
        .route(
            documents::programme::REPORT_PATH,
            get(documents::programme::report),
        )
        .route(
            documents::revocation_form::REVOCATION_PATH,
            get(documents::revocation_form::revocation),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(db_for_pages.clone());
                provide_context(auth_for_pages.clone());
                provide_context(origin_for_pages.clone());
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(db_for_files.clone());
                provide_context(auth_for_files.clone());
                provide_context(origin_for_files.clone());
            },
            shell,
        ))
        .layer(auth_layer)
        .layer(middleware::from_fn(malformed::refuse_malformed))
        .layer(middleware::from_fn(body_limit::limit_bodies))
        .layer(middleware::from_fn(site::cache_headers))
        .layer(middleware::from_fn(hardening::security_headers))
        .layer(middleware::from_fn_with_state(
            origin_for_check,
            hardening::same_origin_only,
        ))
        // Pages and anything not precompressed on disk; precompressed files pass through.
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(middleware::from_fn_with_state(
            (watched_db, state.deadlines),
            watchdog::watch,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Sessions in the database (HttpOnly, SameSite=Lax, Secure over https; 30 days
/// without use ends them) and axum-login on top.
fn auth_layer(
    state: &AppState,
) -> axum_login::AuthManagerLayer<Backend, app::db::sessions::DbSessionStore> {
    use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
    let sessions =
        SessionManagerLayer::new(app::db::sessions::DbSessionStore::new(state.db.clone()))
            .with_name("sao_session")
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(state.auth.secure_cookies)
            .with_expiry(Expiry::OnInactivity(time::Duration::days(30)));
    axum_login::AuthManagerLayerBuilder::new(Backend::new(state.db.clone()), sessions).build()
}

pub use audit_csv::AUDIT_CSV_PATH;

/// Delivers the outbox; hourly queues re-evaluation reminders and removes expired
/// sessions and abandoned uploads; in
/// the background, while serving.
pub fn spawn_background_work(db: Db, store: app::storage::EvidenceStore) {
    tokio::spawn(async move {
        let transport = db::outbox::LogTransport;
        let sessions = db::sessions::DbSessionStore::new(db.clone());
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        let mut rounds: u64 = 0;
        loop {
            tick.tick().await;
            if let Err(error) = db::outbox::deliver_pending(&db, &transport).await {
                tracing::warn!(%error, "outbox delivery failed; will retry");
            }
            rounds += 1;
            if rounds % 720 == 1 {
                if let Err(error) = sessions.delete_expired().await {
                    tracing::warn!(%error, "removing expired sessions failed");
                }
                let today = app::domain::date::CalendarDate::of_ms_vietnam(db::now_ms());
                match app::service::reminders::send_due(&db, today).await {
                    Ok(0) => {}
                    Ok(count) => tracing::info!(count, "queued re-evaluation reminders"),
                    Err(error) => tracing::warn!(%error, "re-evaluation reminders failed"),
                }
                match uploads::collect_garbage(&db, &store).await {
                    Ok(0) => {}
                    Ok(count) => tracing::info!(count, "removed abandoned uploads"),
                    Err(error) => tracing::warn!(%error, "removing abandoned uploads failed"),
                }
            }
        }
    });
}

/// The database a command-line action works on (its folder made for SQLite).
async fn open_for_command(server: &config::Args) -> Result<Db, String> {
    let url = server.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&server.data_dir).map_err(|e| e.to_string())?;
    }
    open_database(&url, false).await.map_err(|e| e.to_string())
}

/// `sao invite-super-admin`: the first account of a new installation.
pub async fn invite_super_admin(args: &config::InviteArgs) -> Result<String, String> {
    let db = open_for_command(&args.server).await?;
    let outcome =
        db::links::invite_super_admin(&db, &args.phone, &args.name, &args.public_url).await;
    db.close().await;
    outcome.map(|link| format!("Đường dẫn đặt mật khẩu (dùng một lần, hiệu lực 7 ngày):\n{link}"))
}

/// `sao holiday add|list`: the public holidays commune deadlines skip (audited).
pub async fn holiday(args: &config::HolidayArgs) -> Result<String, String> {
    let db = open_for_command(&args.server).await?;
    let outcome = match &args.action {
        config::HolidayAction::Add { day, name } => {
            db::commune::add_holiday_audited(&db, day, name)
                .await
                .map(|(day, name)| format!("Đã thêm ngày nghỉ {day}: {name}"))
        }
        config::HolidayAction::List => db::commune::holiday_list(&db)
            .await
            .map(|days| {
                days.iter()
                    .map(|(day, name)| format!("{day}\t{name}\n"))
                    .collect()
            })
            .map_err(|e| e.to_string()),
    };
    db.close().await;
    outcome
}

/// `sao certificates import --province P --file F`: certificates issued before Sao (audited;
/// every line or none).
pub async fn certificates(args: &config::CertificatesArgs) -> Result<String, String> {
    use app::domain::refusal::{Lang, Said};
    use app::service::certificates::ImportError;
    let config::CertificatesAction::Import { province, file } = &args.action;
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let db = open_for_command(&args.server).await?;
    let outcome = app::service::certificates::import(&db, *province, &text).await;
    db.close().await;
    match outcome {
        Ok(count) => Ok(format!("Đã nhập {count} giấy chứng nhận.")),
        Err(ImportError::Line { line, refusal }) => Err(format!(
            "Dòng {line}: {} Chưa nhập giấy chứng nhận nào.",
            refusal.text(Lang::Vi)
        )),
        Err(ImportError::Failed(reason)) => Err(reason),
    }
}

/// `sao district define --province P --name N --communes C1,C2`: a district of the
/// seed's three-tier plan (audited; all or nothing).
pub async fn district(args: &config::DistrictArgs) -> Result<String, String> {
    use app::domain::refusal::{Lang, Said};
    let config::DistrictAction::Define {
        province,
        name,
        communes,
    } = &args.action;
    let db = open_for_command(&args.server).await?;
    let outcome = app::service::districts::define(&db, *province, name, communes).await;
    db.close().await;
    match outcome {
        Ok(id) => Ok(format!("Đã lập huyện {name}: {id}")),
        Err(app::error::AppError::Invalid { refusal, .. }) => Err(refusal.text(Lang::Vi)),
        Err(other) => Err(other.to_string()),
    }
}

/// The site's one origin: `--public-url`, else the listen address (with a warning:
/// links in SMS would point at an address users may not reach).
pub fn public_origin(
    public_url: Option<&str>,
    listening: std::net::SocketAddr,
) -> Result<app::auth::session::PublicOrigin, ServeError> {
    use app::auth::session::PublicOrigin;
    match public_url {
        Some(url) => PublicOrigin::parse(url).ok_or_else(|| ServeError::PublicUrl(url.to_string())),
        None => {
            tracing::warn!(
                "no --public-url: links in SMS and the same-origin check use http://{listening}"
            );
            Ok(PublicOrigin(format!("http://{listening}").into()))
        }
    }
}

/// `sao verify-round <id>`: recomputes a sealed round from what is stored.
pub async fn verify_round(args: &config::VerifyRoundArgs) -> Result<String, String> {
    use app::service::seal::{verify, Verification};
    let db = open_database(&args.server.database_url(), false)
        .await
        .map_err(|e| e.to_string())?;
    let outcome = verify(&db, &args.round_id).await.map_err(|e| e.to_string());
    db.close().await;
    match outcome? {
        Verification::Equal {
            chain_length,
            seal_digest,
            products,
        } => Ok(format!(
            "equal: {chain_length} chained sheets, {products} results, seal {seal_digest}"
        )),
        Verification::Differs(what) => Err(format!("differs: {what}")),
    }
}

#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub engine: String,
    pub migration_level: i64,
}

async fn health(State(db): State<Db>) -> Response {
    match db.migration_level().await {
        Ok(level) => Json(Health {
            status: "ok".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            engine: db.engine().to_string(),
            migration_level: level,
        })
        .into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn service_worker(State(worker): State<site::ServiceWorker>) -> Response {
    let script = worker.script();
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            // A worker's own fetches obey its script's policy: it precaches from this site.
            (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        ],
        script,
    )
        .into_response()
}

/// Rule data for browsers: `index.json` (product sets and profile) or one `set-NN.json`.
async fn rule_file(
    axum::extract::Path((rule_set, file)): axum::extract::Path<(String, String)>,
) -> Response {
    let json = [(header::CONTENT_TYPE, "application/json; charset=utf-8")];
    if file == "index.json" {
        if let Some(index) = app::rules_catalog::index(&rule_set) {
            return Json(index).into_response();
        }
    } else if let Some(text) = app::rules_catalog::raw_file(&rule_set, &file) {
        return (json, text).into_response();
    }
    (StatusCode::NOT_FOUND, "không có tệp quy định này").into_response()
}

/// One log line per request: method, path, status, milliseconds.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Runs Sao until SIGTERM or Ctrl-C, then finishes open requests and closes the database.
pub async fn serve(args: config::Args) -> Result<(), ServeError> {
    // Bad rule data stops the start, naming the file and line, before anything is served.
    if let Err(error) = app::rules_catalog::loaded() {
        return Err(ServeError::Rules(error.clone()));
    }
    let url = args.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&args.data_dir).map_err(|source| ServeError::DataDir {
            path: args.data_dir.clone(),
            source,
        })?;
    }
    if args.demo && !args.addr.ip().is_loopback() && !args.demo_public {
        return Err(ServeError::DemoPublic(args.addr));
    }
    // The port first: a taken port fails before the database is touched (and
    // before a public demo's passwords are made and shown).
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: args.addr,
            source,
        })?;
    let public_demo = args.demo && !args.addr.ip().is_loopback();
    let db = open_database(&url, args.demo && !public_demo).await?;
    if public_demo {
        let random = |_: &str| uuid::Uuid::new_v4().simple().to_string()[..16].to_string();
        if let Some(accounts) = db::demo::ensure_loaded_with(&db, &random).await? {
            seal_demo_history(&db).await?;
            println!("Demo accounts (random passwords, shown once):");
            for (phone, password) in accounts {
                println!("  {phone}  {password}");
            }
        }
    }
    let evidence = args.evidence_store().map_err(ServeError::Storage)?;
    if args.demo {
        demo_photos::add(&db, &evidence).await?;
    }
    let photos = photos::make_missing(&db, &evidence).await?;
    if photos > 0 {
        tracing::info!(
            photos,
            "made the catalogue's sizes of stored product photos"
        );
    }
    let site_root = site::resolve_root(args.site_root.as_deref());
    match &site_root {
        Some(root) => tracing::info!(site_root = %root.display(), "serving the site"),
        None => tracing::warn!(
            "no built site found (run `cargo leptos build`): pages will have no script or style"
        ),
    }
    let service_worker = site::ServiceWorker::new(site_root.as_deref());
    let public_origin = public_origin(args.public_url.as_deref(), listener.local_addr()?)?;
    app::auth::hashing::configure(args.hash_limits());
    let state = AppState {
        leptos_options: leptos_options(site_root.as_deref(), args.addr),
        db: db.clone(),
        service_worker,
        auth: args.auth_settings(),
        evidence,
        public_origin,
        deadlines: watchdog::Deadlines::default(),
    };
    spawn_background_work(db.clone(), state.evidence.clone());
    tracing::info!(
        "Sao {} listening on http://{} ({} database)",
        env!("CARGO_PKG_VERSION"),
        listener.local_addr()?,
        db.engine()
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
