//! Mẫu 01 and Mẫu 02's own lines, read and saved as a draft.
use super::*;
use crate::api::self_report::{MissingLine, SelfReportView};
use crate::domain::self_report::{SelfReport, SelfReportForm};
use crate::error::AppError;
use crate::{
    auth::guards::{editable_product, scope_of_product},
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit},
};

pub async fn get(product_id: String) -> Result<SelfReportView, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &product_id).await?;
    authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
    let (product, subject_name) = product_and_subject(&db, &product_id).await?;
    let report = db::self_reports::of_product(&db, &product_id).await?;
    let missing = missing_lines(&report);
    Ok(SelfReportView {
        product_name: product.name,
        subject_name,
        editable: product.state.editable(),
        report,
        missing,
    })
}

pub async fn save(product_id: String, form: SelfReportForm) -> Result<Vec<MissingLine>, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_product(&db, &product_id).await?;
    let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
    editable_product(&db, &product_id).await?;
    let report = form.parse().map_err(first_error)?;
    let mut tx = db.begin().await?;
    db::self_reports::save(&mut tx, &product_id, &report).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("save_self_report", "product", &product_id)
            .after(audit::digest(&report)),
    )
    .await?;
    Ok(missing_lines(&report))
}

pub fn missing_lines(report: &SelfReport) -> Vec<MissingLine> {
    report
        .missing()
        .into_iter()
        .map(|(field, refusal)| MissingLine {
            field: field.to_string(),
            refusal,
        })
        .collect()
}
