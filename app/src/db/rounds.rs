//! Rounds, the dossiers in them, councils, conflicts of interest and assignments.
use super::{now_ms, Db, DbError};
use crate::domain::round::{Body, Office, RoundState};
pub use crate::domain::round::{MemberRow, RoundRow};
use crate::domain::sitting::{MeetingAsked, Sitting};
use sqlx::AnyConnection;

/// A round as stored, column by column (read by name, not position).
#[derive(sqlx::FromRow)]
struct StoredRound {
    id: String,
    province_code: Option<i64>,
    district_id: Option<String>,
    level: String,
    name: String,
    rule_set: String,
    profile: String,
    proposal_cutoff: String,
    closes_on: String,
    state: String,
    quorum_numerator: i64,
    quorum_denominator: i64,
    divergence_limit: i64,
    sitting: String,
    meeting_reason: Option<String>,
    meeting_asked_ms: Option<i64>,
}

impl StoredRound {
    fn into_row(self) -> Result<RoundRow, DbError> {
        let body = Body::of_stored(&self.level, self.province_code, self.district_id);
        let body = super::decoded("rounds.level", &self.level, body)?;
        Ok(RoundRow {
            state: state_of(&self.state)?,
            id: self.id,
            body,
            name: self.name,
            rule_set: self.rule_set,
            profile: self.profile,
            proposal_cutoff: self.proposal_cutoff,
            closes_on: self.closes_on,
            quorum: (self.quorum_numerator, self.quorum_denominator),
            divergence_limit: self.divergence_limit,
            sitting: super::decoded(
                "rounds.sitting",
                &self.sitting,
                Sitting::parse(&self.sitting),
            )?,
            meeting_asked: self
                .meeting_reason
                .zip(self.meeting_asked_ms)
                .map(|(reason, asked_ms)| MeetingAsked { reason, asked_ms }),
        })
    }
}

const ROUND_COLUMNS: &str =
    "id, province_code, district_id, level, name, rule_set, profile, proposal_cutoff, \
     closes_on, state, quorum_numerator, quorum_denominator, divergence_limit, sitting, \
     meeting_reason, meeting_asked_ms";

pub(super) fn state_of(text: &str) -> Result<RoundState, DbError> {
    super::decoded("rounds.state", text, RoundState::parse(text))
}

/// The state as the `rounds.state` column holds it (its code).
pub fn state_text(state: RoundState) -> &'static str {
    state.code()
}

pub async fn insert(conn: &mut AnyConnection, round: &RoundRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO rounds (id, province_code, level, name, rule_set, profile, proposal_cutoff, closes_on, state, \
         quorum_numerator, quorum_denominator, divergence_limit, created_ms, district_id, sitting) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&round.id)
    .bind(round.body.province())
    .bind(round.body.level())
    .bind(&round.name)
    .bind(&round.rule_set)
    .bind(&round.profile)
    .bind(&round.proposal_cutoff)
    .bind(&round.closes_on)
    .bind(state_text(round.state))
    .bind(round.quorum.0)
    .bind(round.quorum.1)
    .bind(round.divergence_limit)
    .bind(now_ms())
    .bind(round.body.district().map(str::to_string))
    .bind(round.sitting.code())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(db: &Db, id: &str) -> Result<Option<RoundRow>, DbError> {
    let row: Option<StoredRound> =
        sqlx::query_as(&format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    row.map(StoredRound::into_row).transpose()
}

/// Moves a round from `expected` to `state` in one compare-and-set: false when
/// the round was no longer in `expected` (a concurrent request won).
pub async fn set_state(
    conn: &mut AnyConnection,
    id: &str,
    expected: RoundState,
    state: RoundState,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE rounds SET state = $1 WHERE id = $2 AND state = $3")
        .bind(state_text(state))
        .bind(id)
        .bind(state_text(expected))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Holds the round's row for this transaction if it is in one of `states`, and
/// returns its state (None: in none of them). Every change a round's result
/// depends on takes this hold first, and the seal takes [`lock_for_seal`], so a
/// seal and such a change cannot interleave. On PostgreSQL the hold is `FOR KEY
/// SHARE` (changes run side by side; the seal's `FOR UPDATE` waits for them and
/// they for it); on SQLite it is the database's write lock, taken at once.
pub async fn lock_in_state(
    conn: &mut AnyConnection,
    id: &str,
    states: &[RoundState],
) -> Result<Option<RoundState>, DbError> {
    hold(conn, id, states, "FOR KEY SHARE").await
}

/// The seal's lock: the round's row exclusively (see [`lock_in_state`]).
pub async fn lock_for_seal(
    conn: &mut AnyConnection,
    id: &str,
    states: &[RoundState],
) -> Result<Option<RoundState>, DbError> {
    hold(conn, id, states, "FOR UPDATE").await
}

async fn hold(
    conn: &mut AnyConnection,
    id: &str,
    states: &[RoundState],
    postgres_lock: &str,
) -> Result<Option<RoundState>, DbError> {
    let wanted = super::placeholders(2, states.len());
    let sql = if conn.backend_name() == "PostgreSQL" {
        format!("SELECT state FROM rounds WHERE id = $1 AND state IN ({wanted}) {postgres_lock}")
    } else {
        format!(
            "UPDATE rounds SET state = state WHERE id = $1 AND state IN ({wanted}) RETURNING state"
        )
    };
    let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(id);
    for state in states {
        query = query.bind(state_text(*state));
    }
    query
        .fetch_optional(conn)
        .await?
        .map(|(state,)| state_of(&state))
        .transpose()
}

pub async fn set_council_settings(
    conn: &mut AnyConnection,
    id: &str,
    quorum: (i64, i64),
    divergence_limit: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE rounds SET quorum_numerator = $1, quorum_denominator = $2, divergence_limit = $3 WHERE id = $4")
        .bind(quorum.0)
        .bind(quorum.1)
        .bind(divergence_limit)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The open round (not sealed or decided) a dossier is in, if any.
pub async fn open_round_of(db: &Db, product_id: &str) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT r.id FROM rounds r JOIN round_dossiers d ON d.round_id = r.id \
         WHERE d.product_id = $1 AND r.state NOT IN ('sealed', 'decided')",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn add_dossier(
    conn: &mut AnyConnection,
    round_id: &str,
    product_id: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO round_dossiers (round_id, product_id, assigned_ms) VALUES ($1, $2, $3)",
    )
    .bind(round_id)
    .bind(product_id)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn dossiers(db: &Db, round_id: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT product_id FROM round_dossiers WHERE round_id = $1 \
         ORDER BY assigned_ms, product_id",
    )
    .bind(round_id)
    .fetch_all(db.pool())
    .await?)
}

/// The rounds an office runs, newest first: a province's (its province and
/// district rounds) or the ministry's (the central rounds).
pub async fn of_office(db: &Db, office: Office) -> Result<Vec<RoundRow>, DbError> {
    let rows: Vec<StoredRound> = match office {
        Office::Province(province) => {
            sqlx::query_as(&format!(
                "SELECT {ROUND_COLUMNS} FROM rounds WHERE province_code = $1 \
                 ORDER BY created_ms DESC, id"
            ))
            .bind(province)
            .fetch_all(db.pool())
            .await?
        }
        Office::Ministry => {
            sqlx::query_as(&format!(
                "SELECT {ROUND_COLUMNS} FROM rounds WHERE level = 'central' \
                 ORDER BY created_ms DESC, id"
            ))
            .fetch_all(db.pool())
            .await?
        }
    };
    rows.into_iter().map(StoredRound::into_row).collect()
}

/// A round's products by name: (product id, name).
pub async fn products_named(db: &Db, round_id: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.name FROM round_dossiers d JOIN products p ON p.id = d.product_id \
         WHERE d.round_id = $1 ORDER BY p.name, p.id",
    )
    .bind(round_id)
    .fetch_all(db.pool())
    .await?)
}

/// Turns a written-opinion round into a meeting, with the chair's reason, if it
/// is still written and unsealed; false when another request or the seal came
/// first.
pub async fn ask_meeting(
    conn: &mut AnyConnection,
    id: &str,
    asked: &MeetingAsked,
    asked_by: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE rounds SET sitting = 'meeting', meeting_reason = $2, meeting_asked_ms = $3, \
         meeting_asked_by = $4 \
         WHERE id = $1 AND sitting = 'written' AND state NOT IN ('sealed', 'decided')",
    )
    .bind(id)
    .bind(&asked.reason)
    .bind(asked.asked_ms)
    .bind(asked_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
