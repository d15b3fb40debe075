//! The council member's tablet: `/cham-diem` lists the products they score;
//! `/cham-diem/{product}` is the sheet. Every tick becomes a change written to the
//! tablet's storage first (with its own id and stamp); a background loop sends
//! waiting changes to `council/sync` whenever the server answers, and the page
//! shows how many are waiting. The sheet is the replay of the changes
//! (`domain::sheet_sync`), the same code the server runs.
use super::try_it::{Choices, SelfAssessment};
use crate::api::council::{council_products, MemberProduct};
use crate::api::rules::{load_index, load_product_set};
use crate::domain::sheet_sync::SheetEdit;
#[cfg(feature = "hydrate")]
use crate::domain::sheet_sync::{SheetChange, SheetState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

/// `/cham-diem`: my products in my rounds (kept on the tablet for offline use).
#[component]
pub fn TabletListPage() -> impl IntoView {
    let i18n = use_i18n();
    let products = Resource::new(|| (), |_| async { packet::products().await });
    view! {
        <h1>{t!(i18n, tablet_heading)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <ul class="card-list" id="my-products">
                            {list.into_iter().map(|p| view! {
                                <li data-product=p.product_id.clone()>
                                    <a href=format!("/cham-diem/{}", p.product_id)>{p.product_name}</a>
                                    <small>{format!(" · {}", p.round_name)}</small>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => super::admin_users::denied(i18n, error),
                }
            })}
        </Suspense>
    }
}

/// `/cham-diem/{product}`: the member's sheet, offline first.
#[component]
pub fn TabletSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let product_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let loaded = Resource::new(
        move || (),
        move |_| {
            let product_id = product_id.clone();
            async move {
                let mine = packet::products()
                    .await?
                    .into_iter()
                    .find(|p| p.product_id == product_id)
                    .ok_or_else(|| crate::error::AppError::NotFound("sản phẩm".into()))?;
                let index = load_index(&mine.rule_set).await?;
                let set = load_product_set(&mine.rule_set, mine.product_set).await?;
                Ok::<_, crate::error::AppError>((mine, Arc::new(set), Arc::new(index.profile)))
            }
        },
    );
    let waiting = RwSignal::new(0_usize);
    let submitted = RwSignal::new(false);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let (mine, set, profile) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return super::admin_users::denied(i18n, error),
                };
                let choices = RwSignal::new(Choices::new());
                queue::start(&mine, choices, waiting, submitted);
                let submit_for = mine.clone();
                view! {
                    <h1>{mine.product_name.clone()}</h1>
                    <p class="muted" id="waiting" data-waiting=move || waiting.get().to_string()>
                        {move || match waiting.get() {
                            0 => t_string!(i18n, tablet_all_sent).to_string(),
                            n => format!("{} {n}", t_string!(i18n, tablet_waiting)),
                        }}
                    </p>
                    <SelfAssessment set profile choices />
                    <p class="actions">
                        <button type="button" class="button" id="submit-sheet"
                            disabled=move || submitted.get()
                            on:click=move |_| queue::record(&submit_for, SheetEdit::Submit, waiting, submitted)>
                            {move || if submitted.get() { t_string!(i18n, tablet_submitted) } else { t_string!(i18n, tablet_submit) }}
                        </button>
                    </p>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The session packet: the member's products, fetched when online and kept on the
/// tablet so the pages open with the network off.
mod packet {
    use super::*;

    #[cfg(feature = "hydrate")]
    const KEY: &str = "sao.council.products";

    pub async fn products() -> Result<Vec<MemberProduct>, crate::error::AppError> {
        match council_products().await {
            Ok(list) => {
                #[cfg(feature = "hydrate")]
                if let Some(storage) = window().local_storage().ok().flatten() {
                    let _ =
                        storage.set_item(KEY, &serde_json::to_string(&list).unwrap_or_default());
                }
                Ok(list)
            }
            Err(error) => {
                #[cfg(feature = "hydrate")]
                if let Some(list) = window()
                    .local_storage()
                    .ok()
                    .flatten()
                    .and_then(|s| s.get_item(KEY).ok().flatten())
                    .and_then(|text| serde_json::from_str(&text).ok())
                {
                    return Ok(list);
                }
                Err(error)
            }
        }
    }
}

/// The tablet's changes: every edit is stored first, then sent until acknowledged.
mod queue {
    use super::*;

    #[cfg(feature = "hydrate")]
    mod store {
        use super::*;
        const CHANGES: &str = "sao.council.changes";
        const WAITING: &str = "sao.council.waiting";
        const DEVICE: &str = "sao.council.device";
        const CLOCK: &str = "sao.council.clock";

        fn storage() -> Option<web_sys::Storage> {
            window().local_storage().ok().flatten()
        }

        pub fn read(key: &str) -> Vec<SheetChange> {
            storage()
                .and_then(|s| s.get_item(key).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default()
        }

        pub fn write(key: &str, changes: &[SheetChange]) {
            if let Some(s) = storage() {
                let _ = s.set_item(key, &serde_json::to_string(changes).unwrap_or_default());
            }
        }

        pub fn all() -> Vec<SheetChange> {
            read(CHANGES)
        }

        pub fn waiting() -> Vec<SheetChange> {
            read(WAITING)
        }

        pub fn set_waiting(changes: &[SheetChange]) {
            write(WAITING, changes)
        }

        /// Keeps a new change in both lists (the sheet's history and the outbox).
        pub fn push(change: SheetChange) {
            let mut all = read(CHANGES);
            all.push(change.clone());
            write(CHANGES, &all);
            let mut waiting = read(WAITING);
            waiting.push(change);
            write(WAITING, &waiting);
        }

        fn random_id() -> String {
            format!(
                "{:08x}{:08x}",
                (js_sys::Math::random() * 4_294_967_296.0) as u64,
                (js_sys::Math::random() * 4_294_967_296.0) as u64
            )
        }

        pub fn device() -> String {
            let Some(s) = storage() else {
                return random_id();
            };
            if let Some(id) = s.get_item(DEVICE).ok().flatten() {
                return id;
            }
            let id = format!("tablet-{}", random_id());
            let _ = s.set_item(DEVICE, &id);
            id
        }

        /// The next stamp time and sequence: never behind the last change.
        pub fn tick() -> (i64, u64) {
            let last: (i64, u64) = storage()
                .and_then(|s| s.get_item(CLOCK).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or((0, 0));
            let now = js_sys::Date::now() as i64;
            let next = (now.max(last.0 + 1), last.1 + 1);
            if let Some(s) = storage() {
                let _ = s.set_item(CLOCK, &serde_json::to_string(&next).unwrap_or_default());
            }
            next
        }

        pub fn new_id() -> String {
            format!("{}-{}", device(), random_id())
        }
    }

    /// Records one edit of `mine`'s sheet on the tablet.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn record(
        mine: &MemberProduct,
        edit: SheetEdit,
        waiting: RwSignal<usize>,
        submitted: RwSignal<bool>,
    ) {
        #[cfg(feature = "hydrate")]
        {
            if edit == SheetEdit::Submit {
                submitted.set(true);
            }
            let (device_ms, seq) = store::tick();
            store::push(SheetChange {
                change_id: store::new_id(),
                member_id: mine.member_id.clone(),
                product_id: mine.product_id.clone(),
                stamp: crate::domain::sheet_sync::Stamp {
                    device_ms,
                    device_id: store::device(),
                    seq,
                },
                edit,
            });
            waiting.set(store::waiting().len());
        }
    }

    /// Restores the sheet from the tablet, records each new tick, and keeps sending.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn start(
        mine: &MemberProduct,
        choices: RwSignal<Choices>,
        waiting: RwSignal<usize>,
        submitted: RwSignal<bool>,
    ) {
        #[cfg(feature = "hydrate")]
        {
            use sao_scoring::{CriterionCode, OptionIndex};
            let own: Vec<SheetChange> = store::all()
                .into_iter()
                .filter(|c| c.member_id == mine.member_id && c.product_id == mine.product_id)
                .collect();
            let sheet = SheetState::replay(&own);
            let restored: Choices = sheet
                .choices()
                .into_iter()
                .filter_map(|(code, option)| {
                    Some((CriterionCode::parse(&code).ok()?, option.map(OptionIndex)))
                })
                .collect();
            // Restored after hydration (the server rendered an empty sheet): the
            // first run only puts the tablet's sheet back; later runs record ticks.
            let last = std::cell::RefCell::new(None::<Choices>);
            let mine = mine.clone();
            Effect::new(move |_| {
                let now = choices.get();
                let Some(before) = last.replace(Some(now.clone())) else {
                    last.replace(Some(restored.clone()));
                    choices.set(restored.clone());
                    submitted.set(sheet.submitted.is_some());
                    waiting.set(store::waiting().len());
                    return;
                };
                for (code, option) in &now {
                    if before.get(code) != Some(option) {
                        record(
                            &mine,
                            SheetEdit::Answer {
                                criterion: code.to_string(),
                                option: option.map(|o| o.0),
                            },
                            waiting,
                            submitted,
                        );
                    }
                }
            });
            leptos::task::spawn_local(async move {
                loop {
                    let outbox = store::waiting();
                    if !outbox.is_empty() {
                        let batch: Vec<SheetChange> = outbox.iter().take(50).cloned().collect();
                        if let Ok(receipt) = crate::api::council::council_sync(batch).await {
                            let done: std::collections::BTreeSet<String> = receipt
                                .stored
                                .into_iter()
                                .chain(receipt.refused.into_iter().map(|(id, _)| id))
                                .collect();
                            let left: Vec<SheetChange> = store::waiting()
                                .into_iter()
                                .filter(|c| !done.contains(&c.change_id))
                                .collect();
                            store::set_waiting(&left);
                            waiting.set(left.len());
                            continue;
                        }
                    }
                    gloo_timers_sleep(2_000).await;
                }
            });
        }
    }

    #[cfg(feature = "hydrate")]
    async fn gloo_timers_sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
