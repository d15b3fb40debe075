//! Files into a dossier: chunked, resumable uploads with a progress bar, for the
//! producer's documents and per-criterion evidence and the advisory team's reports.
use crate::i18n::*;
use leptos::prelude::*;

/// The slots of a list of document codes with their names in the page's language.
pub fn slots_of(i18n: leptos_i18n::I18nContext<Locale>, list: &[&str]) -> Vec<(String, String)> {
    list.iter()
        .map(|code| {
            (
                code.to_string(),
                crate::components::errors::term_text(i18n, "slot", code),
            )
        })
        .collect()
}

/// A file input for one of `slots` (Mẫu 02's checklist for the producer, the
/// advisory team's reports for the office), with a progress bar. `id_suffix`
/// keeps element ids unique when a page shows several.
#[component]
pub fn Uploader(
    product_id: String,
    /// (slot code, label); with one slot there is nothing to choose.
    slots: Vec<(String, String)>,
    #[prop(optional)] id_suffix: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let slot = RwSignal::new(
        slots
            .first()
            .map(|(code, _)| code.clone())
            .unwrap_or_default(),
    );
    let (slot_id, file_id) = (
        format!("upload-slot{id_suffix}"),
        format!("upload-file{id_suffix}"),
    );
    let single = slots.len() == 1;
    let (progress_id, error_id) = (
        format!("upload-progress{id_suffix}"),
        format!("upload-error{id_suffix}"),
    );
    let file_label = match (single, slots.first()) {
        (true, Some((_, label))) => label.clone(),
        _ => t_string!(i18n, evidence_file).to_string(),
    };
    let progress = RwSignal::new(None::<(u64, u64)>);
    let message = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::components::form::target_as;
            let Some(input) = target_as::<web_sys::HtmlInputElement>(&ev) else {
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
                    Err(error) => {
                        message.set(Some(crate::components::errors::error_text(i18n, &error)))
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &product_id);
    };
    view! {
        <div class="uploader">
            {(!single).then(|| view! {
                <div class="field">
                    <label for=slot_id.clone()>{t!(i18n, evidence_slot)}</label>
                    <select id=slot_id.clone() on:change=move |ev| slot.set(event_target_value(&ev))>
                        {slots.iter().map(|(code, label)| view! { <option value=code.clone()>{label.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for=file_id.clone()>{file_label}</label>
                <input id=file_id type="file" accept="application/pdf,image/jpeg,image/png,image/webp" on:change=on_change />
            </div>
            {move || progress.get().map(|(sent, total)| view! {
                <progress id=progress_id.clone() max=total.to_string() value=sent.to_string()></progress>
                <small>{format!(" {} / {} KB", sent / 1024, total / 1024)}</small>
            })}
            <p class="form-alert" role="alert" id=error_id hidden=move || message.get().is_none()>{move || message.get()}</p>
        </div>
    }
}

/// Chunked, resumable uploads from the browser.
#[cfg(feature = "hydrate")]
mod uploads {
    use crate::api::producer::start_upload;
    use crate::domain::evidence::{check_size, sniff};
    use crate::error::{AppError, Refusal};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    fn unreadable() -> AppError {
        AppError::invalid("file", Refusal::FileUnreadable)
    }

    async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, AppError> {
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| unreadable())?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    #[derive(serde::Deserialize)]
    struct Status {
        received: u64,
    }

    /// A chunk that did not arrive: `None` when the connection dropped (try
    /// again), or the server's refusal.
    async fn put(id: &str, offset: u64, chunk: Vec<u8>) -> Result<Status, Option<AppError>> {
        let body = js_sys::Uint8Array::from(chunk.as_slice());
        let response = gloo_net::http::Request::put(&format!("/tai-lieu/{id}?offset={offset}"))
            .body(body)
            .map_err(|e| Some(AppError::Transport(e.to_string())))?
            .send()
            .await
            .map_err(|_| None)?;
        let status = response.status();
        if status == 200 || status == 409 {
            return response.json::<Status>().await.map_err(|_| None);
        }
        let text = response.text().await.unwrap_or_default();
        Err(Some(
            serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Transport(text)),
        ))
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
    ) -> Result<(), AppError> {
        let size = file.size() as u64;
        check_size(size, 0).map_err(|refusal| AppError::invalid("file", refusal))?;
        let head_blob = file
            .slice_with_f64_and_f64(0.0, 16.0)
            .map_err(|_| unreadable())?;
        if sniff(&bytes_of(&head_blob).await?).is_none() {
            return Err(AppError::invalid("file", Refusal::FileKind));
        }
        let ticket = start_upload(crate::api::producer::UploadAsked {
            product_id: product_id.to_string(),
            slot: slot.to_string(),
            file_name: file.name(),
            size,
        })
        .await?;
        let mut offset = 0_u64;
        let mut failures = 0;
        progress.set(Some((0, size)));
        while offset < size {
            let end = (offset + ticket.chunk_bytes).min(size);
            let blob = file
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(|_| unreadable())?;
            let chunk = bytes_of(blob.unchecked_ref()).await?;
            match put(&ticket.id, offset, chunk).await {
                Ok(status) => {
                    offset = status.received;
                    failures = 0;
                    progress.set(Some((offset, size)));
                }
                Err(Some(refused)) => return Err(refused),
                Err(None) => {
                    failures += 1;
                    if failures > 30 {
                        return Err(AppError::invalid("file", Refusal::ConnectionLostTooLong));
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
