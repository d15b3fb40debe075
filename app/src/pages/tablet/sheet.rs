//! `/cham-diem/{product}`: the sheet beside the dossier.
use super::*;
use crate::components::loading::Loading;
use crate::error::Thing;

/// `/cham-diem/{product}`: the member's sheet beside the dossier, offline first.
#[component]
pub fn TabletSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let product_id = crate::components::route::path_id_now();
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
                        .ok_or(crate::error::AppError::NotFound(Thing::Product))?;
                    let (set, profile) =
                        super::super::scorecard_of(&mine.rule_set, mine.product_set).await?;
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
        scorecard: StoredValue::new(None),
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
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (mine, set, profile) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return super::super::admin_users::denied(i18n, error),
                };
                signals.scorecard.set_value(Some(set.clone()));
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
                    <super::super::conflict::OwnConflict member_id=conflict_member product_id=conflict_product />
                }
                .into_any()
            })}
        </Suspense>
    }
}
