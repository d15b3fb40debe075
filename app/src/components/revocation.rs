//! A recorded revocation, as the certificate's page and the product's result
//! both say it.
use crate::components::errors::term_text;
use crate::domain::aftercare::RevocationText;
use crate::i18n::*;

/// "Revoked by decision … of …, signed by …, finding of …" in the page's language
/// (the dates as `RevocationLine` carries them, `dd/mm/yyyy`).
pub fn recorded_as(i18n: leptos_i18n::I18nContext<Locale>, decision: &RevocationText) -> String {
    t_string!(
        i18n,
        revocation_recorded_as,
        number = decision.number.clone(),
        date = decision.signed_on.clone(),
        signer = decision.signer.clone(),
        found = decision.found_on.clone()
    )
    .to_string()
}

/// The ground's words (Điều 8.1's letter).
pub fn ground_said(i18n: leptos_i18n::I18nContext<Locale>, decision: &RevocationText) -> String {
    term_text(i18n, "ground", &decision.ground)
}
