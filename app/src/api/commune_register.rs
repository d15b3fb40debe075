//! The commune's register (seed plan, section III): every product of the subjects
//! of the officer's communes, with its state and, once a round sealed it, the
//! council's star.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
    error::with_status,
};

/// One product in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterItem {
    pub product_id: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_code: i64,
    pub state: crate::domain::dossier::DossierState,
    pub product_set: i64,
    /// The council's star at the latest sealed round (None: none yet, or below 3★).
    pub star: Option<u8>,
}

/// The register of the signed-in officer's communes.
#[server(endpoint = "commune/register")]
pub async fn commune_register() -> Result<Vec<RegisterItem>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ReviewInCommune, &Target::Nothing).await?;
            let communes: Vec<i64> = authorized
                .user()?
                .grants
                .iter()
                .filter_map(|g| match (g.role, &g.scope) {
                    (
                        crate::auth::Role::CommuneOfficer,
                        crate::auth::Scope::Commune { code, .. },
                    ) => Some(*code),
                    _ => None,
                })
                .collect();
            let db = db::from_context()?;
            let mut items = Vec::new();
            for (product_id, product_name, subject_name, commune_code, state, set, result) in
                db::commune::register(&db, &communes).await?
            {
                let state =
                    crate::domain::dossier::DossierState::parse(&state).ok_or_else(|| {
                        db::DbError::Json(format!(
                            "unknown dossier state {state:?} of {product_id}"
                        ))
                    })?;
                let star = result
                    .and_then(|content| {
                        serde_json::from_str::<crate::domain::round_result::ConsoleRow>(&content)
                            .ok()
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
        .await,
    )
}
