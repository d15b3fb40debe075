//! The producer's journey: subjects, products and their dossiers, Mẫu 01/02,
//! evidence uploads, submission to the commune.
pub mod dossier;
pub mod self_report;
pub mod subjects;
pub mod submit;

use crate::db::{self, Db};
use crate::domain::dossier::ProductRow;
use crate::error::AppError;

pub use crate::auth::guards::{editable_product, scope_of_product, scope_of_subject};

pub fn first_error(errors: Vec<(&'static str, String)>) -> AppError {
    errors
        .into_iter()
        .next()
        .map(|(field, message)| AppError::invalid(field, message))
        .unwrap_or_else(|| AppError::invalid("form", "Dữ liệu không hợp lệ."))
}

/// The product and its subject's name.
pub async fn product_and_subject(
    db: &Db,
    product_id: &str,
) -> Result<(ProductRow, String), AppError> {
    let product = db::producers::product(db, product_id)
        .await?
        .ok_or_else(|| AppError::NotFound("sản phẩm".into()))?;
    let subject_name = db::producers::subject(db, &product.subject_id)
        .await?
        .map(|(_, s)| s.name)
        .unwrap_or_default();
    Ok((product, subject_name))
}
