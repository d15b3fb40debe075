//! A round's council: members and their seats, conflicts of interest, split
//! assignments and loads, and what a member scores (their rights).
use super::rounds::{dossiers, state_of};
use super::{now_ms, Db, DbError};
use crate::domain::round::{CouncilPosition, MemberRow, RoundState};
use sqlx::AnyConnection;

pub async fn add_member(
    conn: &mut AnyConnection,
    round_id: &str,
    member: &MemberRow,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO council_members (id, round_id, name, department, position, user_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&member.id)
    .bind(round_id)
    .bind(&member.name)
    .bind(&member.department)
    .bind(member.position.as_str())
    .bind(member.user_id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Members of a round's council with (round id) of each, by position then name.
pub async fn members(db: &Db, round_id: &str) -> Result<Vec<MemberRow>, DbError> {
    members_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn members_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<MemberRow>, DbError> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, department, position, user_id FROM council_members WHERE round_id = $1 ORDER BY position, name, id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, name, department, position, user_id)| {
            Ok(MemberRow {
                id,
                name,
                department,
                position: super::decoded(
                    "council_members.position",
                    &position,
                    CouncilPosition::parse(&position),
                )?,
                user_id,
            })
        })
        .collect()
}

/// The round a member belongs to.
pub async fn member_round(
    db: &Db,
    member_id: &str,
) -> Result<Option<(String, Option<String>)>, DbError> {
    Ok(
        sqlx::query_as("SELECT round_id, user_id FROM council_members WHERE id = $1")
            .bind(member_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn declare_conflict(
    conn: &mut AnyConnection,
    member_id: &str,
    product_id: &str,
    reason: &str,
    declared_by: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO conflicts_of_interest (member_id, product_id, reason, declared_by, declared_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, product_id) DO UPDATE SET reason = excluded.reason",
    )
    .bind(member_id)
    .bind(product_id)
    .bind(reason)
    .bind(declared_by)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// (member id, product id) pairs with a declared conflict in a round.
pub async fn conflicts(db: &Db, round_id: &str) -> Result<Vec<(String, String)>, DbError> {
    conflicts_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn conflicts_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<(String, String)>, DbError> {
    member_products(conn, "conflicts_of_interest", round_id).await
}

/// (member id, product id) rows of `table` for the members of a round, in order.
async fn member_products(
    conn: &mut AnyConnection,
    table: &'static str,
    round_id: &str,
) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT t.member_id, t.product_id FROM {table} t JOIN council_members m ON m.id = t.member_id \
         WHERE m.round_id = $1 ORDER BY t.member_id, t.product_id"
    ))
    .bind(round_id)
    .fetch_all(conn)
    .await?)
}

/// Sets which members score `product_id` (the council split); replaces earlier rows.
pub async fn set_assignment(
    conn: &mut AnyConnection,
    product_id: &str,
    round_members: &[String],
    chosen: &[String],
) -> Result<(), DbError> {
    for member in round_members {
        sqlx::query("DELETE FROM council_assignments WHERE member_id = $1 AND product_id = $2")
            .bind(member)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
    }
    for member in chosen {
        sqlx::query("INSERT INTO council_assignments (member_id, product_id) VALUES ($1, $2)")
            .bind(member)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Products each scoring member (chair and members, not the advisory team) has to
/// score: the products assigned to them, and every product with no assignment.
pub async fn loads(db: &Db, round_id: &str) -> Result<Vec<(String, i64)>, DbError> {
    let scorers: Vec<String> = members(db, round_id)
        .await?
        .into_iter()
        .filter(|m| m.position.scores())
        .map(|m| m.id)
        .collect();
    let assigned = assignments(db, round_id).await?;
    let products = dossiers(db, round_id).await?;
    Ok(scorers
        .iter()
        .map(|member| {
            let load = products
                .iter()
                .filter(|product| {
                    let split: Vec<&String> = assigned
                        .iter()
                        .filter(|(_, p)| p == *product)
                        .map(|(m, _)| m)
                        .collect();
                    split.is_empty() || split.contains(&member)
                })
                .count() as i64;
            (member.clone(), load)
        })
        .collect())
}

/// A product a council member scores (read by name).
#[derive(Debug, sqlx::FromRow)]
pub struct MemberProduct {
    pub round_id: String,
    pub round_name: String,
    pub product_id: String,
    pub product_name: String,
    /// The member's seat in that round's council.
    pub member_id: String,
    pub rule_set: String,
    pub product_set: i64,
}

/// The rows (member m, round r, product p) where `$1`'s user scores p as chair or
/// member: products of their rounds assigned to them (every product when the
/// council does not split it), minus those they declared a conflict on.
const SCORED_BY_USER: &str = "FROM council_members m \
     JOIN rounds r ON r.id = m.round_id \
     JOIN round_dossiers rd ON rd.round_id = r.id \
     JOIN products p ON p.id = rd.product_id \
     WHERE m.user_id = $1 AND m.position IN ('chair', 'member') \
     AND NOT EXISTS (SELECT 1 FROM conflicts_of_interest c WHERE c.member_id = m.id AND c.product_id = p.id) \
     AND (EXISTS (SELECT 1 FROM council_assignments a WHERE a.member_id = m.id AND a.product_id = p.id) \
          OR NOT EXISTS (SELECT 1 FROM council_assignments a JOIN council_members o ON o.id = a.member_id \
                         WHERE a.product_id = p.id AND o.round_id = r.id))";

/// The products `user_id` scores, by round (a sealed round has nothing left to score).
pub async fn products_for_member(db: &Db, user_id: &str) -> Result<Vec<MemberProduct>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT r.id AS round_id, r.name AS round_name, p.id AS product_id, \
         p.name AS product_name, m.id AS member_id, p.rule_set, p.product_set {SCORED_BY_USER} \
         AND r.state <> 'sealed' ORDER BY r.name, p.name, p.id"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// The rounds `user_id` chairs, the latest closing first: (round id, round name).
pub async fn chaired_by(db: &Db, user_id: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.name FROM council_members m JOIN rounds r ON r.id = m.round_id \
         WHERE m.user_id = $1 AND m.position = 'chair' ORDER BY r.closes_on DESC, r.created_ms DESC, r.id LIMIT 10",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// What a member may write a sheet for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoringRight {
    pub member_id: String,
    pub round_id: String,
    pub round_state: RoundState,
    /// When the round was created: a sheet's stamps are not earlier.
    pub round_opened_ms: i64,
    pub product_id: String,
    pub rule_set: String,
    pub product_set: i64,
}

/// Every (member, product) sheet `user_id` may write, with the round's state.
pub async fn scoring_rights(db: &Db, user_id: &str) -> Result<Vec<ScoringRight>, DbError> {
    let rows: Vec<(String, String, String, i64, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT m.id, r.id, r.state, r.created_ms, p.id, p.rule_set, p.product_set {SCORED_BY_USER}"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(
            |(member_id, round_id, state, opened, product_id, rule_set, product_set)| {
                Ok(ScoringRight {
                    member_id,
                    round_id,
                    round_state: state_of(&state)?,
                    round_opened_ms: opened,
                    product_id,
                    rule_set,
                    product_set,
                })
            },
        )
        .collect()
}

/// (member id, product id) of a round's split assignments.
pub async fn assignments(db: &Db, round_id: &str) -> Result<Vec<(String, String)>, DbError> {
    assignments_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn assignments_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<(String, String)>, DbError> {
    member_products(conn, "council_assignments", round_id).await
}

/// Rounds of `provinces` (every province when None), newest first: (id, name, province).
pub async fn councils_in(
    db: &Db,
    provinces: Option<&[i64]>,
) -> Result<Vec<(String, String, i64)>, DbError> {
    let all: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, province_code FROM rounds ORDER BY created_ms DESC, id LIMIT 500",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(all
        .into_iter()
        .filter(|(_, _, province)| provinces.is_none_or(|p| p.contains(province)))
        .collect())
}
