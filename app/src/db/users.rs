//! Accounts, their role grants and one-time links (invitations, password resets).
use super::{now_ms, Db, DbError};
use crate::auth::{Grant, Role, Scope, ScopeKind};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// A user row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UserRecord {
    pub id: String,
    pub phone: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    #[serde(skip)]
    pub session_epoch: String,
    pub created_ms: i64,
    pub disabled_ms: Option<i64>,
}

const USER_COLUMNS: &str =
    "id, phone, display_name, password_hash, session_epoch, created_ms, disabled_ms";

/// A fresh random token (244 bits), used for session epochs and one-time links.
pub fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub(crate) fn sha256_hex(text: &str) -> String {
    crate::storage::sha256_hex(text.as_bytes())
}

pub async fn by_phone(db: &Db, phone: &str) -> Result<Option<UserRecord>, DbError> {
    by_phone_in(&mut *db.pool().acquire().await?, phone).await
}

/// The same read inside the caller's transaction (no second pooled connection).
pub async fn by_phone_in(
    conn: &mut AnyConnection,
    phone: &str,
) -> Result<Option<UserRecord>, DbError> {
    let row: Option<UserRecord> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE phone = $1"
    ))
    .bind(phone)
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<UserRecord>, DbError> {
    let row: Option<UserRecord> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row)
}

/// Inserts a user and their grants on `conn` (the caller's transaction); returns the id.
pub async fn create(
    conn: &mut AnyConnection,
    phone: &str,
    display_name: &str,
    password_hash: Option<&str>,
    grants: &[Grant],
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, phone, display_name, password_hash, session_epoch, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(phone)
    .bind(display_name)
    .bind(password_hash)
    .bind(random_token())
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    for grant in grants {
        add_grant(conn, &id, grant).await?;
    }
    Ok(id)
}

/// Gives `grant` to a user; returns the grant's id.
pub async fn add_grant(
    conn: &mut AnyConnection,
    user_id: &str,
    grant: &Grant,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO role_grants (id, user_id, role, scope_kind, scope_code, granted_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(grant.role.as_str())
    .bind(grant.scope.kind().as_str())
    .bind(grant.scope.code())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(id)
}

/// A grant with its id, as the admin pages list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredGrant {
    pub id: String,
    pub user_id: String,
    pub grant: Grant,
}

/// Builds the scope of a stored grant; a commune's or a council's province is looked up.
pub async fn resolve_scope(db: &Db, kind: ScopeKind, code: &str) -> Result<Option<Scope>, DbError> {
    let number = code.trim().parse::<i64>().ok();
    Ok(match (kind, number) {
        (ScopeKind::None, _) => Some(Scope::Everywhere),
        (ScopeKind::Council, _) => {
            let round: Option<(String, Option<i64>)> =
                sqlx::query_as("SELECT id, province_code FROM rounds WHERE id = $1")
                    .bind(code.trim())
                    .fetch_optional(db.pool())
                    .await?;
            round.map(|(round, province)| Scope::Council {
                round,
                office: province
                    .map_or(crate::auth::Office::Ministry, crate::auth::Office::Province),
            })
        }
        (ScopeKind::Commune, Some(code)) => {
            let province: Option<(i64,)> =
                sqlx::query_as("SELECT province_code FROM commune WHERE code = $1")
                    .bind(code)
                    .fetch_optional(db.pool())
                    .await?;
            province.map(|(province,)| Scope::Commune { code, province })
        }
        (ScopeKind::Province, Some(code)) => {
            let found: Option<(i64,)> = sqlx::query_as("SELECT code FROM province WHERE code = $1")
                .bind(code)
                .fetch_optional(db.pool())
                .await?;
            found.map(|(code,)| Scope::Province(code))
        }
        _ => None,
    })
}

fn scope_kind(text: &str) -> Option<ScopeKind> {
    [
        ScopeKind::None,
        ScopeKind::Commune,
        ScopeKind::Province,
        ScopeKind::Council,
    ]
    .into_iter()
    .find(|kind| kind.as_str() == text)
}

async fn stored_grants(db: &Db, sql: &str, key: &str) -> Result<Vec<StoredGrant>, DbError> {
    let rows: Vec<(String, String, String, String, String)> =
        sqlx::query_as(sql).bind(key).fetch_all(db.pool()).await?;
    let mut grants = Vec::with_capacity(rows.len());
    for (id, user_id, role, kind, code) in rows {
        let (Some(role), Some(kind)) = (Role::parse(&role), scope_kind(&kind)) else {
            tracing::warn!(%id, "a role grant with an unknown role or scope is ignored");
            continue;
        };
        if let Some(scope) = resolve_scope(db, kind, &code).await? {
            grants.push(StoredGrant {
                id,
                user_id,
                grant: Grant { role, scope },
            });
        }
    }
    Ok(grants)
}

/// Every grant a user holds.
pub async fn grants_of(db: &Db, user_id: &str) -> Result<Vec<StoredGrant>, DbError> {
    stored_grants(
        db,
        "SELECT id, user_id, role, scope_kind, scope_code FROM role_grants \
         WHERE user_id = $1 ORDER BY granted_ms, id",
        user_id,
    )
    .await
}

/// One grant by its id.
pub async fn grant_by_id(db: &Db, grant_id: &str) -> Result<Option<StoredGrant>, DbError> {
    Ok(stored_grants(
        db,
        "SELECT id, user_id, role, scope_kind, scope_code FROM role_grants WHERE id = $1",
        grant_id,
    )
    .await?
    .into_iter()
    .next())
}

pub async fn remove_grant(conn: &mut AnyConnection, grant_id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM role_grants WHERE id = $1")
        .bind(grant_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a new password hash and a new session epoch (which ends every other session).
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $1, session_epoch = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(random_token())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of the user: their stored records go, and the epoch changes
/// so that a session in flight is refused at its next request.
pub async fn end_all_sessions(conn: &mut AnyConnection, user_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET session_epoch = $1 WHERE id = $2")
        .bind(random_token())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Disables (now) or re-enables a user; disabling also ends their sessions.
pub async fn set_disabled(
    conn: &mut AnyConnection,
    user_id: &str,
    disabled: bool,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET disabled_ms = $1 WHERE id = $2")
        .bind(disabled.then(now_ms))
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if disabled {
        end_all_sessions(conn, user_id).await?;
    }
    Ok(())
}

/// A user with their grants, for the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub phone: String,
    pub display_name: String,
    pub disabled: bool,
    pub has_password: bool,
    pub grants: Vec<StoredGrant>,
}

/// Users holding a grant in `province` (every user when None), by name.
pub async fn list(db: &Db, province: Option<i64>) -> Result<Vec<UserSummary>, DbError> {
    let rows: Vec<UserRecord> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY display_name, id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut users = Vec::new();
    for record in rows {
        let grants = grants_of(db, &record.id).await?;
        let shown = match province {
            None => true,
            Some(province) => grants
                .iter()
                .any(|g| g.grant.scope.province() == Some(province)),
        };
        if shown {
            users.push(UserSummary {
                id: record.id,
                phone: record.phone,
                display_name: record.display_name,
                disabled: record.disabled_ms.is_some(),
                has_password: record.password_hash.is_some(),
                grants,
            });
        }
    }
    Ok(users)
}

/// Live sessions of a user (for "my account").
pub async fn session_count(db: &Db, user_id: &str) -> Result<i64, DbError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expiry_ms > $2")
            .bind(user_id)
            .bind(now_ms())
            .fetch_one(db.pool())
            .await?;
    Ok(count)
}
