//! `/xac-minh/<code>`: what a certificate's QR code opens. Anyone, no sign-in: the
//! product, its producer, its stars and whether the certificate holds today.
use crate::api::certificates::{verify_certificate, PublicCertificate};
use crate::components::certificate_status::status_text;
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let found = Resource::new(move || code.get(), verify_certificate);
    view! {
        <section class="verify">
            <h1>{t!(i18n, verify_heading)}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(certificate)) => view! { <Certificate certificate /> }.into_any(),
                        Ok(None) => view! {
                            <p class="verify-status" data-status="unknown" role="alert">
                                {t!(i18n, verify_unknown)}
                            </p>
                        }.into_any(),
                        Err(error) => view! {
                            <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Certificate(certificate: PublicCertificate) -> impl IntoView {
    let i18n = use_i18n();
    let status = certificate.status;
    let said = move || status_text(i18n.get_locale(), status);
    let stars = "★".repeat(usize::from(certificate.stars));
    let revoked = certificate.revoked_on.clone();
    view! {
        <p class="verify-status" data-status=status.key()>{said}</p>
        <dl class="verify-facts">
            <dt>{t!(i18n, verify_product)}</dt>
            <dd>{certificate.product_name}</dd>
            <dt>{t!(i18n, verify_subject)}</dt>
            <dd>{certificate.subject_name}</dd>
            <dt>{t!(i18n, verify_stars)}</dt>
            <dd class="verify-stars" aria-label=certificate.stars.to_string()>{stars}</dd>
            <dt>{t!(i18n, verify_code)}</dt>
            <dd>{certificate.code}</dd>
            <dt>{t!(i18n, verify_issued)}</dt>
            <dd>{certificate.issued_on}</dd>
            <dt>{t!(i18n, verify_valid_until)}</dt>
            <dd>{certificate.valid_until}</dd>
            {revoked.map(|day| view! {
                <dt>{t!(i18n, verify_revoked_on)}</dt>
                <dd>{day}</dd>
            })}
        </dl>
    }
}
