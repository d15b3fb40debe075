//! The province's OCOP office: intake of forwarded dossiers, rounds and their
//! councils. Shared here: the office's province, the round lock, required text.
pub mod council;
pub mod entry;
pub mod intake;
pub mod rounds;

use crate::error::AppError;
use crate::error::Refusal;
use crate::{auth::session::Authorized, db, domain::round::RoundState};

/// Locks the round for this transaction while it is not sealed (nor decided).
pub async fn lock_unsealed(tx: &mut sqlx::AnyConnection, round_id: &str) -> Result<(), AppError> {
    use RoundState as S;
    let open = [S::Draft, S::Accepting, S::Scoring, S::Deliberation];
    match db::rounds::lock_in_state(tx, round_id, &open).await? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid("state", Refusal::RoundSealed)),
    }
}

/// The office a user works in: the ministry's, or their first province's.
pub fn office_of(authorized: &Authorized) -> Result<crate::auth::Office, AppError> {
    if authorized
        .user()?
        .has_role(crate::auth::Role::MinistryStaff)
    {
        return Ok(crate::auth::Office::Ministry);
    }
    office_province(authorized).map(crate::auth::Office::Province)
}

pub use crate::auth::guards::office_province;

/// The dossier rejection rules of the product's scorecard.
pub fn rejection_rules(product: &crate::domain::dossier::ProductRow) -> Vec<String> {
    crate::rules_catalog::product_set(&product.rule_set, product.product_set)
        .map(|scorecard| scorecard.rejection_rules.clone())
        .unwrap_or_default()
}

/// `what` names the field in the refusal tables (`what:<code>`).
pub fn required_text(field: &str, text: &str, what: &str) -> Result<String, AppError> {
    let cleaned = crate::domain::subject::clean_text(text);
    if cleaned.is_empty() {
        return Err(AppError::invalid(
            field,
            Refusal::Required {
                what: what.to_string(),
            },
        ));
    }
    Ok(cleaned)
}
