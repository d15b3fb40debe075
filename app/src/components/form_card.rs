//! A form folded into a card on a desk: its summary opens it.
use leptos::prelude::*;

/// `<details class="card">` (`id`): the `summary` line, then the form
/// (`children`). The summary is `t!(i18n, key)`: it follows the page's language.
#[component]
pub fn FormCard(
    id: &'static str,
    #[prop(into)] summary: ViewFn,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="card" id=id>
            <summary>{move || summary.run()}</summary>
            {children()}
        </details>
    }
}
