//! The producer's words for the dossier: Mẫu 01's contact lines and samples,
//! Mẫu 02's Parts I, II and IV. Saved as one form while the dossier is editable;
//! `producer/submit` refuses a dossier whose report misses a line the forms ask for.
use crate::domain::self_report::{SelfReport, SelfReportForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

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
    pub refusal: crate::domain::refusal::Refusal,
}

/// The product's report as last saved.
#[server(endpoint = "producer/report")]
pub async fn get_self_report(product_id: String) -> Result<SelfReportView, AppError> {
    with_status(crate::service::producer::self_report::get(product_id).await)
}

/// Saves the whole report; returns the lines still missing for submission.
#[server(endpoint = "producer/save_report", input = Json)]
pub async fn save_self_report(
    product_id: String,
    form: SelfReportForm,
) -> Result<Vec<MissingLine>, AppError> {
    with_status(crate::service::producer::self_report::save(product_id, form).await)
}
