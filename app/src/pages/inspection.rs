//! The inspection form on a certificate's page (Điều 9), for a phone or tablet
//! in the field: the browser checks it with the server's own rule
//! (`InspectionForm::parse`), keeps it on the device, and sends it when the
//! network answers (`inspection_queue`). What waits and what was refused stay
//! in view until they are done.
use crate::components::errors::{error_text, refusal_text, term_text};
use crate::components::form::FieldErrors;
use crate::components::labelled::Labelled;
use crate::domain::aftercare::{InspectionKind, InspectionOutcome, MarkUse};
use crate::i18n::*;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// A `<select>` of codes named by the refusal table's terms of `kind`.
pub(super) fn choice(
    i18n: I18n,
    name: &'static str,
    label: String,
    kind: &'static str,
    codes: Vec<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let options = codes
        .into_iter()
        .map(|code| view! { <option value=code>{term_text(i18n, kind, code)}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>{options}</select>
        </div>
    }
}

fn error_line(i18n: I18n, errors: FieldErrors, field: &'static str) -> impl IntoView {
    let id = format!("field-{field}-error");
    view! {
        <p class="field-error" id=id role="alert">
            {move || errors.with(|all| all.iter().find(|(f, _)| f == field).map(|(_, r)| refusal_text(i18n, r)))}
        </p>
    }
}

/// The form, the device's waiting inspections of `code` and the refused ones;
/// `sent` moves on when the server took something (the page reads its list again).
#[component]
pub fn InspectionForm(
    code: String,
    criteria: Vec<String>,
    issued_iso: String,
    sent: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let waiting = RwSignal::new(0_usize);
    let refused = RwSignal::new(Vec::<(
        crate::api::aftercare::PendingInspection,
        crate::error::AppError,
    )>::new());
    let saved = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let kept_code = StoredValue::new(code.clone());
    #[cfg(feature = "hydrate")]
    let refresh = move || {
        use super::inspection_queue as queue;
        kept_code.with_value(|code| {
            waiting.set(queue::waiting().iter().filter(|p| p.code == *code).count());
            refused.set(
                queue::refused()
                    .into_iter()
                    .filter(|(p, _)| p.code == *code)
                    .collect(),
            );
        });
    };
    #[cfg(feature = "hydrate")]
    let send = move || {
        leptos::task::spawn_local(async move {
            if super::inspection_queue::send_waiting().await {
                sent.update(|n| *n += 1);
            }
            refresh();
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        refresh();
        send();
        let interval = set_interval_with_handle(send, std::time::Duration::from_secs(10));
        if let Ok(handle) = interval {
            on_cleanup(move || handle.clear());
        }
        let online =
            send_wrapper::SendWrapper::new(window_event_listener(leptos::ev::online, move |_| {
                send()
            }));
        on_cleanup(move || online.take().remove());
    });
    let on_submit = {
        let (code, criteria) = (code.clone(), criteria.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                use crate::domain::date::CalendarDate;
                let Some(form) =
                    crate::components::form::target_as::<web_sys::HtmlFormElement>(&ev)
                else {
                    return;
                };
                let value = |name: &str| super::producer::input_value(&form, name);
                let (criterion, note) = (value("criterion"), value("note"));
                let findings = if criterion.is_empty() && note.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![crate::domain::aftercare::Finding { criterion, note }]
                };
                let today = CalendarDate::of_ms_vietnam(js_sys::Date::now() as i64);
                let issued = CalendarDate::parse(&issued_iso).unwrap_or(today);
                let pending = crate::api::aftercare::PendingInspection {
                    id: super::inspection_queue::new_id(),
                    code: code.clone(),
                    kind: value("kind"),
                    inspected_on: value("inspected_on"),
                    mark_use: value("mark_use"),
                    findings,
                    outcome: value("outcome"),
                };
                let checked = crate::domain::aftercare::InspectionForm::parse(
                    &pending.kind,
                    &pending.inspected_on,
                    &pending.mark_use,
                    pending.findings.clone(),
                    &pending.outcome,
                    &criteria,
                    issued,
                    today,
                );
                match checked {
                    Err((field, refusal)) => errors.set(vec![(field.to_string(), refusal)]),
                    Ok(_) => {
                        errors.set(Vec::new());
                        super::inspection_queue::push(pending);
                        form.reset();
                        saved.set(true);
                        refresh();
                        send();
                    }
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&code, &criteria, &issued_iso, sent);
        }
    };
    let options = criteria
        .into_iter()
        .map(|c| view! { <option value=c.clone()>{c.clone()}</option> })
        .collect_view();
    view! {
        <form id="inspection-form" on:submit=on_submit novalidate=true>
            {choice(i18n, "kind", t_string!(i18n, inspection_kind).to_string(), "inspection_kind",
                InspectionKind::ALL.iter().map(|k| k.code()).collect())}
            {error_line(i18n, errors, "kind")}
            <Labelled id="field-inspected_on" label=t!(i18n, inspection_on)>
                <input id="field-inspected_on" name="inspected_on" type="date" required=true />
                {error_line(i18n, errors, "inspected_on")}
            </Labelled>
            {choice(i18n, "mark_use", t_string!(i18n, inspection_mark_use).to_string(), "mark_use",
                MarkUse::ALL.iter().map(|k| k.code()).collect())}
            {error_line(i18n, errors, "mark_use")}
            <Labelled id="field-criterion" label=t!(i18n, inspection_criterion)>
                <select id="field-criterion" name="criterion">
                    <option value="">{t!(i18n, inspection_no_criterion)}</option>
                    {options}
                </select>
            </Labelled>
            <Labelled id="field-note" label=t!(i18n, inspection_note)>
                <textarea id="field-note" name="note" rows="2"></textarea>
                {error_line(i18n, errors, "findings")}
            </Labelled>
            {choice(i18n, "outcome", t_string!(i18n, inspection_outcome).to_string(), "inspection_outcome",
                InspectionOutcome::ALL.iter().map(|k| k.code()).collect())}
            {error_line(i18n, errors, "outcome")}
            <button type="submit" class="button" id="record-inspection">{t!(i18n, inspection_record)}</button>
            <p class="form-done" role="status" hidden=move || !saved.get()>{t!(i18n, inspection_saved_here)}</p>
            <p class="muted" id="inspections-waiting" data-waiting=move || waiting.get().to_string() hidden=move || waiting.get() == 0>
                {move || t_string!(i18n, inspections_waiting, count = waiting.get()).to_string()}
            </p>
            <ul class="refused" id="inspections-refused">
                {move || refused.get().into_iter().map(|(pending, error)| {
                    let line = format!("{} · {}: {}", crate::domain::date::display_date(&pending.inspected_on),
                        term_text(i18n, "inspection_outcome", &pending.outcome), error_text(i18n, &error));
                    #[cfg(feature = "hydrate")]
                    let dismiss = {
                        let id = pending.id.clone();
                        move |_| {
                            super::inspection_queue::dismiss(&id);
                            refresh();
                        }
                    };
                    #[cfg(not(feature = "hydrate"))]
                    let dismiss = |_| {};
                    view! {
                        <li role="alert">{line}" "<button type="button" class="small" on:click=dismiss>{t!(i18n, inspection_dismiss)}</button></li>
                    }
                }).collect_view()}
            </ul>
        </form>
    }
}
