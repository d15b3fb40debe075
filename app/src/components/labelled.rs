//! A form field's frame: its label, the control the page gives it, and the
//! server's message for it beneath.
use leptos::prelude::*;

/// `<div class="field">`: the label of the control `id` (`label`), the control
/// and what goes with it (`children`), then the server's `message`, if any.
#[component]
pub fn Labelled(
    /// The id of the control the label names.
    #[prop(into)]
    id: String,
    /// The label's text (`t!(i18n, key)`: it follows the page's language).
    #[prop(into)]
    label: ViewFn,
    /// The server's message for this field, shown beneath it.
    #[prop(optional, into)]
    message: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || label.run()}</label>
            {children()}
            {message.map(|message| view! { <FieldMessage message /> })}
        </div>
    }
}

/// A field's message from the server, beside it.
#[component]
pub fn FieldMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="field-error" role="alert">{move || message.get()}</p> }
}
