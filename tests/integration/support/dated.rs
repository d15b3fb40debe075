//! Certified products of known dates, made straight in the database: a subject
//! (kind, value chain, sales channels), its product and its certificate.
use crate::support::TestServer;
use app::db::certificates::{insert, NewCertificate};
use app::domain::certificate::Validity;
use app::domain::date::CalendarDate;

/// A subject of `commune` with one product certified on `issued` (revoked on
/// `revoked`, if given).
pub struct Certified {
    pub commune: i64,
    pub kind: &'static str,
    pub value_chain: bool,
    pub channels: &'static [&'static str],
    pub stars: u8,
    pub issued: &'static str,
    pub revoked: Option<&'static str>,
}

pub async fn certify(server: &TestServer, index: usize, c: Certified) {
    let db = &server.db;
    let (subject, product) = (
        format!("plan-subject-{index}"),
        format!("plan-product-{index}"),
    );
    sqlx::query(
        "INSERT INTO subjects (id, kind, name, registration_number, registration_date, tax_code, \
         commune_code, address, representative, representative_woman, representative_ethnic_minority, \
         representative_disability, workers_total, workers_local, value_chain_contracts, created_ms, updated_ms) \
         VALUES ($1, $2, $1, '1', '2019-01-01', '1', $3, 'x', 'x', 0, 0, 0, 1, 1, $4, 0, 0)",
    )
    .bind(&subject)
    .bind(c.kind)
    .bind(c.commune)
    .bind(i64::from(c.value_chain))
    .execute(db.pool())
    .await
    .expect("subject");
    for channel in c.channels {
        sqlx::query("INSERT INTO subject_sales_channels (subject_id, channel) VALUES ($1, $2)")
            .bind(&subject)
            .bind(*channel)
            .execute(db.pool())
            .await
            .expect("channel");
    }
    sqlx::query(
        "INSERT INTO products (id, subject_id, name, rule_set, product_set, kind, previous_certificate, \
         changes, state, version, created_ms, updated_ms) \
         VALUES ($1, $2, $1, 'qd-26-2026', 7, 'first_time', '', '', 'in_round', 1, 0, 0)",
    )
    .bind(&product)
    .bind(&subject)
    .execute(db.pool())
    .await
    .expect("product");
    let mut tx = db.begin().await.expect("begin");
    let code = format!("PLAN-{index}");
    let issued = CalendarDate::parse(c.issued).expect("date");
    let new = NewCertificate {
        code: &code,
        province: 51,
        product_id: Some(&product),
        product_name: &product,
        subject_name: &subject,
        stars: c.stars,
        validity: Validity::from_issue(issued),
    };
    assert!(insert(&mut tx, &new).await.expect("certificate"));
    if let Some(day) = c.revoked {
        app::db::certificates::revoke(&mut tx, &code, day, "a")
            .await
            .expect("revoke");
    }
    app::db::commit(tx).await.expect("commit");
}
