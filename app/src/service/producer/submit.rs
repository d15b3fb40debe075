//! Submission: the dossier frozen as a version and sent to the commune.
use super::*;
use crate::error::AppError;
use crate::error::{Refusal, Thing};
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit},
    domain::dossier::DossierEvent,
};

pub async fn submit(product_id: String) -> Result<i64, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &product_id).await?;
    let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
    let product = db::producers::product(&db, &product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))?;
    let next = product
        .state
        .transition(DossierEvent::Submit)
        .map_err(|m| AppError::invalid("state", m))?;
    // A re-evaluation is filed in its certificate's window: its first version.
    if product.kind == crate::domain::dossier::ProductKind::Reevaluation && product.version == 0 {
        let today = crate::domain::date::CalendarDate::of_ms_vietnam(db::now_ms());
        crate::service::certificates::check_reevaluation(&db, &product.previous_certificate, today)
            .await?;
    }
    let evidence = db::evidence::of_product(&db, &product_id).await?;
    if evidence.iter().any(|e| e.state != db::evidence::STORED) {
        return Err(AppError::invalid("evidence", Refusal::UploadsPending));
    }
    let report = db::self_reports::of_product(&db, &product_id).await?;
    if let Some((_, message)) = report.missing().into_iter().next() {
        return Err(AppError::invalid("self_report", message));
    }
    let (answers, _) = db::producers::self_assessment(&db, &product_id).await?;
    let subject = db::producers::subject(&db, &product.subject_id)
        .await?
        .map(|(_, s)| s);
    let version = product.version + 1;
    let content = serde_json::json!({
        "version": version,
        "product": &product,
        "subject": subject,
        "self_assessment": &answers,
        "self_report": &report,
        "evidence": evidence.iter().map(|e| serde_json::json!({
            "slot": e.slot, "file_name": e.file_name, "size": e.size,
            "content_type": e.content_type, "sha256": e.sha256,
        })).collect::<Vec<_>>(),
    })
    .to_string();
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    if !db::dossiers::set_state(&mut tx, &product_id, product.state, next, version).await? {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    db::dossiers::insert_version(&mut tx, &product_id, version, actor.id(), &content).await?;
    db::dossiers::add_event(
        &mut tx,
        &product_id,
        next,
        version,
        &crate::domain::refusal::EventNote::NoteSubmitted { version }.stored(),
        None,
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("submit_dossier", "product", &product_id)
            .after(audit::digest(&content)),
    )
    .await?;
    Ok(version)
}

pub async fn version(product_id: String, version: i64) -> Result<String, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &product_id).await?;
    authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
    db::dossiers::version(&db, &product_id, version)
        .await?
        .ok_or(AppError::NotFound(Thing::DossierVersion))
}
