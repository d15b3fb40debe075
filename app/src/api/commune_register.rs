//! The commune's register (seed plan, section III): every product of the subjects
//! of the officer's communes, with its state and, once a round sealed it, the
//! council's star.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

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
    with_status(crate::service::commune::register::register().await)
}
