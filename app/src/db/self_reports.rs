//! The producer's words for the dossier (Mẫu 01's contact lines, Mẫu 02's Parts
//! I, II and IV): one draft per product, frozen into each submitted version.
use super::{now_ms, Db, DbError};
use crate::domain::self_report::SelfReport;
use sqlx::AnyConnection;

/// The product's report as last saved (empty before the first save).
pub async fn of_product(db: &Db, product_id: &str) -> Result<SelfReport, DbError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT content FROM self_reports WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row
        .and_then(|(json,)| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// Saves the whole report (it is one form, saved at once).
pub async fn save(
    conn: &mut AnyConnection,
    product_id: &str,
    report: &SelfReport,
) -> Result<(), DbError> {
    let json = serde_json::to_string(report).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO self_reports (product_id, content, updated_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (product_id) DO UPDATE SET content = excluded.content, updated_ms = excluded.updated_ms",
    )
    .bind(product_id)
    .bind(json)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
