//! The producer's view of a product's result once the decision is published
//! (issue 16): the decision, the mean score, the stars, the certificate with its
//! code, dates and download, when re-evaluation may be filed, and the
//! certificate's inspections and revocation.
use crate::api::decisions::{get_product_result, DecisionOutcome, ProductResult};
use crate::components::errors::term_text;
use crate::components::revocation::{ground_said, recorded_as};
use crate::i18n::*;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn ProductResultCard(product_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let found = Resource::new(move || product_id.clone(), get_product_result);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                found.await.ok().flatten().map(|result| result_card(i18n, result))
            })}
        </Suspense>
    }
}

fn result_card(i18n: I18n, result: ProductResult) -> impl IntoView {
    let said = match &result.outcome {
        DecisionOutcome::Recognised { stars } => {
            t_string!(i18n, result_recognised, stars = *stars).to_string()
        }
        DecisionOutcome::Forwarded { to } => {
            t_string!(i18n, result_forwarded, to = to.clone()).to_string()
        }
        DecisionOutcome::Returned { to } => {
            t_string!(i18n, result_returned, to = to.clone()).to_string()
        }
        DecisionOutcome::NotRecognised => t_string!(i18n, result_not_recognised).to_string(),
    };
    let stars = result.outcome.stars().unwrap_or(0);
    view! {
        <section class="card result" id="product-result" data-outcome=result.outcome.code() data-stars=stars.to_string()>
            <h2>{t!(i18n, result_heading)}</h2>
            // A revoked certificate says so first, before the stars it no longer carries.
            {result.revocation.clone().map(|line| {
                let code = result.certificate.as_ref().map(|c| c.code.clone()).unwrap_or_default();
                view! {
                    <p class="form-alert" id="result-revoked">
                        {recorded_as(i18n, &line.decision)}
                        " "{ground_said(i18n, &line.decision)}
                    </p>
                    <p><a class="button secondary" id="revocation-pdf" href=format!("/quyet-dinh-thu-hoi/{code}.pdf")>{t!(i18n, revocation_pdf)}</a></p>
                }
            })}
            <p class="result-stars" aria-hidden="true">{"★".repeat(usize::from(stars))}</p>
            <p><strong>{said}</strong></p>
            <p class="muted">
                {t_string!(i18n, result_decision, number = result.decision_number.clone(), date = result.signed_on.clone(), mean = result.mean.clone())}
            </p>
            {result.certificate.map(|certificate| {
                let code = certificate.code.clone();
                view! {
                    <p id="certificate-code">
                        {t_string!(i18n, result_certificate, code = code.clone(), until = certificate.valid_until.clone())}
                    </p>
                    {result.window.map(|(opens, closes)| view! {
                        <p class="muted">{t_string!(i18n, result_window, opens = opens, closes = closes)}</p>
                    })}
                    <p class="actions">
                        <a class="button" id="certificate-pdf" href=format!("/giay-chung-nhan/{code}.pdf") download>{t!(i18n, result_download)}</a>
                        <a class="button secondary" href=format!("/xac-minh/{code}")>{t!(i18n, result_verify)}</a>
                    </p>
                    {(!result.inspections.is_empty()).then(|| view! {
                        <h3>{t!(i18n, inspections_heading)}</h3>
                        <ul class="inspection-list" id="result-inspections">
                            {result.inspections.into_iter().map(|line| view! {
                                <li data-outcome=line.outcome.clone()>
                                    {format!("{} · {} · {}", line.inspected_on,
                                        term_text(i18n, "inspection_kind", &line.kind),
                                        term_text(i18n, "inspection_outcome", &line.outcome))}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                }
            })}
        </section>
    }
}
