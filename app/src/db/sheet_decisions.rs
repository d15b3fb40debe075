//! What officials add beside the tablets' sheets: paper sheets keyed twice, and
//! the chair's decisions on flagged knock-outs.
use super::{now_ms, Db, DbError};
use sqlx::AnyConnection;

/// Keeps (or replaces) one official's keying of a paper sheet.
pub async fn save_paper_entry(
    conn: &mut AnyConnection,
    round_id: &str,
    member_id: &str,
    product_id: &str,
    entered_by: &str,
    answers: &str,
    generation: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO paper_entries (round_id, member_id, product_id, entered_by, answers, entered_ms, generation) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (member_id, product_id, entered_by) DO UPDATE SET \
         answers = excluded.answers, entered_ms = excluded.entered_ms, generation = excluded.generation",
    )
    .bind(round_id)
    .bind(member_id)
    .bind(product_id)
    .bind(entered_by)
    .bind(answers)
    .bind(now_ms())
    .bind(generation)
    .execute(conn)
    .await?;
    Ok(())
}

/// Other officials' keyings of the same version of a paper sheet: (official, answers JSON).
pub async fn other_paper_entries(
    conn: &mut AnyConnection,
    member_id: &str,
    product_id: &str,
    entered_by: &str,
    generation: i64,
) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT entered_by, answers FROM paper_entries \
         WHERE member_id = $1 AND product_id = $2 AND entered_by <> $3 AND generation = $4 ORDER BY entered_ms",
    )
    .bind(member_id)
    .bind(product_id)
    .bind(entered_by)
    .bind(generation)
    .fetch_all(conn)
    .await?)
}

/// Records the chair's decision on a flagged knock-out (a later decision replaces it).
pub async fn decide_knockout(
    conn: &mut AnyConnection,
    round_id: &str,
    product_id: &str,
    criterion: &str,
    confirmed: bool,
    decided_by: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO knockout_decisions (round_id, product_id, criterion, confirmed, decided_by, decided_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (round_id, product_id, criterion) DO UPDATE SET \
         confirmed = excluded.confirmed, decided_by = excluded.decided_by, decided_ms = excluded.decided_ms",
    )
    .bind(round_id)
    .bind(product_id)
    .bind(criterion)
    .bind(i32::from(confirmed))
    .bind(decided_by)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The chair's knock-out decisions in a round: (product id, criterion, confirmed).
pub async fn knockout_decisions(
    db: &Db,
    round_id: &str,
) -> Result<Vec<(String, String, bool)>, DbError> {
    knockout_decisions_in(&mut *db.pool().acquire().await?, round_id).await
}

pub async fn knockout_decisions_in(
    conn: &mut AnyConnection,
    round_id: &str,
) -> Result<Vec<(String, String, bool)>, DbError> {
    let rows: Vec<(String, String, i32)> = sqlx::query_as(
        "SELECT product_id, criterion, confirmed FROM knockout_decisions WHERE round_id = $1 ORDER BY product_id, criterion",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product, criterion, confirmed)| (product, criterion, confirmed == 1))
        .collect())
}
