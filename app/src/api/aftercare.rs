//! A certificate's life after the decision (issue 16): the office's file of a
//! certificate, its inspections (Điều 9) and its revocation (Điều 8).
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::aftercare::Finding;
use crate::domain::certificate_record::PublicCertificate;

/// An inspection as the office's page lists it (codes are locale keys' tails).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionLine {
    pub kind: String,
    /// `dd/mm/yyyy`.
    pub inspected_on: String,
    pub mark_use: String,
    pub findings: Vec<Finding>,
    pub outcome: String,
}

/// An inspection as the device keeps it until the server has it (recorded
/// offline, sent when the network answers): the form's fields and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInspection {
    pub id: String,
    pub code: String,
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub inspected_on: String,
    pub mark_use: String,
    pub findings: Vec<Finding>,
    pub outcome: String,
}

/// The revocation of a certificate: the signed decision as recorded, its dates
/// as people read them (`dd/mm/yyyy`), its fields at the top level of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationLine {
    #[serde(flatten)]
    pub decision: crate::domain::aftercare::RevocationText,
    /// The last day Điều 8.4 allowed (`dd/mm/yyyy`) and whether it was missed.
    pub due: String,
    pub late: bool,
}

/// A certificate with its inspections and revocation, for its province's office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFile {
    pub certificate: PublicCertificate,
    pub inspections: Vec<InspectionLine>,
    pub revocation: Option<RevocationLine>,
    /// The evaluated scorecard's criteria (findings name one of them); empty for
    /// a certificate from before Sao.
    pub criteria: Vec<String>,
    /// The certificate's issue day, `YYYY-MM-DD` (the forms' earliest day).
    pub issued_iso: String,
}

#[server(endpoint = "office/certificates")]
pub async fn list_certificates() -> Result<Vec<PublicCertificate>, AppError> {
    crate::error::with_status(crate::service::aftercare::list().await)
}

#[server(endpoint = "office/certificate")]
pub async fn get_certificate_file(code: String) -> Result<CertificateFile, AppError> {
    crate::error::with_status(crate::service::aftercare::file(code).await)
}

/// Records an inspection; `findings` is a JSON list of `{criterion, note}`;
/// `id`, when the device recorded it offline, makes a second send harmless.
#[server(endpoint = "office/inspect")]
pub async fn record_inspection(#[server(flatten)] form: InspectionSent) -> Result<(), AppError> {
    crate::error::with_status(crate::service::aftercare::inspect(form).await)
}

/// An inspection as the device sends it from its queue (`PendingInspection`, its
/// findings as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionSent {
    pub id: Option<String>,
    pub code: String,
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub inspected_on: String,
    pub mark_use: String,
    /// A JSON list of `{criterion, note}`.
    pub findings: String,
    pub outcome: String,
}

/// Records the signed revocation decision: the certificate is revoked from the
/// signing day, the producer and the commune are told by SMS.
#[server(endpoint = "office/revoke")]
pub async fn revoke_certificate(
    code: String,
    #[server(flatten)] decision: crate::domain::aftercare::RevocationText,
) -> Result<(), AppError> {
    crate::error::with_status(crate::service::aftercare::revoke(code, decision).await)
}
