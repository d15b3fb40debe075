//! What a person reads when the server refused: every kind of `AppError` in
//! the page's language. A field's refusal (`Invalid`) and a conflict carry a
//! `Refusal`, rendered from `locales/refusals/`.
use crate::domain::refusal::Said;
use crate::domain::refusal::{Lang, Refusal};
use crate::error::AppError;
use crate::i18n::*;

/// The refusal tables' language for the page's locale.
pub fn lang(i18n: leptos_i18n::I18nContext<Locale>) -> Lang {
    match i18n.get_locale() {
        Locale::vi => Lang::Vi,
        Locale::en => Lang::En,
    }
}

/// A refusal's sentence in the page's language.
pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, refusal: &Refusal) -> String {
    refusal.text(lang(i18n))
}

/// The name of a code (a document slot, a state) in the page's language.
pub fn term_text(i18n: leptos_i18n::I18nContext<Locale>, kind: &str, code: &str) -> String {
    crate::domain::refusal::term(kind, code, lang(i18n))
}

/// The sentence for `error` in the page's language.
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::Internal { reference } => {
            format!("{} {reference}", t_string!(i18n, error_internal))
        }
        AppError::NotFound(thing) => {
            format!(
                "{} {}",
                t_string!(i18n, error_not_found),
                thing.text(lang(i18n))
            )
        }
        AppError::Transport(detail) => {
            format!("{} {detail}", t_string!(i18n, error_transport))
        }
        AppError::NotSignedIn => t_string!(i18n, error_not_signed_in).to_string(),
        AppError::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        AppError::Invalid { refusal, .. } | AppError::Conflict(refusal) => {
            refusal_text(i18n, refusal)
        }
        AppError::WrongCredentials => t_string!(i18n, error_wrong_credentials).to_string(),
        AppError::AccountDisabled => t_string!(i18n, error_account_disabled).to_string(),
        AppError::TooManyAttempts { wait_minutes } => {
            format!(
                "{} {}",
                t_string!(i18n, error_too_many_attempts),
                *wait_minutes
            )
        }
        AppError::LinkNotValid => t_string!(i18n, error_link_not_valid).to_string(),
        AppError::TooManyRequests { wait_minutes } => {
            format!(
                "{} {}",
                t_string!(i18n, error_too_many_requests),
                *wait_minutes
            )
        }
        AppError::Busy { retry_after_s } => {
            format!("{} {}", t_string!(i18n, error_busy), *retry_after_s)
        }
    }
}

/// The line a page shows in place of what the server refused it.
pub fn error_alert(
    i18n: leptos_i18n::I18nContext<Locale>,
    error: &AppError,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <p role="alert">{error_text(i18n, error)}</p> }.into_any()
}
