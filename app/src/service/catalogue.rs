//! The public catalogue (issue 17): what anyone may read of certified products,
//! with no sign-in — so there is nothing to guard, and nothing private is read
//! (the certificate's public facts, the commune, the product set, the sales
//! channels the producer declared).
use crate::db::{self, catalogue::CatalogueRow, Db};
use crate::domain::catalogue::{pages_for, CatalogueQuery, Listed, Place, PAGE_SIZE};
use crate::domain::certificate::CertificateStatus;
use crate::domain::certificate_record::{check_code, PublicCertificate};
use crate::domain::date::CalendarDate;
use crate::domain::subject::SalesChannel;
use crate::error::AppError;

/// A choice of a filter: its value and its name.
pub type Choice = (u32, String);

/// A page of results and the filters' choices.
#[derive(Debug, Clone)]
pub struct CataloguePage {
    pub query: CatalogueQuery,
    pub shown: Vec<Listed>,
    pub found: usize,
    pub pages: u32,
    pub provinces: Vec<Choice>,
    pub communes: Vec<Choice>,
    pub product_sets: Vec<Choice>,
}

/// A product's page.
#[derive(Debug, Clone)]
pub struct ProductPage {
    pub certificate: PublicCertificate,
    pub province: Choice,
    pub commune: Option<Choice>,
    /// The product set's name, sector and group (the decision's words).
    pub product_set: Option<(u32, String, String)>,
    pub channels: Vec<SalesChannel>,
    /// Where it is shown and sold (while its certificate is in force).
    pub points: Vec<crate::domain::promotion::PointLine>,
    /// The fairs it took part in (history: kept whatever became of it since).
    pub fairs: Vec<crate::domain::promotion::FairLine>,
    /// Its newest photo, in the sizes made at upload.
    pub photo: Option<crate::domain::photo::Photo>,
}

pub(crate) fn today() -> String {
    CalendarDate::of_ms_vietnam(db::now_ms()).iso()
}

pub(crate) fn listed(row: CatalogueRow) -> Listed {
    Listed {
        code: row.code,
        product_name: row.product_name,
        subject_name: row.subject_name,
        commune_name: row.commune_name.unwrap_or_default(),
        stars: u8::try_from(row.stars).unwrap_or(0),
        thumbnail: None,
    }
}

/// Gives each listed product its photo's smallest size.
pub(crate) async fn with_thumbnails(
    db: &Db,
    mut shown: Vec<Listed>,
) -> Result<Vec<Listed>, AppError> {
    let codes: Vec<String> = shown.iter().map(|l| l.code.clone()).collect();
    let mut by_code: std::collections::HashMap<String, Vec<crate::domain::photo::Rendition>> =
        std::collections::HashMap::new();
    for (code, rendition) in db::photos::smallest_of(db, &codes).await? {
        by_code.entry(code).or_default().push(rendition);
    }
    for listed in &mut shown {
        listed.thumbnail = by_code
            .get(&listed.code)
            .and_then(|found| crate::domain::photo::thumbnail_of(found));
    }
    Ok(shown)
}

/// The product sets of the rule set in force, numbered.
pub fn product_sets() -> Vec<Choice> {
    crate::rules_catalog::index(crate::rules::CURRENT_RULE_SET)
        .map(|index| {
            index
                .product_sets
                .into_iter()
                .map(|set| (set.number, set.name))
                .collect()
        })
        .unwrap_or_default()
}

/// The products in force that `query` finds, on its page.
pub async fn search(db: &Db, query: CatalogueQuery) -> Result<CataloguePage, AppError> {
    let today = today();
    let filters = db::catalogue::Filters {
        stars: query.stars.map(i64::from),
        province: query.province.map(i64::from),
        commune: query.commune.map(i64::from),
        product_set: query.product_set.map(i64::from),
    };
    let size = PAGE_SIZE as i64;
    let ask = |page: u32| (size, (i64::from(page) - 1) * size);
    let words = query.words();
    let (mut rows, counted) =
        db::catalogue::in_force(db, filters, &words, &today, ask(query.page)).await?;
    let found = counted.total;
    let pages = pages_for(found);
    if query.page > pages {
        // A page past the end shows the last one.
        (rows, _) = db::catalogue::in_force(db, filters, &words, &today, ask(pages)).await?;
    }
    let shown = with_thumbnails(db, rows.into_iter().map(listed).collect()).await?;
    let provinces = db::catalogue::provinces_listed(db, &today).await?;
    // Communes of the chosen province (or of the only one listed): a national
    // list of 3,321 would outweigh the page.
    let province = match (query.province, provinces.as_slice()) {
        (Some(code), _) => Some(i64::from(code)),
        (None, [(only, _)]) => Some(*only),
        (None, _) => None,
    };
    let communes = match province {
        Some(province) => db::catalogue::communes_listed(db, &today, province)
            .await?
            .into_iter()
            .map(|(code, name, _)| (code, name))
            .collect(),
        None => Vec::new(),
    };
    let choices = |rows: Vec<(i64, String)>| {
        rows.into_iter()
            .filter_map(|(code, name)| Some((u32::try_from(code).ok()?, name)))
            .collect()
    };
    Ok(CataloguePage {
        found: usize::try_from(found).unwrap_or(0),
        shown,
        pages,
        provinces: choices(provinces),
        communes: choices(communes),
        product_sets: product_sets(),
        query,
    })
}

/// The page of the product certified under `code`, or None for an unknown code.
pub async fn product(db: &Db, code: &str) -> Result<Option<ProductPage>, AppError> {
    let Ok(code) = check_code(code) else {
        return Ok(None);
    };
    let (Some(row), Some(stored)) = (
        db::catalogue::by_code(db, code).await?,
        db::certificates::by_code(db, code).await?,
    ) else {
        return Ok(None);
    };
    let certificate = super::certificates::shown(stored)?;
    let province = (
        u32::try_from(row.province_code).unwrap_or(0),
        db::admin_units::province_name(db, row.province_code)
            .await?
            .unwrap_or_default(),
    );
    let commune = row
        .commune_code
        .and_then(|code| u32::try_from(code).ok())
        .zip(row.commune_name);
    let rule_set = row.rule_set.unwrap_or_default();
    let product_set = row.product_set.and_then(|number| {
        let number = u32::try_from(number).ok()?;
        let card = crate::rules_catalog::product_set(&rule_set, number)?;
        Some((
            number,
            card.name.clone(),
            format!("{} — {}", card.sector, card.group),
        ))
    });
    let channels = db::catalogue::channels_of(db, code)
        .await?
        .iter()
        .filter_map(|stored| SalesChannel::parse(stored))
        .collect();
    let points = if certificate.status == CertificateStatus::Valid {
        db::promotion::points_carrying(db, code).await?
    } else {
        Vec::new()
    };
    Ok(Some(ProductPage {
        certificate,
        province,
        commune,
        product_set,
        channels,
        points,
        fairs: db::promotion::fairs_with(db, code).await?,
        photo: crate::domain::photo::photo_of(&db::photos::of_certificate(db, code).await?),
    }))
}

/// `sitemap.xml`: the catalogue and every product page, under `origin`.
pub async fn sitemap(db: &Db, origin: &str) -> Result<String, AppError> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |path: &str| {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_xml(&format!("{origin}{path}"))
        ));
    };
    add("/");
    add("/san-pham");
    // The provinces and communes with products in force.
    let today = today();
    for (province, name) in db::catalogue::provinces_listed(db, &today).await? {
        let Ok(code) = u32::try_from(province) else {
            continue;
        };
        add(&Place::Province(code).path(&name));
        for (commune, name, _) in db::catalogue::communes_listed(db, &today, province).await? {
            if let Ok(commune) = u32::try_from(commune) {
                add(&Place::Commune(commune).path(&name));
            }
        }
    }
    for (code, name) in db::catalogue::all_codes(db).await? {
        add(&crate::domain::catalogue::product_path(&code, &name));
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
