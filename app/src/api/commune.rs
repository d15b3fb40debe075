//! The commune officer's work (Điều 7.2): the queue with working-day deadlines,
//! receipt, the completeness checklist and four-content assessment (Mẫu 03),
//! returning a dossier for supplements, and forwarding it to the province.
use crate::domain::commune_review::CommuneAssessment;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// A dossier in the officer's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub product_id: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_code: i64,
    pub state: String,
    pub version: i64,
    /// Day of receipt and deadline, YYYY-MM-DD (Vietnam time).
    pub received_on: String,
    pub deadline: String,
    /// Working days left (negative: late by that many).
    pub days_left: i64,
}

/// The route of a dossier's Mẫu 03 PDF (served by the server crate).
pub const COMMUNE_REPORT_PATH: &str = "/xa/ho-so/{id}/mau-03.pdf";

/// One of Mẫu 03's contents with the options of its matching criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentChoices {
    pub content: String,
    pub criterion: String,
    /// (option index, text with its points), in the scorecard's order.
    /// (index, the rule's text, points).
    pub options: Vec<(u16, String, u32)>,
}

/// What the officer's review page starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneReviewView {
    /// The assessment saved for the current version, if any.
    pub saved: Option<CommuneAssessment>,
    pub contents: Vec<ContentChoices>,
    /// Where the Mẫu 03 PDF of the latest assessment is.
    pub report_path: String,
    /// Samples due with the dossier (0 for tourism services).
    pub samples_due: u32,
}

/// Dossiers submitted in the officer's communes, oldest first, with deadlines.
#[server(endpoint = "commune/queue")]
pub async fn commune_queue() -> Result<Vec<QueueItem>, AppError> {
    with_status(crate::service::commune::review::queue().await)
}

/// The saved assessment and the options of the four matching criteria.
#[server(endpoint = "commune/review")]
pub async fn commune_review(product_id: String) -> Result<CommuneReviewView, AppError> {
    with_status(crate::service::commune::review::review(product_id).await)
}

/// The commune takes the dossier in and gives it Mẫu 01's receipt number (the
/// commune's next of the year); its 15 working days run from the submission.
#[server(endpoint = "commune/receive")]
pub async fn commune_receive(product_id: String) -> Result<(), AppError> {
    with_status(crate::service::commune::review::receive(product_id).await)
}

/// Saves the checklist and the four contents (Mẫu 03) for the current version.
#[server(endpoint = "commune/assess", input = Json)]
pub async fn commune_assess(
    product_id: String,
    assessment: CommuneAssessment,
) -> Result<(), AppError> {
    with_status(crate::service::commune::review::assess(product_id, assessment).await)
}

/// Returns the dossier to the producer with what to add and by when (SMS through the outbox).
#[server(endpoint = "commune/request_supplement")]
pub async fn commune_request_supplement(
    #[server(flatten)] asked: crate::api::office::SupplementAsked,
) -> Result<(), AppError> {
    with_status(crate::service::commune::review::request_supplement(asked).await)
}

/// Sends a fully assessed dossier on to the province's OCOP office.
#[server(endpoint = "commune/forward")]
pub async fn commune_forward(product_id: String) -> Result<(), AppError> {
    with_status(crate::service::commune::review::forward(product_id).await)
}
