use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Heading, explanation and a way back: the frame of a role's entry page.
#[component]
pub fn RolePage(
    heading: impl Fn() -> &'static str + Send + Sync + 'static,
    body: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="role-page">
            <h1>{heading}</h1>
            <p>{body}</p>
            <A href="/">{t!(i18n, back_home)}</A>
        </section>
    }
}
