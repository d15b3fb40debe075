use super::role_page::RolePage;
use crate::i18n::*;
use leptos::prelude::*;

/// Entry point of the council member's journey (scoring comes in later issues).
#[component]
pub fn CouncilPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RolePage
            heading=move || t_string!(i18n, council_heading)
            body=move || t_string!(i18n, council_body)
        />
    }
}
