//! Certificates: the public verification page, and the import of products
//! certified before Sao (Điều 12: old certificates stay valid until they expire).
use crate::db::{self, Db};
use crate::domain::certificate::{CertificateStatus, Validity};
use crate::domain::certificate_record::{check_code, ImportedCertificate, PublicCertificate};
use crate::domain::date::CalendarDate;
use crate::domain::refusal::Refusal;
use crate::error::AppError;

/// What `/xac-minh/<code>` shows today (Vietnam's day), or None for an unknown code.
pub async fn verify(code: String) -> Result<Option<PublicCertificate>, AppError> {
    super::public::public().await?;
    let Ok(code) = check_code(&code) else {
        return Ok(None);
    };
    let db = db::from_context()?;
    public_view(&db, code).await
}

/// A certificate as the public page shows it today, or None for an unknown code.
pub async fn public_view(db: &Db, code: &str) -> Result<Option<PublicCertificate>, AppError> {
    let Some(stored) = db::certificates::by_code(db, code).await? else {
        return Ok(None);
    };
    Ok(Some(shown(stored)?))
}

/// A re-evaluation dossier filed on `today` for the certificate `code`: refused
/// outside the certificate's window (Điều 7.6a) with the window's dates. A
/// certificate Sao does not know (a paper one not imported) is the office's to
/// check at intake.
pub async fn check_reevaluation(db: &Db, code: &str, today: CalendarDate) -> Result<(), AppError> {
    let Ok(code) = check_code(code) else {
        return Ok(());
    };
    let Some(stored) = db::certificates::by_code(db, code).await? else {
        return Ok(());
    };
    let (validity, _) = dates_of(&stored)?;
    validity
        .check_filing(today)
        .map_err(|refusal| AppError::invalid("previous_certificate", refusal))
}

/// A stored date, decoded loudly.
pub fn stored_date(text: &str) -> Result<CalendarDate, AppError> {
    CalendarDate::parse(text).map_err(|_| {
        AppError::from(db::DbError::Decode {
            column: "certificates.dates",
            value: text.to_string(),
        })
    })
}

/// A stored certificate's validity and revocation day.
pub fn dates_of(
    stored: &db::certificates::StoredCertificate,
) -> Result<(Validity, Option<CalendarDate>), AppError> {
    let validity = Validity {
        issued: stored_date(&stored.issued_on)?,
        valid_until: stored_date(&stored.valid_until)?,
    };
    let revoked_on = stored.revoked_on.as_deref().map(stored_date).transpose()?;
    Ok((validity, revoked_on))
}

/// A stored certificate as the public page shows it today.
pub fn shown(stored: db::certificates::StoredCertificate) -> Result<PublicCertificate, AppError> {
    let (validity, revoked_on) = dates_of(&stored)?;
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    Ok(PublicCertificate {
        status: CertificateStatus::on(&validity, revoked_on, today),
        code: stored.code,
        product_name: stored.product_name,
        subject_name: stored.subject_name,
        stars: u8::try_from(stored.stars).unwrap_or(0),
        issued_on: validity.issued.day_month_year(),
        valid_until: validity.valid_until.day_month_year(),
        revoked_on: revoked_on.map(CalendarDate::day_month_year),
    })
}

/// Why an import added nothing: a line refused (1 is the header), or the
/// file or database failed.
#[derive(Debug)]
pub enum ImportError {
    Line { line: usize, refusal: Refusal },
    Failed(String),
}

impl From<db::DbError> for ImportError {
    fn from(error: db::DbError) -> ImportError {
        ImportError::Failed(error.to_string())
    }
}

/// `sao certificates import --province P --file F` (an operator's command): the
/// province's list, every line of the CSV checked first, then all added in one
/// audited transaction, or none. A Sao-form code must name that province.
pub async fn import(db: &Db, province: i64, csv_text: &str) -> Result<usize, ImportError> {
    use crate::domain::certificate_record::IMPORT_COLUMNS;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Failed(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != IMPORT_COLUMNS {
        return Err(ImportError::Line {
            line: 1,
            refusal: Refusal::ImportColumns {
                count: IMPORT_COLUMNS.len() as u32,
            },
        });
    }
    let mut certificates = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| ImportError::Failed(e.to_string()))?;
        let fields: Vec<&str> = record.iter().collect();
        let certificate = ImportedCertificate::from_fields(&fields)
            .map_err(|refusal| ImportError::Line { line, refusal })?;
        let elsewhere = crate::domain::certificate::ProductCode::parse(&certificate.code)
            .is_ok_and(|code| i64::from(code.province) != province);
        if elsewhere {
            return Err(ImportError::Line {
                line,
                refusal: Refusal::ProductCodeInvalid,
            });
        }
        certificates.push((line, certificate));
    }
    let mut tx = db.begin().await?;
    for (line, certificate) in &certificates {
        let new = db::certificates::NewCertificate {
            code: &certificate.code,
            province,
            product_id: None,
            product_name: &certificate.product_name,
            subject_name: &certificate.subject_name,
            stars: certificate.stars,
            validity: certificate.validity,
        };
        if !db::certificates::insert(&mut tx, &new).await? {
            return Err(ImportError::Line {
                line: *line,
                refusal: Refusal::CertificateCodeTaken {
                    code: certificate.code.clone(),
                },
            });
        }
    }
    let listed: Vec<(&str, u8, String, String)> = certificates
        .iter()
        .map(|(_, c)| {
            (
                c.code.as_str(),
                c.stars,
                c.validity.issued.iso(),
                c.validity.valid_until.iso(),
            )
        })
        .collect();
    db::audit::commit(
        tx,
        &db::audit::Actor::operator(),
        db::audit::Change::new(
            "import_certificates",
            "certificates",
            &listed.len().to_string(),
        )
        .after(db::audit::digest(&listed)),
    )
    .await?;
    Ok(listed.len())
}
