//! The frame of a page of one form or one account (sign-up, log-in, my
//! account, the producer's profile): a narrow column under its heading.
use leptos::prelude::*;

/// `<section class="narrow">`: the page's `heading`, its `intro` beneath (if
/// any), then the page (`children`). The texts are `t!(i18n, key)`: they follow
/// the page's language.
#[component]
pub fn NarrowPage(
    #[prop(into)] heading: ViewFn,
    #[prop(optional, into)] intro: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="narrow">
            <h1>{move || heading.run()}</h1>
            {intro.map(|intro| view! { <p class="muted">{move || intro.run()}</p> })}
            {children()}
        </section>
    }
}
