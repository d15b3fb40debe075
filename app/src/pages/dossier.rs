//! `/ho-so/{id}`: one product's dossier on a phone. The self-assessment is computed in
//! the browser by the shared model; every tick is kept on the phone at once and sent
//! to the server when online. Evidence goes up in chunks that resume after a drop.
use super::try_it::{Choices, SelfAssessment};
use crate::api::producer::{get_dossier, DossierView, SubmitDossier};
use crate::domain::date::format_vietnam_time;
use crate::domain::dossier::StoredAnswers;
use crate::domain::evidence::{ADVISORY_SLOTS, DOCUMENT_SLOTS};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
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
    let params = use_params_map();
    let product_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let submit = ServerAction::<SubmitDossier>::new();
    let dossier = Resource::new(
        move || (product_id.get(), submit.version().get()),
        |(id, _)| get_dossier(id),
    );
    let submit_error = move || match submit.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match dossier.await {
                    Ok(dossier) => view! { <Dossier dossier submit /> }.into_any(),
                    Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <p class="form-alert" role="alert" hidden=move || submit_error().is_none()>{submit_error}</p>
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
        .find(|e| e.slot == "product_photo" && e.stored)
        .map(|e| format!("/tai-lieu/{}/tep", e.id));
    let submit_id = product_id.clone();
    view! {
        <h1>{product.name.clone()}</h1>
        <p class="muted">{format!("{} · bộ sản phẩm số {} · {}", dossier.subject_name, product.product_set, product.kind.label_vi())}</p>
        <p>
            <strong id="dossier-state" data-state=product.state.as_str()>{super::commune_register::dossier_state_label(i18n, product.state)}</strong>
            {(product.version > 0).then(|| format!(" · phiên bản {}", product.version))}
        </p>
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
                    " · "<span>{event.note}</span>
                    {event.deadline.map(|d| view! { <span>{format!(" · hạn {d}")}</span> })}
                </li>
            }).collect_view()}
        </ol>
        <h2>{t!(i18n, evidence_heading)}</h2>
        <ul class="evidence" id="evidence-list">
            {evidence.into_iter().map(|e| view! {
                <li data-stored=e.stored.to_string()>
                    <a href=format!("/tai-lieu/{}/tep", e.id) rel="external">{e.file_name}</a>
                    <small>{format!(" · {} · {} KB", slot_label(&e.slot), (e.size + 1023) / 1024)}</small>
                </li>
            }).collect_view()}
        </ul>
        {editable.then(|| view! { <Uploader product_id=product_id.clone() slots=&DOCUMENT_SLOTS /> })}
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
        })}
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match scorecard.await {
                    // A dossier past submission is read, not ticked: the inputs are disabled.
                    Ok((set, profile)) => view! {
                        <fieldset class="plain" id="self-assessment" disabled=!editable>
                            <SelfAssessment set profile choices />
                        </fieldset>
                    }.into_any(),
                    Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub(crate) fn slot_label(slot: &str) -> String {
    DOCUMENT_SLOTS
        .iter()
        .chain(ADVISORY_SLOTS.iter())
        .find(|(code, _)| *code == slot)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| slot.replace("criterion:", "tiêu chí "))
}

/// A file input for one of `slots` (Mẫu 02's checklist for the producer, the
/// advisory team's reports for the office), with a progress bar. `id_suffix`
/// keeps element ids unique when a page shows several.
#[component]
pub fn Uploader(
    product_id: String,
    slots: &'static [(&'static str, &'static str)],
    #[prop(optional)] id_suffix: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let slot = RwSignal::new(
        slots
            .first()
            .map(|(code, _)| code.to_string())
            .unwrap_or_default(),
    );
    let (slot_id, file_id) = (
        format!("upload-slot{id_suffix}"),
        format!("upload-file{id_suffix}"),
    );
    let progress = RwSignal::new(None::<(u64, u64)>);
    let message = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let product_id = product_id.clone();
            let slot = slot.get_untracked();
            leptos::task::spawn_local(async move {
                message.set(None);
                match uploads::send(&product_id, &slot, &file, progress).await {
                    Ok(()) => {
                        // Reload the dossier: the new file is listed from the server.
                        let _ = window().location().reload();
                    }
                    Err(error) => message.set(Some(error)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &product_id);
    };
    view! {
        <div class="uploader">
            <div class="field">
                <label for=slot_id.clone()>{t!(i18n, evidence_slot)}</label>
                <select id=slot_id on:change=move |ev| slot.set(event_target_value(&ev))>
                    {slots.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=file_id.clone()>{t!(i18n, evidence_file)}</label>
                <input id=file_id type="file" accept="application/pdf,image/jpeg,image/png,image/webp" on:change=on_change />
            </div>
            {move || progress.get().map(|(sent, total)| view! {
                <progress id="upload-progress" max=total.to_string() value=sent.to_string()></progress>
                <small>{format!(" {} / {} KB", sent / 1024, total / 1024)}</small>
            })}
            <p class="form-alert" role="alert" id="upload-error" hidden=move || message.get().is_none()>{move || message.get()}</p>
        </div>
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
                    product_id: product_id.clone(),
                    answers,
                    revision: next,
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

/// Chunked, resumable uploads from the browser.
#[cfg(feature = "hydrate")]
mod uploads {
    use crate::api::producer::start_upload;
    use crate::domain::evidence::{check_size, sniff, WRONG_TYPE};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| "Không đọc được tệp.".to_string())?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    #[derive(serde::Deserialize)]
    struct Status {
        received: u64,
    }

    async fn put(id: &str, offset: u64, chunk: Vec<u8>) -> Result<(u16, Status), String> {
        let body = js_sys::Uint8Array::from(chunk.as_slice());
        let response = gloo_net::http::Request::put(&format!("/tai-lieu/{id}?offset={offset}"))
            .body(body)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "Mất kết nối".to_string())?;
        let status = response.status();
        if status == 200 || status == 409 {
            let parsed = response.json::<Status>().await.map_err(|e| e.to_string())?;
            return Ok((status, parsed));
        }
        let text = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<crate::error::AppError>(&text)
            .map(|e| e.to_string())
            .unwrap_or(text);
        Err(format!("!{message}"))
    }

    async fn received(id: &str) -> Option<u64> {
        let response = gloo_net::http::Request::get(&format!("/tai-lieu/{id}"))
            .send()
            .await
            .ok()?;
        response.json::<Status>().await.ok().map(|s| s.received)
    }

    async fn pause(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
    }

    /// Checks the file as the server will, then sends it chunk by chunk; after a
    /// dropped connection it asks the server how much arrived and goes on from there.
    pub async fn send(
        product_id: &str,
        slot: &str,
        file: &web_sys::File,
        progress: RwSignal<Option<(u64, u64)>>,
    ) -> Result<(), String> {
        let size = file.size() as u64;
        check_size(size, 0)?;
        let head_blob = file
            .slice_with_f64_and_f64(0.0, 16.0)
            .map_err(|_| "Không đọc được tệp.")?;
        if sniff(&bytes_of(&head_blob).await?).is_none() {
            return Err(WRONG_TYPE.to_string());
        }
        let ticket = start_upload(product_id.to_string(), slot.to_string(), file.name(), size)
            .await
            .map_err(|e| e.to_string())?;
        let mut offset = 0_u64;
        let mut failures = 0;
        progress.set(Some((0, size)));
        while offset < size {
            let end = (offset + ticket.chunk_bytes).min(size);
            let blob = file
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(|_| "Không đọc được tệp.")?;
            let chunk = bytes_of(blob.unchecked_ref()).await?;
            match put(&ticket.id, offset, chunk).await {
                Ok((_, status)) => {
                    offset = status.received;
                    failures = 0;
                    progress.set(Some((offset, size)));
                }
                Err(message) if message.starts_with('!') => return Err(message[1..].to_string()),
                Err(_) => {
                    failures += 1;
                    if failures > 30 {
                        return Err("Mất kết nối quá lâu. Chọn lại tệp để tải tiếp.".into());
                    }
                    pause(2000).await;
                    if let Some(received) = received(&ticket.id).await {
                        offset = received;
                    }
                }
            }
        }
        Ok(())
    }
}
