//! Trade promotion's rows (issue 17): showcase and sales points, fairs, and the
//! certified products shown at each (by certificate code).
use super::{decoded, Db, DbError};
use crate::domain::date::CalendarDate;
use crate::domain::promotion::{
    FairForm, FairLine, PointForm, PointKind, PointLine, Showing, ShownProduct,
};

/// Where a point or a fair belongs: the province whose office keeps it.
pub async fn province_of(db: &Db, showing: &Showing) -> Result<Option<i64>, DbError> {
    let (sql, id) = match showing {
        Showing::Point(id) => (
            "SELECT m.province_code FROM sales_points p \
             JOIN commune m ON m.code = p.commune_code WHERE p.id = $1",
            id,
        ),
        Showing::Fair(id) => ("SELECT province_code FROM fairs WHERE id = $1", id),
    };
    let row: Option<(i64,)> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(code,)| code))
}

pub async fn add_point(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    point: &PointForm,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO sales_points (id, commune_code, name, address, kind, opened_on, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(point.commune)
    .bind(&point.name)
    .bind(&point.address)
    .bind(point.kind.as_str())
    .bind(point.opened_on.iso())
    .bind(super::now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn add_fair(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    province: i64,
    fair: &FairForm,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO fairs (id, province_code, name, place, starts_on, ends_on, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(province)
    .bind(&fair.name)
    .bind(&fair.place)
    .bind(fair.starts_on.iso())
    .bind(fair.ends_on.iso())
    .bind(super::now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The table of products shown at a point or a fair, its id column, the id.
fn products_of(showing: &Showing) -> (&'static str, &'static str, &String) {
    match showing {
        Showing::Point(id) => ("sales_point_products", "point_id", id),
        Showing::Fair(id) => ("fair_products", "fair_id", id),
    }
}

/// Shows product `code` at the point or fair; false when it is shown there already.
pub async fn link(
    tx: &mut sqlx::AnyConnection,
    showing: &Showing,
    code: &str,
) -> Result<bool, DbError> {
    let (table, column, id) = products_of(showing);
    let sql = format!(
        "INSERT INTO {table} ({column}, certificate_code, added_ms) \
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
    );
    let done = sqlx::query(&sql)
        .bind(id)
        .bind(code)
        .bind(super::now_ms())
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn day(column: &'static str, iso: &str) -> Result<String, DbError> {
    decoded(column, iso, CalendarDate::parse(iso).ok()).map(CalendarDate::day_month_year)
}

type PointRow = (String, String, String, String, String, String);

/// The value a listing's condition is bound to.
#[derive(Clone, Copy)]
enum Key<'a> {
    Number(i64),
    Code(&'a str),
}

fn bound<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    key: Key<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    match key {
        Key::Number(code) => query.bind(code),
        Key::Code(code) => query.bind(code),
    }
}

async fn points_where(db: &Db, condition: &str, key: Key<'_>) -> Result<Vec<PointLine>, DbError> {
    let sql = format!(
        "SELECT p.id, p.name, p.address, m.name, p.kind, p.opened_on FROM sales_points p \
         JOIN commune m ON m.code = p.commune_code WHERE {condition} ORDER BY m.name, p.name"
    );
    let rows: Vec<PointRow> = bound(sqlx::query_as(&sql), key)
        .fetch_all(db.pool())
        .await?;
    let mut points = Vec::new();
    for (id, name, address, commune, kind, opened_on) in rows {
        let products = shown(db, &Showing::Point(id.clone())).await?;
        points.push(PointLine {
            kind: decoded("sales_points.kind", &kind, PointKind::parse(&kind))?,
            opened_on: day("sales_points.opened_on", &opened_on)?,
            id,
            name,
            address,
            commune,
            products,
        });
    }
    Ok(points)
}

type FairRow = (String, String, String, String, String);

async fn fairs_where(db: &Db, condition: &str, key: Key<'_>) -> Result<Vec<FairLine>, DbError> {
    let sql = format!(
        "SELECT f.id, f.name, f.place, f.starts_on, f.ends_on FROM fairs f \
         WHERE {condition} ORDER BY f.starts_on DESC, f.name"
    );
    let rows: Vec<FairRow> = bound(sqlx::query_as(&sql), key)
        .fetch_all(db.pool())
        .await?;
    let mut fairs = Vec::new();
    for (id, name, place, starts_on, ends_on) in rows {
        let products = shown(db, &Showing::Fair(id.clone())).await?;
        fairs.push(FairLine {
            starts_on: day("fairs.starts_on", &starts_on)?,
            ends_on: day("fairs.ends_on", &ends_on)?,
            id,
            name,
            place,
            products,
        });
    }
    Ok(fairs)
}

/// The products shown at a point or a fair, while their certificate is in
/// force (a revoked or expired product is no longer promoted).
async fn shown(db: &Db, showing: &Showing) -> Result<Vec<ShownProduct>, DbError> {
    let (table, column, id) = products_of(showing);
    let sql = format!(
        "SELECT c.code, c.product_name FROM {table} l \
         JOIN certificates c ON c.code = l.certificate_code \
         WHERE l.{column} = $1 AND {} ORDER BY c.product_name",
        super::certificates::in_force_on("$2")
    );
    let today = CalendarDate::of_ms_vietnam(super::now_ms()).iso();
    let rows: Vec<(String, String)> = sqlx::query_as(&sql)
        .bind(id)
        .bind(today)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| ShownProduct { code, name })
        .collect())
}

/// The points of `province` (the office's desk).
pub async fn points_of(db: &Db, province: i64) -> Result<Vec<PointLine>, DbError> {
    points_where(db, "m.province_code = $1", Key::Number(province)).await
}

/// The points in `commune` (its public page).
pub async fn points_in(db: &Db, commune: i64) -> Result<Vec<PointLine>, DbError> {
    points_where(db, "p.commune_code = $1", Key::Number(commune)).await
}

/// The fairs of `province` (the office's desk).
pub async fn fairs_of(db: &Db, province: i64) -> Result<Vec<FairLine>, DbError> {
    fairs_where(db, "f.province_code = $1", Key::Number(province)).await
}

/// The points that carry product `code` (its public page: where to buy).
pub async fn points_carrying(db: &Db, code: &str) -> Result<Vec<PointLine>, DbError> {
    points_where(
        db,
        "p.id IN (SELECT point_id FROM sales_point_products WHERE certificate_code = $1)",
        Key::Code(code),
    )
    .await
}

/// The fairs product `code` took part in.
pub async fn fairs_with(db: &Db, code: &str) -> Result<Vec<FairLine>, DbError> {
    fairs_where(
        db,
        "f.id IN (SELECT fair_id FROM fair_products WHERE certificate_code = $1)",
        Key::Code(code),
    )
    .await
}
