//! What anyone may read: the 2025 administrative units and the lists built on them.
use crate::api::admin_units::{AdminUnitCounts, CommuneRow, ProvinceRow};
use crate::error::AppError;

pub async fn public() -> Result<(), AppError> {
    use crate::auth::policy::{Action, Target};
    crate::auth::session::authorize(Action::ViewPublicData, &Target::Nothing)
        .await
        .map(|_| ())
}

pub async fn admin_unit_summary() -> Result<AdminUnitCounts, AppError> {
    public().await?;
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::summary(&db).await?)
}

pub async fn list_provinces() -> Result<Vec<ProvinceRow>, AppError> {
    public().await?;
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::provinces(&db).await?)
}

pub async fn list_communes(province: i64) -> Result<Vec<CommuneRow>, AppError> {
    public().await?;
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::communes_of(&db, province)
        .await?
        .into_iter()
        .map(|(code, name)| CommuneRow { code, name })
        .collect())
}

pub async fn province_choices() -> Result<Vec<(i64, String)>, AppError> {
    public().await?;
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::provinces(&db)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect())
}

pub async fn commune_choices(province: i64) -> Result<Vec<(i64, String)>, AppError> {
    public().await?;
    let db = crate::db::from_context()?;
    Ok(crate::db::admin_units::communes_of(&db, province).await?)
}
