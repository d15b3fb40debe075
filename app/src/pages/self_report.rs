//! `/ho-so/{id}/mau-02`: what the producer writes in words for the dossier —
//! Mẫu 01's contact lines and samples, Mẫu 02's Parts I, II and IV (Part III is
//! the self-assessment on the dossier page). One form, saved at once, checked in
//! the browser by the same Rust the server runs; read-only once submitted.
use crate::api::self_report::{get_self_report, SaveSelfReport, SelfReportView};
use crate::components::form::{clear_field, field_message, on_answer, FormAlert};
use crate::components::loading::Loading;
use crate::domain::self_report::{IpTitle, SelfReport};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

type Errors = crate::components::form::FieldErrors;

#[component]
pub fn SelfReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let product_id = crate::components::route::path_id();
    let report = Resource::new(move || product_id.get(), get_self_report);
    view! {
        <section class="narrow">
            <p><A href=move || format!("/ho-so/{}", product_id.get()) attr:id="back-to-dossier">{t!(i18n, report_back)}</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(view) => view! { <ReportForm product_id=product_id.get_untracked() view /> }.into_any(),
                        Err(error) => crate::components::errors::error_alert(i18n, &error),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ReportForm(product_id: String, view: SelfReportView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveSelfReport>::new();
    let errors: Errors = RwSignal::new(Vec::new());
    let missing = RwSignal::new(view.missing.clone());
    let value = action.value();
    on_answer(value, errors, move |still_missing| {
        missing.set(still_missing)
    });
    let saved = move || matches!(value.get(), Some(Ok(_)));
    let alert = crate::components::form::form_error(value);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        crate::components::form::submit_checked(
            &ev,
            errors,
            form_of,
            |typed| typed.parse(),
            |form| {
                action.dispatch(SaveSelfReport {
                    product_id: product_id.clone(),
                    form,
                });
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = &product_id;
    };
    let r = view.report.clone();
    let editable = view.editable;
    let money = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <h1>{t!(i18n, report_heading)}</h1>
        <p class="muted">{format!("{} · {}", view.subject_name, view.product_name)}</p>
        {(!editable).then(|| view! { <p class="form-done" id="report-read-only">{t!(i18n, report_read_only)}</p> })}
        <form id="report-form" on:submit=on_submit novalidate=true>
            <fieldset class="plain" disabled=!editable>
                <h2>{t!(i18n, report_form_01)}</h2>
                <Line name="representative_title" value=r.representative_title.clone() errors>{t!(i18n, report_representative_title)}</Line>
                <Line name="phone" kind="tel" value=r.phone.clone() errors>{t!(i18n, report_phone)}</Line>
                <Line name="email" kind="email" optional=true value=r.email.clone() errors>{t!(i18n, report_email)}</Line>
                <Line name="samples" inputmode="numeric" value=r.samples.map(|n| n.to_string()).unwrap_or_default() errors>{t!(i18n, report_samples)}</Line>
                <h2>{t!(i18n, report_part_1)}</h2>
                <Line name="representative_ethnicity" optional=true value=r.representative_ethnicity.clone() errors>{t!(i18n, report_ethnicity)}</Line>
                <Line name="representative_address" optional=true value=r.representative_address.clone() errors>{t!(i18n, report_permanent_address)}</Line>
                <Line long=true name="product_description" value=r.product_description.clone() errors>{t!(i18n, report_product_description)}</Line>
                <Ticks report=r.clone() />
                <Line name="ip_other" optional=true value=r.ip_other.clone() errors>{t!(i18n, report_ip_other)}</Line>
                <Line long=true name="history" value=r.history.clone() errors>{t!(i18n, report_history)}</Line>
                <Line long=true name="organisation" value=r.organisation.clone() errors>{t!(i18n, report_organisation)}</Line>
                <h2>{t!(i18n, report_part_2)}</h2>
                <Line long=true name="raw_materials" optional=true value=r.raw_materials.clone() errors>{t!(i18n, report_raw_materials)}</Line>
                <Line long=true name="quality_changes" optional=true value=r.quality_changes.clone() errors>{t!(i18n, report_quality_changes)}</Line>
                <Line long=true name="markets" value=r.markets.clone() errors>{t!(i18n, report_markets)}</Line>
                <Line name="revenue" inputmode="numeric" value=money(r.revenue) errors>{t!(i18n, report_revenue)}</Line>
                <Line name="profit" optional=true value=money(r.profit) errors>{t!(i18n, report_profit)}</Line>
                <h2>{t!(i18n, report_part_3)}</h2>
                <p class="muted">{t!(i18n, report_part_3_where)}</p>
                <h2>{t!(i18n, report_part_4)}</h2>
                <Line long=true name="plan" value=r.plan.clone() errors>{t!(i18n, report_plan)}</Line>
            </fieldset>
            <div id="report-missing" hidden=move || missing.with(Vec::is_empty)>
                <p><strong>{t!(i18n, report_missing_heading)}</strong></p>
                <ul>{move || missing.get().into_iter().map(|line| view! {
                    <li data-field=line.field.clone()>{crate::components::errors::refusal_text(i18n, &line.refusal)}</li>
                }).collect_view()}</ul>
            </div>
            <p class="form-done" id="report-saved" hidden=move || !saved()>{t!(i18n, report_saved)}</p>
            <FormAlert message=alert />
            {editable.then(|| view! {
                <button type="submit" class="button" id="report-save" disabled=move || action.pending().get()>
                    {t!(i18n, save)}
                </button>
            })}
        </form>
    }
}

/// Mẫu 02, Part I item 7: the ticks a) to d).
#[component]
fn Ticks(report: SelfReport) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="checks">
            <legend>{t!(i18n, report_ticks)}</legend>
            <label class="choice"><input type="checkbox" name="business_registration" checked=report.business_registration />" "{t!(i18n, report_business_registration)}</label>
            <label class="choice"><input type="checkbox" name="quality_declared" checked=report.quality_declared />" "{t!(i18n, report_quality_declared)}</label>
            <label class="choice"><input type="checkbox" name="food_safety_certificate" checked=report.food_safety_certificate />" "{t!(i18n, report_food_safety)}</label>
            <label class="choice"><input type="checkbox" name="production_certificate" checked=report.production_certificate />" "{t!(i18n, report_production_certificate)}</label>
        </fieldset>
        <fieldset class="checks">
            <legend>{t!(i18n, report_ip)}</legend>
            {IpTitle::ALL.into_iter().map(|title| view! {
                <label class="choice">
                    <input type="checkbox" name=format!("ip_{}", title.as_str()) checked=report.ip_titles.contains(&title) />
                    " "{move || title.label(crate::components::errors::lang(i18n))}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// A field with its label and the message beside it: one line, or a text
/// area (`long`, its paragraphs kept).
#[component]
fn Line(
    name: &'static str,
    value: String,
    errors: Errors,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] long: bool,
    children: Children,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = field_message(errors, name);
    let invalid = move || message().is_some().to_string();
    let clear = move |_| clear_field(errors, name);
    let input = if long {
        view! {
            <textarea id=id.clone() name=name rows="4" aria-invalid=invalid
                aria-describedby=error_id.clone() on:input=clear>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind.unwrap_or("text") inputmode=inputmode value=value
                aria-invalid=invalid aria-describedby=error_id.clone() on:input=clear />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{children()}{optional.then_some(" ")}{optional.then(|| view! { <Optional /> })}</label>
            {input}
            <p class="field-error" class:cleared=move || message().is_none() id=error_id role="alert">{message}</p>
        </div>
    }
}

#[component]
fn Optional() -> impl IntoView {
    let i18n = use_i18n();
    view! { <small class="muted">{t!(i18n, report_optional)}</small> }
}

/// The report form's fields as typed (browser only).
#[cfg(feature = "hydrate")]
fn form_of(form: &web_sys::HtmlFormElement) -> crate::domain::self_report::SelfReportForm {
    use super::producer::{checked, input_value};
    use crate::domain::self_report::SelfReportForm;
    let text = |name: &str| input_value(form, name);
    SelfReportForm {
        representative_title: text("representative_title"),
        phone: text("phone"),
        email: text("email"),
        representative_ethnicity: text("representative_ethnicity"),
        representative_address: text("representative_address"),
        samples: text("samples"),
        product_description: text("product_description"),
        business_registration: checked(form, "business_registration"),
        quality_declared: checked(form, "quality_declared"),
        food_safety_certificate: checked(form, "food_safety_certificate"),
        production_certificate: checked(form, "production_certificate"),
        ip_titles: IpTitle::ALL
            .into_iter()
            .filter(|t| checked(form, &format!("ip_{}", t.as_str())))
            .collect(),
        ip_other: text("ip_other"),
        history: text("history"),
        organisation: text("organisation"),
        raw_materials: text("raw_materials"),
        quality_changes: text("quality_changes"),
        markets: text("markets"),
        revenue: text("revenue"),
        profit: text("profit"),
        plan: text("plan"),
    }
}
