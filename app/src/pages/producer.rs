use super::role_page::RolePage;
use crate::i18n::*;
use leptos::prelude::*;

/// Entry point of the producer's journey (registration and dossiers come in later issues).
#[component]
pub fn ProducerPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RolePage
            heading=move || t_string!(i18n, producer_heading)
            body=move || t_string!(i18n, producer_body)
        />
    }
}
