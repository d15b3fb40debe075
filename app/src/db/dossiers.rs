//! A dossier's life after registration: its state and status timeline, the
//! versions frozen at submission, supplements asked, and the lists by state.
use super::producers::{StoredProduct, PRODUCT_COLUMNS};
use super::{now_ms, Db, DbError};
use crate::domain::dossier::DossierState;
use crate::domain::dossier::{ProductRow, TimelineEvent};
use crate::domain::refusal::Refusal;
use sqlx::AnyConnection;

/// How many of a subject's dossiers are between submission and decision.
pub async fn dossiers_under_review(
    conn: &mut AnyConnection,
    subject_id: &str,
) -> Result<i64, DbError> {
    let states = DossierState::UNDER_REVIEW;
    let sql = format!(
        "SELECT COUNT(*) FROM products WHERE subject_id = $1 AND state IN ({})",
        super::placeholders(2, states.len())
    );
    let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(subject_id);
    for state in states {
        query = query.bind(state.as_str());
    }
    Ok(query.fetch_one(conn).await?.0)
}

/// Moves a dossier from `expected` to `state` in one compare-and-set: false when
/// it was no longer in `expected` (a concurrent request won).
pub async fn set_state(
    conn: &mut AnyConnection,
    product_id: &str,
    expected: DossierState,
    state: DossierState,
    version: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE products SET state = $1, version = $2, updated_ms = $3 WHERE id = $4 AND state = $5",
    )
    .bind(state.as_str())
    .bind(version)
    .bind(now_ms())
    .bind(product_id)
    .bind(expected.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_event(
    conn: &mut AnyConnection,
    product_id: &str,
    state: DossierState,
    version: i64,
    note: &str,
    deadline: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO dossier_events (id, product_id, at_ms, state, version, note, deadline) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(product_id)
    .bind(now_ms())
    .bind(state.as_str())
    .bind(version)
    .bind(note)
    .bind(deadline)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the commune last proposed (forwarded) the dossier to the province.
pub async fn proposed_ms(db: &Db, product_id: &str) -> Result<Option<i64>, DbError> {
    let row: (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(at_ms) FROM dossier_events WHERE product_id = $1 AND state = $2",
    )
    .bind(product_id)
    .bind(DossierState::OfficeReview.as_str())
    .fetch_one(db.pool())
    .await?;
    Ok(row.0)
}

pub async fn timeline(db: &Db, product_id: &str) -> Result<Vec<TimelineEvent>, DbError> {
    let rows: Vec<(i64, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT at_ms, state, version, note, deadline FROM dossier_events \
         WHERE product_id = $1 ORDER BY at_ms, id",
    )
    .bind(product_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(at_ms, state, version, note, deadline)| {
            Ok(TimelineEvent {
                at_ms,
                state: super::decoded("dossier_events.state", &state, DossierState::parse(&state))?,
                version,
                note,
                deadline,
            })
        })
        .collect()
}

pub async fn insert_version(
    conn: &mut AnyConnection,
    product_id: &str,
    version: i64,
    submitted_by: &str,
    content: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO dossier_versions (product_id, version, submitted_ms, submitted_by, content) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(product_id)
    .bind(version)
    .bind(now_ms())
    .bind(submitted_by)
    .bind(content)
    .execute(conn)
    .await?;
    Ok(())
}

/// A frozen version's content (JSON), if it exists.
pub async fn version(db: &Db, product_id: &str, version: i64) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT content FROM dossier_versions WHERE product_id = $1 AND version = $2",
    )
    .bind(product_id)
    .bind(version)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(content,)| content))
}

/// An official asks for more: the dossier reopens for the producer, with a deadline
/// on the timeline; its next submission becomes a new version.
pub async fn request_supplement(
    conn: &mut AnyConnection,
    product: &ProductRow,
    note: &str,
    deadline: &str,
) -> Result<Result<DossierState, Refusal>, DbError> {
    let next = match product
        .state
        .transition(crate::domain::dossier::DossierEvent::RequestSupplement)
    {
        Ok(next) => next,
        Err(reason) => return Ok(Err(reason)),
    };
    if !set_state(conn, &product.id, product.state, next, product.version).await? {
        return Ok(Err(Refusal::StateChanged));
    }
    add_event(
        conn,
        &product.id,
        next,
        product.version,
        note,
        Some(deadline),
    )
    .await?;
    Ok(Ok(next))
}

/// Products in `state` whose subject lies in `province`, oldest change first.
pub async fn in_state_in_province(
    db: &Db,
    state: DossierState,
    province: i64,
) -> Result<Vec<ProductRow>, DbError> {
    let rows: Vec<StoredProduct> = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p JOIN subjects s ON s.id = p.subject_id \
         JOIN commune c ON c.code = s.commune_code WHERE p.state = $1 AND c.province_code = $2 \
         ORDER BY p.updated_ms, p.id"
    ))
    .bind(state.as_str())
    .bind(province)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(StoredProduct::into_row).collect()
}
