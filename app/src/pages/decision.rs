//! The office's recognition decision for a sealed round (issue 16): the lines the
//! sealed results give, the form to record the signed decision (number, day,
//! signer), then publishing it; each recognised product's certificate code links
//! to its public verification page.
use crate::api::decisions::{
    get_decision, DecisionLine, DecisionOutcome, DecisionView, PublishDecision, RecordDecision,
};
use crate::components::form::{error_besides, field_error, Field, FormAlert};
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// An outcome as the decision's table says it.
pub fn outcome_text(i18n: I18n, outcome: &DecisionOutcome) -> String {
    match outcome {
        DecisionOutcome::Recognised { stars } => {
            t_string!(i18n, decision_recognised, stars = *stars).to_string()
        }
        DecisionOutcome::Forwarded { to } => {
            t_string!(i18n, decision_forwarded, to = to.clone()).to_string()
        }
        DecisionOutcome::Returned { to } => {
            t_string!(i18n, decision_returned, to = to.clone()).to_string()
        }
        DecisionOutcome::NotRecognised => t_string!(i18n, decision_not_recognised).to_string(),
    }
}

#[component]
pub fn DecisionPanel(round_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordDecision>::new();
    let publish = ServerAction::<PublishDecision>::new();
    let id = round_id.clone();
    let view_of = Resource::new(
        move || (record.version().get(), publish.version().get()),
        move |_| get_decision(id.clone()),
    );
    view! {
        <section class="card" id="decision">
            <h2>{t!(i18n, decision_heading)}</h2>
            <Suspense fallback=Loading>
                {move || {
                    let round_id = round_id.clone();
                    Suspend::new(async move {
                        match view_of.await {
                            Ok(found) => decision_body(i18n, round_id, found, record, publish).into_any(),
                            Err(error) => view! { <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn decision_body(
    i18n: I18n,
    round_id: String,
    found: DecisionView,
    record: ServerAction<RecordDecision>,
    publish: ServerAction<PublishDecision>,
) -> impl IntoView {
    let codes = found
        .recorded
        .as_ref()
        .map(|r| r.codes.clone())
        .unwrap_or_default();
    let code_of = move |line: &DecisionLine| {
        codes
            .iter()
            .find(|(product, _)| *product == line.product_id)
            .and_then(|(_, code)| code.clone())
    };
    let rid = round_id.clone();
    let rows = found
        .lines
        .iter()
        .map(|line| {
            let code = code_of(line);
            // A product sent up: its proposal package for the level above.
            let package = matches!(line.outcome, DecisionOutcome::Forwarded { .. }).then(|| {
                let href = format!("/van-phong/dot/{rid}/de-xuat/{}.zip", line.product_id);
                view! { <a class="proposal-package" href=href download>{t!(i18n, decision_package)}</a> }
            });
            view! {
                <tr data-product=line.product_id.clone() data-outcome=line.outcome.code()>
                    <td>{line.product_name.clone()}</td>
                    <td>{line.mean.clone()}</td>
                    <td>{outcome_text(i18n, &line.outcome)}</td>
                    <td>{code.map(|code| view! { <a class="certificate-code" href=format!("/xac-minh/{code}")>{code.clone()}</a> })}{package}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="decision-lines">
                <thead><tr>
                    <th>{t!(i18n, decision_product)}</th>
                    <th>{t!(i18n, decision_mean)}</th>
                    <th>{t!(i18n, decision_outcome)}</th>
                    <th>{t!(i18n, decision_code)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><a class="button secondary" id="decision-pdf" href=format!("/van-phong/dot/{round_id}/quyet-dinh.pdf")>
            {if found.recorded.is_some() { t_string!(i18n, decision_pdf_recorded) } else { t_string!(i18n, decision_pdf) }}
        </a></p>
        {match found.recorded {
            None => record_form(i18n, round_id, record).into_any(),
            Some(recorded) => view! {
                <p id="decision-recorded" data-published=recorded.published.to_string()>
                    {t_string!(i18n, decision_recorded_as, number = recorded.number.clone(), date = crate::domain::date::display_date(&recorded.signed_on), signer = recorded.signer.clone())}
                </p>
                {if recorded.published {
                    view! { <p class="form-done" role="status" id="decision-published">{t!(i18n, decision_published)}</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=publish attr:id="publish-form">
                            <input type="hidden" name="round_id" value=round_id />
                            <FormAlert message=error_besides(publish.value(), &[]) />
                            <button type="submit" class="button" id="publish-decision">{t!(i18n, decision_publish)}</button>
                        </ActionForm>
                    }.into_any()
                }}
            }.into_any(),
        }}
    }
}

fn record_form(
    i18n: I18n,
    round_id: String,
    record: ServerAction<RecordDecision>,
) -> impl IntoView {
    let value = record.value();
    view! {
        <p class="muted">{t!(i18n, decision_record_hint)}</p>
        <ActionForm action=record attr:id="decision-form">
            <input type="hidden" name="round_id" value=round_id />
            {signed_decision_fields(value)}
            <FormAlert message=error_besides(value, &["number", "signed_on", "signer"]) />
            <button type="submit" class="button" id="record-decision">{t!(i18n, decision_record)}</button>
        </ActionForm>
    }
}

/// A signed decision's number, signing day and signer, with their errors: the
/// fields of every form that records one (recognition, return, revocation).
pub fn signed_decision_fields<T: Send + Sync + 'static>(
    value: crate::components::form::ActionValue<T>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
            <Field name="number" label=move || t_string!(i18n, decision_number).to_string()
                server_error=field_error(value, "number") />
            <Field name="signed_on" kind="date" label=move || t_string!(i18n, decision_signed_on).to_string()
                server_error=field_error(value, "signed_on") />
            <Field name="signer" autocomplete="off" label=move || t_string!(i18n, decision_signer).to_string()
                server_error=field_error(value, "signer") />
    }
}
