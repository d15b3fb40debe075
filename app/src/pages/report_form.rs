//! The programme report's form (issue 17): a scope and a period, as XLSX or PDF.
//! Before the WASM has loaded it is a plain GET form and the browser downloads
//! the file itself. Once hydrated, the page fetches the file and says how long
//! it has been working when that passes a second (a national report takes
//! several), then saves it; a refusal is shown beside the form.
use crate::components::form_card::FormCard;
use crate::i18n::*;
use crate::pages::plan::ScopeSelect;
use leptos::prelude::*;

/// Where a download stands.
#[derive(Debug, Clone, PartialEq)]
enum Fetching {
    Idle,
    /// Since this moment (the browser's clock, ms).
    Working(i64),
    /// Only the browser fetches, so only it fails.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    Failed(String),
}

/// The report form: the office's scopes, or (`None`) the whole country for the
/// ministry.
#[component]
pub fn ReportForm(
    scopes: Option<Resource<Result<Vec<crate::api::plan::ScopeChoice>, crate::error::AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let year =
        crate::domain::date::CalendarDate::of_ms_vietnam(crate::pages::office::js_now_ms()).year;
    let fetching = RwSignal::new(Fetching::Idle);
    let now = RwSignal::new(0_i64);
    let start = move |file: &'static str| {
        if matches!(fetching.get_untracked(), Fetching::Working(_)) {
            return;
        }
        let since = crate::pages::office::js_now_ms();
        now.set(since);
        fetching.set(Fetching::Working(since));
        #[cfg(not(feature = "hydrate"))]
        let _ = file;
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let ticker = set_interval_with_handle(
                move || now.set(crate::pages::office::js_now_ms()),
                std::time::Duration::from_millis(250),
            );
            let done = download::fetch_and_save(file).await;
            if let Ok(handle) = ticker {
                handle.clear();
            }
            fetching.set(match done {
                Ok(()) => Fetching::Idle,
                Err(error) => Fetching::Failed(crate::components::errors::error_text(i18n, &error)),
            });
        });
    };
    let status = move || match fetching.get() {
        Fetching::Working(since) => {
            let seconds = (now.get() - since) / 1000;
            (seconds >= 1)
                .then(|| {
                    view! {
                        <p id="report-progress" role="status">
                            <progress></progress>" "
                            {t_string!(i18n, report_working, seconds = seconds).to_string()}
                        </p>
                    }
                })
                .into_any()
        }
        Fetching::Failed(text) => {
            view! { <p id="report-error" class="field-error" role="alert">{text}</p> }.into_any()
        }
        Fetching::Idle => ().into_any(),
    };
    let busy = move || matches!(fetching.get(), Fetching::Working(_));
    view! {
        <FormCard id="report-form" summary=t!(i18n, report_heading)>
            <form method="get" action="/bao-cao/bao-cao.xlsx">
                <div class="field">
                    <label for="report-scope">{t!(i18n, plan_scope)}</label>
                    {match scopes {
                        Some(scopes) => view! { <ScopeSelect id="report-scope" scopes /> }.into_any(),
                        None => view! {
                            <select id="report-scope" name="scope">
                                <option value="national">{t!(i18n, report_national)}</option>
                            </select>
                        }.into_any(),
                    }}
                </div>
                <div class="field">
                    <label for="report-period">{t!(i18n, report_period)}</label>
                    <select id="report-period" name="period">
                        {(0..3).flat_map(|back| {
                            let y = year - back;
                            [
                                (y.to_string(), t_string!(i18n, report_year, year = y).to_string()),
                                (format!("{y}-2"), t_string!(i18n, report_second_half, year = y).to_string()),
                                (format!("{y}-1"), t_string!(i18n, report_first_half, year = y).to_string()),
                            ]
                        }).map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <p class="actions">
                    <button type="submit" class="button" id="report-xlsx" disabled=busy
                        on:click=move |ev| { ev.prevent_default(); start("bao-cao.xlsx") }>"XLSX"</button>
                    <button type="submit" class="button secondary" id="report-pdf" formaction="/bao-cao/bao-cao.pdf" formtarget="_blank" disabled=busy
                        on:click=move |ev| { ev.prevent_default(); start("bao-cao.pdf") }>"PDF"</button>
                </p>
                {status}
            </form>
        </FormCard>
    }
}

#[cfg(feature = "hydrate")]
mod download {
    use crate::error::AppError;
    use wasm_bindgen::JsCast;

    fn chosen(id: &str) -> String {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|select| select.value())
            .unwrap_or_default()
    }

    fn encode(value: &str) -> String {
        js_sys::encode_uri_component(value).into()
    }

    fn failed(what: impl std::fmt::Debug) -> AppError {
        AppError::Transport(format!("{what:?}"))
    }

    /// Fetches the report the form describes and saves it under its name.
    pub async fn fetch_and_save(file: &str) -> Result<(), AppError> {
        let (scope, period) = (chosen("report-scope"), chosen("report-period"));
        let url = format!(
            "/bao-cao/{file}?scope={}&period={}",
            encode(&scope),
            encode(&period)
        );
        let response = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(failed)?;
        if !response.ok() {
            let body = response.text().await.unwrap_or_default();
            return Err(serde_json::from_str::<AppError>(&body).unwrap_or_else(|_| failed(body)));
        }
        let bytes = response.binary().await.map_err(failed)?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(failed)?;
        let href = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
        let link = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            .ok_or_else(|| failed("no document"))?;
        link.set_href(&href);
        let (name, extension) = file.rsplit_once('.').unwrap_or((file, ""));
        link.set_download(&format!("{name}-{period}.{extension}"));
        link.click();
        // Freed once the browser has taken the file.
        leptos::prelude::set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&href);
            },
            std::time::Duration::from_secs(60),
        );
        Ok(())
    }
}
