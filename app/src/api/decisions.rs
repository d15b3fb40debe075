//! The recognition decision of a sealed round (issue 16): its lines, recording
//! the signed decision, publishing it.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::decision::{DecisionLine, DecisionOutcome};

/// A recorded decision: number, signing day (YYYY-MM-DD), signer, whether it is
/// published, and each product's certificate code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedDecision {
    pub number: String,
    pub signed_on: String,
    pub signer: String,
    pub published: bool,
    /// (product id, certificate code) in the decision's order.
    pub codes: Vec<(String, Option<String>)>,
}

/// The decision's lines (from the sealed results) and the recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub lines: Vec<DecisionLine>,
    pub recorded: Option<RecordedDecision>,
}

#[server(endpoint = "office/decision")]
pub async fn get_decision(round_id: String) -> Result<DecisionView, AppError> {
    crate::error::with_status(crate::service::decisions::view(round_id).await)
}

/// Records the signed decision: issues the recognised products' certificates
/// and marks the round decided.
#[server(endpoint = "office/record_decision")]
pub async fn record_decision(#[server(flatten)] signed: SignedDecision) -> Result<(), AppError> {
    crate::error::with_status(crate::service::decisions::record(signed).await)
}

/// The signed decision of a sealed round, as the office copies it from paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDecision {
    pub round_id: String,
    #[serde(flatten)]
    pub signed: crate::domain::decision::SignedText,
}

/// Publishes the recorded decision: producers and communes are told by SMS.
#[server(endpoint = "office/publish_decision")]
pub async fn publish_decision(round_id: String) -> Result<(), AppError> {
    crate::error::with_status(crate::service::decisions::publish(round_id).await)
}

/// A product's result as its producer sees it once the decision is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductResult {
    pub decision_number: String,
    /// `dd/mm/yyyy`.
    pub signed_on: String,
    pub mean: String,
    pub outcome: DecisionOutcome,
    /// The certificate, when the product was recognised.
    pub certificate: Option<crate::domain::certificate_record::PublicCertificate>,
    /// The re-evaluation window's first and last day (`dd/mm/yyyy`), Điều 7.6a.
    pub window: Option<(String, String)>,
    /// The certificate's inspections (Điều 9) and revocation (Điều 8).
    pub inspections: Vec<crate::api::aftercare::InspectionLine>,
    pub revocation: Option<crate::api::aftercare::RevocationLine>,
}

/// The product's result in the newest published decision, if any.
#[server(endpoint = "producer/result")]
pub async fn get_product_result(product_id: String) -> Result<Option<ProductResult>, AppError> {
    crate::error::with_status(crate::service::decisions::product_result(product_id).await)
}
