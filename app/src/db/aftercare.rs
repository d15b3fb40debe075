//! Inspections and revocations of certificates (issue 16): written once, read
//! by the office's certificate page, the producer's card and the revocation PDF.
use super::{Db, DbError, Tx};
use crate::domain::aftercare::{InspectionForm, RevocationForm, RevocationText};

/// An inspection as stored (read by name).
#[derive(Debug, sqlx::FromRow)]
pub struct StoredInspection {
    pub id: String,
    pub kind: String,
    pub inspected_on: String,
    pub mark_use: String,
    pub findings: String,
    pub outcome: String,
}

/// A stored revocation, read by column name.
impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for RevocationText {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(RevocationText {
            ground: row.try_get("ground")?,
            detail: row.try_get("detail")?,
            found_on: row.try_get("found_on")?,
            number: row.try_get("number")?,
            signed_on: row.try_get("signed_on")?,
            signer: row.try_get("signer")?,
        })
    }
}

/// An inspection to record: its id, its certificate's code, the form, who.
pub struct NewInspection<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub form: &'a InspectionForm,
    pub inspector: &'a str,
}

/// Adds the inspection; false when its id is taken (the same inspection sent
/// again, or an id the device should not have used).
pub async fn insert_inspection(tx: &mut Tx, new: &NewInspection<'_>) -> Result<bool, DbError> {
    let NewInspection {
        id,
        code,
        form,
        inspector,
    } = *new;
    let findings = serde_json::to_string(&form.findings).map_err(|e| DbError::Decode {
        column: "inspections.findings",
        value: e.to_string(),
    })?;
    let done = sqlx::query(
        "INSERT INTO inspections (id, certificate_code, kind, inspected_on, mark_use, findings, \
         outcome, inspector_id, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(code)
    .bind(form.kind.code())
    .bind(form.inspected_on.iso())
    .bind(form.mark_use.code())
    .bind(findings)
    .bind(form.outcome.code())
    .bind(inspector)
    .bind(super::now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the inspection stored under this id is exactly this one: the same
/// certificate, inspector and form (a device's second send of what was recorded).
pub async fn same_inspection(tx: &mut Tx, new: &NewInspection<'_>) -> Result<bool, DbError> {
    let row: Option<(String, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT certificate_code, inspector_id, kind, inspected_on, mark_use, findings, outcome \
         FROM inspections WHERE id = $1",
    )
    .bind(new.id)
    .fetch_optional(&mut **tx)
    .await?;
    let form = new.form;
    let findings = serde_json::to_string(&form.findings).unwrap_or_default();
    Ok(row.is_some_and(|(c, i, kind, on, mark, found, outcome)| {
        (
            c.as_str(),
            i.as_str(),
            kind.as_str(),
            on,
            mark.as_str(),
            found,
            outcome.as_str(),
        ) == (
            new.code,
            new.inspector,
            form.kind.code(),
            form.inspected_on.iso(),
            form.mark_use.code(),
            findings,
            form.outcome.code(),
        )
    }))
}

/// The inspections of `code`, oldest first.
pub async fn inspections(db: &Db, code: &str) -> Result<Vec<StoredInspection>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, inspected_on, mark_use, findings, outcome FROM inspections \
         WHERE certificate_code = $1 ORDER BY inspected_on, recorded_ms",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await?)
}

/// Records the revocation of `code` in `province`. Fails on the constraint
/// `revocations_pkey` (already revoked) or `revocations_number_unique`.
pub async fn insert_revocation(
    tx: &mut Tx,
    code: &str,
    province: i64,
    form: &RevocationForm,
    recorded_by: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO revocations (certificate_code, province_code, ground, detail, found_on, \
         number, signed_on, signer, recorded_by, recorded_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(code)
    .bind(province)
    .bind(form.ground.code())
    .bind(&form.detail)
    .bind(form.found_on.iso())
    .bind(&form.number)
    .bind(form.signed_on.iso())
    .bind(&form.signer)
    .bind(recorded_by)
    .bind(super::now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The revocation of `code`, if it was revoked.
pub async fn revocation(db: &Db, code: &str) -> Result<Option<RevocationText>, DbError> {
    Ok(sqlx::query_as(
        "SELECT ground, detail, found_on, number, signed_on, signer \
         FROM revocations WHERE certificate_code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// The certificates an office manages, newest first, for its list: a
/// province's (`province_code`), or the ministry's 5★ ones (`stars`).
pub async fn certificates_where(
    db: &Db,
    managed: crate::domain::round::Office,
) -> Result<Vec<super::certificates::StoredCertificate>, DbError> {
    let (column, value) = match managed {
        crate::domain::round::Office::Province(province) => ("province_code", province),
        crate::domain::round::Office::Ministry => ("stars", 5),
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM certificates WHERE {column} = $1 ORDER BY created_ms DESC, code",
        super::certificates::COLUMNS
    ))
    .bind(value)
    .fetch_all(db.pool())
    .await?)
}

/// Sao's certificates not revoked and valid through `today` or later (ISO), whose
/// re-evaluation reminders may fall due.
pub async fn certificates_to_remind(
    db: &Db,
    today: &str,
) -> Result<Vec<super::certificates::StoredCertificate>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM certificates \
         WHERE revoked_on IS NULL AND product_id IS NOT NULL AND valid_until >= $1 ORDER BY code",
        super::certificates::COLUMNS
    ))
    .bind(today)
    .fetch_all(db.pool())
    .await?)
}

/// Notes reminder `which` of `code` as sent on `day`; false when it was sent before.
pub async fn note_reminder(tx: &mut Tx, code: &str, which: u8, day: &str) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO certificate_reminders (certificate_code, reminder, sent_on) VALUES ($1, $2, $3) \
         ON CONFLICT (certificate_code, reminder) DO NOTHING",
    )
    .bind(code)
    .bind(i64::from(which))
    .bind(day)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
