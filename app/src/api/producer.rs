//! The producer's journey: subject profile, product registration (Mẫu 01),
//! self-assessment (Mẫu 02), evidence uploads and submission to the commune.
use crate::domain::dossier::ProductForm;
use crate::domain::dossier::{ProductRow, StoredAnswers, TimelineEvent};
use crate::domain::subject::{Subject, SubjectForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// A subject in the producer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectItem {
    pub id: String,
    pub name: String,
}

/// An evidence file as the dossier page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: String,
    pub slot: String,
    pub file_name: String,
    pub size: i64,
    pub received: i64,
    pub stored: bool,
    pub content_type: Option<String>,
    pub sha256: Option<String>,
}

/// Everything the dossier page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierView {
    pub product: ProductRow,
    pub subject_name: String,
    pub answers: StoredAnswers,
    pub revision: i64,
    pub evidence: Vec<EvidenceItem>,
    pub timeline: Vec<TimelineEvent>,
    /// Mẫu 01's receipt number, once the commune took the dossier in.
    pub receipt_number: Option<String>,
    /// How many lines of Mẫu 01/02 are still empty (none: it may be submitted).
    pub report_missing: usize,
}

/// Where a new upload goes: its id and the chunk size to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadTicket {
    pub id: String,
    pub chunk_bytes: u64,
}

/// The subjects the signed-in user acts for.
#[server(endpoint = "producer/subjects")]
pub async fn my_subjects() -> Result<Vec<SubjectItem>, AppError> {
    with_status(crate::service::producer::subjects::list().await)
}

/// One subject's profile.
#[server(endpoint = "producer/subject")]
pub async fn get_subject(id: String) -> Result<Subject, AppError> {
    with_status(crate::service::producer::subjects::get(id).await)
}

/// Creates a subject (`id` None) or updates one the user acts for.
#[server(endpoint = "producer/save_subject", input = Json)]
pub async fn save_subject(id: Option<String>, form: SubjectForm) -> Result<String, AppError> {
    with_status(crate::service::producer::subjects::save(id, form).await)
}

/// Registers a product of a subject the user acts for; its dossier starts as a draft.
#[server(endpoint = "producer/register_product", input = Json)]
pub async fn register_product(form: ProductForm) -> Result<String, AppError> {
    with_status(crate::service::producer::dossier::register_product(form).await)
}

/// Products of every subject the user acts for.
#[server(endpoint = "producer/products")]
pub async fn my_products() -> Result<Vec<ProductRow>, AppError> {
    with_status(crate::service::producer::dossier::my_products().await)
}

/// A dossier: the product, answers, evidence and status timeline.
#[server(endpoint = "producer/dossier")]
pub async fn get_dossier(product_id: String) -> Result<DossierView, AppError> {
    with_status(crate::service::producer::dossier::get_dossier(product_id).await)
}

/// Saves the self-assessment draft; an older revision than the stored one is ignored.
/// Returns the revision now stored.
#[server(endpoint = "producer/save_self_assessment", input = Json)]
pub async fn save_self_assessment(
    #[server(flatten)] draft: SelfAssessmentDraft,
) -> Result<i64, AppError> {
    with_status(crate::service::producer::dossier::save_self_assessment(draft).await)
}

/// The self-assessment as the device saved it, with the device's revision of it
/// (stored only when higher than the stored one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessmentDraft {
    pub product_id: String,
    pub answers: StoredAnswers,
    pub revision: i64,
}

/// Opens an upload for one evidence slot; the file then goes in chunks to
/// `PUT /tai-lieu/{id}?offset=N`.
/// Opens an upload: the producer's documents while the dossier is editable, or
/// (for the advisory slots) the office's site-visit reports and extra test results.
#[server(endpoint = "producer/start_upload")]
pub async fn start_upload(#[server(flatten)] file: UploadAsked) -> Result<UploadTicket, AppError> {
    with_status(crate::service::producer::dossier::start_upload(file).await)
}

/// A file about to be sent: the dossier slot, the file's name and size (bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAsked {
    pub product_id: String,
    pub slot: String,
    pub file_name: String,
    #[serde(deserialize_with = "crate::wire::number")]
    pub size: u64,
}

/// Freezes the dossier as the next numbered version and sends it to the commune.
#[server(endpoint = "producer/submit")]
pub async fn submit_dossier(product_id: String) -> Result<i64, AppError> {
    with_status(crate::service::producer::submit::submit(product_id).await)
}

/// A submitted version exactly as it was frozen (JSON).
#[server(endpoint = "producer/version")]
pub async fn get_dossier_version(product_id: String, version: i64) -> Result<String, AppError> {
    with_status(crate::service::producer::submit::version(product_id, version).await)
}
