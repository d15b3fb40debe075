//! Certificates' product codes: the commune's serial of the year (issue 16).
use super::DbError;
use crate::domain::certificate::ProductCode;

/// The next product code of `commune` (in `province`) for `year`, taken inside
/// `tx`: one upsert moves the commune's counter, so two recognitions at once
/// wait for each other and get consecutive serials; a transaction that rolls
/// back gives its serial back.
pub async fn next_code(
    tx: &mut sqlx::AnyConnection,
    province: u32,
    commune: u32,
    year: i32,
) -> Result<ProductCode, DbError> {
    let (serial,): (i64,) = sqlx::query_as(
        "INSERT INTO product_serials (commune_code, year, last_serial) VALUES ($1, $2, 1) \
         ON CONFLICT (commune_code, year) DO UPDATE SET last_serial = product_serials.last_serial + 1 \
         RETURNING last_serial",
    )
    .bind(i64::from(commune))
    .bind(i64::from(year))
    .fetch_one(&mut *tx)
    .await?;
    let serial = u32::try_from(serial).map_err(|_| DbError::Decode {
        column: "product_serials.last_serial",
        value: serial.to_string(),
    })?;
    Ok(ProductCode {
        province,
        commune,
        serial,
        year,
    })
}

/// A certificate as stored (read by name).
#[derive(sqlx::FromRow)]
pub struct StoredCertificate {
    pub code: String,
    pub province_code: i64,
    pub product_id: Option<String>,
    pub product_name: String,
    pub subject_name: String,
    pub stars: i64,
    pub issued_on: String,
    pub valid_until: String,
    pub revoked_on: Option<String>,
}

/// The columns of `StoredCertificate`, for every query that reads one.
pub const COLUMNS: &str = "code, province_code, product_id, product_name, subject_name, stars, \
     issued_on, valid_until, revoked_on";

/// The certificate with `code`, if there is one.
pub async fn by_code(db: &super::Db, code: &str) -> Result<Option<StoredCertificate>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// What a certificate says: one a decision issued (with its product), or one
/// imported from before Sao (none).
pub struct NewCertificate<'a> {
    pub code: &'a str,
    pub province: i64,
    pub product_id: Option<&'a str>,
    pub product_name: &'a str,
    pub subject_name: &'a str,
    pub stars: u8,
    pub validity: crate::domain::certificate::Validity,
}

/// Adds a certificate; false when its code is taken.
pub async fn insert(
    tx: &mut sqlx::AnyConnection,
    certificate: &NewCertificate<'_>,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO certificates (code, province_code, product_id, product_name, subject_name, \
         stars, issued_on, valid_until, source, revoked_on, revocation_ground, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, $10) ON CONFLICT (code) DO NOTHING",
    )
    .bind(certificate.code)
    .bind(certificate.province)
    .bind(certificate.product_id)
    .bind(certificate.product_name)
    .bind(certificate.subject_name)
    .bind(i64::from(certificate.stars))
    .bind(certificate.validity.issued.iso())
    .bind(certificate.validity.valid_until.iso())
    .bind(if certificate.product_id.is_some() {
        "recognised"
    } else {
        "imported"
    })
    .bind(super::now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    super::catalogue::index(tx, certificate).await?;
    Ok(true)
}

/// Marks a certificate revoked from `day` on, on `ground` (Điều 8).
pub async fn revoke(
    tx: &mut sqlx::AnyConnection,
    code: &str,
    day: &str,
    ground: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE certificates SET revoked_on = $1, revocation_ground = $2 \
         WHERE code = $3 AND revoked_on IS NULL",
    )
    .bind(day)
    .bind(ground)
    .bind(code)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The round whose result a certificate was issued on: the recognising
/// round's, or the round above that returned the result.
pub async fn round_of(db: &super::Db, code: &str) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT d.round_id FROM decision_items i JOIN decisions d ON d.id = i.decision_id \
         WHERE i.certificate_code = $1 \
         UNION ALL SELECT from_round_id FROM return_decisions WHERE certificate_code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id,)| id))
}

/// The decision that issued a certificate: (number, signed on, the body whose
/// decision it is: the round's, or the level that decided on a returned result).
pub async fn decision_of(
    db: &super::Db,
    code: &str,
) -> Result<Option<(String, String, crate::domain::round::Body)>, DbError> {
    /// (number, signed on, level, province, district) as stored.
    type Issued = (String, String, String, Option<i64>, Option<String>);
    let row: Option<Issued> = sqlx::query_as(
        "SELECT d.number, d.signed_on, r.level, r.province_code, r.district_id FROM decision_items i \
         JOIN decisions d ON d.id = i.decision_id JOIN rounds r ON r.id = d.round_id \
         WHERE i.certificate_code = $1 \
         UNION ALL SELECT number, signed_on, level, province_code, district_id FROM return_decisions \
         WHERE certificate_code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    row.map(|(number, signed_on, level, province, district)| {
        let body = crate::domain::round::Body::of_stored(&level, province, district);
        super::decoded("decisions.level", &level, body).map(|body| (number, signed_on, body))
    })
    .transpose()
}

/// The SQL condition "certificate `c` is in force on the day bound at `day`"
/// (e.g. `"$1"`): issued, not yet expired, not revoked by then. One way for the
/// catalogue, the plan's facts and the programme report.
pub(crate) fn in_force_on(day: &str) -> String {
    format!(
        "c.issued_on <= {day} AND c.valid_until >= {day} \
         AND (c.revoked_on IS NULL OR c.revoked_on > {day})"
    )
}
