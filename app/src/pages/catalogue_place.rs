//! A province's and a commune's public page (issue 17), plain HTML like the
//! rest of the catalogue: products in force by stars, the first of them, the
//! communes that have some, the showcase and sales points, the fairs.
use super::catalogue::{document, fair_list, result_line, titled_list};
use crate::domain::catalogue::Place;
use crate::i18n::*;
use crate::service::catalogue_place::PlacePage;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The page of a province or a commune.
pub fn place(options: &LeptosOptions, locale: Locale, page: PlacePage) -> String {
    let canonical = page.place.path(&page.name);
    let heading = match page.place {
        Place::Province(_) => {
            td_string!(locale, place_province_heading, name = page.name.clone()).to_string()
        }
        Place::Commune(_) => {
            td_string!(locale, place_commune_heading, name = page.name.clone()).to_string()
        }
    };
    let up = page.province.clone().map(|(code, name)| {
        let href = Place::Province(code).path(&name);
        view! { <p><a id="place-province" href=href>{name}</a></p> }
    });
    let total = page.total;
    // Only the star levels it has: "1 with 4 stars", not "0 with 3 stars, …".
    let parts: Vec<String> = (3_u8..=5)
        .zip(page.by_stars)
        .filter(|(_, count)| *count > 0)
        .map(|(stars, count)| {
            td_string!(locale, place_stars_part, count = count, stars = stars).to_string()
        })
        .collect();
    let stars_line = if parts.is_empty() {
        td_string!(locale, place_stars_none).to_string()
    } else {
        td_string!(locale, place_stars, total = total, parts = parts.join(", ")).to_string()
    };
    let results = (!page.shown.is_empty()).then(|| {
        view! { <ul id="place-products" class="catalogue-results">{page.shown.into_iter().map(result_line).collect_view()}</ul> }
    });
    let all = (total > 0).then(|| {
        view! { <p><a id="place-all" href=page.place.filter()>{td_string!(locale, place_all, count = total).to_string()}</a></p> }
    });
    let communes = titled_list(
        td_string!(locale, place_communes),
        "place-communes",
        page.communes,
        |(code, name, n)| {
            let href = Place::Commune(code).path(&name);
            view! { <li data-commune=code><a href=href>{name}</a>" ("{n}")"</li> }
        },
    );
    let points = titled_list(
        td_string!(locale, product_points),
        "place-points",
        page.points,
        |p| {
            view! {
                <li>
                    <strong>{p.name}</strong><br />
                    <small>{format!("{}, {}", p.address, p.commune)}</small>
                    <ul>{p.products.into_iter().map(|s| view! {
                        <li><a href=format!("/san-pham/{}", s.code)>{s.name}</a></li>
                    }).collect_view()}</ul>
                </li>
            }
        },
    );
    let fairs = fair_list(
        td_string!(locale, promotion_fairs),
        "place-fairs",
        page.fairs,
    );
    let main = view! {
        <section class="catalogue place-page" data-total=total>
            <h1>{heading.clone()}</h1>
            {up}
            <p id="place-stars">{stars_line}</p>
            {results}
            {all}
            {communes}
            {points}
            {fairs}
        </section>
    }
    .into_any();
    document(options, locale, heading, canonical, main)
}
