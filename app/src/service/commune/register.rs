//! The commune's register of dossiers received.
use crate::api::commune_register::RegisterItem;
use crate::error::AppError;
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
};

pub async fn register() -> Result<Vec<RegisterItem>, AppError> {
    let authorized = authorize(Action::ReviewInCommune, &Target::Nothing).await?;
    let communes = super::officer_communes(&authorized)?;
    let db = db::from_context()?;
    let mut items = Vec::new();
    for row in db::commune::register(&db, &communes).await? {
        let state = crate::domain::dossier::DossierState::parse(&row.state).ok_or_else(|| {
            db::DbError::Json(format!(
                "unknown dossier state {:?} of {}",
                row.state, row.product_id
            ))
        })?;
        let star = row
            .result
            .and_then(|content| {
                serde_json::from_str::<crate::domain::round_result::ConsoleRow>(&content).ok()
            })
            .and_then(|row| row.outcome)
            .and_then(|outcome| outcome.star);
        items.push(RegisterItem {
            product_id: row.product_id,
            product_name: row.product_name,
            subject_name: row.subject_name,
            commune_code: row.commune_code,
            state,
            product_set: row.product_set,
            star,
        });
    }
    Ok(items)
}
