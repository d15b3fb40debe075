//! The producer's pages: home (subjects and products), the subject profile form and
//! product registration (Mẫu 01). The dossier itself is `pages::dossier`.
use crate::api::producer::{my_products, my_subjects, RegisterProduct, SaveSubject};
use crate::components::errors::lang;
use crate::components::form::{
    clear_field, field_message, on_answer, AlertAndSubmit, FieldErrorList, FieldErrors,
};
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::components::narrow_page::NarrowPage;
use crate::components::session::use_session;
#[cfg(feature = "hydrate")]
use crate::domain::dossier::ProductForm;
use crate::domain::dossier::ProductKind;
#[cfg(feature = "hydrate")]
use crate::domain::subject::SubjectForm;
use crate::domain::subject::{SalesChannel, SubjectKind};
use crate::error::AppError;
use crate::i18n::*;
use crate::rules::{load_index, CURRENT_RULE_SET};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// `/producer`: the producer's subjects and products, or how to start.
#[component]
pub fn ProducerPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let subjects = Resource::new(move || session.version(), |_| my_subjects());
    let products = Resource::new(move || session.version(), |_| my_products());
    view! {
        <h1>{t!(i18n, producer_heading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (subjects.await, products.await) {
                    (Ok(subjects), Ok(products)) => view! {
                        <h2>{t!(i18n, my_subjects)}</h2>
                        <ul class="card-list" id="subject-list">
                            {subjects.iter().map(|s| view! { <li>{s.name.clone()}</li> }).collect_view()}
                        </ul>
                        <p class="actions">
                            <A href="/producer/chu-the" attr:class="button secondary" attr:id="new-subject">{t!(i18n, new_subject)}</A>
                            {(!subjects.is_empty()).then(|| view! {
                                <A href="/producer/san-pham" attr:class="button" attr:id="new-product">{t!(i18n, new_product)}</A>
                            })}
                        </p>
                        <h2>{t!(i18n, my_products)}</h2>
                        <ul class="card-list" id="product-list">
                            {products.into_iter().map(|p| view! {
                                <li>
                                    <A href=format!("/ho-so/{}", p.id)>{p.name.clone()}</A>
                                    <small>{format!(" · {} · {}", t_string!(i18n, product_set_short, number = p.product_set), super::commune_register::dossier_state_label(i18n, p.state))}</small>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    (Err(AppError::NotSignedIn), _) | (_, Err(AppError::NotSignedIn)) => view! {
                        <p>{t!(i18n, producer_body)}</p>
                        <p class="actions">
                            <A href="/dang-ky" attr:class="button">{t!(i18n, sign_up_link)}</A>
                            <A href="/dang-nhap" attr:class="button secondary">{t!(i18n, nav_log_in)}</A>
                        </p>
                    }.into_any(),
                    (Err(error), _) | (_, Err(error)) => crate::components::errors::error_alert(i18n, &error),
                }
            })}
        </Suspense>
    }
}

/// Reads a text input or text area of the form by name (its `value`, read as a
/// property: a cast to each element type weighed ~45 KB on the first download).
#[cfg(feature = "hydrate")]
pub(crate) fn input_value(form: &web_sys::HtmlFormElement, name: &str) -> String {
    form.elements()
        .named_item(name)
        .and_then(|element| js_sys::Reflect::get(&element, &"value".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn select_value(form: &web_sys::HtmlFormElement, name: &str) -> String {
    use wasm_bindgen::JsCast;
    form.elements()
        .named_item(name)
        .and_then(|e| {
            e.dyn_into::<web_sys::HtmlSelectElement>()
                .ok()
                .map(|s| s.value())
        })
        .unwrap_or_else(|| input_value(form, name))
}

#[cfg(feature = "hydrate")]
pub(crate) fn checked(form: &web_sys::HtmlFormElement, name: &str) -> bool {
    use wasm_bindgen::JsCast;
    form.elements()
        .named_item(name)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The subject form's fields as typed (browser only).
#[cfg(feature = "hydrate")]
fn subject_form_of(form: &web_sys::HtmlFormElement) -> SubjectForm {
    SubjectForm {
        kind: select_value(form, "kind"),
        name: input_value(form, "name"),
        registration_number: input_value(form, "registration_number"),
        registration_date: input_value(form, "registration_date"),
        tax_code: input_value(form, "tax_code"),
        commune_code: input_value(form, "commune_code"),
        address: input_value(form, "address"),
        representative: input_value(form, "representative"),
        representative_woman: checked(form, "representative_woman"),
        representative_ethnic_minority: checked(form, "representative_ethnic_minority"),
        representative_disability: checked(form, "representative_disability"),
        workers_total: input_value(form, "workers_total"),
        workers_local: input_value(form, "workers_local"),
        value_chain_contracts: input_value(form, "value_chain_contracts"),
        channels: SalesChannel::ALL
            .into_iter()
            .filter(|c| checked(form, &format!("channel_{}", c.as_str())))
            .collect(),
    }
}

/// A labelled input whose message comes from the shared `SubjectForm` check.
#[component]
fn SubjectField(
    name: &'static str,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    errors: FieldErrors,
    /// The label.
    children: Children,
) -> impl IntoView {
    let id = format!("field-{name}");
    let message = field_message(errors, name);
    view! {
        <div class="field">
            <label for=id.clone()>{children()}</label>
            <input id=id name=name type=kind.unwrap_or("text") inputmode=inputmode
                aria-invalid=move || message().is_some().to_string()
                on:input=move |_| clear_field(errors, name) />
            <p class="field-error" id=format!("field-{name}-error") role="alert">{message}</p>
        </div>
    }
}

/// `/producer/chu-the`: the subject profile (chủ thể OCOP), checked field by field
/// in the browser by the same Rust the server runs.
#[component]
pub fn SubjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveSubject>::new();
    let errors = RwSignal::new(FieldErrorList::new());
    let navigate = use_navigate();
    let value = action.value();
    on_answer(value, errors, move |_| {
        navigate("/producer", Default::default())
    });
    let alert = crate::components::form::form_error(value);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        crate::components::form::submit_checked(
            &ev,
            errors,
            subject_form_of,
            SubjectForm::parse,
            |form| {
                action.dispatch(SaveSubject { id: None, form });
            },
        );
    };
    view! {
        <NarrowPage heading=t!(i18n, subject_heading)>
            <form id="subject-form" on:submit=on_submit novalidate=true>
                <Labelled id="field-kind" label=t!(i18n, subject_kind)>
                    <select id="field-kind" name="kind">
                        {SubjectKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || k.label(lang(i18n))}</option> }).collect_view()}
                    </select>
                </Labelled>
                <SubjectField name="name" errors >{t!(i18n, field_subject_name)}</SubjectField>
                <SubjectField name="registration_number" errors >{t!(i18n, field_registration_number)}</SubjectField>
                <SubjectField name="registration_date" kind="date" errors >{t!(i18n, field_registration_date)}</SubjectField>
                <SubjectField name="tax_code" inputmode="numeric" errors >{t!(i18n, field_tax_code)}</SubjectField>
                <crate::components::commune_picker::CommunePicker errors />
                <SubjectField name="address" errors >{t!(i18n, field_address)}</SubjectField>
                <SubjectField name="representative" errors >{t!(i18n, field_representative)}</SubjectField>
                <fieldset class="checks">
                    <legend>{t!(i18n, representative_is)}</legend>
                    <label class="choice"><input type="checkbox" name="representative_woman" />" "{t!(i18n, field_representative_woman)}</label>
                    <label class="choice"><input type="checkbox" name="representative_ethnic_minority" />" "{t!(i18n, field_representative_ethnic_minority)}</label>
                    <label class="choice"><input type="checkbox" name="representative_disability" />" "{t!(i18n, field_representative_disability)}</label>
                </fieldset>
                <SubjectField name="workers_total" inputmode="numeric" errors >{t!(i18n, field_workers_total)}</SubjectField>
                <SubjectField name="workers_local" inputmode="numeric" errors >{t!(i18n, field_workers_local)}</SubjectField>
                <SubjectField name="value_chain_contracts" inputmode="numeric" errors >{t!(i18n, field_value_chain_contracts)}</SubjectField>
                <fieldset class="checks">
                    <legend>{t!(i18n, sales_channels)}</legend>
                    {SalesChannel::ALL.into_iter().map(|c| view! {
                        <label class="choice"><input type="checkbox" name=format!("channel_{}", c.as_str()) />" "{move || c.label(lang(i18n))}</label>
                    }).collect_view()}
                </fieldset>
                <AlertAndSubmit message=alert pending=action.pending() id="subject-submit">
                    {t!(i18n, save)}
                </AlertAndSubmit>
            </form>
        </NarrowPage>
    }
}

/// `/producer/san-pham`: register a product (Mẫu 01).
#[component]
pub fn RegisterProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterProduct>::new();
    let subjects = Resource::new(|| (), |_| my_subjects());
    let index = Resource::new(|| (), |_| load_index(CURRENT_RULE_SET));
    let errors = RwSignal::new(FieldErrorList::new());
    let kind = RwSignal::new(ProductKind::FirstTime);
    let navigate = use_navigate();
    let value = action.value();
    on_answer(value, errors, move |id| {
        navigate(&format!("/ho-so/{id}"), Default::default())
    });
    let alert = crate::components::form::form_error(value);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let read = |form: &web_sys::HtmlFormElement| ProductForm {
                subject_id: select_value(form, "subject_id"),
                name: input_value(form, "name"),
                product_set: select_value(form, "product_set"),
                kind: kind.get_untracked().as_str().to_string(),
                previous_certificate: input_value(form, "previous_certificate"),
                changes: input_value(form, "changes"),
            };
            crate::components::form::submit_checked(
                &ev,
                errors,
                read,
                ProductForm::parse,
                |form| {
                    action.dispatch(RegisterProduct { form });
                },
            );
        }
    };
    view! {
        <NarrowPage heading=t!(i18n, product_heading)>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let (Ok(subjects), Ok(index)) = (subjects.await, index.await) else {
                        return view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any();
                    };
                    view! {
                        <form id="product-form" on:submit=on_submit novalidate=true>
                            <Labelled id="field-subject_id" label=t!(i18n, subject_heading)>
                                <select id="field-subject_id" name="subject_id">
                                    {subjects.into_iter().map(|s| view! { <option value=s.id>{s.name}</option> }).collect_view()}
                                </select>
                            </Labelled>
                            <SubjectField name="name" errors >{t!(i18n, field_product_name)}</SubjectField>
                            <Labelled id="field-product_set" label=t!(i18n, choose_set)>
                                <select id="field-product_set" name="product_set">
                                    {index.product_sets.into_iter().map(|s| view! {
                                        <option value=s.number.to_string()>{format!("{}. {}", s.number, s.name)}</option>
                                    }).collect_view()}
                                </select>
                            </Labelled>
                            <fieldset class="checks">
                                <legend>{t!(i18n, product_kind)}</legend>
                                {ProductKind::ALL.into_iter().map(|k| view! {
                                    <label class="choice">
                                        <input type="radio" name="kind" value=k.as_str()
                                            prop:checked=move || kind.get() == k on:change=move |_| kind.set(k) />
                                        " "{move || k.label(lang(i18n))}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <Show when=move || kind.get() != ProductKind::FirstTime>
                                <SubjectField name="previous_certificate" errors >{t!(i18n, field_previous_certificate)}</SubjectField>
                                <SubjectField name="changes" errors >{t!(i18n, field_changes)}</SubjectField>
                            </Show>
                            <AlertAndSubmit message=alert pending=action.pending() id="product-submit">
                                {t!(i18n, register)}
                            </AlertAndSubmit>
                        </form>
                    }.into_any()
                })}
            </Suspense>
        </NarrowPage>
    }
}
