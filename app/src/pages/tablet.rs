//! The council member's tablet: `/cham-diem` lists the products they score, with
//! their progress; `/cham-diem/{product}` is the sheet beside the dossier. Every
//! tick, note and knock-out flag becomes a change written to the tablet's storage
//! first (with its own id and stamp); a background loop sends waiting changes to
//! `council/sync` whenever the server answers, and the page shows how many are
//! waiting. The sheet is the replay of the changes (`domain::sheet_sync`), the
//! same code the server runs, with the chair's re-score requests among them.
use super::try_it::{BesideCriterion, Choices, SelfAssessment};
use crate::api::council::{MemberDossier, MemberProduct};
use crate::domain::sheet_sync::SheetEdit;
#[cfg(feature = "hydrate")]
use crate::domain::sheet_sync::{SheetChange, SheetState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use sao_scoring::{CriterionCode, OptionIndex, Scorecard};
use std::collections::BTreeMap;
use std::sync::Arc;

fn progress_label(i18n: leptos_i18n::I18nContext<Locale>, state: &str) -> String {
    match state {
        "submitted" => t_string!(i18n, tablet_state_submitted),
        "draft" => t_string!(i18n, tablet_state_draft),
        "rescore" => t_string!(i18n, tablet_state_rescore),
        _ => t_string!(i18n, tablet_state_not_started),
    }
    .to_string()
}

/// `/cham-diem`: my products in my rounds (kept on the tablet for offline use),
/// each with its progress: the tablet's own when it holds changes for it.
#[component]
pub fn TabletListPage() -> impl IntoView {
    let i18n = use_i18n();
    let products = Resource::new(|| (), |_| async { packet::products().await });
    // Opening the list downloads the session packet: the list, and for each
    // product its sheet page, scorecard, dossier and files.
    Effect::new(move |_| {
        if let Some(Ok(list)) = products.get() {
            packet::keep_products(&list);
            packet::download(list);
        }
    });
    // Council work this member kept on the device at an earlier log-out comes back.
    let session = crate::components::session::use_session();
    Effect::new(move |_| {
        if let Some(Ok(Some(user))) = session.user.get() {
            crate::components::device::restore_kept(&user.user_id);
        }
    });
    // The rounds this member chairs: their consoles.
    let chaired = Resource::new(|| (), |_| crate::api::desk::desk());
    view! {
        <h1>{t!(i18n, tablet_heading)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let consoles: Vec<_> = chaired
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|card| card.kind == crate::api::desk::DeskKind::Chair)
                    .collect();
                (!consoles.is_empty()).then(|| view! {
                    <p class="actions" id="chair-consoles">
                        {consoles.into_iter().map(|card| view! {
                            <a class="button secondary" href=card.link>
                                {t!(i18n, desk_chair)} ": " {card.label}
                            </a>
                        }).collect_view()}
                    </p>
                })
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <ul class="card-list" id="my-products">
                            {list.into_iter().map(|p| {
                                // The server's view first; the tablet's after hydration.
                                let state = RwSignal::new(p.state.clone());
                                let mine = p.clone();
                                Effect::new(move |_| {
                                    if let Some(local) = queue::local_progress(&mine) {
                                        state.set(local.to_string());
                                    }
                                });
                                view! {
                                    <li data-product=p.product_id.clone()>
                                        <a href=format!("/cham-diem/{}", p.product_id)>{p.product_name}</a>
                                        <small>{format!(" · {}", p.round_name)}</small>
                                        " "
                                        <span class="progress" data-state=move || state.get()>
                                            {move || progress_label(i18n, &state.get())}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => super::admin_users::denied(i18n, error),
                }
            })}
        </Suspense>
    }
}

/// The member's edits of one sheet besides the ticks, as the page shows them.
#[derive(Clone, Copy)]
struct SheetSignals {
    choices: RwSignal<Choices>,
    notes: RwSignal<BTreeMap<String, String>>,
    knockouts: RwSignal<BTreeMap<String, bool>>,
    /// The chair's open request to score again (its reason).
    reopened: RwSignal<Option<String>>,
    waiting: RwSignal<usize>,
    submitted: RwSignal<bool>,
    /// Changes the server refused for this sheet, with the reason.
    refusals: RwSignal<Vec<crate::domain::sheet_sync::Refusal>>,
}

/// What the member reads when the server refused a change of theirs.
fn refusal_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    refusal: &crate::domain::sheet_sync::Refusal,
) -> String {
    use crate::domain::sheet_sync::Refusal as R;
    let text = match refusal {
        R::NotYours => t_string!(i18n, refusal_not_yours),
        R::NotScoring => t_string!(i18n, refusal_not_scoring),
        R::BadId | R::IdTaken | R::ReservedDevice => t_string!(i18n, refusal_bad_id),
        R::StampOutOfWindow => t_string!(i18n, refusal_clock),
        R::NoScorecard => t_string!(i18n, refusal_no_scorecard),
        R::UnknownCriterion(_) | R::UnknownOption(_) => t_string!(i18n, refusal_unknown),
        R::NoteTooLong => t_string!(i18n, refusal_note_too_long),
        R::ChairOnly => t_string!(i18n, refusal_chair_only),
        R::AfterHandIn => t_string!(i18n, refusal_after_hand_in),
        R::HandedIn => t_string!(i18n, refusal_handed_in),
    };
    match refusal {
        R::UnknownCriterion(code) | R::UnknownOption(code) => format!("{text} ({code})"),
        _ => text.to_string(),
    }
}

/// `/cham-diem/{product}`: the member's sheet beside the dossier, offline first.
#[component]
pub fn TabletSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let product_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let loaded = {
        let product_id = product_id.clone();
        Resource::new(
            move || (),
            move |_| {
                let product_id = product_id.clone();
                async move {
                    let mine = packet::products()
                        .await?
                        .into_iter()
                        .find(|p| p.product_id == product_id)
                        .ok_or_else(|| crate::error::AppError::NotFound("sản phẩm".into()))?;
                    let (set, profile) =
                        super::scorecard_of(&mine.rule_set, mine.product_set).await?;
                    Ok::<_, crate::error::AppError>((mine, set, profile))
                }
            },
        )
    };
    let dossier = Resource::new(
        || (),
        move |_| {
            let product_id = product_id.clone();
            async move { packet::dossier(&product_id).await }
        },
    );
    // The criteria's hints read this copy, not the resource: a resource read inside
    // the sheet's Suspense would render the sheet again when it resolves.
    let dossier_seen = RwSignal::new(None::<MemberDossier>);
    Effect::new(move |_| {
        if let Some((found, online)) = dossier.get() {
            if let (Some(found), true) = (&found, online) {
                packet::keep_dossier(found);
            }
            dossier_seen.set(found);
        }
    });
    let signals = SheetSignals {
        choices: RwSignal::new(Choices::new()),
        notes: RwSignal::new(BTreeMap::new()),
        knockouts: RwSignal::new(BTreeMap::new()),
        reopened: RwSignal::new(None),
        waiting: RwSignal::new(0),
        submitted: RwSignal::new(false),
        refusals: RwSignal::new(Vec::new()),
    };
    let SheetSignals {
        choices,
        reopened,
        waiting,
        submitted,
        refusals,
        ..
    } = signals;
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let (mine, set, profile) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return super::admin_users::denied(i18n, error),
                };
                queue::start(&mine, signals);
                let submit_for = mine.clone();
                let (conflict_member, conflict_product) = (mine.member_id.clone(), mine.product_id.clone());
                let beside = beside_criterion(i18n, &mine, set.clone(), dossier_seen, signals);
                view! {
                    <p><a href="/cham-diem" id="back-to-list">{t!(i18n, tablet_back_to_list)}</a></p>
                    <h1>{mine.product_name.clone()}</h1>
                    <p class="muted" id="waiting" data-waiting=move || waiting.get().to_string()>
                        {move || match waiting.get() {
                            0 => t_string!(i18n, tablet_all_sent).to_string(),
                            n => format!("{} {n}", t_string!(i18n, tablet_waiting)),
                        }}
                    </p>
                    {move || {
                        let refused = refusals.get();
                        (!refused.is_empty()).then(|| view! {
                            <div class="form-alert" role="alert" id="refused-changes">
                                <p>{t!(i18n, tablet_refused)}</p>
                                <ul>{refused.iter().map(|r| view! { <li>{refusal_text(i18n, r)}</li> }).collect_view()}</ul>
                            </div>
                        })
                    }}
                    {move || reopened.get().map(|reason| view! {
                        <p class="notice" id="rescore-asked">{t!(i18n, tablet_rescore_asked)}" "{reason}</p>
                    })}
                    <Transition fallback=|| ()>
                        {move || dossier.get().map(|found| dossier_panel(i18n, found))}
                    </Transition>
                    <SelfAssessment set profile choices beside />
                    <p class="actions">
                        <button type="button" class="button" id="submit-sheet"
                            disabled=move || submitted.get()
                            on:click=move |_| {
                                reopened.set(None);
                                queue::hand_in(&submit_for, signals);
                            }>
                            {move || if submitted.get() { t_string!(i18n, tablet_submitted) } else { t_string!(i18n, tablet_submit) }}
                        </button>
                    </p>
                    <super::conflict::OwnConflict member_id=conflict_member product_id=conflict_product />
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The dossier above the sheet: documents (images shown, PDFs linked), the
/// advisory team's reports and the commune's Mẫu 03.
fn dossier_panel(
    i18n: leptos_i18n::I18nContext<Locale>,
    found: (Option<MemberDossier>, bool),
) -> impl IntoView {
    let (Some(dossier), online) = found else {
        return ().into_any();
    };
    let document = |d: &crate::api::council::DossierDocument| {
        let label = format!("{} — {}", super::dossier::slot_label(&d.slot), d.file_name);
        if d.content_type.starts_with("image/") {
            view! {
                <li><a href=d.path.clone() target="_blank"><img src=d.path.clone() alt=label.clone() loading="lazy" class="evidence-thumb" /></a><br /><small>{label}</small></li>
            }
            .into_any()
        } else {
            view! { <li><a href=d.path.clone() target="_blank">{label}</a></li> }.into_any()
        }
    };
    let (advisory, own): (Vec<_>, Vec<_>) = dossier.documents.iter().partition(|d| d.advisory);
    view! {
        <details class="dossier" id="dossier" open>
            <summary>{t!(i18n, tablet_dossier)}</summary>
            {(!online).then(|| view! { <p class="muted">{t!(i18n, tablet_offline_copy)}</p> })}
            <h2>{t!(i18n, tablet_documents)}</h2>
            <ul class="documents">{own.into_iter().map(document).collect_view()}</ul>
            {(!advisory.is_empty()).then(|| view! {
                <h2>{t!(i18n, tablet_advisory)}</h2>
                <ul class="documents" id="advisory">{advisory.into_iter().map(document).collect_view()}</ul>
            })}
            {dossier.commune_report_path.clone().map(|path| view! {
                <p><a href=path target="_blank" id="commune-report">{t!(i18n, tablet_commune_report)}</a></p>
            })}
        </details>
    }
    .into_any()
}

/// Under each criterion: what the producer and the commune said of it, the
/// dossier's evidence for it, and the member's note and knock-out flag.
fn beside_criterion(
    i18n: leptos_i18n::I18nContext<Locale>,
    mine: &MemberProduct,
    set: Arc<Scorecard>,
    dossier: RwSignal<Option<MemberDossier>>,
    signals: SheetSignals,
) -> BesideCriterion {
    let mine = mine.clone();
    Arc::new(move |code: &CriterionCode| {
        let key = code.to_string();
        let option_text = {
            let (set, code) = (set.clone(), code.clone());
            move |index: Option<u16>| match index {
                Some(index) => set
                    .criterion(&code)
                    .and_then(|c| c.option(OptionIndex(index)))
                    .map(|o| format!("{} ({} điểm)", o.text, o.points))
                    .unwrap_or_default(),
                None => t_string!(i18n, none_applies).to_string(),
            }
        };
        let hints = {
            let key = key.clone();
            move || {
                let dossier = dossier.get()?;
                let own = dossier
                    .self_assessment
                    .get(&key)
                    .map(|given| option_text(*given));
                let commune = dossier
                    .commune
                    .iter()
                    .find(|c| c.criterion == key)
                    .map(|c| {
                        format!(
                            "{} {}{}",
                            t_string!(i18n, tablet_commune_view),
                            c.option,
                            if c.comment.is_empty() {
                                String::new()
                            } else {
                                format!(" — {}", c.comment)
                            }
                        )
                    });
                let evidence: Vec<_> = dossier
                    .documents
                    .iter()
                    .filter(|d| d.slot == format!("criterion:{key}"))
                    .map(|d| view! { <a href=d.path.clone() target="_blank">{d.file_name.clone()}</a>" " })
                    .collect();
                Some(view! {
                    <p class="hints">
                        {own.map(|text| view! { <span>{t!(i18n, tablet_self_assessment)}" "{text}</span><br /> })}
                        {commune.map(|text| view! { <span>{text}</span><br /> })}
                        {evidence}
                    </p>
                })
            }
        };
        let (note_key, flag_key, shown_key) = (key.clone(), key.clone(), key.clone());
        let (note_for, flag_for) = (mine.clone(), mine.clone());
        let SheetSignals {
            notes, knockouts, ..
        } = signals;
        view! {
            {hints}
            <details class="note" data-criterion=key.clone()>
                <summary>
                    {t!(i18n, tablet_note)}
                    {move || knockouts.with(|k| k.get(&shown_key) == Some(&true)).then_some(" ⚠")}
                </summary>
                <textarea
                    rows="2"
                    maxlength="2000"
                    placeholder=move || t_string!(i18n, tablet_note_placeholder)
                    prop:value={
                        let key = key.clone();
                        move || notes.with(|n| n.get(&key).cloned().unwrap_or_default())
                    }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        notes.update(|n| { n.insert(note_key.clone(), text.clone()); });
                        queue::record(&note_for, SheetEdit::Note { criterion: note_key.clone(), text }, signals);
                    }
                ></textarea>
                <label class="choice">
                    <input
                        type="checkbox"
                        class="knockout-flag"
                        prop:checked={
                            let key = key.clone();
                            move || knockouts.with(|k| k.get(&key) == Some(&true))
                        }
                        on:change=move |ev| {
                            let flagged = event_target_checked(&ev);
                            knockouts.update(|k| { k.insert(flag_key.clone(), flagged); });
                            queue::record(&flag_for, SheetEdit::Knockout { criterion: flag_key.clone(), flagged }, signals);
                        }
                    />
                    <span>{t!(i18n, tablet_knockout)}</span>
                </label>
            </details>
        }
        .into_any()
    })
}

/// The session packet: the member's products and their dossiers, fetched when
/// online and kept on the tablet (written after hydration too, when the server
/// rendered them) so the pages open with the network off.
mod packet {
    use super::*;
    use crate::api::council::{council_dossier, council_products};
    use crate::error::AppError;

    #[cfg(feature = "hydrate")]
    const PRODUCTS: &str = "sao.council.products";
    #[cfg(feature = "hydrate")]
    const DOSSIER: &str = "sao.council.dossier.";

    #[cfg(feature = "hydrate")]
    fn stored<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(key).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
    }

    #[cfg(feature = "hydrate")]
    fn store<T: serde::Serialize>(key: &str, value: &T) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(key, &serde_json::to_string(value).unwrap_or_default());
        }
    }

    /// The member's products: the server's list, or the tablet's copy offline.
    pub async fn products() -> Result<Vec<MemberProduct>, AppError> {
        match council_products().await {
            Ok(list) => {
                keep_products(&list);
                Ok(list)
            }
            Err(error) => {
                #[cfg(feature = "hydrate")]
                if let Some(list) = stored(PRODUCTS) {
                    return Ok(list);
                }
                Err(error)
            }
        }
    }

    /// Keeps the list on the tablet (a no-op on the server).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn keep_products(list: &[MemberProduct]) {
        #[cfg(feature = "hydrate")]
        store(PRODUCTS, &list);
    }

    /// Keeps one product in the tablet's list (replacing its older copy).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn keep_product(mine: &MemberProduct) {
        #[cfg(feature = "hydrate")]
        {
            let mut list: Vec<MemberProduct> = stored(PRODUCTS).unwrap_or_default();
            list.retain(|p| p.product_id != mine.product_id || p.member_id != mine.member_id);
            list.push(mine.clone());
            store(PRODUCTS, &list);
        }
    }

    /// The dossier, and whether it came from the server (false: the tablet's copy;
    /// None when neither has it).
    pub async fn dossier(product_id: &str) -> (Option<MemberDossier>, bool) {
        match council_dossier(product_id.to_string()).await {
            Ok(found) => (Some(found), true),
            Err(_) => {
                #[cfg(feature = "hydrate")]
                if let Some(found) = stored(&format!("{DOSSIER}{product_id}")) {
                    return (Some(found), false);
                }
                (None, false)
            }
        }
    }

    /// Fetches, for each product, what its sheet needs offline: the page (kept
    /// by the service worker), the scorecard (likewise) and the dossier with its
    /// files (`keep_dossier`). A no-op on the server; failures wait for next time.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn download(list: Vec<MemberProduct>) {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            for mine in list {
                let page = format!("/cham-diem/{}", mine.product_id);
                let _ = gloo_net::http::Request::get(&page).send().await;
                let _ = super::super::scorecard_of(&mine.rule_set, mine.product_set).await;
                if let (Some(found), true) = dossier(&mine.product_id).await {
                    keep_dossier(&found);
                }
            }
        });
    }

    /// Keeps the dossier on the tablet and fetches its files once through the
    /// service worker, which keeps a copy for offline reading.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn keep_dossier(dossier: &MemberDossier) {
        #[cfg(feature = "hydrate")]
        {
            store(&format!("{DOSSIER}{}", dossier.product_id), dossier);
            let paths: Vec<String> = dossier
                .documents
                .iter()
                .map(|d| d.path.clone())
                .chain(dossier.commune_report_path.clone())
                .collect();
            leptos::task::spawn_local(async move {
                for path in paths {
                    let _ = gloo_net::http::Request::get(&path).send().await;
                }
            });
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

        pub fn write_all(changes: &[SheetChange]) {
            write(CHANGES, changes)
        }

        const REFUSED: &str = "sao.council.refused";

        /// Refused changes kept to show: (member id, product id, why).
        pub fn refusals() -> Vec<(String, String, crate::domain::sheet_sync::Refusal)> {
            storage()
                .and_then(|s| s.get_item(REFUSED).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default()
        }

        pub fn set_refusals(kept: &[(String, String, crate::domain::sheet_sync::Refusal)]) {
            if let Some(s) = storage() {
                let _ = s.set_item(REFUSED, &serde_json::to_string(kept).unwrap_or_default());
            }
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
            let next = (now.max(last.0.saturating_add(1)), last.1.saturating_add(1));
            if let Some(s) = storage() {
                let _ = s.set_item(CLOCK, &serde_json::to_string(&next).unwrap_or_default());
            }
            next
        }

        /// Moves the clock past `device_ms` (a change the server made, such as the
        /// chair's re-score request), so the tablet's next changes come after it.
        pub fn not_before(device_ms: i64) {
            let last: (i64, u64) = storage()
                .and_then(|s| s.get_item(CLOCK).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or((0, 0));
            if last.0 < device_ms {
                if let Some(s) = storage() {
                    let next = (device_ms, last.1);
                    let _ = s.set_item(CLOCK, &serde_json::to_string(&next).unwrap_or_default());
                }
            }
        }

        pub fn new_id() -> String {
            format!("{}-{}", device(), random_id())
        }
    }

    /// The sheet the tablet holds for `mine`: its own changes and the server's
    /// re-score requests, replayed.
    #[cfg(feature = "hydrate")]
    fn local_sheet(mine: &MemberProduct) -> Option<SheetState> {
        let own: Vec<SheetChange> = store::all()
            .into_iter()
            .filter(|c| c.member_id == mine.member_id && c.product_id == mine.product_id)
            .collect();
        if own.is_empty() {
            return None;
        }
        Some(SheetState::replay(own.iter().chain(&mine.reopens)))
    }

    /// The sheet's progress as the tablet knows it (None: no changes made here).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn local_progress(mine: &MemberProduct) -> Option<&'static str> {
        #[cfg(feature = "hydrate")]
        {
            local_sheet(mine).map(|sheet| crate::api::council::sheet_progress(Some(&sheet)))
        }
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// Records one edit of `mine`'s sheet on the tablet.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn record(mine: &MemberProduct, edit: SheetEdit, signals: SheetSignals) {
        #[cfg(feature = "hydrate")]
        {
            if matches!(edit, SheetEdit::Submit { .. }) {
                signals.submitted.set(true);
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
            // A new change answers earlier refusals of this sheet.
            let kept: Vec<_> = store::refusals()
                .into_iter()
                .filter(|(member, product, _)| {
                    *member != mine.member_id || *product != mine.product_id
                })
                .collect();
            store::set_refusals(&kept);
            signals.refusals.set(Vec::new());
            signals.waiting.set(store::waiting().len());
        }
    }

    /// Hands the sheet in with the digest of what the tablet shows now.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn hand_in(mine: &MemberProduct, signals: SheetSignals) {
        #[cfg(feature = "hydrate")]
        {
            let digest = local_sheet(mine).unwrap_or_default().hand_in_digest();
            record(mine, SheetEdit::Submit { digest }, signals);
        }
    }

    /// Refusals the server sent for this sheet, kept until the sheet is sent anew.
    #[cfg(feature = "hydrate")]
    fn refusals_of(mine: &MemberProduct) -> Vec<crate::domain::sheet_sync::Refusal> {
        store::refusals()
            .into_iter()
            .filter(|(member, product, _)| *member == mine.member_id && *product == mine.product_id)
            .map(|(_, _, refusal)| refusal)
            .collect()
    }

    /// Takes a receipt in: acknowledged and refused changes leave the outbox; a
    /// sheet with a refused change goes back to the server's (its changes as the
    /// server holds them, plus this tablet's still waiting), and the refusals are
    /// kept to show. Returns the sheets put back.
    #[cfg(feature = "hydrate")]
    fn take_receipt(receipt: crate::api::council::SyncReceipt) -> usize {
        use std::collections::BTreeSet;
        let refused_ids: BTreeSet<String> =
            receipt.refused.iter().map(|(id, _)| id.clone()).collect();
        let done: BTreeSet<String> = receipt
            .stored
            .iter()
            .cloned()
            .chain(refused_ids.iter().cloned())
            .collect();
        let sent = store::waiting();
        let left: Vec<SheetChange> = sent
            .iter()
            .filter(|c| !done.contains(&c.change_id))
            .cloned()
            .collect();
        store::set_waiting(&left);
        if refused_ids.is_empty() {
            return 0;
        }
        let sheets: BTreeSet<(String, String)> = sent
            .iter()
            .filter(|c| refused_ids.contains(&c.change_id))
            .map(|c| (c.member_id.clone(), c.product_id.clone()))
            .collect();
        let mut all: Vec<SheetChange> = store::all()
            .into_iter()
            .filter(|c| !sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
            .collect();
        all.extend(
            receipt
                .held
                .iter()
                .filter(|c| sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
                .cloned(),
        );
        all.extend(
            left.iter()
                .filter(|c| sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
                .cloned(),
        );
        store::write_all(&all);
        let mut kept = store::refusals();
        for (id, refusal) in receipt.refused {
            if let Some(change) = sent.iter().find(|c| c.change_id == id) {
                kept.push((change.member_id.clone(), change.product_id.clone(), refusal));
            }
        }
        store::set_refusals(&kept);
        sheets.len()
    }

    /// Puts the page's signals back to the tablet's sheet (after a refusal).
    #[cfg(feature = "hydrate")]
    fn show_sheet(
        mine: &MemberProduct,
        signals: SheetSignals,
        last: &std::rc::Rc<std::cell::RefCell<Option<Choices>>>,
    ) {
        let sheet = local_sheet(mine).unwrap_or_default();
        let restored = choices_of(&sheet);
        last.replace(Some(restored.clone()));
        signals.choices.set(restored);
        signals.notes.set(
            sheet
                .notes
                .iter()
                .map(|(code, note)| (code.clone(), note.value.clone()))
                .collect(),
        );
        signals.knockouts.set(
            sheet
                .knockouts
                .iter()
                .map(|(code, flag)| (code.clone(), flag.value))
                .collect(),
        );
        let (reopened, submitted) = reopened_and_submitted(mine);
        signals.reopened.set(reopened);
        signals.submitted.set(submitted);
        signals.refusals.set(refusals_of(mine));
    }

    #[cfg(feature = "hydrate")]
    fn choices_of(sheet: &SheetState) -> Choices {
        sheet
            .choices()
            .into_iter()
            .filter_map(|(code, option)| {
                Some((CriterionCode::parse(&code).ok()?, option.map(OptionIndex)))
            })
            .collect()
    }

    /// The chair's open re-score request (its reason) and whether the sheet is
    /// handed in: the tablet's replay, or the server's word when this tablet has
    /// not scored the product.
    #[cfg(feature = "hydrate")]
    fn reopened_and_submitted(mine: &MemberProduct) -> (Option<String>, bool) {
        match local_sheet(mine) {
            Some(sheet) => {
                let handed_in = sheet.handed_in().is_some();
                (sheet.reopened.map(|r| r.value), handed_in)
            }
            None => {
                let reason = mine.reopens.last().and_then(|c| match &c.edit {
                    SheetEdit::Reopen { reason } => Some(reason.clone()),
                    _ => None,
                });
                match mine.state.as_str() {
                    "rescore" => (reason, false),
                    state => (None, state == "submitted"),
                }
            }
        }
    }

    /// Asks the server for `mine` again: a new re-score request is taken in (the
    /// clock moved past it, the page told) without a reload.
    #[cfg(feature = "hydrate")]
    async fn hear_of_rescore(mine: &mut MemberProduct, signals: SheetSignals) {
        let Ok(list) = crate::api::council::council_products().await else {
            return;
        };
        let Some(fresh) = list
            .into_iter()
            .find(|p| p.product_id == mine.product_id && p.member_id == mine.member_id)
        else {
            return;
        };
        if fresh.reopens.len() == mine.reopens.len() {
            return;
        }
        if let Some(last) = fresh.reopens.iter().map(|c| c.stamp.device_ms).max() {
            store::not_before(last);
        }
        super::packet::keep_product(&fresh);
        *mine = fresh;
        let (reopened, submitted) = reopened_and_submitted(mine);
        signals.reopened.set(reopened);
        signals.submitted.set(submitted);
    }

    /// Restores the sheet from the tablet, records each new tick, and keeps sending.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    pub fn start(mine: &MemberProduct, signals: SheetSignals) {
        #[cfg(feature = "hydrate")]
        {
            super::packet::keep_product(mine);
            if let Some(last) = mine.reopens.iter().map(|c| c.stamp.device_ms).max() {
                store::not_before(last);
            }
            let sheet = local_sheet(mine).unwrap_or_default();
            let restored: Choices = choices_of(&sheet);
            let refused = refusals_of(mine);
            let notes: BTreeMap<String, String> = sheet
                .notes
                .iter()
                .map(|(code, note)| (code.clone(), note.value.clone()))
                .collect();
            let knockouts: BTreeMap<String, bool> = sheet
                .knockouts
                .iter()
                .map(|(code, flag)| (code.clone(), flag.value))
                .collect();
            let (reopened, submitted) = reopened_and_submitted(mine);
            // Restored after hydration (the server rendered an empty sheet): the
            // first run only puts the tablet's sheet back; later runs record ticks.
            let last = std::rc::Rc::new(std::cell::RefCell::new(None::<Choices>));
            let mut polled = mine.clone();
            let mine = mine.clone();
            let shown = mine.clone();
            let last_shown = last.clone();
            let choices = signals.choices;
            Effect::new(move |_| {
                let now = choices.get();
                let Some(before) = last.replace(Some(now.clone())) else {
                    last.replace(Some(restored.clone()));
                    choices.set(restored.clone());
                    signals.notes.set(notes.clone());
                    signals.knockouts.set(knockouts.clone());
                    signals.reopened.set(reopened.clone());
                    signals.submitted.set(submitted);
                    signals.refusals.set(refused.clone());
                    signals.waiting.set(store::waiting().len());
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
                            signals,
                        );
                    }
                }
            });
            let waiting = signals.waiting;
            leptos::task::spawn_local(async move {
                // Every ~20 s with nothing to send, the tablet asks whether the
                // chair wants this sheet scored again.
                let mut idle_rounds = 0_u32;
                loop {
                    // The page left (its signals are gone): this sheet's loop ends;
                    // the next sheet's loop sends what waits.
                    if waiting.try_get_untracked().is_none() {
                        break;
                    }
                    let outbox = store::waiting();
                    // Another page's loop may have sent the changes meanwhile.
                    waiting.try_set(outbox.len());
                    if !outbox.is_empty() {
                        let batch: Vec<SheetChange> = outbox.iter().take(50).cloned().collect();
                        if let Ok(receipt) = crate::api::council::council_sync(batch).await {
                            if take_receipt(receipt) > 0 {
                                show_sheet(&shown, signals, &last_shown);
                            }
                            waiting.try_set(store::waiting().len());
                            continue;
                        }
                    }
                    idle_rounds += 1;
                    if idle_rounds.is_multiple_of(10) {
                        hear_of_rescore(&mut polled, signals).await;
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
