//! The administrative units (2025) anyone may read, and the pickers built on them.
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::admin_units::{AdminUnitCounts, CommuneRow, ProvinceRow};

/// How many provinces and communes are on record.
#[server(endpoint = "units/summary")]
pub async fn admin_unit_summary() -> Result<AdminUnitCounts, AppError> {
    crate::error::with_status(crate::service::public::admin_unit_summary().await)
}

/// Every province with the number of its communes, ordered by code.
#[server(endpoint = "units/provinces")]
pub async fn list_provinces() -> Result<Vec<ProvinceRow>, AppError> {
    crate::error::with_status(crate::service::public::list_provinces().await)
}

/// The communes of one province, by name.
#[server(endpoint = "units/communes")]
pub async fn list_communes(province: i64) -> Result<Vec<CommuneRow>, AppError> {
    crate::error::with_status(crate::service::public::list_communes(province).await)
}

/// Provinces as the commune picker lists them: (code, name), by code. (Its own
/// endpoint: the producer's pages carry only this, not the admin pages' rows.)
#[server(endpoint = "units/province_choices")]
pub async fn province_choices() -> Result<Vec<(i64, String)>, AppError> {
    crate::error::with_status(crate::service::public::province_choices().await)
}

/// One province's communes as the picker lists them: (code, name), by name.
#[server(endpoint = "units/commune_choices")]
pub async fn commune_choices(province: i64) -> Result<Vec<(i64, String)>, AppError> {
    crate::error::with_status(crate::service::public::commune_choices(province).await)
}
