//! A certificate after the decision (issue 16): its province's office lists its
//! certificates, inspects them (Điều 9) and records their revocation (Điều 8),
//! which the producer and the commune hear of by SMS and the public page shows.
use crate::api::aftercare::{CertificateFile, InspectionLine, RevocationLine};
use crate::auth::{Office, Scope};
use crate::db::{self, Db};
use crate::domain::aftercare::{Finding, InspectionForm, RevocationForm, RevocationText};
use crate::domain::certificate::CertificateStatus;
use crate::domain::certificate_record::PublicCertificate;
use crate::domain::date::{display_date, CalendarDate};
use crate::domain::refusal::{Refusal, Sms};
use crate::error::AppError;
use crate::service::certificates::{dates_of, shown};

/// The certificates the requester's office manages, newest first: its
/// province's, or for the ministry's office every 5★ certificate.
pub async fn list() -> Result<Vec<PublicCertificate>, AppError> {
    use crate::auth::policy::{Action, Target};
    let (db, authorized) = crate::service::request().await?;
    authorized.allow(Action::OfficeWork, &Target::Nothing)?;
    let office = crate::service::office::office_of(&authorized)?;
    let area = office.province().map(Scope::Province);
    match &area {
        Some(province) => authorized.allow(Action::OfficeWork, &Target::Area(province))?,
        None => authorized.allow(Action::OfficeWork, &Target::Office(office))?,
    }
    db::aftercare::certificates_where(&db, office)
        .await?
        .into_iter()
        .map(shown)
        .collect()
}

/// A certificate with its inspections and revocation.
pub async fn file(code: String) -> Result<CertificateFile, AppError> {
    let (db, authorized) = crate::service::request().await?;
    let stored = crate::auth::guards::managed_certificate(&db, &authorized, &code).await?;
    let criteria = criteria_of(&db, stored.product_id.as_deref()).await?;
    let issued_iso = stored.issued_on.clone();
    let inspections = inspection_lines(&db, &code).await?;
    let revocation = revocation_line(&db, &code).await?;
    Ok(CertificateFile {
        certificate: shown(stored)?,
        inspections,
        revocation,
        criteria,
        issued_iso,
    })
}

/// The inspections of `code` as the pages show them, oldest first.
pub async fn inspection_lines(db: &Db, code: &str) -> Result<Vec<InspectionLine>, AppError> {
    db::aftercare::inspections(db, code)
        .await?
        .into_iter()
        .map(|row| {
            let findings = serde_json::from_str(&row.findings).map_err(|_| {
                AppError::from(db::DbError::Decode {
                    column: "inspections.findings",
                    value: row.findings.clone(),
                })
            })?;
            Ok(InspectionLine {
                kind: row.kind,
                inspected_on: display_date(&row.inspected_on),
                mark_use: row.mark_use,
                findings,
                outcome: row.outcome,
            })
        })
        .collect()
}

/// The revocation of `code` as the pages and the PDF show it.
pub async fn revocation_line(db: &Db, code: &str) -> Result<Option<RevocationLine>, AppError> {
    let Some(row) = db::aftercare::revocation(db, code).await? else {
        return Ok(None);
    };
    let found = crate::service::certificates::stored_date(&row.found_on)?;
    let signed = crate::service::certificates::stored_date(&row.signed_on)?;
    let due = crate::domain::certificate::revocation_due(found);
    Ok(Some(RevocationLine {
        decision: RevocationText {
            found_on: found.day_month_year(),
            signed_on: signed.day_month_year(),
            ..row
        },
        due: due.day_month_year(),
        late: signed > due,
    }))
}

/// The criteria codes of the scorecard a product was evaluated on.
async fn criteria_of(db: &Db, product_id: Option<&str>) -> Result<Vec<String>, AppError> {
    let Some(product_id) = product_id else {
        return Ok(Vec::new());
    };
    let Some(product) = db::producers::product(db, product_id).await? else {
        return Ok(Vec::new());
    };
    Ok(
        crate::rules_catalog::product_set(&product.rule_set, product.product_set)
            .map(|set| set.criteria().map(|(_, _, c)| c.code.to_string()).collect())
            .unwrap_or_default(),
    )
}

/// Records an inspection of a certificate in force. `id` is the device's own
/// (an inspection recorded offline): sent again, it is recorded once.
pub async fn inspect(sent: crate::api::aftercare::InspectionSent) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let stored = crate::auth::guards::managed_certificate(&db, &authorized, &sent.code).await?;
    let id = match sent.id.filter(|id| !id.is_empty()) {
        None => uuid::Uuid::now_v7().to_string(),
        Some(id) if crate::domain::aftercare::inspection_id_ok(&id) => id,
        Some(_) => return Err(AppError::invalid("id", Refusal::InspectionIdInvalid)),
    };
    let (validity, revoked_on) = dates_of(&stored)?;
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    let status = CertificateStatus::on(&validity, revoked_on, today);
    if matches!(
        status,
        CertificateStatus::Revoked | CertificateStatus::Expired
    ) {
        return Err(AppError::invalid(
            "code",
            Refusal::CertificateNotInForce {
                status: status.key().to_string(),
            },
        ));
    }
    let findings: Vec<Finding> = serde_json::from_str(if sent.findings.trim().is_empty() {
        "[]"
    } else {
        &sent.findings
    })
    .map_err(|_| AppError::invalid("findings", Refusal::FormInvalid))?;
    let criteria = criteria_of(&db, stored.product_id.as_deref()).await?;
    let form = InspectionForm::parse(
        &sent.kind,
        &sent.inspected_on,
        &sent.mark_use,
        findings,
        &sent.outcome,
        &criteria,
        validity.issued,
        today,
    )
    .map_err(|(field, refusal)| AppError::invalid(field, refusal))?;
    let inspector = authorized.user()?.user_id.clone();
    let new = db::aftercare::NewInspection {
        id: &id,
        code: &stored.code,
        form: &form,
        inspector: &inspector,
    };
    let mut tx = db.begin().await?;
    if !db::aftercare::insert_inspection(&mut tx, &new).await? {
        // Sent again after an answer that never reached the device: already kept.
        return if db::aftercare::same_inspection(&mut tx, &new).await? {
            Ok(())
        } else {
            Err(AppError::invalid("id", Refusal::InspectionIdTaken))
        };
    }
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("inspect_certificate", "certificate", &stored.code).after(
            db::audit::digest(&(
                &id,
                form.kind.code(),
                form.inspected_on.iso(),
                form.mark_use.code(),
                &form.findings,
                form.outcome.code(),
            )),
        ),
    )
    .await?;
    Ok(())
}

/// Records a signed revocation: the certificate is revoked from the signing day;
/// its producers and its commune's officers get an SMS (Điều 8.3c).
pub async fn revoke(code: String, input: RevocationText) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let stored = crate::auth::guards::managed_certificate(&db, &authorized, &code).await?;
    let (validity, revoked_on) = dates_of(&stored)?;
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    let stars = u8::try_from(stored.stars).unwrap_or(u8::MAX);
    // The guard let the ministry's office reach 5★ certificates only.
    let by = if authorized
        .user()?
        .has_role(crate::auth::Role::MinistryStaff)
    {
        Office::Ministry
    } else {
        Office::Province(stored.province_code)
    };
    let form = RevocationForm::parse(
        &input,
        (stars, by),
        CertificateStatus::on(&validity, revoked_on, today),
        validity.issued,
        today,
    )
    .map_err(|(field, refusal)| AppError::invalid(field, refusal))?;
    let mut phones = Vec::new();
    if let Some(product_id) = stored.product_id.as_deref() {
        let scope = crate::auth::guards::scope_of_product(&db, product_id).await?;
        phones.extend(db::commune::member_phones(&db, &scope.subject_id).await?);
        phones.extend(db::commune::officer_phones(&db, scope.commune).await?);
    }
    let body = Sms::SmsRevocation {
        product: stored.product_name.clone(),
        code: stored.code.clone(),
        number: form.number.clone(),
    }
    .body();
    let mut tx = db.begin().await?;
    // The stamp first: a second revocation at the same time waits, then finds
    // the certificate revoked.
    let stamped = db::certificates::revoke(
        &mut tx,
        &stored.code,
        &form.signed_on.iso(),
        form.ground.code(),
    )
    .await?;
    if !stamped {
        return Err(AppError::invalid("code", Refusal::RevocationExists));
    }
    db::aftercare::insert_revocation(
        &mut tx,
        &stored.code,
        stored.province_code,
        &form,
        &authorized.user()?.user_id,
    )
    .await
    .map_err(|error| match error.constraint() {
        Some("revocations_number_unique" | "revocations.province_code") => {
            AppError::invalid("number", Refusal::DecisionNumberTaken)
        }
        Some("revocations_pkey" | "revocations.certificate_code") => {
            AppError::invalid("code", Refusal::RevocationExists)
        }
        _ => error.into(),
    })?;
    for phone in &phones {
        db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
    }
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("revoke_certificate", "certificate", &stored.code).after(
            db::audit::digest(&(
                form.ground.code(),
                &form.detail,
                form.found_on.iso(),
                &form.number,
                form.signed_on.iso(),
                &form.signer,
                phones.len(),
            )),
        ),
    )
    .await?;
    Ok(())
}
