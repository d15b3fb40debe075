//! The public catalogue's pages (issue 17), rendered on the server as plain
//! HTML: no WASM, no script, no service worker — a buyer on a cheap phone
//! downloads the page and the stylesheet, and search engines read the same.
//! Filters are a GET form, so every result is a link.
use crate::components::certificate_status::status_text;
use crate::domain::catalogue::{product_path, CatalogueQuery, Listed, Place, QueryError};
use crate::domain::photo::SIZES;
use crate::domain::promotion::FairLine;
use crate::domain::refusal::{Lang, Said};
use crate::i18n::*;
use crate::service::catalogue::{CataloguePage, Choice, ProductPage};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use leptos_i18n::td_string;
use leptos_meta::HashedStylesheet;

/// Where the catalogue lives.
pub const CATALOGUE_PATH: &str = "/san-pham";

pub(crate) fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        Locale::vi => Lang::Vi,
    }
}

/// A whole document: the site's stylesheet, the title, a canonical link, `main`.
pub(crate) fn document(
    options: &LeptosOptions,
    locale: Locale,
    title: String,
    canonical: String,
    main: AnyView,
) -> String {
    let options = options.clone();
    let home = td_string!(locale, app_name).to_string();
    let catalogue = td_string!(locale, catalogue_title).to_string();
    let page = view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b45309" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <HashedStylesheet options id="leptos" />
                <title>{title}</title>
                <link rel="canonical" href=canonical />
            </head>
            <body class="public">
                <header class="site-header">
                    <a class="brand" href="/">{home}</a>
                    <nav><a href=CATALOGUE_PATH id="catalogue-home">{catalogue}</a></nav>
                </header>
                <main id="main">{main}</main>
            </body>
        </html>
    };
    let owner = Owner::new();
    owner.with(|| page.to_html())
}

/// A document at the catalogue's own address, under its title.
fn catalogue_document(options: &LeptosOptions, locale: Locale, main: AnyView) -> String {
    document(
        options,
        locale,
        td_string!(locale, catalogue_title).to_string(),
        CATALOGUE_PATH.to_string(),
        main,
    )
}

/// A refused parameter's message, shown under its field.
type FieldMessage = Option<(&'static str, String)>;

fn message_for(name: &'static str, message: &FieldMessage) -> Option<impl IntoView> {
    let (field, text) = message.as_ref()?;
    (*field == name).then(|| {
        view! {
            <p class="field-error" id=format!("catalogue-{name}-error") data-field=name role="alert">
                {text.clone()}
            </p>
        }
    })
}

fn choices(
    (name, label): (&'static str, String),
    any: String,
    options: Vec<Choice>,
    chosen: Option<u32>,
    message: &FieldMessage,
) -> impl IntoView {
    let id = format!("catalogue-{name}");
    let invalid = message.as_ref().is_some_and(|(field, _)| *field == name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=invalid.then_some("true")>
                <option value="">{any}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! { <option value=value.to_string() selected=chosen == Some(value)>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {message_for(name, message)}
        </div>
    }
}

/// A section's heading and its list (`id`), one line of `items` each; nothing
/// when there are none.
pub(crate) fn titled_list<T, V: IntoView>(
    heading: &'static str,
    id: &'static str,
    items: Vec<T>,
    line: impl Fn(T) -> V,
) -> Option<impl IntoView> {
    (!items.is_empty()).then(|| {
        view! {
            <h2>{heading}</h2>
            <ul id=id>{items.into_iter().map(line).collect_view()}</ul>
        }
    })
}

/// The fairs (`id`) under `heading`, each with where and when; nothing when
/// there are none.
pub(crate) fn fair_list(
    heading: &'static str,
    id: &'static str,
    fairs: Vec<FairLine>,
) -> Option<impl IntoView> {
    titled_list(heading, id, fairs, |fair| {
        let when = format!("{} · {} – {}", fair.place, fair.starts_on, fair.ends_on);
        view! { <li>{fair.name}<br /><small>{when}</small></li> }
    })
}

pub(crate) fn result_line(product: Listed) -> impl IntoView {
    let href = product_path(&product.code, &product.product_name);
    let stars = "★".repeat(usize::from(product.stars));
    let place = if product.commune_name.is_empty() {
        product.subject_name.clone()
    } else {
        format!("{} · {}", product.subject_name, product.commune_name)
    };
    // The photo is decoration beside the name (which is the link): no alt text.
    let thumbnail = product.thumbnail.map(|thumbnail| {
        view! {
            <picture class="thumbnail">
                <source type="image/webp" srcset=thumbnail.webp />
                <img src=thumbnail.jpeg alt="" width="96" height="72" loading="lazy" decoding="async" />
            </picture>
        }
    });
    view! {
        <li data-code=product.code.clone() data-stars=product.stars>
            {thumbnail}
            <div class="line">
                <a href=href>{product.product_name}</a>
                <span class="stars" aria-label=product.stars.to_string()>{stars}</span>
                <span class="place">{place}</span>
            </div>
        </li>
    }
}

fn page_link(query: &CatalogueQuery, page: u32) -> String {
    let mut pairs = query.pairs();
    pairs.push(("trang", page.to_string()));
    let encoded: Vec<String> = pairs
        .into_iter()
        .map(|(name, value)| format!("{name}={}", encode(&value)))
        .collect();
    format!("{CATALOGUE_PATH}?{}", encoded.join("&"))
}

/// Percent-encoding for a query value (UTF-8 bytes outside the unreserved set).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The catalogue: the search form, the results, the pages. `refused` is a
/// parameter the server could not read: the form says which, beside it.
pub fn catalogue(
    options: &LeptosOptions,
    locale: Locale,
    page: CataloguePage,
    refused: Option<QueryError>,
) -> String {
    let any = || td_string!(locale, catalogue_any).to_string();
    let query = page.query.clone();
    let message: FieldMessage =
        refused.map(|(field, refusal)| (field, refusal.text(lang_of(locale))));
    let stars: Vec<Choice> = (3..=5).map(|n| (n, "★".repeat(n as usize))).collect();
    let count = page.found;
    let pager = (page.pages > 1).then(|| {
        let at = query.page.clamp(1, page.pages);
        view! {
            <nav class="pager" id="catalogue-pager">
                {(at > 1).then(|| view! { <a rel="prev" href=page_link(&query, at - 1)>{td_string!(locale, catalogue_previous)}</a> })}
                <span>{td_string!(locale, catalogue_page, page = at, pages = page.pages).to_string()}</span>
                {(at < page.pages).then(|| view! { <a rel="next" href=page_link(&query, at + 1)>{td_string!(locale, catalogue_next)}</a> })}
            </nav>
        }
    });
    let results = if page.shown.is_empty() {
        view! { <p id="catalogue-none">{td_string!(locale, catalogue_none)}</p> }.into_any()
    } else {
        view! { <ul id="catalogue-results" class="catalogue-results">{page.shown.into_iter().map(result_line).collect_view()}</ul> }
            .into_any()
    };
    let main = view! {
        <section class="catalogue">
            <h1>{td_string!(locale, catalogue_heading)}</h1>
            <p>{td_string!(locale, catalogue_intro)}</p>
            <form method="get" action=CATALOGUE_PATH role="search" id="catalogue-form" class="catalogue-form">
                <div class="field field-q">
                    <label for="catalogue-q">{td_string!(locale, catalogue_search_label)}</label>
                    <input id="catalogue-q" name="q" type="search" maxlength="100" value=page.query.text.clone()
                        aria-invalid=message.as_ref().is_some_and(|(f, _)| *f == "q").then_some("true") />
                    {message_for("q", &message)}
                </div>
                {choices(("sao", td_string!(locale, catalogue_stars).to_string()), any(), stars, page.query.stars.map(u32::from), &message)}
                {choices(("tinh", td_string!(locale, catalogue_province).to_string()), any(), page.provinces, page.query.province, &message)}
                {choices(("xa", td_string!(locale, catalogue_commune).to_string()), any(), page.communes, page.query.commune, &message)}
                {choices(("bo", td_string!(locale, catalogue_product_set).to_string()), any(), page.product_sets, page.query.product_set, &message)}
                {message_for("trang", &message)}
                <button type="submit" class="button">{td_string!(locale, catalogue_submit)}</button>
            </form>
            <p id="catalogue-count" data-count=count>{td_string!(locale, catalogue_found, count = count).to_string()}</p>
            {results}
            {pager}
        </section>
    }
    .into_any();
    catalogue_document(options, locale, main)
}

/// A product's page: its certificate's standing, where it comes from, where to
/// buy it, and the link its QR code opens.
pub fn product(options: &LeptosOptions, locale: Locale, page: ProductPage) -> String {
    let certificate = page.certificate;
    let lang = lang_of(locale);
    let status = certificate.status;
    let said = status_text(locale, status);
    let canonical = product_path(&certificate.code, &certificate.product_name);
    let stars = "★".repeat(usize::from(certificate.stars));
    let verify = format!("/xac-minh/{}", certificate.code);
    let channels = if page.channels.is_empty() {
        view! { <p id="product-no-channels">{td_string!(locale, product_no_channels)}</p> }
            .into_any()
    } else {
        view! {
            <ul id="product-channels">
                {page.channels.iter().map(|c| view! { <li>{c.label(lang)}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let points = (!page.points.is_empty()).then(|| {
        view! {
            <h3>{td_string!(locale, product_points)}</h3>
            <ul id="product-points">
                {page.points.iter().map(|p| view! {
                    <li><strong>{p.name.clone()}</strong><br /><small>{format!("{}, {}", p.address, p.commune)}</small></li>
                }).collect_view()}
            </ul>
        }
    });
    let fairs = fair_list(
        td_string!(locale, product_fairs),
        "product-fairs",
        page.fairs,
    );
    let commune = page.commune.clone().map(|(code, name)| {
        view! {
            <dt>{td_string!(locale, catalogue_commune)}</dt>
            <dd><a id="product-commune" href=Place::Commune(code).path(&name)>{name.clone()}</a></dd>
        }
    });
    let product_set = page.product_set.clone().map(|(number, name, sector)| {
        view! {
            <dt>{td_string!(locale, catalogue_product_set)}</dt>
            <dd>{format!("{number}. {name}")}<br /><small>{sector}</small></dd>
        }
    });
    let revoked = certificate.revoked_on.clone().map(|day| {
        view! { <dt>{td_string!(locale, verify_revoked_on)}</dt><dd>{day}</dd> }
    });
    let title = certificate.product_name.clone();
    let photo = page.photo.map(|photo| {
        view! {
            <picture id="product-photo">
                <source type="image/webp" srcset=photo.webp sizes=SIZES />
                <img src=photo.fallback srcset=photo.jpeg sizes=SIZES alt=title.clone()
                    width=photo.width.to_string() height=photo.height.to_string() decoding="async" />
            </picture>
        }
    });
    let main = view! {
        <article class="product-page" data-code=certificate.code.clone()>
            <h1>{certificate.product_name.clone()}</h1>
            <p class="verify-status" data-status=status.key()>{said}</p>
            {photo}
            <dl class="verify-facts">
                <dt>{td_string!(locale, verify_subject)}</dt>
                <dd>{certificate.subject_name.clone()}</dd>
                <dt>{td_string!(locale, verify_stars)}</dt>
                <dd class="verify-stars" aria-label=certificate.stars.to_string()>{stars}</dd>
                {commune}
                <dt>{td_string!(locale, catalogue_province)}</dt>
                <dd><a id="product-province" href=Place::Province(page.province.0).path(&page.province.1)>{page.province.1.clone()}</a></dd>
                {product_set}
                <dt>{td_string!(locale, verify_code)}</dt>
                <dd>{certificate.code.clone()}</dd>
                <dt>{td_string!(locale, verify_issued)}</dt>
                <dd>{certificate.issued_on.clone()}</dd>
                <dt>{td_string!(locale, verify_valid_until)}</dt>
                <dd>{certificate.valid_until.clone()}</dd>
                {revoked}
            </dl>
            <h2>{td_string!(locale, product_where_to_buy)}</h2>
            {channels}
            {points}
            {fairs}
            <p><a id="product-verify" href=verify>{td_string!(locale, product_verify_link)}</a></p>
            <p><a href=CATALOGUE_PATH>{td_string!(locale, catalogue_back)}</a></p>
        </article>
    }
    .into_any();
    document(options, locale, title, canonical, main)
}

/// A code no certificate has.
pub fn not_found(options: &LeptosOptions, locale: Locale) -> String {
    let main = view! {
        <section class="product-page">
            <h1>{td_string!(locale, catalogue_title)}</h1>
            <p id="product-unknown" role="alert">{td_string!(locale, product_not_found)}</p>
            <p><a href=CATALOGUE_PATH>{td_string!(locale, catalogue_back)}</a></p>
        </section>
    }
    .into_any();
    catalogue_document(options, locale, main)
}
