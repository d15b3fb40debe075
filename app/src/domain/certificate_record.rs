//! A certificate as the public verification page shows it, and one line of the
//! province's list of products certified before Sao (imported, Điều 12).
use super::certificate::{CertificateStatus, Validity};
use super::date::CalendarDate;
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// What `/xac-minh/<code>` shows: nothing private, only what the certificate says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCertificate {
    pub code: String,
    pub product_name: String,
    pub subject_name: String,
    pub stars: u8,
    /// Dates as `dd/mm/yyyy`.
    pub issued_on: String,
    pub valid_until: String,
    pub revoked_on: Option<String>,
    pub status: CertificateStatus,
}

/// A certificate read from the import list, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCertificate {
    pub code: String,
    pub product_name: String,
    pub subject_name: String,
    pub stars: u8,
    pub validity: Validity,
}

/// The import list's columns, in order (its first line names them).
pub const IMPORT_COLUMNS: [&str; 6] = [
    "code",
    "product_name",
    "subject_name",
    "stars",
    "issued_on",
    "valid_until",
];

/// A certificate code as stored: 1 to 40 letters, digits, `-`, `.` or `_`
/// (codes from before Sao keep their own form; Sao's are `ProductCode`s).
pub fn check_code(code: &str) -> Result<&str, Refusal> {
    let code = code.trim();
    let fits = (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    fits.then_some(code).ok_or(Refusal::CertificateCodeInvalid)
}

impl ImportedCertificate {
    /// One line's fields in `IMPORT_COLUMNS` order; `valid_until` may be empty
    /// (then 36 months from issue, Điều 4.3).
    pub fn from_fields(fields: &[&str]) -> Result<ImportedCertificate, Refusal> {
        let [code, product_name, subject_name, stars, issued_on, valid_until] = fields else {
            return Err(Refusal::ImportColumns {
                count: IMPORT_COLUMNS.len() as u32,
            });
        };
        let stars = match stars.trim() {
            "3" => 3,
            "4" => 4,
            "5" => 5,
            _ => return Err(Refusal::CertificateStarsInvalid),
        };
        let issued = CalendarDate::parse(issued_on)?;
        let mut validity = Validity::from_issue(issued);
        if !valid_until.trim().is_empty() {
            validity.valid_until = CalendarDate::parse(valid_until)?;
            if validity.valid_until <= issued {
                return Err(Refusal::CertificateDatesOrder);
            }
        }
        Ok(ImportedCertificate {
            code: check_code(code)?.to_string(),
            product_name: super::subject::required(
                "product_name",
                product_name,
                "product_name",
                200,
            )
            .map_err(|(_, refusal)| refusal)?,
            subject_name: super::subject::required(
                "subject_name",
                subject_name,
                "subject_name",
                200,
            )
            .map_err(|(_, refusal)| refusal)?,
            stars,
            validity,
        })
    }
}
