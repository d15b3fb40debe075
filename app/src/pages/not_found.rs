use super::role_page::RolePage;
use crate::i18n::*;
use leptos::prelude::*;

/// Shown for unknown addresses; the server's fallback answers them with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RolePage
            heading=move || t_string!(i18n, not_found_heading)
            body=move || t_string!(i18n, not_found_body)
        />
    }
}
