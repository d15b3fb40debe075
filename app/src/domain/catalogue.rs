//! The public catalogue of certified products (issue 17): the query a link or
//! the search form sends, checked once, and which certificates it finds. Pure:
//! the server runs it over the rows it loaded.
use super::refusal::Refusal;
use super::search;

/// The longest search text taken (a visitor's words, not a document).
pub const TEXT_MAX: usize = 100;
/// Products on one page of results.
pub const PAGE_SIZE: usize = 24;

/// What a visitor asked for: words (matched without diacritics), and filters;
/// `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueQuery {
    pub text: String,
    pub stars: Option<u8>,
    pub province: Option<u32>,
    pub commune: Option<u32>,
    pub product_set: Option<u32>,
    /// 1-based.
    pub page: u32,
}

/// The URL's parameter names, readable in Vietnamese: `q` (words), `sao`
/// (stars), `tinh` (province), `xa` (commune), `bo` (product set), `trang`
/// (page).
pub const PARAMS: [&str; 6] = ["q", "sao", "tinh", "xa", "bo", "trang"];

/// A refused parameter (its name) and why.
pub type QueryError = (&'static str, Refusal);

fn number(name: &'static str, value: &str, refusal: Refusal) -> Result<Option<u32>, QueryError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err((name, refusal)),
    }
}

impl CatalogueQuery {
    /// From the URL's pairs; an empty value is no filter, an unknown parameter
    /// is ignored (trackers add their own), a repeated one keeps its last value.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<CatalogueQuery, QueryError> {
        let mut query = CatalogueQuery {
            page: 1,
            ..CatalogueQuery::default()
        };
        for (name, value) in pairs {
            match name {
                "q" => {
                    let text = super::subject::clean_text(value);
                    if text.chars().count() > TEXT_MAX {
                        return Err((
                            "q",
                            Refusal::TooLong {
                                max: TEXT_MAX as u32,
                            },
                        ));
                    }
                    query.text = text;
                }
                "sao" => {
                    query.stars = match number("sao", value, Refusal::CertificateStarsInvalid)? {
                        Some(n @ 3..=5) => Some(n as u8),
                        None => None,
                        Some(_) => return Err(("sao", Refusal::CertificateStarsInvalid)),
                    }
                }
                "tinh" => query.province = number("tinh", value, Refusal::ProvinceCodeUnknown)?,
                "xa" => query.commune = number("xa", value, Refusal::CommuneCodeUnknown)?,
                "bo" => {
                    query.product_set = number("bo", value, Refusal::ChooseProductSet { max: 26 })?
                }
                "trang" => {
                    query.page = number("trang", value, Refusal::NotCount)?
                        .filter(|page| *page <= 10_000)
                        .ok_or(("trang", Refusal::NotCount))?
                }
                _ => {}
            }
        }
        Ok(query)
    }

    /// The query as URL pairs (filters only, page left out): what the result
    /// pages' links carry.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        let numbers = [
            ("sao", self.stars.map(u32::from)),
            ("tinh", self.province),
            ("xa", self.commune),
            ("bo", self.product_set),
        ];
        pairs.extend(
            numbers
                .into_iter()
                .filter_map(|(n, v)| Some((n, v?.to_string()))),
        );
        pairs
    }

    /// The words typed, folded: each must be in the product's `search_text`.
    pub fn words(&self) -> Vec<String> {
        search::fold(&self.text)
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }
}

/// What a search looks in: the product's, the producer's and the commune's
/// names, folded without diacritics.
pub fn search_text(product: &str, subject: &str, commune: &str) -> String {
    search::fold(&format!("{product} {subject} {commune}"))
}

/// A certified product as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub code: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_name: String,
    pub stars: u8,
    /// Its photo's smallest size, when it has one.
    pub thumbnail: Option<super::photo::Thumbnail>,
}

/// How many pages `found` products take (at least 1).
pub fn pages_for(found: i64) -> u32 {
    let pages = usize::try_from(found)
        .unwrap_or(0)
        .div_ceil(PAGE_SIZE)
        .max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

/// A product's readable URL tail: its name folded to ASCII words joined by `-`
/// ("Sâm Ngọc Linh khô" → `sam-ngoc-linh-kho`); the code before it is what finds it.
pub fn slug(name: &str) -> String {
    let folded = search::fold(name);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let slug = words.join("-");
    slug.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// A product's page: `/san-pham/<code>/<slug>`.
pub fn product_path(code: &str, name: &str) -> String {
    format!("/san-pham/{code}/{}", slug(name))
}

/// A province's or a commune's page of certified products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Province(u32),
    Commune(u32),
}

impl Place {
    /// Its code from the address (`51`, `23344`); anything else is no place.
    pub fn parse(kind: &str, code: &str) -> Option<Place> {
        let digits =
            !code.is_empty() && code.len() <= 6 && code.bytes().all(|b| b.is_ascii_digit());
        let code = code.parse::<u32>().ok().filter(|_| digits)?;
        match kind {
            "tinh" => Some(Place::Province(code)),
            "xa" => Some(Place::Commune(code)),
            _ => None,
        }
    }

    /// Its page: `/san-pham/tinh/51/quang-ngai`, `/san-pham/xa/23344/xa-dak-plo`.
    pub fn path(self, name: &str) -> String {
        match self {
            Place::Province(code) => format!("/san-pham/tinh/{code}/{}", slug(name)),
            Place::Commune(code) => format!("/san-pham/xa/{code}/{}", slug(name)),
        }
    }

    /// The catalogue's filter that lists all its products (`tinh=51`).
    pub fn filter(self) -> String {
        match self {
            Place::Province(code) => format!("/san-pham?tinh={code}"),
            Place::Commune(code) => format!("/san-pham?xa={code}"),
        }
    }
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
