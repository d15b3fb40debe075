//! Evidence uploads in chunks that survive a dropped 3G connection:
//! `PUT /tai-lieu/{id}?offset=N` appends one chunk, `GET /tai-lieu/{id}` says how
//! much arrived (to resume), `GET /tai-lieu/{id}/tep` returns the stored file.
//! The upload itself is opened by the server function `producer/start_upload`.
use app::auth::guards;
use app::auth::policy::{Action, Target};
use app::auth::session::{AuthSession, Authorized};
use app::db::{self, evidence, Db};
use app::domain::evidence::{is_advisory_slot, sniff, CHUNK_BYTES, PHOTO_SLOT};
use app::error::AppError;
use app::error::{Refusal, Thing};
use app::storage::EvidenceStore;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

pub const UPLOAD_PATH: &str = "/tai-lieu/{id}";
pub const FILE_PATH: &str = "/tai-lieu/{id}/tep";

#[derive(Debug, Serialize, Deserialize)]
pub struct UploadStatus {
    pub received: i64,
    pub size: i64,
    pub complete: bool,
    pub sha256: Option<String>,
}

#[derive(Deserialize)]
pub struct Offset {
    offset: u64,
}

pub(crate) use crate::answer::refuse;

/// The upload's row, after the policy allowed `action` on its dossier (reading
/// it: see `may_read_dossier`).
async fn allowed(
    db: &Db,
    session: &AuthSession,
    id: &str,
    action: Action,
) -> Result<evidence::EvidenceRow, Response> {
    let row = evidence::get(db, id)
        .await
        .map_err(|e| refuse(e.into()))?
        .ok_or_else(|| refuse(AppError::NotFound(Thing::File)))?;
    if action == Action::ViewSubject {
        may_read_dossier(db, session, &row.product_id).await?;
        return Ok(row);
    }
    let scope = guards::scope_of_product(db, &row.product_id)
        .await
        .map_err(refuse)?;
    Authorized::from_session(session.clone())
        .allow(action, &Target::Subject(&scope))
        .map_err(refuse)?;
    Ok(row)
}

/// Whether the session may read a product's dossier: `auth::guards::readable_dossier`.
pub async fn may_read_dossier(
    db: &Db,
    session: &AuthSession,
    product_id: &str,
) -> Result<(), Response> {
    let me = Authorized::from_session(session.clone());
    guards::readable_dossier(db, &me, product_id)
        .await
        .map_err(refuse)
}

fn status_of(row: &evidence::EvidenceRow) -> UploadStatus {
    UploadStatus {
        received: row.received,
        size: row.size,
        complete: row.state == evidence::STORED,
        sha256: row.sha256.clone(),
    }
}

pub async fn status(
    State(db): State<Db>,
    session: AuthSession,
    Path(id): Path<String>,
) -> Response {
    match allowed(&db, &session, &id, Action::ViewSubject).await {
        Ok(row) => Json(status_of(&row)).into_response(),
        Err(response) => response,
    }
}

pub async fn put_chunk(
    State(db): State<Db>,
    State(store): State<EvidenceStore>,
    session: AuthSession,
    Path(id): Path<String>,
    Query(Offset { offset }): Query<Offset>,
    body: Bytes,
) -> Response {
    let row = match evidence::get(&db, &id).await {
        Ok(Some(row)) => row,
        Ok(None) => return refuse(AppError::NotFound(Thing::File)),
        Err(error) => return refuse(error.into()),
    };
    let action = if is_advisory_slot(&row.slot) {
        Action::OfficeWork
    } else {
        Action::EditSubject
    };
    let row = match allowed(&db, &session, &id, action).await {
        Ok(row) => row,
        Err(response) => return response,
    };
    if row.state == evidence::STORED {
        return Json(status_of(&row)).into_response();
    }
    let size = u64::try_from(row.size).unwrap_or(0);
    if body.len() as u64 > CHUNK_BYTES || offset + body.len() as u64 > size {
        return refuse(AppError::invalid("file", Refusal::ChunkSizeWrong));
    }
    let end = offset + body.len() as u64;
    // Claim [offset, end) first, in one conditional statement: of two chunks sent
    // for one offset, one claims it and the other is told where the file stands.
    let claimed = offset as i64 == row.received
        && match evidence::advance(&db, &id, offset as i64, end as i64).await {
            Ok(claimed) => claimed,
            Err(error) => return refuse(error.into()),
        };
    if !claimed {
        return out_of_step(&db, &id, row.size).await;
    }
    let received = match store.append(&id, offset, &body).await {
        Ok(received) => received,
        Err(error) => {
            let _ = evidence::advance(&db, &id, end as i64, offset as i64).await;
            return refuse(AppError::internal(&error));
        }
    };
    if received != end {
        // The disk disagrees (bytes whose answer was lost, or a write cut short by
        // a crash): the record follows the disk, the client continues from there.
        let _ = evidence::advance(&db, &id, end as i64, received as i64).await;
        return out_of_step(&db, &id, row.size).await;
    }
    if received < size {
        let status = UploadStatus {
            received: received as i64,
            size: row.size,
            complete: false,
            sha256: None,
        };
        return Json(status).into_response();
    }
    finish(&db, &store, &session, &row).await
}

/// 409 with where the upload stands, so the client continues from there.
async fn out_of_step(db: &Db, id: &str, size: i64) -> Response {
    let received = match evidence::get(db, id).await {
        Ok(Some(row)) => row.received,
        Ok(None) => return refuse(AppError::NotFound(Thing::File)),
        Err(error) => return refuse(error.into()),
    };
    let status = UploadStatus {
        received,
        size,
        complete: false,
        sha256: None,
    };
    (StatusCode::CONFLICT, Json(status)).into_response()
}

/// The last chunk arrived: recognise the type, store by SHA-256, record it.
async fn finish(
    db: &Db,
    store: &EvidenceStore,
    session: &AuthSession,
    row: &evidence::EvidenceRow,
) -> Response {
    let head = match store.head(&row.id).await {
        Ok(head) => head,
        Err(error) => return refuse(AppError::internal(&error)),
    };
    let Some(file_type) = sniff(&head) else {
        store.discard(&row.id).await;
        let _ = evidence::remove(db, &row.id).await;
        return refuse(AppError::invalid("file", Refusal::FileKind));
    };
    // A product photo is made in the catalogue's sizes now, or refused whole.
    let sizes = if row.slot == PHOTO_SLOT {
        let made = match store.partial(&row.id).await {
            Ok(bytes) => crate::photos::make_blocking(bytes).await,
            Err(error) => return refuse(AppError::internal(&error)),
        };
        let Ok(made) = made else {
            store.discard(&row.id).await;
            let _ = evidence::remove(db, &row.id).await;
            return refuse(AppError::invalid("file", Refusal::PhotoUnreadable));
        };
        match crate::photos::store_all(store, made).await {
            Ok(sizes) => sizes,
            Err(error) => return refuse(AppError::internal(&error)),
        }
    } else {
        Vec::new()
    };
    let sha256 = match store.finish(&row.id).await {
        Ok(sha256) => sha256,
        Err(error) => return refuse(AppError::internal(&error)),
    };
    let actor = session
        .user
        .as_ref()
        .map(|u| u.principal.user_id.clone())
        .unwrap_or_else(|| "anonymous".into());
    let outcome = async {
        let mut tx = db.begin().await?;
        evidence::mark_stored(&mut tx, &row.id, file_type.mime(), &sha256).await?;
        for (rendition, size) in &sizes {
            db::photos::insert(&mut tx, &row.id, &row.product_id, rendition, *size).await?;
        }
        let role = if is_advisory_slot(&row.slot) {
            "office_staff"
        } else {
            "producer"
        };
        db::audit::commit(
            tx,
            &db::audit::Actor::new(actor, role),
            db::audit::Change::new("store_evidence", "evidence", &row.id).after(sha256.clone()),
        )
        .await
    }
    .await;
    match outcome {
        Ok(()) => Json(UploadStatus {
            received: row.size,
            size: row.size,
            complete: true,
            sha256: Some(sha256),
        })
        .into_response(),
        Err(error) => refuse(error.into()),
    }
}

pub async fn file(
    State(db): State<Db>,
    State(store): State<EvidenceStore>,
    session: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let row = match allowed(&db, &session, &id, Action::ViewSubject).await {
        Ok(row) => row,
        Err(response) => return response,
    };
    let (Some(sha256), Some(content_type)) = (row.sha256, row.content_type) else {
        return refuse(AppError::NotFound(Thing::File));
    };
    match store.read(&sha256).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CACHE_CONTROL,
                    "private, max-age=31536000, immutable".to_string(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => refuse(AppError::internal(&error)),
    }
}

/// How long an unfinished upload may rest before it is removed.
pub const ABANDONED_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// Removes uploads abandoned for over 24 hours: their rows (giving their bytes
/// back to the account) and their partial files. Returns how many went.
pub async fn collect_garbage(db: &Db, store: &EvidenceStore) -> Result<usize, db::DbError> {
    let removed = evidence::remove_abandoned(db, db::now_ms() - ABANDONED_AFTER_MS).await?;
    for id in &removed {
        store.discard(id).await;
    }
    Ok(removed.len())
}

/// `sao gc`: the same, now.
pub async fn gc_command(args: &crate::config::Args) -> Result<String, String> {
    let db = crate::open_database(&args.database_url(), false)
        .await
        .map_err(|e| e.to_string())?;
    let store = args.evidence_store().map_err(|e| e.to_string())?;
    let outcome = collect_garbage(&db, &store)
        .await
        .map_err(|e| e.to_string());
    db.close().await;
    outcome.map(|count| format!("removed {count} abandoned uploads"))
}
