//! What a part of a page shows while the server answers.
use crate::i18n::*;
use leptos::prelude::*;

/// The line "loading…" in the page's language: a `Suspense`'s or a
/// `Transition`'s `fallback`.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p>{t!(i18n, loading)}</p> }
}
