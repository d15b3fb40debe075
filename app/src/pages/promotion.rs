//! Trade promotion on the office's desk (issue 17): the province's showcase and
//! sales points and its fairs, each with the products shown there, and the
//! forms that add a point, a fair, or a product to either.
use crate::api::promotion::{
    load_promotion, AddFair, AddSalesPoint, FairLine, PointKind, PointLine, ShowProduct,
};
use crate::components::form::{error_besides, field_error, FormAlert};
use crate::components::form_card::FormCard;
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: PointKind) -> &'static str {
    match kind {
        PointKind::Showcase => t_string!(i18n, promotion_kind_showcase),
        PointKind::Shop => t_string!(i18n, promotion_kind_shop),
    }
}

/// The products shown, each a link to its public page (a plain route).
fn products(products: Vec<crate::domain::promotion::ShownProduct>) -> impl IntoView {
    view! {
        <ul class="shown-products">
            {products.into_iter().map(|p| view! {
                <li><a href=format!("/san-pham/{}", p.code) rel="external">{p.name}</a>" "<small class="muted">{p.code}</small></li>
            }).collect_view()}
        </ul>
    }
}

fn point(i18n: leptos_i18n::I18nContext<Locale>, point: PointLine) -> impl IntoView {
    view! {
        <li data-point=point.id>
            <strong>{point.name}</strong>" · "{kind_label(i18n, point.kind)}
            <br /><small>{point.address}", "{point.commune}" · "{t!(i18n, promotion_opened, day = point.opened_on)}</small>
            {products(point.products)}
        </li>
    }
}

fn fair(fair: FairLine) -> impl IntoView {
    view! {
        <li data-fair=fair.id>
            <strong>{fair.name}</strong>
            <br /><small>{fair.place}" · "{fair.starts_on}" – "{fair.ends_on}</small>
            {products(fair.products)}
        </li>
    }
}

/// The office's trade-promotion section.
#[component]
pub fn OfficePromotion() -> impl IntoView {
    let i18n = use_i18n();
    let add_point = ServerAction::<AddSalesPoint>::new();
    let add_fair = ServerAction::<AddFair>::new();
    let show = ServerAction::<ShowProduct>::new();
    let (point_value, fair_value, show_value) = (add_point.value(), add_fair.value(), show.value());
    let desk = Resource::new(
        move || {
            (
                add_point.version().get(),
                add_fair.version().get(),
                show.version().get(),
            )
        },
        |_| load_promotion(),
    );
    let today =
        crate::domain::date::CalendarDate::of_ms_vietnam(crate::pages::office::js_now_ms()).iso();
    let (point_max, point_day, fair_max) = (today.clone(), today.clone(), today);
    let lists = move || {
        Suspend::new(async move {
            match desk.await {
                Ok(desk) => view! {
                    <h3>{t!(i18n, promotion_points)}</h3>
                    {desk.points.is_empty().then(|| view! { <p class="muted">{t!(i18n, promotion_no_points)}</p> })}
                    <ul id="points" class="lines">{desk.points.into_iter().map(|p| point(i18n, p)).collect_view()}</ul>
                    <h3>{t!(i18n, promotion_fairs)}</h3>
                    {desk.fairs.is_empty().then(|| view! { <p class="muted">{t!(i18n, promotion_no_fairs)}</p> })}
                    <ul id="fairs" class="lines">{desk.fairs.into_iter().map(fair).collect_view()}</ul>
                }.into_any(),
                Err(crate::error::AppError::NotSignedIn | crate::error::AppError::Forbidden) => ().into_any(),
                Err(error) => view! { <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p> }.into_any(),
            }
        })
    };
    // The choices come with the desk; the forms stay put while it reloads.
    let chosen = RwSignal::new(String::new());
    let targets = move || {
        Suspend::new(async move {
            let desk = desk.await.ok();
            let points = desk.iter().flat_map(|d| {
                d.points
                    .iter()
                    .map(|p| (format!("point:{}", p.id), p.name.clone()))
            });
            let fairs = desk.iter().flat_map(|d| {
                d.fairs
                    .iter()
                    .map(|f| (format!("fair:{}", f.id), f.name.clone()))
            });
            let options: Vec<(String, String)> = points.chain(fairs).collect();
            // Rebuilt after each change: the choice stays on what was chosen,
            // not on whatever comes to stand at its place in the list.
            let now = chosen.get_untracked();
            view! {
                <select id="show-target" name="target" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options.into_iter().map(|(value, name)| {
                        let selected = value == now;
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            }
        })
    };
    let communes = move || {
        Suspend::new(async move {
            let communes = desk.await.map(|d| d.communes).unwrap_or_default();
            view! {
                <select id="point-commune" name="commune">
                    {communes.into_iter().map(|(code, name)| view! { <option value=code.to_string()>{name}</option> }).collect_view()}
                </select>
            }
        })
    };
    view! {
        <section id="promotion" aria-labelledby="promotion-heading">
            <h2 id="promotion-heading">{t!(i18n, promotion_heading)}</h2>
            <Transition fallback=Loading>{lists}</Transition>
            <FormCard id="show-form" summary=t!(i18n, promotion_show_heading)>
                <ActionForm action=show>
                    <Labelled id="show-target" label=t!(i18n, promotion_show_target) message=field_error(show_value, "target")>
                        <Transition fallback=|| ()>{targets}</Transition>
                    </Labelled>
                    <Labelled id="show-code" label=t!(i18n, promotion_show_code) message=field_error(show_value, "code")>
                        <input id="show-code" name="code" autocomplete="off" placeholder="51-23344-001-2026" />
                    </Labelled>
                    <FormAlert message=error_besides(show_value, &["target", "code"]) />
                    <button type="submit" class="button" id="show-submit">{t!(i18n, promotion_show_submit)}</button>
                </ActionForm>
            </FormCard>
            <FormCard id="point-form" summary=t!(i18n, promotion_point_heading)>
                <ActionForm action=add_point>
                    <Labelled id="point-commune" label=t!(i18n, promotion_commune) message=field_error(point_value, "commune")>
                        <Transition fallback=|| ()>{communes}</Transition>
                    </Labelled>
                    <Labelled id="point-name" label=t!(i18n, promotion_point_name) message=field_error(point_value, "name")>
                        <input id="point-name" name="name" maxlength="200" />
                    </Labelled>
                    <Labelled id="point-address" label=t!(i18n, promotion_address) message=field_error(point_value, "address")>
                        <input id="point-address" name="address" maxlength="200" />
                    </Labelled>
                    <Labelled id="point-kind" label=t!(i18n, promotion_kind)>
                        <select id="point-kind" name="kind">
                            {PointKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind_label(i18n, kind)}</option> }).collect_view()}
                        </select>
                    </Labelled>
                    <Labelled id="point-opened" label=t!(i18n, promotion_opened_on) message=field_error(point_value, "opened_on")>
                        <input id="point-opened" name="opened_on" type="date" max=point_max value=point_day />
                    </Labelled>
                    <FormAlert message=error_besides(point_value, &["commune", "name", "address", "opened_on"]) />
                    <button type="submit" class="button" id="point-submit">{t!(i18n, promotion_point_submit)}</button>
                </ActionForm>
            </FormCard>
            <FormCard id="fair-form" summary=t!(i18n, promotion_fair_heading)>
                <ActionForm action=add_fair>
                    <Labelled id="fair-name" label=t!(i18n, promotion_fair_name) message=field_error(fair_value, "name")>
                        <input id="fair-name" name="name" maxlength="200" />
                    </Labelled>
                    <Labelled id="fair-place" label=t!(i18n, promotion_place) message=field_error(fair_value, "place")>
                        <input id="fair-place" name="place" maxlength="200" />
                    </Labelled>
                    <Labelled id="fair-starts" label=t!(i18n, promotion_starts_on) message=field_error(fair_value, "starts_on")>
                        <input id="fair-starts" name="starts_on" type="date" max=fair_max />
                    </Labelled>
                    <Labelled id="fair-ends" label=t!(i18n, promotion_ends_on) message=field_error(fair_value, "ends_on")>
                        <input id="fair-ends" name="ends_on" type="date" />
                    </Labelled>
                    <FormAlert message=error_besides(fair_value, &["name", "place", "starts_on", "ends_on"]) />
                    <button type="submit" class="button" id="fair-submit">{t!(i18n, promotion_fair_submit)}</button>
                </ActionForm>
            </FormCard>
        </section>
    }
}
