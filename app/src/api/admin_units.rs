use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUnitCounts {
    pub provinces: i64,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceRow {
    pub code: i64,
    pub name: String,
    pub communes: i64,
}

/// How many provinces and communes are on record.
#[server]
pub async fn admin_unit_summary() -> Result<AdminUnitCounts, AppError> {
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::summary(&db).await?)
}

/// Every province with the number of its communes, ordered by code.
#[server]
pub async fn list_provinces() -> Result<Vec<ProvinceRow>, AppError> {
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::provinces(&db).await?)
}
