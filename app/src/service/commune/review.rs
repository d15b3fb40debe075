//! The commune officer's queue, receipt (Mẫu 01's number), Mẫu 03 and forwarding.
use super::*;
use crate::api::commune::{CommuneReviewView, ContentChoices, QueueItem, COMMUNE_REPORT_PATH};
use crate::api::office::SupplementAsked;
use crate::domain::commune_review::CommuneAssessment;
use crate::domain::{date::CalendarDate, working_days};
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::guards::scope_of_product,
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self},
    domain::dossier::DossierEvent,
};

pub async fn queue() -> Result<Vec<QueueItem>, AppError> {
    let authorized = authorize(Action::ReviewInCommune, &Target::Nothing).await?;
    let communes = officer_communes(&authorized)?;
    let db = db::from_context()?;
    let holidays = db::commune::holidays(&db).await?;
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    Ok(db::commune::queue(&db, &communes)
        .await?
        .into_iter()
        .map(|row| {
            let received = CalendarDate::of_ms_vietnam(row.received_ms);
            let deadline = working_days::add_working_days(
                received,
                crate::domain::commune_review::COMMUNE_WORKING_DAYS,
                &holidays,
            );
            QueueItem {
                product_id: row.product_id,
                product_name: row.product_name,
                subject_name: row.subject_name,
                commune_code: row.commune_code,
                state: row.state,
                version: row.version,
                received_on: received.iso(),
                deadline: deadline.iso(),
                days_left: working_days::working_days_left(today, deadline, &holidays),
            }
        })
        .collect())
}

pub async fn review(product_id: String) -> Result<CommuneReviewView, AppError> {
    let db = db::from_context()?;
    let product = crate::auth::guards::reviewed_product(
        &db,
        &crate::auth::session::requester().await?,
        &product_id,
    )
    .await?;
    let saved = db::commune::review(&db, &product_id, product.version)
        .await?
        .and_then(|text| serde_json::from_str::<CommuneAssessment>(&text).ok());
    let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set);
    let contents = crate::domain::commune_review::CONTENTS
        .iter()
        .map(|(content, criterion)| {
            let options = sao_scoring::CriterionCode::parse(criterion)
                .ok()
                .and_then(|code| scorecard?.criterion(&code).cloned())
                .map(|found| {
                    found
                        .options()
                        .enumerate()
                        .map(|(index, option)| {
                            (
                                u16::try_from(index).unwrap_or(u16::MAX),
                                option.text.clone(),
                                option.points,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            ContentChoices {
                content: (*content).into(),
                criterion: (*criterion).into(),
                options,
            }
        })
        .collect();
    Ok(CommuneReviewView {
        saved,
        contents,
        report_path: COMMUNE_REPORT_PATH.replace("{id}", &product_id),
        samples_due: samples_due(&product),
    })
}

pub async fn receive(product_id: String) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product = crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
    let scope = scope_of_product(&db, &product_id).await?;
    let next = product
        .state
        .transition(DossierEvent::CommuneReceives)
        .map_err(|m| AppError::invalid("state", m))?;
    let now = db::now_ms();
    let year = crate::domain::date::CalendarDate::of_ms_vietnam(now).year;
    let mut tx = db.begin().await?;
    if !db::dossiers::set_state(&mut tx, &product.id, product.state, next, product.version).await? {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    let number = db::commune::issue_receipt(
        &mut tx,
        &product.id,
        product.version,
        (scope.province, scope.commune),
        year,
        (now, authorized.actor().id()),
    )
    .await
    .map_err(|error| match error.constraint() {
        Some("dossier_receipts_seq_unique") => AppError::Conflict(Refusal::ReceiveRace),
        _ => error.into(),
    })?;
    let note = crate::domain::refusal::EventNote::NoteCommuneReceived {
        number: number.clone(),
    }
    .stored();
    db::dossiers::add_event(&mut tx, &product.id, next, product.version, &note, None).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("commune_receive", "product", &product.id)
            .after(db::audit::digest(&(next, &number))),
    )
    .await?;
    Ok(())
}

pub async fn assess(product_id: String, assessment: CommuneAssessment) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product = crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
    if product.state != crate::domain::dossier::DossierState::CommuneReview {
        return Err(AppError::invalid("state", Refusal::NotReceivedByCommune));
    }
    let content = serde_json::to_string(&assessment).map_err(|e| AppError::internal(&e))?;
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    db::commune::save_review(&mut tx, &product_id, product.version, actor.id(), &content).await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("commune_assess", "product", &product_id)
            .after(db::audit::digest(&assessment)),
    )
    .await?;
    Ok(())
}

pub async fn request_supplement(asked: SupplementAsked) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product =
        crate::auth::guards::reviewed_product(&db, &authorized, &asked.product_id).await?;
    let phones = db::commune::member_phones(&db, &product.subject_id).await?;
    let request = SupplementRequest {
        note: &asked.note,
        deadline: &asked.deadline,
        asked_by: "commune",
        action: "request_supplement",
    };
    return_for_supplement(&db, &product, &authorized, &request, &phones).await
}

pub async fn forward(product_id: String) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product = crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
    let saved = db::commune::review(&db, &product_id, product.version)
        .await?
        .and_then(|text| serde_json::from_str::<CommuneAssessment>(&text).ok())
        .ok_or_else(|| AppError::invalid("assessment", Refusal::CommuneAssessmentMissing))?;
    if let Some((field, message)) = saved
        .check(product.kind, samples_due(&product))
        .into_iter()
        .next()
    {
        return Err(AppError::invalid(field, message));
    }
    move_dossier(
        &db,
        &product,
        &authorized,
        DossierEvent::ForwardToOffice,
        &crate::domain::refusal::EventNote::NoteCommuneForwarded.stored(),
        "commune_forward",
    )
    .await
}
