//! The producer's journey: subjects, products and their dossiers, Mẫu 01/02,
//! evidence uploads, submission to the commune.
pub mod dossier;
pub mod self_report;
pub mod subjects;
pub mod submit;

use crate::db::{self, Db};
use crate::domain::dossier::ProductRow;
use crate::error::AppError;
use crate::error::{Refusal, Thing};

pub use crate::auth::guards::{editable_product, scope_of_product, scope_of_subject};

pub fn first_error(errors: Vec<(&'static str, Refusal)>) -> AppError {
    errors
        .into_iter()
        .next()
        .map(|(field, refusal)| AppError::invalid(field, refusal))
        .unwrap_or_else(|| AppError::invalid("form", Refusal::FormInvalid))
}

/// The product and its subject's name.
pub async fn product_and_subject(
    db: &Db,
    product_id: &str,
) -> Result<(ProductRow, String), AppError> {
    let product = db::producers::product(db, product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))?;
    let subject_name = db::producers::subject(db, &product.subject_id)
        .await?
        .map(|(_, s)| s.name)
        .unwrap_or_default();
    Ok((product, subject_name))
}
