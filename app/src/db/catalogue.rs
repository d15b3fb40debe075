//! The public catalogue's reads: certificates in force with their product's
//! commune and product set (issue 17). Filters are bound, never spliced.
use super::{Db, DbError};
use crate::domain::catalogue::search_text;

/// A certificate in force, with where its product comes from (imported
/// certificates have no product, so no commune and no product set).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CatalogueRow {
    pub code: String,
    pub product_name: String,
    pub subject_name: String,
    pub stars: i64,
    pub province_code: i64,
    pub commune_code: Option<i64>,
    pub commune_name: Option<String>,
    pub product_set: Option<i64>,
    pub rule_set: Option<String>,
}

/// The filters the database applies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters {
    pub stars: Option<i64>,
    pub province: Option<i64>,
    pub commune: Option<i64>,
    pub product_set: Option<i64>,
}

const SELECT_COLUMNS: &str = "SELECT c.code, c.product_name, c.subject_name, c.stars, \
     c.province_code, s.commune_code, m.name AS commune_name, p.product_set, p.rule_set";

const JOINS: &str = " LEFT JOIN products p ON p.id = c.product_id \
     LEFT JOIN subjects s ON s.id = p.subject_id \
     LEFT JOIN commune m ON m.code = s.commune_code";

/// Certificates in force on `today` (ISO day) — issued, not expired, not
/// revoked — matching `filters` and every one of `words` (folded; matched in
/// the stored search text): `limit` of them from `offset`, the highest stars
/// first, then by name; and how many match, by stars.
pub async fn in_force(
    db: &Db,
    filters: Filters,
    words: &[String],
    today: &str,
    (limit, offset): (i64, i64),
) -> Result<(Vec<CatalogueRow>, Counted), DbError> {
    let mut conditions = format!(" WHERE {}", super::certificates::in_force_on("$1"));
    let mut numbers = Vec::new();
    for (column, value) in [
        ("c.stars", filters.stars),
        ("c.province_code", filters.province),
        ("s.commune_code", filters.commune),
        ("p.product_set", filters.product_set),
    ] {
        if let Some(value) = value {
            numbers.push(value);
            conditions.push_str(&format!(" AND {column} = ${}", numbers.len() + 1));
        }
    }
    let patterns: Vec<String> = words
        .iter()
        .map(|word| format!("%{}%", escape_like(word)))
        .collect();
    for index in 0..patterns.len() {
        conditions.push_str(&format!(
            " AND w.folded LIKE ${} ESCAPE '\\'",
            numbers.len() + index + 2
        ));
    }
    // Only what a filter names is joined: the count needs no names, and the
    // stored words only when words were typed (a third of a search's time).
    // Words alone are read first — `CROSS JOIN` keeps SQLite to that order
    // (PostgreSQL plans it as any join): one pass over the short folded texts,
    // then the certificates they match, rather than a probe per certificate.
    // With a filter too, the filter's index goes first (a fifth of the time).
    let (words_first, words_match) = match (patterns.is_empty(), numbers.is_empty()) {
        (true, _) => ("", ""),
        (false, true) => ("catalogue_words w CROSS JOIN ", " AND w.code = c.code"),
        (false, false) => ("catalogue_words w, ", " AND w.code = c.code"),
    };
    // A commune's or a product set's filter needs the product: joined inner,
    // so the database may start from the commune's subjects (migration 22).
    let by_subject = filters.commune.is_some() || filters.product_set.is_some();
    let subject_join = if by_subject {
        " JOIN products p ON p.id = c.product_id JOIN subjects s ON s.id = p.subject_id"
    } else {
        ""
    };
    let joins = if by_subject {
        " JOIN products p ON p.id = c.product_id \
         JOIN subjects s ON s.id = p.subject_id LEFT JOIN commune m ON m.code = s.commune_code"
    } else {
        JOINS
    };
    let page_sql = format!(
        "{SELECT_COLUMNS} FROM {words_first}certificates c{joins}{conditions}{words_match} \
         ORDER BY c.stars DESC, c.product_name, c.code LIMIT {limit} OFFSET {offset}"
    );
    let mut page = sqlx::query_as::<_, CatalogueRow>(&page_sql).bind(today);
    let count_sql = format!(
        "SELECT c.stars, COUNT(*) FROM {words_first}certificates c{subject_join}{conditions}{words_match} \
         GROUP BY c.stars ORDER BY c.stars"
    );
    let mut count = sqlx::query_as::<_, (i64, i64)>(&count_sql).bind(today);
    for value in &numbers {
        page = page.bind(*value);
        count = count.bind(*value);
    }
    for pattern in &patterns {
        page = page.bind(pattern.clone());
        count = count.bind(pattern.clone());
    }
    let rows = page.fetch_all(db.pool()).await?;
    let by_stars = count.fetch_all(db.pool()).await?;
    Ok((
        rows,
        Counted {
            total: by_stars.iter().map(|(_, n)| n).sum(),
            by_stars,
        },
    ))
}

/// How many certificates a search found: in all, and (stars, how many).
#[derive(Debug, Clone, Default)]
pub struct Counted {
    pub total: i64,
    pub by_stars: Vec<(i64, i64)>,
}

/// `word` for a LIKE pattern: `\`, `%` and `_` taken literally.
fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Stores a new certificate's search text (its product, producer and commune
/// folded), in the transaction that adds it.
pub(crate) async fn index(
    tx: &mut sqlx::AnyConnection,
    certificate: &super::certificates::NewCertificate<'_>,
) -> Result<(), DbError> {
    let commune: Option<(String,)> = match certificate.product_id {
        Some(product_id) => {
            sqlx::query_as(
                "SELECT m.name FROM products p JOIN subjects s ON s.id = p.subject_id \
                 JOIN commune m ON m.code = s.commune_code WHERE p.id = $1",
            )
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let commune = commune.map(|(name,)| name).unwrap_or_default();
    add_words(
        tx,
        certificate.code,
        certificate.product_name,
        certificate.subject_name,
        &commune,
    )
    .await
}

async fn add_words(
    tx: &mut sqlx::AnyConnection,
    code: &str,
    product: &str,
    subject: &str,
    commune: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO catalogue_words (code, folded) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
    )
    .bind(code)
    .bind(search_text(product, subject, commune))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Stores the search text of every certificate that has none (after an
/// upgrade, or rows written outside Sao); run once at start-up. How many.
pub async fn index_missing(db: &Db) -> Result<usize, DbError> {
    let missing: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT c.code, c.product_name, c.subject_name, m.name FROM certificates c \
         LEFT JOIN products p ON p.id = c.product_id LEFT JOIN subjects s ON s.id = p.subject_id \
         LEFT JOIN commune m ON m.code = s.commune_code \
         WHERE NOT EXISTS (SELECT 1 FROM catalogue_words w WHERE w.code = c.code)",
    )
    .fetch_all(db.pool())
    .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    for (code, product, subject, commune) in &missing {
        add_words(
            &mut tx,
            code,
            product,
            subject,
            commune.as_deref().unwrap_or(""),
        )
        .await?;
    }
    super::commit(tx).await?;
    Ok(missing.len())
}

/// One certificate with its product's place, whatever its state (the product
/// page says when it has expired or been revoked).
pub async fn by_code(db: &Db, code: &str) -> Result<Option<CatalogueRow>, DbError> {
    Ok(sqlx::query_as::<_, CatalogueRow>(&format!(
        "{SELECT_COLUMNS} FROM certificates c{JOINS} WHERE c.code = $1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// The sales channels of the subject behind certificate `code` (stored codes).
pub async fn channels_of(db: &Db, code: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT sc.channel FROM certificates c \
         JOIN products p ON p.id = c.product_id \
         JOIN subject_sales_channels sc ON sc.subject_id = p.subject_id \
         WHERE c.code = $1 ORDER BY sc.channel",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await?)
}

/// The communes of `province` that have a product in force, with their names
/// and how many: the commune filter's choices (one province's, so a national
/// list stays short) and the province page's list.
pub async fn communes_listed(
    db: &Db,
    today: &str,
    province: i64,
) -> Result<Vec<(i64, String, i64)>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT m.code, m.name, COUNT(*) FROM certificates c \
         JOIN products p ON p.id = c.product_id \
         JOIN subjects s ON s.id = p.subject_id \
         JOIN commune m ON m.code = s.commune_code \
         WHERE c.province_code = $2 AND {} AND m.province_code = $2 \
         GROUP BY m.code, m.name ORDER BY m.name",
        super::certificates::in_force_on("$1"),
    ))
    .bind(today)
    .bind(province)
    .fetch_all(db.pool())
    .await?)
}

/// Every certificate's code and product name (the sitemap), in force or not:
/// a product page stays, saying what became of it.
pub async fn all_codes(db: &Db) -> Result<Vec<(String, String)>, DbError> {
    Ok(
        sqlx::query_as("SELECT code, product_name FROM certificates ORDER BY code")
            .fetch_all(db.pool())
            .await?,
    )
}

/// The provinces that have a product in force, with their names: each of
/// the 34 asked whether it has one (its first in force ends the search),
/// rather than every certificate read.
pub async fn provinces_listed(db: &Db, today: &str) -> Result<Vec<(i64, String)>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT v.code, v.name FROM province v \
         WHERE EXISTS (SELECT 1 FROM certificates c WHERE c.province_code = v.code AND {}) \
         ORDER BY v.name",
        super::certificates::in_force_on("$1"),
    ))
    .bind(today)
    .fetch_all(db.pool())
    .await?)
}
