//! What a person reads when the server refused: every kind of `AppError` in
//! the page's language. A field's refusal (`Invalid`) and a conflict carry the
//! server's own sentence.
use crate::error::AppError;
use crate::i18n::*;

/// The sentence for `error` in the page's language.
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::Internal { reference } => {
            format!("{} {reference}", t_string!(i18n, error_internal))
        }
        AppError::NotFound(what) => {
            format!("{} {what}", t_string!(i18n, error_not_found))
        }
        AppError::Transport(detail) => {
            format!("{} {detail}", t_string!(i18n, error_transport))
        }
        AppError::NotSignedIn => t_string!(i18n, error_not_signed_in).to_string(),
        AppError::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        AppError::Invalid { message, .. } | AppError::Conflict(message) => message.clone(),
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
