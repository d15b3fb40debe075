//! A certificate's standing in words, said alike by the office's list, the page
//! its QR code opens and the catalogue's product page.
use crate::domain::certificate::CertificateStatus;
use crate::i18n::*;
use leptos_i18n::td_string;

/// `status` in `locale`'s words; a page that follows the language switch calls
/// it with `i18n.get_locale()` where it renders.
pub fn status_text(locale: Locale, status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => td_string!(locale, verify_valid),
        CertificateStatus::NotYetValid => td_string!(locale, verify_not_yet_valid),
        CertificateStatus::Expired => td_string!(locale, verify_expired),
        CertificateStatus::Revoked => td_string!(locale, verify_revoked),
    }
}
