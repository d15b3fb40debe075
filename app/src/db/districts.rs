//! Districts for the seed's three-tier plan: a named group of a province's
//! communes (`district_group`: the units of 1 July 2025 have no districts), and
//! the rounds' question "is this commune in that district?".
use super::{Db, DbError};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// A district as the round form lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: String,
    pub province: i64,
    pub name: String,
}

/// Defines a district of `province` grouping `communes` (each in no other district).
pub async fn insert(
    conn: &mut AnyConnection,
    province: i64,
    name: &str,
    communes: &[i64],
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO district_group (id, province_code, name) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(province)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    for commune in communes {
        sqlx::query("INSERT INTO district_group_commune (group_id, commune_code) VALUES ($1, $2)")
            .bind(&id)
            .bind(commune)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The districts of a province, by name.
pub async fn of_province(db: &Db, province: i64) -> Result<Vec<District>, DbError> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT id, province_code, name FROM district_group WHERE province_code = $1 ORDER BY name, id",
    )
    .bind(province)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, province, name)| District { id, province, name })
        .collect())
}

/// One district, if it exists.
pub async fn get(db: &Db, id: &str) -> Result<Option<District>, DbError> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT id, province_code, name FROM district_group WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id, province, name)| District { id, province, name }))
}

/// Whether `commune` lies in district `id`.
pub async fn holds(db: &Db, id: &str, commune: i64) -> Result<bool, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT group_id FROM district_group_commune WHERE commune_code = $1 AND group_id = $2",
    )
    .bind(commune)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// The district a commune lies in, if any.
pub async fn of_commune(db: &Db, commune: i64) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT group_id FROM district_group_commune WHERE commune_code = $1 ORDER BY group_id",
    )
    .bind(commune)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id,)| id))
}
