//! Certificates anyone may check: the QR code on a certificate opens `/xac-minh/<code>`.
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::certificate_record::PublicCertificate;

/// The certificate with `code` as of today, or None for a code Sao does not know.
#[server(endpoint = "public/verify_certificate")]
pub async fn verify_certificate(code: String) -> Result<Option<PublicCertificate>, AppError> {
    crate::error::with_status(crate::service::certificates::verify(code).await)
}
