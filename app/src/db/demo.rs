//! Demo data for a new database: what a visitor needs to try each journey.
use super::{Db, DbError};
use sqlx::Acquire;

/// The seed plan's former Đắk Glei district, now communes of Quảng Ngãi (51),
/// as a named group of communes (brief: districts are groups in the three-tier plan).
pub const DEMO_DISTRICT_NAME: &str = "Huyện Đắk Glei (cũ)";
pub const DEMO_DISTRICT_COMMUNES: [i64; 5] = [23344, 23341, 23374, 23356, 23365];

/// Loads the demo data once; returns whether anything was added.
pub async fn ensure_loaded(db: &Db) -> Result<bool, DbError> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM district_group WHERE name = $1")
        .bind(DEMO_DISTRICT_NAME)
        .fetch_one(db.pool())
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    let mut conn = db.pool().acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("INSERT INTO district_group (id, province_code, name) VALUES ($1, $2, $3)")
        .bind("demo-dak-glei")
        .bind(51_i64)
        .bind(DEMO_DISTRICT_NAME)
        .execute(&mut *tx)
        .await?;
    for commune in DEMO_DISTRICT_COMMUNES {
        sqlx::query("INSERT INTO district_group_commune (group_id, commune_code) VALUES ($1, $2)")
            .bind("demo-dak-glei")
            .bind(commune)
            .execute(&mut *tx)
            .await?;
    }
    let entry = super::audit::AuditEntry {
        actor: super::audit::SYSTEM_ACTOR,
        role: super::audit::SYSTEM_ACTOR,
        action: "load_demo_data",
        object_kind: "district_group",
        object_id: "demo-dak-glei",
        before_digest: None,
        after_digest: Some(super::audit::digest(&DEMO_DISTRICT_COMMUNES)),
    };
    super::audit::record(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// Communes of a named district group, ordered by name.
pub async fn district_communes(db: &Db, group_name: &str) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT c.name FROM district_group g \
         JOIN district_group_commune gc ON gc.group_id = g.id \
         JOIN commune c ON c.code = gc.commune_code \
         WHERE g.name = $1 ORDER BY c.name",
    )
    .bind(group_name)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}
