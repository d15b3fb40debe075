//! The producer's words for the dossier: Mẫu 01's contact lines and samples,
//! Mẫu 02's Parts I, II and IV. Saved as one form while the dossier is editable;
//! `producer/submit` refuses a dossier whose report misses a line the forms ask for.
use crate::domain::self_report::{SelfReport, SelfReportForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::producer::ssr::{first_error, product_and_subject},
    auth::guards::{editable_product, scope_of_product},
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit},
    error::with_status,
};

/// The producer's forms as PDF (served by the server binary, typst).
pub const FORM_01_PATH: &str = "/ho-so/{id}/mau-01.pdf";
pub const FORM_02_PATH: &str = "/ho-so/{id}/mau-02.pdf";

/// The report page: what is written, whether it may change, what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfReportView {
    pub product_name: String,
    pub subject_name: String,
    pub report: SelfReport,
    /// False once submitted: the report is read, not edited.
    pub editable: bool,
    /// Each line still empty.
    pub missing: Vec<MissingLine>,
}

/// A line the forms ask for that is still empty: its field and why. (Its own
/// type: a `Vec<(String, String)>` shared with the officials' pages would pull
/// their common code into every page's first download.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingLine {
    pub field: String,
    pub message: String,
}

#[cfg(feature = "ssr")]
fn missing_lines(report: &SelfReport) -> Vec<MissingLine> {
    report
        .missing()
        .into_iter()
        .map(|(field, message)| MissingLine {
            field: field.to_string(),
            message,
        })
        .collect()
}

/// The product's report as last saved.
#[server(endpoint = "producer/report")]
pub async fn get_self_report(product_id: String) -> Result<SelfReportView, AppError> {
    with_status(
        async move {
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
        .await,
    )
}

/// Saves the whole report; returns the lines still missing for submission.
#[server(endpoint = "producer/save_report", input = Json)]
pub async fn save_self_report(
    product_id: String,
    form: SelfReportForm,
) -> Result<Vec<MissingLine>, AppError> {
    with_status(
        async move {
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
        .await,
    )
}
