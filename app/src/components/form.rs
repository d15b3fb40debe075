//! Form pieces shared by the account and admin pages: a labelled field whose message
//! comes from the same Rust check the server runs, or from the server's answer.
use crate::error::AppError;
use leptos::prelude::*;

/// Refusals by field name, as the shared checks or the server gave them.
pub type FieldErrorList = Vec<(String, crate::domain::refusal::Refusal)>;
pub type FieldErrors = RwSignal<FieldErrorList>;

/// The last answer of a server action.
pub type ActionValue<T> = MappedSignal<Option<Result<T, AppError>>>;

/// A checker run in the browser when the field changes: `Some(refusal)` refuses.
pub type Check = fn(&str) -> Option<crate::domain::refusal::Refusal>;

/// A labelled input with a hint and an error message beside it.
#[component]
pub fn Field(
    /// The form field's name: a field of the server function's input.
    name: &'static str,
    /// The label text.
    #[prop(into)]
    label: Signal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The server's message for this field, if its last answer refused it.
    #[prop(into)]
    server_error: Signal<Option<String>>,
    /// The browser's own check (the same function the server calls).
    #[prop(optional)]
    check: Option<Check>,
    #[prop(optional, into)] value: Option<String>,
    /// The field may stay empty.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let local_error = RwSignal::new(None::<String>);
    let shown = move || local_error.get().or_else(|| server_error.get());
    // A corrected field keeps its message's room (hidden) so nothing below it
    // moves between the finger leaving the field and tapping the button.
    let last = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(message) = shown() {
            last.set(Some(message));
        }
    });
    let i18n = crate::i18n::use_i18n();
    let on_change = move |event: leptos::ev::Event| {
        if let Some(check) = check {
            local_error.set(
                check(&event_target_value(&event))
                    .map(|refusal| crate::components::errors::refusal_text(i18n, &refusal)),
            );
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|hint| view! { <small class="muted">{move || hint.get()}</small> })}
            <input
                id=id
                name=name
                type=kind.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                value=value
                required=!optional
                aria-invalid=move || shown().is_some().to_string()
                aria-describedby=error_id.clone()
                on:change=on_change
            />
            <p
                class="field-error"
                class:cleared=move || shown().is_none()
                id=error_id
                role="alert"
            >
                {move || shown().or_else(|| last.get())}
            </p>
        </div>
    }
}

/// The server's refusal of `field` in an action's last answer, in the page's language.
pub fn field_error<T: Send + Sync + 'static>(
    value: ActionValue<T>,
    field: &'static str,
) -> Signal<Option<String>> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(error)) => error
                .refusal_for(field)
                .map(|refusal| crate::components::errors::refusal_text(i18n, refusal)),
            _ => None,
        })
    })
}

/// A refusal that belongs to no single field (wrong password, a wait, a server error).
pub fn form_error<T: Send + Sync + 'static>(value: ActionValue<T>) -> Signal<Option<String>> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid { .. })) | None | Some(Ok(_)) => None,
            Some(Err(error)) => Some(crate::components::errors::error_text(i18n, error)),
        })
    })
}

/// The refusal in an action's last answer, if it was one.
pub fn failure<T: Send + Sync + 'static>(value: ActionValue<T>) -> Option<AppError> {
    value.with(|v| match v {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    })
}

/// The alert of a page with several actions: the first refusal of `failures`
/// (each action's `failure`), in the page's language.
pub fn first_failure<const N: usize>(
    failures: impl Fn() -> [Option<AppError>; N] + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || {
        failures()
            .into_iter()
            .flatten()
            .next()
            .map(|error| crate::components::errors::error_text(i18n, &error))
    })
}

/// A refusal the form shows in its alert: any but those of `fields`, which their
/// own fields show.
pub fn error_besides<T: Send + Sync + 'static>(
    value: ActionValue<T>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid { field, .. })) if fields.contains(&field.as_str()) => None,
            Some(Err(error)) => Some(crate::components::errors::error_text(i18n, error)),
            None | Some(Ok(_)) => None,
        })
    })
}

/// The refusal of the field `name` among `errors`, in the page's language.
pub fn field_message(
    errors: FieldErrors,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy {
    let i18n = crate::i18n::use_i18n();
    move || {
        errors.with(|e| {
            e.iter()
                .find(|(f, _)| f == name)
                .map(|(_, refusal)| crate::components::errors::refusal_text(i18n, refusal))
        })
    }
}

/// Forgets the refusal of the field `name` (the person is correcting it).
pub fn clear_field(errors: FieldErrors, name: &'static str) {
    errors.update(|e| e.retain(|(f, _)| f != name));
}

/// Follows the answers to a form checked in the browser: `done` on the server's
/// yes; the server's refusal of a field stands beside that field.
pub fn on_answer<T: Clone + Send + Sync + 'static>(
    value: ActionValue<T>,
    errors: FieldErrors,
    done: impl Fn(T) + 'static,
) {
    Effect::new(move |_| match value.get() {
        Some(Ok(answer)) => done(answer),
        Some(Err(AppError::Invalid { field, refusal })) => errors.set(vec![(field, refusal)]),
        _ => {}
    });
}

/// Submits a form the browser checks with the server's own Rust: `read` takes
/// what was typed from the `<form>`, `check` parses it; `send` it when the check
/// passed, or show every refusal beside its field.
#[cfg(feature = "hydrate")]
pub fn submit_checked<F, V>(
    event: &leptos::ev::SubmitEvent,
    errors: FieldErrors,
    read: impl FnOnce(&web_sys::HtmlFormElement) -> F,
    check: impl FnOnce(&F) -> Result<V, Vec<crate::domain::subject::FieldError>>,
    send: impl FnOnce(F),
) {
    let Some(form) = target_as::<web_sys::HtmlFormElement>(event) else {
        return;
    };
    let typed = read(&form);
    match check(&typed) {
        Ok(_) => {
            errors.set(vec![]);
            send(typed);
        }
        Err(found) => errors.set(found.into_iter().map(|(f, m)| (f.to_string(), m)).collect()),
    }
}

/// The element an event came from, as the element it should be (the `<form>`
/// of a submit, the `<input>` of a change).
#[cfg(feature = "hydrate")]
pub fn target_as<T: wasm_bindgen::JsCast>(event: &web_sys::Event) -> Option<T> {
    use wasm_bindgen::JsCast;
    event.target().and_then(|t| t.dyn_into::<T>().ok())
}

/// The form's alert and its button, off while the server answers (`children`: its text).
#[component]
pub fn AlertAndSubmit(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    id: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <FormAlert message=message />
        <button type="submit" class="button" id=id disabled=move || pending.get()>
            {children()}
        </button>
    }
}

/// A choice among `choices` (id, name) sent as `name`, and the reason for it
/// (`reason`); `children` labels the choice. Their ids are `{form}-{what}-{key}`
/// and `{form}-reason-{key}`, unique for each `key` on the page.
#[component]
pub fn ChoiceAndReason(
    form: &'static str,
    what: &'static str,
    #[prop(into)] key: String,
    name: &'static str,
    choices: Vec<(String, String)>,
    children: Children,
) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let choice_id = format!("{form}-{what}-{key}");
    let reason_id = format!("{form}-reason-{key}");
    view! {
        <div class="field">
            <label for=choice_id.clone()>{children()}</label>
            <select id=choice_id name=name>
                {choices.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=reason_id.clone()>{t!(i18n, round_conflict_reason)}</label>
            <textarea id=reason_id name="reason" rows="2" required=true></textarea>
        </div>
    }
}

/// Checks shared with the server, for the browser's `Field::check`.
pub fn check_phone(text: &str) -> Option<crate::domain::refusal::Refusal> {
    crate::domain::phone::PhoneNumber::parse(text)
        .err()
        .map(|e| e.refusal())
}

pub fn check_new_password(text: &str) -> Option<crate::domain::refusal::Refusal> {
    crate::domain::password::check_new_password(text, None)
        .err()
        .map(|e| e.refusal())
}

pub fn check_name(text: &str) -> Option<crate::domain::refusal::Refusal> {
    crate::domain::name::DisplayName::parse(text)
        .err()
        .map(|e| e.refusal())
}

/// A form-wide message (wrong password, a wait, a server error).
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="form-alert" role="alert" hidden=move || message.get().is_none()>
            {move || message.get()}
        </p>
    }
}
