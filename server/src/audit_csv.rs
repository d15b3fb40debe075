//! The audit trail as CSV, with the audit page's filters as query parameters:
//! only the rows the admin may read (their provinces' people; all for a super
//! admin), streamed a page of rows at a time so a long trail never sits in memory.
use app::auth::policy::{decide, Action, Refusal, Target};
use app::auth::session::AuthSession;
use app::db::{self, Db};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub const AUDIT_CSV_PATH: &str = "/quan-tri/nhat-ky.csv";

/// Rows read from the database per step of the stream.
const PAGE: i64 = 1_000;

use crate::answer::refuse as refused;

pub async fn audit_csv(
    State(db): State<Db>,
    session: AuthSession,
    Query(query): Query<app::api::audit::AuditQuery>,
) -> Response {
    let Some(principal) = session.user.as_ref().map(|user| &user.principal) else {
        return refused(AppError::NotSignedIn);
    };
    match decide(Some(principal), Action::ViewAudit, &Target::Nothing) {
        Ok(()) => {}
        Err(Refusal::NotSignedIn) => return refused(AppError::NotSignedIn),
        Err(Refusal::Forbidden) => return refused(AppError::Forbidden),
    }
    let reach = app::service::audit::reach_of(principal);
    let filter = match app::api::audit::AuditFilter::parse(query) {
        Ok(filter) => filter,
        Err(error) => return refused(error),
    };
    // State: the cursor after the last row sent, and whether the header went out.
    let start = (None::<(i64, String)>, true, false);
    let pages = futures::stream::unfold(start, move |(cursor, first, done)| {
        let (db, filter, reach) = (db.clone(), filter.clone(), reach.clone());
        async move {
            if done {
                return None;
            }
            let rows = match db::audit::search_within(&db, &filter, &reach, cursor, PAGE).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(%error, "the audit CSV stopped");
                    return Some((
                        Err(std::io::Error::other(error.to_string())),
                        (None, false, true),
                    ));
                }
            };
            let last = rows.last().map(|row| (row.at_ms, row.id.clone()));
            let finished = (rows.len() as i64) < PAGE;
            let text = db::audit::csv_page(&rows, first)
                .map_err(|error| std::io::Error::other(error.to_string()));
            Some((text, (last, false, finished)))
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sao-nhat-ky.csv\"",
            ),
        ],
        Body::from_stream(pages),
    )
        .into_response()
}
