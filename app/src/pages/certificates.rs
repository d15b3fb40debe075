//! The office's certificates (issue 16): the province's list, and each
//! certificate's file with its inspections (Điều 9) and its revocation (Điều 8).
use super::inspection::choice;
use crate::api::aftercare::{
    list_certificates, CertificateFile, InspectionLine, RevocationLine, RevokeCertificate,
};
use crate::components::certificate_status::status_text;
use crate::components::errors::term_text;
use crate::components::form::{error_besides, field_error, Field, FormAlert};
use crate::components::loading::Loading;
use crate::components::revocation::{ground_said, recorded_as};
use crate::domain::aftercare::RevocationGround;
use crate::domain::certificate::CertificateStatus;
use crate::domain::certificate_record::PublicCertificate;
use crate::i18n::*;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub fn OfficeCertificatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_certificates());
    view! {
        <h1>{t!(i18n, certificates_heading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, certificates_none)}</p> }.into_any(),
                    Ok(list) => certificate_list(i18n, list).into_any(),
                    Err(error) => view! { <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn certificate_list(i18n: I18n, list: Vec<PublicCertificate>) -> impl IntoView {
    let codes: Vec<String> = list.iter().map(|c| c.code.clone()).collect();
    let total = codes.len();
    let kept = RwSignal::new(None::<usize>);
    let keep = move |_| {
        kept.set(Some(0));
        super::inspection_queue::keep_for_offline(codes.clone(), move |n| kept.set(Some(n)));
    };
    let items = list
        .into_iter()
        .map(|c| {
            view! {
                <li class="certificate-item" data-status=c.status.key()>
                    <a href=super::inspection_queue::page_path(&c.code)><strong>{c.product_name}</strong></a>
                    <span>{format!(" · {} · {} · ", c.subject_name, "★".repeat(usize::from(c.stars)))}</span>
                    <code>{c.code}</code>
                    <span class="muted">{format!(" · {}", status_text(i18n.get_locale(), c.status))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="keep-offline">
            <button type="button" class="button secondary" id="keep-offline" on:click=keep>{t!(i18n, certificates_keep_offline)}</button>
            <span class="muted" role="status" id="kept-offline" data-kept=move || kept.get().unwrap_or(0).to_string()>
                {move || kept.get().map(|n| t_string!(i18n, certificates_kept_offline, kept = n, total = total).to_string())}
            </span>
        </p>
        <ul class="certificate-list" id="certificate-list">{items}</ul>
    }
}

#[component]
pub fn CertificateFilePage() -> impl IntoView {
    let i18n = use_i18n();
    let code = crate::components::route::path_id();
    let sent = RwSignal::new(0_u32);
    let revoke = ServerAction::<RevokeCertificate>::new();
    let file = Resource::new(
        move || (code.get(), sent.get(), revoke.version().get()),
        |(code, _, _)| super::inspection_queue::certificate_file(code),
    );
    view! {
        <p><a href="/van-phong/giay-chung-nhan">{t!(i18n, certificates_back)}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(file) => file_body(i18n, file, sent, revoke).into_any(),
                    Err(error) => view! { <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn file_body(
    i18n: I18n,
    file: CertificateFile,
    sent: RwSignal<u32>,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let c = file.certificate.clone();
    let in_force = !matches!(
        c.status,
        CertificateStatus::Revoked | CertificateStatus::Expired
    );
    let code = c.code.clone();
    view! {
        <h1>{c.product_name.clone()}</h1>
        <dl class="verify-facts" id="certificate-facts" data-status=c.status.key()>
            <dt>{t!(i18n, verify_code)}</dt><dd>{c.code.clone()}</dd>
            <dt>{t!(i18n, verify_subject)}</dt><dd>{c.subject_name.clone()}</dd>
            <dt>{t!(i18n, verify_stars)}</dt><dd class="verify-stars">{"★".repeat(usize::from(c.stars))}</dd>
            <dt>{t!(i18n, verify_issued)}</dt><dd>{c.issued_on.clone()}</dd>
            <dt>{t!(i18n, verify_valid_until)}</dt><dd>{c.valid_until.clone()}</dd>
            <dt>{t!(i18n, certificate_status)}</dt><dd>{status_text(i18n.get_locale(), c.status)}</dd>
        </dl>
        <section class="card" id="inspections">
            <h2>{t!(i18n, inspections_heading)}</h2>
            {inspection_list(i18n, file.inspections)}
            {in_force.then(|| view! {
                <super::inspection::InspectionForm code=code.clone() criteria=file.criteria.clone()
                    issued_iso=file.issued_iso.clone() sent />
            })}
        </section>
        <section class="card" id="revocation">
            <h2>{t!(i18n, revocation_heading)}</h2>
            {match file.revocation {
                Some(line) => revocation_said(i18n, &code, line).into_any(),
                None if c.stars >= 5 => view! { <p class="muted">{t!(i18n, revocation_five_star)}</p> }.into_any(),
                None if in_force => revocation_form(i18n, code.clone(), revoke).into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

fn inspection_list(i18n: I18n, lines: Vec<InspectionLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{t!(i18n, inspections_none)}</p> }.into_any();
    }
    let items = lines
        .into_iter()
        .map(|line| {
            let findings = line
                .findings
                .iter()
                .map(|f| view! { <li>{format!("{}: {}", f.criterion, f.note)}</li> })
                .collect_view();
            view! {
                <li class="inspection" data-outcome=line.outcome.clone()>
                    <strong>{format!("{} · {}", line.inspected_on, term_text(i18n, "inspection_kind", &line.kind))}</strong>
                    <span>{format!(" · {}: {} · {}: {}",
                        t_string!(i18n, inspection_mark_use), term_text(i18n, "mark_use", &line.mark_use),
                        t_string!(i18n, inspection_outcome), term_text(i18n, "inspection_outcome", &line.outcome))}</span>
                    <ul>{findings}</ul>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="inspection-list" id="inspection-list">{items}</ul> }.into_any()
}

fn revocation_form(
    i18n: I18n,
    code: String,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let value = revoke.value();
    const FIELDS: [&str; 6] = [
        "ground",
        "detail",
        "found_on",
        "number",
        "signed_on",
        "signer",
    ];
    view! {
        <p class="muted">{t!(i18n, revocation_hint)}</p>
        <ActionForm action=revoke attr:id="revocation-form">
            <input type="hidden" name="code" value=code />
            {choice(i18n, "ground", t_string!(i18n, revocation_ground).to_string(), "ground",
                RevocationGround::ALL.iter().map(|g| g.code()).collect())}
            <Field name="detail" label=move || t_string!(i18n, revocation_detail).to_string()
                server_error=field_error(value, "detail") />
            <Field name="found_on" kind="date" label=move || t_string!(i18n, revocation_found_on).to_string()
                server_error=field_error(value, "found_on") />
            {super::decision::signed_decision_fields(value)}
            <FormAlert message=error_besides(value, &FIELDS) />
            <button type="submit" class="button danger" id="record-revocation">{t!(i18n, revocation_record)}</button>
        </ActionForm>
    }
}

fn revocation_said(i18n: I18n, code: &str, line: RevocationLine) -> impl IntoView {
    let decision = line.decision;
    view! {
        <p id="revocation-recorded" data-ground=decision.ground.clone()>{recorded_as(i18n, &decision)}</p>
        <p>{ground_said(i18n, &decision)}</p>
        <p class="muted">{decision.detail.clone()}</p>
        <p class="muted">{t_string!(i18n, revocation_due, due = line.due.clone())}
            {line.late.then(|| view! { <strong>{format!(" {}", t_string!(i18n, revocation_late))}</strong> })}</p>
        <p><a class="button secondary" id="revocation-pdf" href=format!("/quyet-dinh-thu-hoi/{code}.pdf")>{t!(i18n, revocation_pdf)}</a></p>
    }
}
