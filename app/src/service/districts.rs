//! Districts for the seed's three-tier plan (QĐ 148): since 1 July 2025 there
//! are none, so a deployment that runs the plan names its districts as groups
//! of a province's communes (`sao district define`). Audited; all or nothing.
use crate::db::{self, Db};
use crate::domain::refusal::Refusal;
use crate::error::AppError;

/// Defines district `name` of `province` grouping `communes`: each a commune of
/// that province and of no other district. Returns its id.
pub async fn define(
    db: &Db,
    province: i64,
    name: &str,
    communes: &[i64],
) -> Result<String, AppError> {
    let name = crate::service::office::required_text("name", name, "district_name")?;
    let known = db::admin_units::communes_of(db, province).await?;
    if communes.is_empty() {
        return Err(AppError::invalid(
            "communes",
            Refusal::Required {
                what: "communes".into(),
            },
        ));
    }
    for commune in communes {
        if !known.iter().any(|(code, _)| code == commune) {
            return Err(AppError::invalid("communes", Refusal::CommuneCodeUnknown));
        }
        if db::districts::of_commune(db, *commune).await?.is_some() {
            return Err(AppError::invalid(
                "communes",
                Refusal::CommuneInDistrict {
                    commune: commune.to_string(),
                },
            ));
        }
    }
    let mut tx = db.begin().await?;
    let id = db::districts::insert(&mut tx, province, &name, communes)
        .await
        .map_err(|error| match error.constraint() {
            Some("district_group_name_unique" | "district_group.province_code") => {
                AppError::invalid("name", Refusal::DistrictNameTaken)
            }
            _ => error.into(),
        })?;
    db::audit::commit(
        tx,
        &db::audit::Actor::operator(),
        db::audit::Change::new("define_district", "district", &id)
            .after(db::audit::digest(&(province, &name, communes))),
    )
    .await?;
    Ok(id)
}
