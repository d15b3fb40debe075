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
    for (product_id, product_name, subject_name, commune_code, state, set, result) in
        db::commune::register(&db, &communes).await?
    {
        let state = crate::domain::dossier::DossierState::parse(&state).ok_or_else(|| {
            db::DbError::Json(format!("unknown dossier state {state:?} of {product_id}"))
        })?;
        let star = result
            .and_then(|content| {
                serde_json::from_str::<crate::domain::round_result::ConsoleRow>(&content).ok()
            })
            .and_then(|row| row.outcome)
            .and_then(|outcome| outcome.star);
        items.push(RegisterItem {
            product_id,
            product_name,
            subject_name,
            commune_code,
            state,
            product_set: set,
            star,
        });
    }
    Ok(items)
}
