//! Demo data for a new database: what a visitor needs to try each journey.
use super::{Db, DbError};
use crate::auth::{Grant, Role, Scope, ScopeKind};
use sqlx::Acquire;

/// The seed plan's former Đắk Glei district, now communes of Quảng Ngãi (51),
/// as a named group of communes (brief: districts are groups in the three-tier plan).
pub const DEMO_DISTRICT_NAME: &str = "Huyện Đắk Glei (cũ)";
pub const DEMO_DISTRICT_COMMUNES: [i64; 5] = [23344, 23341, 23374, 23356, 23365];

/// Loads the demo data once, with README's password; returns whether anything was added.
pub async fn ensure_loaded(db: &Db) -> Result<bool, DbError> {
    Ok(ensure_loaded_with(db, &|_| DEMO_PASSWORD.to_string())
        .await?
        .is_some())
}

/// Loads the demo data once with each account's password from `password_for`
/// (its phone → password); the accounts and passwords when they were added now.
pub async fn ensure_loaded_with(
    db: &Db,
    password_for: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<Vec<(String, String)>>, DbError> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM district_group WHERE name = $1")
        .bind(DEMO_DISTRICT_NAME)
        .fetch_one(db.pool())
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    let mut conn = db.pool().acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("INSERT INTO district_group (id, province_code, name) VALUES ($1, $2, $3)")
        .bind("demo-dak-glei")
        .bind(51_i64)
        .bind(DEMO_DISTRICT_NAME)
        .execute(&mut *tx)
        .await?;
    for commune in DEMO_DISTRICT_COMMUNES {
        sqlx::query("INSERT INTO district_group_commune (group_id, commune_code) VALUES ($1, $2)")
            .bind("demo-dak-glei")
            .bind(commune)
            .execute(&mut *tx)
            .await?;
    }
    let mut accounts = add_demo_accounts(&mut tx, password_for).await?;
    let producer = DEMO_ACCOUNTS
        .iter()
        .find(|(_, _, role, _)| *role == Role::Producer)
        .map(|(phone, ..)| *phone)
        .unwrap_or_default();
    let (producer_id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE phone = $1")
        .bind(producer)
        .fetch_one(&mut *tx)
        .await?;
    accounts.extend(super::demo_council::add(&mut tx, &producer_id, password_for).await?);
    super::audit::write(
        &mut tx,
        &super::audit::Actor::system(),
        super::audit::Change::new("load_demo_data", "district_group", "demo-dak-glei")
            .after(Some(super::audit::digest(&DEMO_DISTRICT_COMMUNES))),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(accounts))
}

/// The demo's password for every demo account (README lists them).
pub const DEMO_PASSWORD: &str = "demo-ocop-2026";

/// One account per kind of user, to try each journey: (phone, name, role, scope code).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 6] = [
    (
        "+84900000001",
        "Quản trị hệ thống (demo)",
        Role::SuperAdmin,
        "",
    ),
    (
        "+84900000002",
        "Quản trị tỉnh Quảng Ngãi (demo)",
        Role::Admin,
        "51",
    ),
    (
        "+84900000003",
        "Cán bộ xã Đắk Glei (demo)",
        Role::CommuneOfficer,
        "23344",
    ),
    (
        "+84900000004",
        "Cơ quan OCOP Quảng Ngãi (demo)",
        Role::OfficeStaff,
        "51",
    ),
    ("+84900000005", "Chủ thể OCOP (demo)", Role::Producer, ""),
    (
        "+84900000012",
        "Cơ quan OCOP trung ương (demo)",
        Role::MinistryStaff,
        "",
    ),
];

async fn add_demo_accounts(
    tx: &mut sqlx::AnyConnection,
    password_for: &(dyn Fn(&str) -> String + Sync),
) -> Result<Vec<(String, String)>, DbError> {
    let mut accounts = Vec::new();
    for (phone, name, role, code) in DEMO_ACCOUNTS {
        let password = password_for(phone);
        let hash =
            crate::auth::hashing::hash_password_now(&password).map_err(DbError::PasswordHash)?;
        accounts.push((phone.to_string(), password));
        let scope = match role.scope_kind() {
            ScopeKind::Commune => Scope::Commune {
                code: code.parse().unwrap_or_default(),
                province: 51,
            },
            ScopeKind::Province => Scope::Province(code.parse().unwrap_or_default()),
            ScopeKind::Council => Scope::Council {
                round: code.to_string(),
                office: crate::auth::Office::Province(51),
            },
            ScopeKind::None => Scope::Everywhere,
        };
        super::users::create(tx, phone, name, Some(&hash), &[Grant { role, scope }]).await?;
    }
    Ok(accounts)
}

/// Communes of a named district group, ordered by name.
pub async fn district_communes(db: &Db, group_name: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT c.name FROM district_group g \
         JOIN district_group_commune gc ON gc.group_id = g.id \
         JOIN commune c ON c.code = gc.commune_code \
         WHERE g.name = $1 ORDER BY c.name",
    )
    .bind(group_name)
    .fetch_all(db.pool())
    .await?)
}
