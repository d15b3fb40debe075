use crate::i18n::*;
use leptos::prelude::*;

/// Vietnamese / English buttons; the choice is kept in a cookie by leptos_i18n.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |locale: Locale| {
        view! {
            <button
                type="button"
                class="lang"
                lang=locale.as_str()
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| i18n.set_locale(locale)
            >
                {move || match locale {
                    Locale::vi => t_string!(i18n, lang_vi),
                    Locale::en => t_string!(i18n, lang_en),
                }}
            </button>
        }
    };
    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, language).to_string()>
            {choice(Locale::vi)}
            {choice(Locale::en)}
        </nav>
    }
}
