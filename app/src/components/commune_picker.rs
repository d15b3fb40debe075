//! The commune of an address, chosen as a person would: the province from a list,
//! then the commune by typing part of its name (diacritics optional) and tapping it.
//! The form gets the commune's code in a hidden `commune_code` field.
use crate::api::admin_units::{commune_choices, province_choices};
use crate::domain::search::matches;
use crate::i18n::*;
use leptos::prelude::*;

/// How many matches are shown at once (a phone screen's worth).
const SHOWN: usize = 12;

#[component]
pub fn CommunePicker(
    /// The form's field errors: `commune_code`'s is shown here.
    errors: crate::components::form::FieldErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let province = RwSignal::new(None::<i64>);
    let typed = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<(i64, String)>);
    let provinces = Resource::new(|| (), |_| province_choices());
    let communes = Resource::new(
        move || province.get(),
        |province| async move {
            match province {
                Some(code) => commune_choices(code).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let message = move || {
        errors.with(|e| {
            e.iter()
                .find(|(f, _)| f == "commune_code")
                .map(|(_, refusal)| crate::components::errors::refusal_text(i18n, refusal))
        })
    };
    let clear_error = move || errors.update(|e| e.retain(|(f, _)| f != "commune_code"));
    view! {
        <fieldset class="checks commune-picker">
            <legend>{t!(i18n, commune_picker_legend)}</legend>
            <input type="hidden" name="commune_code" id="field-commune_code"
                prop:value=move || chosen.get().map(|(code, _)| code.to_string()).unwrap_or_default() />
            <div class="field">
                <label for="field-province">{t!(i18n, commune_picker_province)}</label>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = provinces.await.unwrap_or_default();
                        view! {
                            <select id="field-province"
                                on:change=move |event| {
                                    province.set(event_target_value(&event).parse().ok());
                                    chosen.set(None);
                                }>
                                <option value="">{t!(i18n, commune_picker_choose_province)}</option>
                                {list.into_iter().map(|(code, name)| view! { <option value=code.to_string()>{name}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <div class="field">
                <label for="commune-search">{t!(i18n, commune_picker_search)}</label>
                <small class="muted">{t!(i18n, commune_picker_hint)}</small>
                <input id="commune-search" type="search" autocomplete="off"
                    disabled=move || province.get().is_none()
                    prop:value=move || typed.get()
                    on:input=move |event| typed.set(event_target_value(&event)) />
            </div>
            <p id="commune-chosen" class="notice" hidden=move || chosen.get().is_none()>
                {t!(i18n, commune_picker_chosen)}" "
                <strong>{move || chosen.get().map(|(_, name)| name).unwrap_or_default()}</strong>
            </p>
            <Transition fallback=|| ()>
                {move || {
                    let found: Vec<_> = communes
                        .get()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|(_, name)| !typed.with(String::is_empty) && typed.with(|t| matches(name, t)))
                        .take(SHOWN)
                        .collect();
                    view! {
                        <ul class="commune-options">
                            {found.into_iter().map(|(code, name)| {
                                let pick = (code, name.clone());
                                view! {
                                    <li>
                                        <button type="button" class="choice commune-option" data-code=code.to_string()
                                            on:click=move |_| {
                                                chosen.set(Some(pick.clone()));
                                                typed.set(String::new());
                                                clear_error();
                                            }>
                                            {name}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                }}
            </Transition>
            <p class="field-error" id="field-commune_code-error" role="alert">{message}</p>
        </fieldset>
    }
}
