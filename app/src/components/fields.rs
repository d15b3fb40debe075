//! The account forms' fields (phone, name, password) and their last line (the
//! form's alert and its button), shared by the sign-up, log-in, account and admin pages.
use crate::components::form::{
    check_name, check_new_password, check_phone, field_error, form_error, ActionValue, Field,
    FieldProps, FormAlert,
};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The phone number (`phone`), checked in the browser as the server checks it.
#[component]
pub fn PhoneField<T: Send + Sync + 'static>(
    /// The form's last answer, for the server's message.
    answer: ActionValue<T>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Shows the hint on how to write the number.
    #[prop(optional)]
    hint: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    Field(FieldProps {
        name: "phone",
        label: Signal::derive(move || t_string!(i18n, field_phone).to_string()),
        kind: Some("tel"),
        autocomplete,
        inputmode: Some("tel"),
        hint: hint.then(|| Signal::derive(move || t_string!(i18n, field_phone_hint).to_string())),
        server_error: field_error(answer, "phone"),
        check: Some(check_phone),
        value: None,
        optional: false,
    })
}

/// The person's name (`display_name`).
#[component]
pub fn NameField<T: Send + Sync + 'static>(
    answer: ActionValue<T>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    Field(FieldProps {
        name: "display_name",
        label: Signal::derive(move || t_string!(i18n, field_display_name).to_string()),
        kind: None,
        autocomplete,
        inputmode: None,
        hint: None,
        server_error: field_error(answer, "display_name"),
        check: Some(check_name),
        value: None,
        optional: false,
    })
}

/// A password field: the one in use (`new` false), or a new one with the
/// rule's hint, checked in the browser as the server checks it.
#[component]
pub fn PasswordField<T: Send + Sync + 'static>(
    answer: ActionValue<T>,
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] new: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    Field(FieldProps {
        name,
        label,
        kind: Some("password"),
        autocomplete: Some(if new {
            "new-password"
        } else {
            "current-password"
        }),
        inputmode: None,
        hint: new.then(|| Signal::derive(move || t_string!(i18n, field_password_hint).to_string())),
        server_error: field_error(answer, name),
        check: new.then_some(check_new_password as crate::components::form::Check),
        value: None,
        optional: false,
    })
}

/// The submit button; it says it is working while the server answers.
#[component]
pub fn SubmitButton(
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] label: Signal<String>,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="button" id=id disabled=move || pending.get()>
            {move || if pending.get() { t_string!(i18n, working).to_string() } else { label.get() }}
        </button>
    }
}

/// A form's last lines: the refusal of `action`'s last answer that no field
/// shows, and the submit button, off while the server answers.
#[component]
pub fn SubmitLine<S>(
    action: ServerAction<S>,
    #[prop(into)] label: Signal<String>,
    id: &'static str,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    view! {
        <FormAlert message=form_error(action.value()) />
        <SubmitButton id=id pending=action.pending() label=label />
    }
}

/// What the server did, shown once it said yes to the form (`children`).
#[component]
pub fn DoneNote<T: Send + Sync + 'static>(
    answer: ActionValue<T>,
    children: Children,
) -> impl IntoView {
    view! {
        <p class="form-done" role="status" hidden=move || !answer.with(|a| matches!(a, Some(Ok(_))))>
            {children()}
        </p>
    }
}
