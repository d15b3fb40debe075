//! A product's dossier: registration, the self-assessment, evidence uploads.
use super::*;
use crate::api::producer::{DossierView, EvidenceItem, UploadTicket};
use crate::domain::dossier::ProductForm;
use crate::domain::dossier::ProductRow;
use crate::error::AppError;
use crate::error::{Refusal, Thing};
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit},
};

pub async fn register_product(form: ProductForm) -> Result<String, AppError> {
    let db = db::from_context()?;
    let registration = form.parse().map_err(first_error)?;
    let scope = scope_of_subject(&db, &registration.subject_id).await?;
    let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
    let actor = authorized.actor();
    let quotas = leptos::prelude::use_context::<crate::auth::session::AuthSettings>()
        .unwrap_or_default()
        .quotas;
    let mut tx = db.begin().await?;
    if !db::usage::reserve_product(&mut tx, actor.id(), &quotas).await? {
        return Err(AppError::invalid(
            "name",
            Refusal::ProductLimit {
                max: quotas.products,
            },
        ));
    }
    let id = db::producers::insert_product(&mut tx, &registration, crate::rules::CURRENT_RULE_SET)
        .await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("register_product", "product", &id)
            .after(audit::digest(&registration)),
    )
    .await?;
    Ok(id)
}

pub async fn my_products() -> Result<Vec<ProductRow>, AppError> {
    let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
    let db = db::from_context()?;
    Ok(db::producers::products_of(&db, &authorized.user()?.user_id).await?)
}

pub async fn get_dossier(product_id: String) -> Result<DossierView, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &product_id).await?;
    authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
    let (product, subject_name) = product_and_subject(&db, &product_id).await?;
    let (answers, revision) = db::producers::self_assessment(&db, &product_id).await?;
    let evidence = db::evidence::of_product(&db, &product_id)
        .await?
        .into_iter()
        .map(|row| EvidenceItem {
            stored: row.state == db::evidence::STORED,
            id: row.id,
            slot: row.slot,
            file_name: row.file_name,
            size: row.size,
            received: row.received,
            content_type: row.content_type,
            sha256: row.sha256,
        })
        .collect();
    let timeline = db::dossiers::timeline(&db, &product_id).await?;
    let receipt_number = db::commune::receipt_of(&db, &product_id).await?;
    let report_missing = db::self_reports::of_product(&db, &product_id)
        .await?
        .missing()
        .len();
    Ok(DossierView {
        report_missing,
        product,
        subject_name,
        answers,
        revision,
        evidence,
        timeline,
        receipt_number,
    })
}

pub async fn save_self_assessment(
    draft: crate::api::producer::SelfAssessmentDraft,
) -> Result<i64, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &draft.product_id).await?;
    let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
    let product = editable_product(&db, &draft.product_id).await?;
    let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
        .ok_or(AppError::NotFound(Thing::Scorecard))?;
    for (code, choice) in &draft.answers {
        let criterion = scorecard
            .criteria()
            .find(|(_, _, c)| c.code.to_string() == *code)
            .map(|(_, _, c)| c)
            .ok_or_else(|| {
                AppError::invalid(
                    "answers",
                    Refusal::CriterionUnknown {
                        code: code.chars().take(16).collect(),
                    },
                )
            })?;
        if let Some(index) = choice {
            if usize::from(*index) >= criterion.options().count() {
                return Err(AppError::invalid(
                    "answers",
                    Refusal::OptionUnknown { code: code.clone() },
                ));
            }
        }
    }
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    let stored = db::producers::save_self_assessment(
        &mut tx,
        &draft.product_id,
        &draft.answers,
        draft.revision,
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("save_self_assessment", "product", &draft.product_id)
            .after(audit::digest(&draft.answers)),
    )
    .await?;
    Ok(stored)
}

pub async fn start_upload(
    file: crate::api::producer::UploadAsked,
) -> Result<UploadTicket, AppError> {
    use crate::domain::evidence;
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &file.product_id).await?;
    let authorized = if evidence::is_advisory_slot(&file.slot) {
        // The advisory team's reports go on a dossier the office is examining.
        let authorized = authorize(Action::OfficeWork, &Target::Subject(&scope)).await?;
        let product = db::producers::product(&db, &file.product_id)
            .await?
            .ok_or(AppError::NotFound(Thing::Product))?;
        if !matches!(
            product.state,
            crate::domain::dossier::DossierState::OfficeReview
                | crate::domain::dossier::DossierState::InRound
        ) {
            return Err(AppError::invalid("state", Refusal::AdvisorOnlyAtOffice));
        }
        authorized
    } else {
        let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
        editable_product(&db, &file.product_id).await?;
        if !evidence::slot_is_valid(&file.slot) {
            return Err(AppError::invalid("slot", Refusal::SlotInvalid));
        }
        authorized
    };
    let file_name = crate::domain::subject::clean_text(&file.file_name);
    if file_name.is_empty() || file_name.chars().count() > 200 {
        return Err(AppError::invalid("file", Refusal::FileNameInvalid));
    }
    let total =
        u64::try_from(db::evidence::dossier_bytes(&db, &file.product_id).await?).unwrap_or(0);
    evidence::check_size(file.size, total).map_err(|m| AppError::invalid("file", m))?;
    let actor = authorized.actor();
    let quotas = leptos::prelude::use_context::<crate::auth::session::AuthSettings>()
        .unwrap_or_default()
        .quotas;
    let mut tx = db.begin().await?;
    if !db::usage::reserve_bytes(&mut tx, actor.id(), file.size as i64, &quotas).await? {
        return Err(AppError::invalid(
            "file",
            Refusal::QuotaFull {
                max_mb: quotas.bytes / (1024 * 1024),
            },
        ));
    }
    let id = db::evidence::start(
        &mut tx,
        &file.product_id,
        &file.slot,
        &file_name,
        file.size as i64,
        actor.id(),
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("start_upload", "evidence", &id).after(audit::digest(&(
            &file.product_id,
            &file.slot,
            &file_name,
            file.size,
        ))),
    )
    .await?;
    Ok(UploadTicket {
        id,
        chunk_bytes: evidence::CHUNK_BYTES,
    })
}
