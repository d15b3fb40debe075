//! Provinces and communes (structure in force since 1 July 2025).
use super::{Db, DbError};
use crate::domain::admin_units::{AdminUnitCounts, ProvinceRow};
use sqlx::Acquire;

/// The official list shipped with Sao: 34 provinces, 3,321 communes.
pub const OFFICIAL_CSV: &str = include_str!("../../data/admin-units-2025.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneRecord {
    pub province_code: i64,
    pub province_name: String,
    pub province_kind: String,
    pub commune_code: i64,
    pub commune_name: String,
    pub commune_kind: String,
}

/// Parses the CSV (header `province_code,province_name,province_type,commune_code,commune_name,commune_type`).
pub fn parse_csv(text: &str) -> Result<Vec<CommuneRecord>, DbError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|error| DbError::AdminUnitCsv {
            line: error.position().map(|p| p.line()).unwrap_or(0),
            reason: error.to_string(),
        })?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let field = |index: usize, name: &str| -> Result<String, DbError> {
            match row.get(index).map(str::trim) {
                Some(value) if !value.is_empty() => Ok(value.to_string()),
                _ => Err(DbError::AdminUnitCsv {
                    line,
                    reason: format!("column {name} is missing"),
                }),
            }
        };
        let code = |index: usize, name: &str| -> Result<i64, DbError> {
            let text = field(index, name)?;
            text.parse::<i64>()
                .ok()
                .filter(|code| *code > 0)
                .ok_or_else(|| DbError::AdminUnitCsv {
                    line,
                    reason: format!("{name} \"{text}\" is not a positive code"),
                })
        };
        records.push(CommuneRecord {
            province_code: code(0, "province_code")?,
            province_name: field(1, "province_name")?,
            province_kind: field(2, "province_type")?,
            commune_code: code(3, "commune_code")?,
            commune_name: field(4, "commune_name")?,
            commune_kind: field(5, "commune_type")?,
        });
    }
    Ok(records)
}

/// Rows per INSERT: well under both engines' limits on bound parameters.
const ROWS_PER_INSERT: usize = 400;

/// Loads the records into empty tables in one transaction: all or nothing.
pub async fn load(db: &Db, records: &[CommuneRecord]) -> Result<(), DbError> {
    let mut conn = db.pool().acquire().await?;
    let mut tx = conn.begin().await?;

    let mut provinces: Vec<&CommuneRecord> = Vec::new();
    for record in records {
        if !provinces
            .iter()
            .any(|p| p.province_code == record.province_code)
        {
            provinces.push(record);
        }
    }
    for chunk in provinces.chunks(ROWS_PER_INSERT) {
        let sql = insert_sql(
            "INSERT INTO province (code, name, kind) VALUES ",
            3,
            chunk.len(),
        );
        let mut query = sqlx::query(&sql);
        for p in chunk {
            query = query
                .bind(p.province_code)
                .bind(p.province_name.clone())
                .bind(p.province_kind.clone());
        }
        query.execute(&mut *tx).await?;
    }
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let sql = insert_sql(
            "INSERT INTO commune (code, province_code, name, kind) VALUES ",
            4,
            chunk.len(),
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            query = query
                .bind(c.commune_code)
                .bind(c.province_code)
                .bind(c.commune_name.clone())
                .bind(c.commune_kind.clone());
        }
        query.execute(&mut *tx).await?;
    }
    super::audit::write(
        &mut tx,
        &super::audit::Actor::system(),
        super::audit::Change::new("load_admin_units", "admin_units", "2025").after(Some(
            super::audit::digest(&(provinces.len(), records.len())),
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `prefix ($1, $2, …), (…)` for `rows` rows of `columns` values.
fn insert_sql(prefix: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(prefix);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Loads the official list when the tables are empty; returns whether it loaded.
pub async fn ensure_loaded(db: &Db) -> Result<bool, DbError> {
    if summary(db).await?.provinces > 0 {
        return Ok(false);
    }
    load(db, &parse_csv(OFFICIAL_CSV)?).await?;
    Ok(true)
}

pub async fn summary(db: &Db) -> Result<AdminUnitCounts, DbError> {
    let (provinces, communes): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM province), (SELECT COUNT(*) FROM commune)")
            .fetch_one(db.pool())
            .await?;
    Ok(AdminUnitCounts {
        provinces,
        communes,
    })
}

pub async fn provinces(db: &Db) -> Result<Vec<ProvinceRow>, DbError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT p.code, p.name, COUNT(c.code) FROM province p \
         LEFT JOIN commune c ON c.province_code = p.code \
         GROUP BY p.code, p.name ORDER BY p.code",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, communes)| ProvinceRow {
            code,
            name,
            communes,
        })
        .collect())
}

/// Communes of one province, ordered by name.
pub async fn communes_of(db: &Db, province_code: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT code, name FROM commune WHERE province_code = $1 ORDER BY name, code",
    )
    .bind(province_code)
    .fetch_all(db.pool())
    .await?)
}

/// (commune name, province's full name, district group name if the commune has
/// one). The list names most provinces bare ("Quảng Ngãi"); documents need "tỉnh
/// Quảng Ngãi", while cities come as "Thành phố Hà Nội" already.
pub async fn names_of_commune(
    db: &Db,
    commune_code: i64,
) -> Result<Option<(String, String, Option<String>)>, DbError> {
    let names: Option<(String, String, String)> = sqlx::query_as(
        "SELECT c.name, p.name, p.kind FROM commune c JOIN province p ON p.code = c.province_code WHERE c.code = $1",
    )
    .bind(commune_code)
    .fetch_optional(db.pool())
    .await?;
    let Some((commune, province, kind)) = names else {
        return Ok(None);
    };
    let province = full_province_name(province, &kind);
    let district: Option<(String,)> = sqlx::query_as(
        "SELECT g.name FROM district_group g JOIN district_group_commune dc ON dc.group_id = g.id \
         WHERE dc.commune_code = $1 ORDER BY g.name LIMIT 1",
    )
    .bind(commune_code)
    .fetch_optional(db.pool())
    .await?;
    Ok(Some((commune, province, district.map(|(name,)| name))))
}

/// A province's name as the list gives it ("Quảng Ngãi") and its kind.
async fn province_row(db: &Db, province_code: i64) -> Result<Option<(String, String)>, DbError> {
    Ok(
        sqlx::query_as("SELECT name, kind FROM province WHERE code = $1")
            .bind(province_code)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// A province's name as the list gives it (the catalogue's filters and pages).
pub async fn province_name(db: &Db, province_code: i64) -> Result<Option<String>, DbError> {
    Ok(province_row(db, province_code).await?.map(|(name, _)| name))
}

/// A province's full name as documents print it ("tỉnh Quảng Ngãi", "Thành phố Hà Nội").
pub async fn province_full_name(db: &Db, province_code: i64) -> Result<Option<String>, DbError> {
    Ok(province_row(db, province_code)
        .await?
        .map(|(name, kind)| full_province_name(name, &kind)))
}

/// "tỉnh Quảng Ngãi" for a bare province name; cities come whole already.
fn full_province_name(name: String, kind: &str) -> String {
    if kind == "tỉnh" && !name.starts_with("Tỉnh") {
        format!("tỉnh {name}")
    } else {
        name
    }
}

/// The province a commune belongs to.
pub async fn province_of_commune(db: &Db, commune_code: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT province_code FROM commune WHERE code = $1")
        .bind(commune_code)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(code,)| code))
}

/// A commune's name and its province's code.
pub async fn commune(db: &Db, commune_code: i64) -> Result<Option<(String, i64)>, DbError> {
    Ok(
        sqlx::query_as("SELECT name, province_code FROM commune WHERE code = $1")
            .bind(commune_code)
            .fetch_optional(db.pool())
            .await?,
    )
}
