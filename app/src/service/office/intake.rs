//! Intake: dossiers the communes forwarded, supplements asked, rejections.
use super::*;
use crate::api::office::{IntakeItem, Rejection, SupplementAsked};
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::guards::scope_of_product,
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
    domain::dossier::{DossierEvent, DossierState},
    service::commune::{move_dossier, return_for_supplement, SupplementRequest},
};

/// What waits for the office: the dossiers its communes forwarded, and the
/// products a level below proposed to its level (the ministry: only these).
pub async fn queue() -> Result<Vec<IntakeItem>, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let office = office_of(&authorized)?;
    let db = db::from_context()?;
    let mut items = proposed_up(&db, office).await?;
    let crate::auth::Office::Province(province) = office else {
        return Ok(items);
    };
    for product in
        db::dossiers::in_state_in_province(&db, DossierState::OfficeReview, province).await?
    {
        let assessed = db::commune::latest_review(&db, &product.id)
            .await?
            .is_some();
        let reevaluate_by = match product.kind {
            crate::domain::dossier::ProductKind::Reevaluation => {
                db::dossiers::proposed_ms(&db, &product.id)
                    .await?
                    .map(|ms| {
                        let complete = crate::domain::date::CalendarDate::of_ms_vietnam(ms);
                        crate::domain::certificate::reevaluation_due(complete).day_month_year()
                    })
            }
            _ => None,
        };
        items.push(IntakeItem {
            rejection_rules: rejection_rules(&product),
            report_path: assessed
                .then(|| crate::api::commune::COMMUNE_REPORT_PATH.replace("{id}", &product.id)),
            product,
            proposed_by: None,
            reevaluate_by,
        });
    }
    Ok(items)
}

/// The products proposed to this office's level (central for the ministry, the
/// province for a province's office) by a recorded decision below, in no open round.
async fn proposed_up(
    db: &db::Db,
    office: crate::auth::Office,
) -> Result<Vec<IntakeItem>, AppError> {
    use crate::auth::Office;
    let (province, level) = match office {
        Office::Ministry => (None, "central"),
        Office::Province(province) => (Some(province), "province"),
    };
    let mut items = Vec::new();
    for (product_id, round_id, to) in db::decisions::forwarded_waiting(db, province).await? {
        let Some(round) = db::rounds::get(db, &round_id).await? else {
            continue;
        };
        let here = crate::service::council::console::level_code_named(&round, &to).as_deref()
            == Some(level);
        let Some(product) = db::producers::product(db, &product_id).await? else {
            continue;
        };
        if here {
            items.push(IntakeItem {
                product,
                rejection_rules: Vec::new(),
                report_path: None,
                proposed_by: Some(round.name),
                reevaluate_by: None,
            });
        }
    }
    Ok(items)
}

pub async fn request_supplement(asked: SupplementAsked) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product = crate::auth::guards::office_product(&db, &authorized, &asked.product_id).await?;
    if product.state != DossierState::OfficeReview {
        return Err(AppError::invalid("state", Refusal::NotAtOffice));
    }
    let scope = scope_of_product(&db, &asked.product_id).await?;
    let mut phones = db::commune::member_phones(&db, &product.subject_id).await?;
    phones.extend(db::commune::officer_phones(&db, scope.commune).await?);
    let request = SupplementRequest {
        note: &asked.note,
        deadline: &asked.deadline,
        asked_by: "office",
        action: "office_request_supplement",
    };
    return_for_supplement(&db, &product, &authorized, &request, &phones).await
}

pub async fn reject(rejection: Rejection) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let product =
        crate::auth::guards::office_product(&db, &authorized, &rejection.product_id).await?;
    let rules = rejection_rules(&product);
    let ground = match rejection.rule {
        Some(index) => Some(
            rules
                .get(usize::from(index))
                .ok_or_else(|| AppError::invalid("rule", Refusal::RejectGroundUnknown))?,
        ),
        None if rules.is_empty() => None,
        None => return Err(AppError::invalid("rule", Refusal::RejectGroundRequired)),
    };
    let note = required_text("note", &rejection.note, "reject_reason")?;
    let text = match ground {
        Some(ground) => crate::domain::refusal::EventNote::NoteRejectedOnGround {
            ground: ground.clone(),
            note,
        },
        None => crate::domain::refusal::EventNote::NoteRejected { note },
    }
    .stored();
    move_dossier(
        &db,
        &product,
        &authorized,
        DossierEvent::Reject,
        &text,
        "office_reject",
    )
    .await
}
