//! The watchdog: no request is left hanging. A request still unanswered past
//! its deadline is logged with what it may be waiting on (the database pool,
//! the password-hash gate) and answered 503 with Retry-After; the work behind
//! it is dropped (its transaction rolls back).
use app::db::Db;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::time::{Duration, Instant};

/// Reading (pages, files, PDFs): the PDF cache bounds its own layout well below.
pub const READ_DEADLINE: Duration = Duration::from_secs(30);
/// Writing (forms, syncs, upload chunks over a slow line): longer.
pub const WRITE_DEADLINE: Duration = Duration::from_secs(120);
/// What a client is told to wait before it tries again.
pub const RETRY_AFTER_S: u32 = 5;

/// The deadline for `method`.
pub fn deadline_for(method: &Method) -> Duration {
    if method == Method::GET || method == Method::HEAD {
        READ_DEADLINE
    } else {
        WRITE_DEADLINE
    }
}

/// The deadlines the server runs with (tests shorten them).
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    pub read: Duration,
    pub write: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            read: READ_DEADLINE,
            write: WRITE_DEADLINE,
        }
    }
}

/// The middleware: runs the request under its deadline.
pub async fn watch(
    State((db, deadlines)): State<(Db, Deadlines)>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let limit = if deadline_for(&method) == READ_DEADLINE {
        deadlines.read
    } else {
        deadlines.write
    };
    let started = Instant::now();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let pool = db.pool();
            tracing::error!(
                %method,
                path,
                waited_ms = started.elapsed().as_millis() as u64,
                pool_size = pool.size(),
                pool_idle = pool.num_idle(),
                hash_gate = ?app::auth::hashing::gate_load(),
                "request passed its deadline: answered 503"
            );
            crate::answer::refuse(AppError::Busy {
                retry_after_s: RETRY_AFTER_S,
            })
        }
    }
}
