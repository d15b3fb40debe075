//! `/ho-so/{id}`: one product's dossier on a phone. The self-assessment is computed in
//! the browser by the shared model; every tick is kept on the phone at once and sent
//! to the server when online. Evidence goes up in chunks that resume after a drop.
use super::try_it::{BesideCriterion, Choices, SelfAssessment};
use super::uploader::{slots_of, Uploader};
use crate::api::producer::{get_dossier, DossierView, SubmitDossier};
use crate::domain::date::format_vietnam_time;
use crate::domain::dossier::StoredAnswers;
use crate::domain::evidence::DOCUMENT_SLOTS;

use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use sao_scoring::{CriterionCode, OptionIndex};

fn to_choices(answers: &StoredAnswers) -> Choices {
    answers
        .iter()
        .filter_map(|(code, choice)| {
            CriterionCode::parse(code)
                .ok()
                .map(|code| (code, choice.map(OptionIndex)))
        })
        .collect()
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn to_answers(choices: &Choices) -> StoredAnswers {
    choices
        .iter()
        .map(|(code, choice)| (code.to_string(), choice.map(|o| o.0)))
        .collect()
}

/// Where the draft stands, shown under the total.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum SaveState {
    Saved,
    OnPhoneOnly,
    Sending,
}

#[component]
pub fn DossierPage() -> impl IntoView {
    let i18n = use_i18n();
    let product_id = crate::components::route::path_id();
    let submit = ServerAction::<SubmitDossier>::new();
    let dossier = Resource::new(
        move || (product_id.get(), submit.version().get()),
        |(id, _)| get_dossier(id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match dossier.await {
                    Ok(dossier) => view! { <Dossier dossier submit /> }.into_any(),
                    Err(error) => crate::components::errors::error_alert(i18n, &error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dossier(dossier: DossierView, submit: ServerAction<SubmitDossier>) -> impl IntoView {
    let i18n = use_i18n();
    let product = dossier.product.clone();
    let editable = product.state.editable();
    let product_id = product.id.clone();
    let set_number = product.product_set;
    let rule_set = product.rule_set.clone();
    let scorecard = Resource::new(
        move || (),
        move |_| {
            let rule_set = rule_set.clone();
            async move { super::scorecard_of(&rule_set, set_number).await }
        },
    );
    let choices = RwSignal::new(to_choices(&dossier.answers));
    let save_state = RwSignal::new(SaveState::Saved);
    drafts::keep(
        product_id.clone(),
        dossier.revision,
        choices,
        save_state,
        editable,
    );
    let evidence = dossier.evidence.clone();
    let photo = dossier
        .evidence
        .iter()
        .find(|e| e.slot == crate::domain::evidence::PHOTO_SLOT && e.stored)
        .map(|e| format!("/tai-lieu/{}/tep", e.id));
    let submit_id = product_id.clone();
    // Shown beside the button: a missing line of Mẫu 01/02 names itself.
    let submit_error = move || match submit.value().get() {
        Some(Err(error)) => Some(crate::components::errors::error_text(i18n, &error)),
        _ => None,
    };
    let beside = criterion_evidence(i18n, &dossier, editable);
    view! {
        <h1>{product.name.clone()}</h1>
        <p class="muted">{format!("{} · {} · {}", dossier.subject_name, t_string!(i18n, product_set_long, number = product.product_set), product.kind.label(crate::components::errors::lang(i18n)))}</p>
        <p>
            <strong id="dossier-state" data-state=product.state.as_str()>{super::commune_register::dossier_state_label(i18n, product.state)}</strong>
            {(product.version > 0).then(|| format!(" · {}", t_string!(i18n, version_short, version = product.version)))}
        </p>
        <super::result::ProductResultCard product_id=product_id.clone() />
        {dossier.receipt_number.clone().map(|number| view! {
            <p id="receipt-number">{t!(i18n, receipt_number)}" "<strong>{number}</strong></p>
        })}
        <ReportLinks product_id=product_id.clone() missing=dossier.report_missing />
        {photo.map(|src| view! { <img class="product-photo" src=src alt=product.name.clone() /> })}
        <p class="no-print">
            <button type="button" class="button secondary" id="print-summary" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                let _ = window().print();
            }>{t!(i18n, print_summary)}</button>
        </p>
        <h2>{t!(i18n, timeline_heading)}</h2>
        <ol class="timeline" id="timeline">
            {dossier.timeline.into_iter().map(|event| view! {
                <li>
                    <time>{format_vietnam_time(event.at_ms)}</time>" · "<strong>{super::commune_register::dossier_state_label(i18n, event.state)}</strong>
                    " · "<span>{crate::domain::refusal::EventNote::show(&event.note, crate::components::errors::lang(i18n))}</span>
                    {event.deadline.map(|d| view! { <span>{format!(" · {}", t_string!(i18n, due_short, due = d))}</span> })}
                </li>
            }).collect_view()}
        </ol>
        <h2>{t!(i18n, evidence_heading)}</h2>
        <ul class="evidence" id="evidence-list">
            {evidence.into_iter().map(|e| view! {
                <li data-stored=e.stored.to_string()>
                    <a href=format!("/tai-lieu/{}/tep", e.id) rel="external">{e.file_name}</a>
                    <small>{format!(" · {} · {} KB", slot_label(i18n, &e.slot), (e.size + 1023) / 1024)}</small>
                </li>
            }).collect_view()}
        </ul>
        {editable.then(|| view! { <Uploader product_id=product_id.clone() slots=slots_of(i18n, &DOCUMENT_SLOTS) /> })}
        <h2>{t!(i18n, self_assessment_heading)}</h2>
        {(!editable).then(|| view! { <p class="form-done" id="read-only-reason">{t!(i18n, dossier_read_only)}</p> })}
        <p class="muted" id="save-state" hidden=!editable data-state=move || match save_state.get() {
            SaveState::Saved => "saved",
            SaveState::OnPhoneOnly => "local",
            SaveState::Sending => "sending",
        }>
            {move || match save_state.get() {
                SaveState::Saved => t_string!(i18n, draft_saved),
                SaveState::OnPhoneOnly => t_string!(i18n, draft_on_phone),
                SaveState::Sending => t_string!(i18n, draft_sending),
            }}
        </p>
        {editable.then(|| view! {
            <ActionForm action=submit attr:class="submit-dossier">
                <input type="hidden" name="product_id" value=submit_id.clone() />
                <button type="submit" class="button" id="submit-dossier" disabled=move || submit.pending().get()>
                    {t!(i18n, submit_dossier)}
                </button>
            </ActionForm>
            <p class="form-alert" role="alert" id="submit-error" hidden=move || submit_error().is_none()>{submit_error}</p>
        })}
        <Suspense fallback=Loading>
            {move || {
                let beside = beside.clone();
                Suspend::new(async move {
                match scorecard.await {
                    // A dossier past submission is read, not ticked: the inputs are disabled.
                    Ok((set, profile)) => view! {
                        <fieldset class="plain" id="self-assessment" disabled=!editable>
                            <SelfAssessment set profile choices beside />
                        </fieldset>
                    }.into_any(),
                    Err(error) => crate::components::errors::error_alert(i18n, &error),
                }
            })}}
        </Suspense>
    }
}

/// Mẫu 01 and 02: the page that writes them, how much is missing, the PDFs.
#[component]
fn ReportLinks(product_id: String, missing: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || missing;
    view! {
        <p id="report-link" data-missing=missing.to_string()>
            <A href=format!("/ho-so/{product_id}/mau-02")>{t!(i18n, report_link)}</A>
            " · "
            {if missing > 0 {
                view! { <strong>{t!(i18n, report_link_missing, count)}</strong> }.into_any()
            } else {
                view! { <span>{t!(i18n, report_link_complete)}</span> }.into_any()
            }}
        </p>
        <p class="no-print">
            <a href=format!("/ho-so/{product_id}/mau-01.pdf") rel="external" id="pdf-01">{t!(i18n, report_pdf_01)}</a>
            " · "
            <a href=format!("/ho-so/{product_id}/mau-02.pdf") rel="external" id="pdf-02">{t!(i18n, report_pdf_02)}</a>
        </p>
    }
}

/// Under each criterion: the files given as its evidence and, while the dossier
/// is editable, a file input for more (slot `criterion:<code>`).
fn criterion_evidence(
    i18n: leptos_i18n::I18nContext<Locale>,
    dossier: &DossierView,
    editable: bool,
) -> BesideCriterion {
    let product_id = dossier.product.id.clone();
    let evidence = dossier.evidence.clone();
    std::sync::Arc::new(move |code: &CriterionCode| {
        let slot = format!("criterion:{code}");
        let files: Vec<_> = evidence
            .iter()
            .filter(|e| e.slot == slot)
            .cloned()
            .collect();
        let suffix = format!("-c-{}", code.to_string().replace('.', "-"));
        let label = format!("{} {code}", t_string!(i18n, evidence_for_criterion));
        view! {
            <div class="criterion-evidence" data-criterion=code.to_string()>
                {(!files.is_empty()).then(|| view! {
                    <ul class="evidence">
                        {files.into_iter().map(|e| view! {
                            <li data-stored=e.stored.to_string()>
                                <a href=format!("/tai-lieu/{}/tep", e.id) rel="external">{e.file_name}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {editable.then(|| view! {
                    <details class="attach">
                        <summary>{t!(i18n, evidence_attach)}</summary>
                        <Uploader product_id=product_id.clone() slots=vec![(slot.clone(), label.clone())] id_suffix=suffix.clone() />
                    </details>
                })}
            </div>
        }
        .into_any()
    })
}

/// A slot's name in the page's language: a document, or `criterion:<code>`'s evidence.
pub(crate) fn slot_label(i18n: leptos_i18n::I18nContext<Locale>, slot: &str) -> String {
    match slot.strip_prefix("criterion:") {
        Some(code) => t_string!(i18n, criterion_short, code = code.to_string()).to_string(),
        None => crate::components::errors::term_text(i18n, "slot", slot),
    }
}

/// Drafts on the phone: every tick goes to localStorage at once, then to the server.
mod drafts {
    use super::*;

    #[cfg(feature = "hydrate")]
    fn key(product_id: &str) -> String {
        format!("sao.draft.{product_id}")
    }

    /// Starts from the newer of the phone's draft and the server's, then keeps both.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn keep(
        product_id: String,
        server_revision: i64,
        choices: RwSignal<Choices>,
        save_state: RwSignal<SaveState>,
        editable: bool,
    ) {
        #[cfg(feature = "hydrate")]
        {
            let storage = window().local_storage().ok().flatten();
            let local: Option<(i64, StoredAnswers)> = storage
                .as_ref()
                .and_then(|s| s.get_item(&key(&product_id)).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok());
            let revision = RwSignal::new(server_revision);
            if let Some((local_revision, answers)) = local {
                if local_revision > server_revision && editable {
                    revision.set(local_revision);
                    choices.set(to_choices(&answers));
                    save_state.set(SaveState::OnPhoneOnly);
                }
            }
            use crate::api::producer::SaveSelfAssessment;
            let save = ServerAction::<SaveSelfAssessment>::new();
            let first = std::cell::Cell::new(true);
            Effect::new(move |_| {
                let answers = choices.with(to_answers);
                // The first run only reads; a change bumps the revision.
                if first.replace(false) && save_state.get_untracked() != SaveState::OnPhoneOnly {
                    return;
                }
                if !editable {
                    return;
                }
                let next = revision.get_untracked() + 1;
                revision.set(next);
                if let Some(storage) = &storage {
                    let _ = storage.set_item(
                        &key(&product_id),
                        &serde_json::to_string(&(next, &answers)).unwrap_or_default(),
                    );
                }
                save_state.set(SaveState::Sending);
                save.dispatch(SaveSelfAssessment {
                    draft: crate::api::producer::SelfAssessmentDraft {
                        product_id: product_id.clone(),
                        answers,
                        revision: next,
                    },
                });
            });
            let saved = save.value();
            Effect::new(move |_| match saved.get() {
                Some(Ok(stored)) if stored >= revision.get_untracked() => {
                    save_state.set(SaveState::Saved)
                }
                Some(Err(_)) => save_state.set(SaveState::OnPhoneOnly),
                _ => {}
            });
        }
    }
}
