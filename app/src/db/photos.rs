//! A product photo's renditions (issue 17): written in the transaction that
//! stores the upload, read by the catalogue's product page and by the public
//! `/anh/{file}` route — which finds a file only while its product holds a
//! certificate, so a dossier's photo is never public before the star.
use super::{now_ms, Db, DbError};
use crate::domain::photo::{PhotoFormat, Rendition};
use sqlx::AnyConnection;

/// Records one made file of the upload `evidence_id` of `product_id`.
pub async fn insert(
    conn: &mut AnyConnection,
    evidence_id: &str,
    product_id: &str,
    rendition: &Rendition,
    bytes: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO photo_renditions (evidence_id, product_id, width, height, format, sha256, bytes, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(evidence_id)
    .bind(product_id)
    .bind(i64::from(rendition.width))
    .bind(i64::from(rendition.height))
    .bind(rendition.format.as_str())
    .bind(&rendition.sha256)
    .bind(bytes)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

type Row = (String, i64, i64, String, String);

fn decoded(rows: Vec<Row>) -> Result<Vec<(String, Rendition)>, DbError> {
    rows.into_iter()
        .map(|(evidence_id, width, height, format, sha256)| {
            let format = super::decoded(
                "photo_renditions.format",
                &format,
                PhotoFormat::parse(&format),
            )?;
            let side = |value: i64| {
                super::decoded(
                    "photo_renditions.width",
                    &value.to_string(),
                    u32::try_from(value).ok(),
                )
            };
            Ok((
                evidence_id,
                Rendition {
                    width: side(width)?,
                    height: side(height)?,
                    format,
                    sha256,
                },
            ))
        })
        .collect()
}

/// The renditions of the newest photo of the product certified under `code`
/// (empty when it has none, or the certificate was imported without a product).
pub async fn of_certificate(db: &Db, code: &str) -> Result<Vec<Rendition>, DbError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.evidence_id, r.width, r.height, r.format, r.sha256 \
         FROM photo_renditions r JOIN certificates c ON c.product_id = r.product_id \
         WHERE c.code = $1 AND r.evidence_id = ( \
             SELECT r2.evidence_id FROM photo_renditions r2 \
             WHERE r2.product_id = c.product_id \
             ORDER BY r2.created_ms DESC, r2.evidence_id DESC LIMIT 1) \
         ORDER BY r.format, r.width",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await?;
    Ok(decoded(rows)?.into_iter().map(|(_, r)| r).collect())
}

/// The smallest renditions (at most 320 px wide) of the newest photo of each
/// product certified under one of `codes`: (code, rendition).
pub async fn smallest_of(db: &Db, codes: &[String]) -> Result<Vec<(String, Rendition)>, DbError> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.code, r.width, r.height, r.format, r.sha256 \
         FROM certificates c JOIN photo_renditions r ON r.product_id = c.product_id \
         WHERE c.code IN ({}) AND r.width <= 320 AND r.evidence_id = ( \
             SELECT r2.evidence_id FROM photo_renditions r2 \
             WHERE r2.product_id = c.product_id \
             ORDER BY r2.created_ms DESC, r2.evidence_id DESC LIMIT 1)",
        super::placeholders(1, codes.len())
    );
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for code in codes {
        query = query.bind(code);
    }
    decoded(query.fetch_all(db.pool()).await?)
}

/// Whether `sha256` in `format` is a rendition of a product holding a
/// certificate (of any standing: the page of a revoked product stays).
pub async fn is_public(db: &Db, sha256: &str, format: PhotoFormat) -> Result<bool, DbError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM photo_renditions r \
         WHERE r.sha256 = $1 AND r.format = $2 \
         AND EXISTS (SELECT 1 FROM certificates c WHERE c.product_id = r.product_id) \
         LIMIT 1",
    )
    .bind(sha256)
    .bind(format.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Products with a certificate and a stored `product_photo` that has no
/// renditions yet (the demo's, or photos stored before renditions were made).
pub async fn photos_without_renditions(db: &Db) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.product_id, e.sha256 FROM evidence e \
         WHERE e.slot = $1 AND e.state = $2 AND e.sha256 IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM photo_renditions r WHERE r.evidence_id = e.id) \
         ORDER BY e.created_ms",
    )
    .bind(crate::domain::evidence::PHOTO_SLOT)
    .bind(super::evidence::STORED)
    .fetch_all(db.pool())
    .await?)
}
