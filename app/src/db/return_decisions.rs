//! A level's decision on a result returned to it from the level above (issue
//! 16, Điều 7.4g): one per product and returning round, written once.
use super::{now_ms, DbError, Tx};
use crate::domain::decision::DecisionOutcome;
use crate::domain::round::Body;
use serde::{Deserialize, Serialize};

/// What a new decision on a returned result holds.
pub struct NewReturnDecision<'a> {
    pub from_round_id: &'a str,
    pub product_id: &'a str,
    /// The level deciding: the province, or a district of it.
    pub body: &'a Body,
    pub number: &'a str,
    pub signed_on: &'a str,
    pub signer: &'a str,
    pub outcome: &'a DecisionOutcome,
    pub mean: &'a str,
    pub certificate_code: Option<&'a str>,
    pub recorded_by: &'a str,
}

/// A recorded decision on a returned result, as the office and the producer see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct StoredReturnDecision {
    pub from_round_id: String,
    pub product_id: String,
    pub number: String,
    pub signed_on: String,
    pub signer: String,
    pub outcome: String,
    pub stars: Option<i64>,
    pub mean: String,
    pub certificate_code: Option<String>,
}

impl StoredReturnDecision {
    /// The outcome, read back loudly.
    pub fn outcome(&self) -> Result<DecisionOutcome, DbError> {
        let stars = self.stars.and_then(|s| u8::try_from(s).ok());
        match (self.outcome.as_str(), stars) {
            ("recognised", Some(stars)) => Ok(DecisionOutcome::Recognised { stars }),
            ("not_recognised", None) => Ok(DecisionOutcome::NotRecognised),
            _ => Err(DbError::Decode {
                column: "return_decisions.outcome",
                value: self.outcome.clone(),
            }),
        }
    }
}

/// Stores it; a second one for the same product and round fails on
/// `return_decisions_once`, a number the province used on
/// `return_decisions_number_unique`.
pub async fn insert(tx: &mut Tx, decision: &NewReturnDecision<'_>) -> Result<(), DbError> {
    let province = decision.body.province().ok_or_else(|| DbError::Decode {
        column: "return_decisions.level",
        value: decision.body.level().into(),
    })?;
    sqlx::query(
        "INSERT INTO return_decisions (id, from_round_id, product_id, level, province_code, \
         district_id, number, signed_on, signer, outcome, stars, mean, certificate_code, \
         recorded_by, recorded_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(decision.from_round_id)
    .bind(decision.product_id)
    .bind(decision.body.level())
    .bind(province)
    .bind(decision.body.district().map(str::to_string))
    .bind(decision.number)
    .bind(decision.signed_on)
    .bind(decision.signer)
    .bind(decision.outcome.code())
    .bind(decision.outcome.stars().map(i64::from))
    .bind(decision.mean)
    .bind(decision.certificate_code)
    .bind(decision.recorded_by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "from_round_id, product_id, number, signed_on, signer, outcome, stars, mean, \
     certificate_code";

/// The decision on a product returned by `from_round_id`, if one is recorded.
pub async fn of(
    db: &super::Db,
    from_round_id: &str,
    product_id: &str,
) -> Result<Option<StoredReturnDecision>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM return_decisions WHERE from_round_id = $1 AND product_id = $2"
    ))
    .bind(from_round_id)
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?)
}

/// A product's newest decision on a returned result, if any.
pub async fn latest_of(
    db: &super::Db,
    product_id: &str,
) -> Result<Option<StoredReturnDecision>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM return_decisions WHERE product_id = $1 \
         ORDER BY recorded_ms DESC, id DESC LIMIT 1"
    ))
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?)
}

/// The products of `province` a recorded decision returned to a level below:
/// (returning round id, product id), newest decision first.
pub async fn returned_in(db: &super::Db, province: i64) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT d.round_id, i.product_id FROM decision_items i \
         JOIN decisions d ON d.id = i.decision_id JOIN products p ON p.id = i.product_id \
         JOIN subjects s ON s.id = p.subject_id JOIN commune c ON c.code = s.commune_code \
         WHERE i.outcome = 'returned' AND c.province_code = $1 \
         ORDER BY d.recorded_ms DESC, i.position",
    )
    .bind(province)
    .fetch_all(db.pool())
    .await?)
}
