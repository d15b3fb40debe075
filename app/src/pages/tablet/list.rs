//! `/cham-diem`: the member's products with their progress.
use super::*;
use crate::components::loading::Loading;

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
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <ul class="card-list" id="my-products">
                            {list.into_iter().map(|p| {
                                // The server's view first; the tablet's after hydration.
                                let state = RwSignal::new(p.state);
                                let mine = p.clone();
                                Effect::new(move |_| {
                                    if let Some(local) = queue::local_progress(&mine) {
                                        state.set(local);
                                    }
                                });
                                view! {
                                    <li data-product=p.product_id.clone()>
                                        <a href=format!("/cham-diem/{}", p.product_id)>{p.product_name}</a>
                                        <small>{format!(" · {}", p.round_name)}</small>
                                        " "
                                        <span class="progress" data-state=move || state.get().as_str()>
                                            {move || progress_label(i18n, state.get())}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => super::super::admin_users::denied(i18n, error),
                }
            })}
        </Suspense>
    }
}
