//! The commune's pre-assessment: shared here, a dossier moved between states
//! and returned for supplements (the office uses both too), the samples due.
pub mod register;
pub mod review;

use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    db::{self, Db},
    domain::date::CalendarDate,
    domain::dossier::{DossierEvent, ProductRow},
};

pub use crate::auth::guards::officer_communes;

/// Samples due with the dossier: none for the tourism services group (its
/// scorecard's sector), five otherwise.
pub fn samples_due(product: &ProductRow) -> u32 {
    let tourism = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
        .is_some_and(|scorecard| scorecard.sector.starts_with("Dịch vụ du lịch"));
    if tourism {
        0
    } else {
        crate::domain::commune_review::SAMPLES_FOR_GOODS
    }
}

/// What an official asks the producer to add, and by when.
pub struct SupplementRequest<'a> {
    pub note: &'a str,
    pub deadline: &'a str,
    /// Who asks, as the SMS names them.
    /// `commune` or `office` (its name in the SMS comes from the tables).
    pub asked_by: &'a str,
    /// The audit trail's action.
    pub action: &'a str,
}

/// Reopens the dossier for supplements with a deadline and tells `phones` by SMS,
/// in one transaction with its audit row.
pub async fn return_for_supplement(
    db: &Db,
    product: &ProductRow,
    authorized: &crate::auth::session::Authorized,
    request: &SupplementRequest<'_>,
    phones: &[String],
) -> Result<(), AppError> {
    let note = crate::domain::subject::clean_text(request.note);
    if note.is_empty() {
        return Err(AppError::invalid("note", Refusal::SupplementNoteRequired));
    }
    let due =
        CalendarDate::parse(request.deadline).map_err(|e| AppError::invalid("deadline", e))?;
    if due < CalendarDate::of_ms_vietnam(db::now_ms()) {
        return Err(AppError::invalid("deadline", Refusal::SupplementDateFuture));
    }
    let mut tx = db.begin().await?;
    db::dossiers::request_supplement(&mut tx, product, &note, &due.iso())
        .await?
        .map_err(|m| AppError::invalid("state", m))?;
    for phone in phones {
        let body = crate::domain::refusal::Sms::SmsSupplement {
            asked_by: request.asked_by.to_string(),
            product: product.name.clone(),
            due: format!("{}/{}/{}", due.day, due.month, due.year),
            note: note.clone(),
        }
        .body();
        db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
    }
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new(request.action, "product", &product.id)
            .after(db::audit::digest(&(&note, due.iso()))),
    )
    .await?;
    Ok(())
}

/// Moves the dossier by `event` with a timeline note, in one transaction with its audit row.
pub async fn move_dossier(
    db: &Db,
    product: &ProductRow,
    authorized: &crate::auth::session::Authorized,
    event: DossierEvent,
    note: &str,
    action: &str,
) -> Result<(), AppError> {
    let next = product
        .state
        .transition(event)
        .map_err(|m| AppError::invalid("state", m))?;
    let mut tx = db.begin().await?;
    if !db::dossiers::set_state(&mut tx, &product.id, product.state, next, product.version).await? {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    db::dossiers::add_event(&mut tx, &product.id, next, product.version, note, None).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new(action, "product", &product.id)
            .after(db::audit::digest(&next)),
    )
    .await?;
    Ok(())
}
