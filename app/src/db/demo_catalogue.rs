//! The demo's public catalogue (issue 17): products of the province certified in
//! earlier years, from several communes and producers, with their sales
//! channels — one expired and one revoked, which the catalogue leaves out but
//! their pages still explain — and one certificate imported from before Sao.
use super::certificates::{insert, next_code, NewCertificate};
use super::DbError;
use crate::domain::certificate::Validity;
use crate::domain::date::CalendarDate;
use sqlx::AnyConnection;

/// (product, producer, commune, product set, stars, months since issue,
/// revoked, sales channels)
type Line = (
    &'static str,
    &'static str,
    i64,
    i64,
    u8,
    i32,
    bool,
    &'static [&'static str],
);

const PRODUCTS: [Line; 8] = [
    (
        "Sâm Ngọc Linh tươi",
        "HTX Dược liệu Ngọc Linh",
        23365,
        20,
        5,
        14,
        false,
        &["ocop_shop", "e_commerce", "export"],
    ),
    (
        "Chè dây Đăk Pék",
        "HTX Nông nghiệp Đăk Pék",
        23341,
        7,
        3,
        10,
        false,
        &["traditional", "ocop_shop"],
    ),
    (
        "Cà phê Arabica Đăk Môn",
        "Tổ hợp tác Cà phê Đăk Môn",
        23374,
        7,
        4,
        20,
        false,
        &["supermarket", "e_commerce"],
    ),
    (
        "Mật ong rừng Xốp",
        "Hộ kinh doanh A Thía",
        23356,
        7,
        3,
        8,
        false,
        &["traditional"],
    ),
    (
        "Nước mắm Tịnh Khê",
        "HTX Chế biến hải sản Tịnh Khê",
        21211,
        7,
        4,
        26,
        false,
        &["supermarket", "convenience_store"],
    ),
    (
        "Đường phèn An Phú",
        "Cơ sở Đường phèn An Phú",
        21034,
        7,
        3,
        5,
        false,
        &[],
    ),
    (
        "Rượu cần Đăk Môn",
        "Tổ hợp tác Rượu cần Đăk Môn",
        23374,
        7,
        3,
        40,
        false,
        &["traditional"],
    ),
    (
        "Măng khô Đăk Pék",
        "Hộ kinh doanh Y Lan",
        23341,
        7,
        3,
        12,
        true,
        &["traditional"],
    ),
];

/// The certificate imported from the province's list of before Sao.
const IMPORTED: (&str, &str, &str, u8) = (
    "QN-2023-014",
    "Tinh dầu quế Trà Bồng",
    "HTX Quế Trà Bồng",
    4,
);

fn months_before(day: CalendarDate, months: i32) -> CalendarDate {
    let total = day.year * 12 + day.month as i32 - 1 - months;
    CalendarDate {
        year: total.div_euclid(12),
        month: total.rem_euclid(12) as u32 + 1,
        day: day.day.min(28),
    }
}

/// A demo producer's kind, from how its name begins.
fn kind_of(subject: &str) -> &'static str {
    use crate::domain::subject::SubjectKind as K;
    let kind = match subject.split_whitespace().next() {
        Some("HTX") => K::Cooperative,
        Some("Tổ") => K::CooperativeGroup,
        Some("Hộ") => K::Household,
        _ => K::SmallEnterprise,
    };
    kind.as_str()
}

/// The seed plan's 2025 targets for the demo's district (section II).
async fn add_plan(tx: &mut AnyConnection) -> Result<(), DbError> {
    let district = crate::domain::plan::PlanScope::District("demo-dak-glei".into());
    for target in crate::domain::plan::SEED_2025 {
        super::plan::set(tx, (2025, &district, 51), target, None).await?;
    }
    Ok(())
}

/// The demo catalogue's products, by id (the server paints them a photo).
pub fn product_ids() -> impl Iterator<Item = String> {
    (0..PRODUCTS.len()).map(product_id)
}

fn product_id(index: usize) -> String {
    format!("demo-catalogue-product-{index}")
}

/// Adds the catalogue's products, their producers and certificates (province 51).
pub async fn add(tx: &mut AnyConnection, now: i64) -> Result<(), DbError> {
    let today = CalendarDate::of_ms_vietnam(now);
    let mut in_force = Vec::new();
    for (index, (product, subject, commune, set, stars, months, revoked, channels)) in
        PRODUCTS.into_iter().enumerate()
    {
        let subject_id = format!("demo-catalogue-subject-{index}");
        let product_id = product_id(index);
        sqlx::query(
            "INSERT INTO subjects (id, kind, name, registration_number, registration_date, tax_code, \
             commune_code, address, representative, representative_woman, representative_ethnic_minority, \
             representative_disability, workers_total, workers_local, value_chain_contracts, created_ms, updated_ms) \
             VALUES ($1, $8, $2, $3, '2019-05-20', $3, $4, $5, $6, 1, 1, 0, 12, 10, $9, $7, $7)",
        )
        .bind(&subject_id)
        .bind(subject)
        .bind(format!("61000{index:05}"))
        .bind(commune)
        .bind(subject)
        .bind(subject)
        .bind(now)
        .bind(kind_of(subject))
        .bind(i64::from(index % 2 == 0))
        .execute(&mut *tx)
        .await?;
        for channel in channels {
            sqlx::query("INSERT INTO subject_sales_channels (subject_id, channel) VALUES ($1, $2)")
                .bind(&subject_id)
                .bind(*channel)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO products (id, subject_id, name, rule_set, product_set, kind, previous_certificate, \
             changes, state, version, created_ms, updated_ms) \
             VALUES ($1, $2, $3, 'qd-26-2026', $4, 'first_time', '', '', 'in_round', 1, $5, $5)",
        )
        .bind(&product_id)
        .bind(&subject_id)
        .bind(product)
        .bind(set)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let issued = months_before(today, months);
        let code = next_code(tx, 51, commune as u32, issued.year)
            .await?
            .to_string();
        insert(
            tx,
            &NewCertificate {
                code: &code,
                province: 51,
                product_id: Some(&product_id),
                product_name: product,
                subject_name: subject,
                stars,
                validity: Validity::from_issue(issued),
            },
        )
        .await?;
        if revoked {
            super::certificates::revoke(tx, &code, &months_before(today, 1).iso(), "a").await?;
        } else if months < crate::domain::certificate::VALIDITY_MONTHS as i32 {
            in_force.push(code);
        }
    }
    super::demo_promotion::add(tx, today, &in_force).await?;
    let (code, product, subject, stars) = IMPORTED;
    insert(
        tx,
        &NewCertificate {
            code,
            province: 51,
            product_id: None,
            product_name: product,
            subject_name: subject,
            stars,
            validity: Validity::from_issue(months_before(today, 30)),
        },
    )
    .await?;
    add_plan(tx).await
}
