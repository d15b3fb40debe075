//! Recognition decisions and their lines (issue 16): written once when the
//! office records the signed decision; the publication stamp set once after.
use super::{now_ms, DbError, Tx};
use crate::domain::decision::{DecisionLine, DecisionOutcome};

/// A decision as stored (read by name).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredDecision {
    pub id: String,
    pub round_id: String,
    pub number: String,
    pub signed_on: String,
    pub signer: String,
    pub recorded_ms: i64,
    pub published_ms: Option<i64>,
}

/// One stored line with its certificate code, if one was issued.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredItem {
    pub product_id: String,
    pub outcome: String,
    pub stars: Option<i64>,
    pub next_level: Option<String>,
    pub mean: String,
    pub certificate_code: Option<String>,
}

/// What a new decision holds.
pub struct NewDecision<'a> {
    pub round_id: &'a str,
    /// None for the ministry's decision on a central round.
    pub province: Option<i64>,
    pub number: &'a str,
    pub signed_on: &'a str,
    pub signer: &'a str,
    pub recorded_by: &'a str,
}

/// Stores the decision and its lines (`codes[i]`: line i's certificate code).
/// A number the province used already fails on `decisions_number_unique`.
pub async fn insert(
    tx: &mut Tx,
    decision: &NewDecision<'_>,
    lines: &[DecisionLine],
    codes: &[Option<String>],
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO decisions (id, round_id, province_code, number, signed_on, signer, recorded_by, \
         recorded_ms, published_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
    )
    .bind(&id)
    .bind(decision.round_id)
    .bind(decision.province)
    .bind(decision.number)
    .bind(decision.signed_on)
    .bind(decision.signer)
    .bind(decision.recorded_by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    for (position, (line, code)) in lines.iter().zip(codes).enumerate() {
        sqlx::query(
            "INSERT INTO decision_items (decision_id, position, product_id, outcome, stars, next_level, \
             mean, certificate_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(position as i64)
        .bind(&line.product_id)
        .bind(line.outcome.code())
        .bind(line.outcome.stars().map(i64::from))
        .bind(line.outcome.next_level())
        .bind(&line.mean)
        .bind(code.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// The round's decision, if one is recorded.
pub async fn of_round(db: &super::Db, round_id: &str) -> Result<Option<StoredDecision>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, round_id, number, signed_on, signer, recorded_ms, published_ms \
         FROM decisions WHERE round_id = $1",
    )
    .bind(round_id)
    .fetch_optional(db.pool())
    .await?)
}

/// A decision's lines in order.
pub async fn items(db: &super::Db, decision_id: &str) -> Result<Vec<StoredItem>, DbError> {
    Ok(sqlx::query_as(
        "SELECT product_id, outcome, stars, next_level, mean, certificate_code FROM decision_items \
         WHERE decision_id = $1 ORDER BY position",
    )
    .bind(decision_id)
    .fetch_all(db.pool())
    .await?)
}

/// Stamps the decision published; false when it already was.
pub async fn publish(tx: &mut Tx, decision_id: &str) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE decisions SET published_ms = $1 WHERE id = $2 AND published_ms IS NULL",
    )
    .bind(now_ms())
    .bind(decision_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A product's line in the newest published decision: (decision number, signed
/// on, line), for the producer's desk.
pub async fn published_line_of(
    db: &super::Db,
    product_id: &str,
) -> Result<Option<(String, String, StoredItem)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        number: String,
        signed_on: String,
        #[sqlx(flatten)]
        item: StoredItem,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT d.number, d.signed_on, i.product_id, i.outcome, i.stars, i.next_level, i.mean, i.certificate_code \
         FROM decision_items i JOIN decisions d ON d.id = i.decision_id \
         WHERE i.product_id = $1 AND d.published_ms IS NOT NULL \
         ORDER BY d.signed_on DESC, d.recorded_ms DESC LIMIT 1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.number, r.signed_on, r.item)))
}

/// A product's line in the newest recorded decision (published or not), with
/// that decision's round and recording time: where the product stands now.
pub async fn latest_line_of(
    db: &super::Db,
    product_id: &str,
) -> Result<Option<(String, i64, StoredItem)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        round_id: String,
        recorded_ms: i64,
        #[sqlx(flatten)]
        item: StoredItem,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT d.round_id, d.recorded_ms, i.product_id, i.outcome, i.stars, i.next_level, i.mean, \
         i.certificate_code FROM decision_items i JOIN decisions d ON d.id = i.decision_id \
         WHERE i.product_id = $1 ORDER BY d.recorded_ms DESC, d.id DESC LIMIT 1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.round_id, r.recorded_ms, r.item)))
}

/// Products whose newest recorded decision forwarded them and that are in no
/// open round yet, of `province` (None: of every province): (product id, the
/// forwarding round's id, the level forwarded to by its profile's name).
pub async fn forwarded_waiting(
    db: &super::Db,
    province: Option<i64>,
) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT i.product_id, d.round_id, i.next_level FROM decision_items i \
         JOIN decisions d ON d.id = i.decision_id JOIN products p ON p.id = i.product_id \
         JOIN subjects s ON s.id = p.subject_id JOIN commune c ON c.code = s.commune_code \
         WHERE i.outcome = 'forwarded' AND ($1 IS NULL OR c.province_code = $1) \
         AND NOT EXISTS (SELECT 1 FROM decision_items i2 JOIN decisions d2 ON d2.id = i2.decision_id \
             WHERE i2.product_id = i.product_id AND d2.recorded_ms > d.recorded_ms) \
         AND NOT EXISTS (SELECT 1 FROM round_dossiers rd JOIN rounds r ON r.id = rd.round_id \
             WHERE rd.product_id = i.product_id AND r.state NOT IN ('sealed', 'decided')) \
         ORDER BY d.recorded_ms, i.position",
    )
    .bind(province)
    .fetch_all(db.pool())
    .await?)
}

/// Reads a stored outcome code back (loudly: an unknown code is an error).
pub fn outcome_of(item: &StoredItem) -> Result<DecisionOutcome, DbError> {
    let stars = item.stars.and_then(|s| u8::try_from(s).ok());
    match (item.outcome.as_str(), stars, item.next_level.clone()) {
        ("recognised", Some(stars), None) => Ok(DecisionOutcome::Recognised { stars }),
        ("forwarded", None, Some(to)) => Ok(DecisionOutcome::Forwarded { to }),
        ("returned", None, Some(to)) => Ok(DecisionOutcome::Returned { to }),
        ("not_recognised", None, None) => Ok(DecisionOutcome::NotRecognised),
        _ => Err(DbError::Decode {
            column: "decision_items.outcome",
            value: item.outcome.clone(),
        }),
    }
}
