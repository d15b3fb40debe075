//! The seal: a round's results computed once, stored with the hash chain's
//! digest, and from then on read, never recomputed; the chair's last steps
//! (flags acknowledged) and verification.
use crate::api::seal::{RoundStanding, Sealed};
use crate::error::AppError;
use crate::{db, service::council::console as council};

use crate::db::{Db, DbError};
use crate::domain::round::{RoundRow, RoundState};
use crate::domain::round_result::ConsoleRow;
use crate::error::Refusal;

/// The round, after the policy allowed its chair; the office is refused here.
pub async fn the_chair(
    db: &Db,
    round_id: &str,
) -> Result<(RoundRow, crate::auth::session::Authorized), AppError> {
    let authorized = crate::auth::session::requester().await?;
    let round = crate::auth::guards::chaired_round(db, &authorized, round_id).await?;
    if !chairs(db, round_id, &authorized.user()?.user_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok((round, authorized))
}

/// Seals a deliberating round inside `tx`: the round row is locked first (a
/// sync, a re-score or a decision waits for the seal, and then finds the
/// round sealed); refused while the console has open items. The results are
/// computed once here and stored with the digest. (The digest, products.)
pub async fn seal_in(
    tx: &mut sqlx::AnyConnection,
    round: &RoundRow,
    sealed_by: &str,
) -> Result<(String, usize), AppError> {
    let round_id = round.id.as_str();
    let deliberating = db::rounds::lock_for_seal(tx, round_id, &[RoundState::Deliberation]).await?;
    if deliberating.is_none() {
        return Err(AppError::invalid("state", Refusal::SealOnlyInDeliberation));
    }
    let rows = council::round_console_in(tx, round).await?;
    let open: usize = rows.iter().map(|row| row.open_items()).sum();
    if open > 0 {
        return Err(AppError::invalid(
            "seal",
            Refusal::SealNotReady {
                open: u32::try_from(open).unwrap_or(u32::MAX),
            },
        ));
    }
    let results = rows
        .iter()
        .map(|row| Ok((row.product_id.clone(), serde_json::to_string(row)?)))
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(|e| AppError::internal(&e))?;
    let (_, head) = db::sheets::chain_head_in(tx, round_id).await?;
    let digest = db::results::seal_digest(&head, &results);
    db::results::save_results(tx, round_id, &results).await?;
    if !db::results::seal(tx, round_id, &digest, sealed_by).await? {
        return Err(AppError::invalid("state", Refusal::RoundStateRace));
    }
    Ok((digest, results.len()))
}

/// Seals the demo's last-year round as its chair would (after `--demo`
/// loaded it deliberating): its results are then stored like any round's.
pub async fn seal_demo_history(db: &Db) -> Result<bool, AppError> {
    let round_id = db::demo_history::DEMO_PAST_ROUND;
    let Some(round) = db::rounds::get(db, round_id).await? else {
        return Ok(false);
    };
    if round.state != RoundState::Deliberation {
        return Ok(false);
    }
    let chair = db::councils::members(db, round_id)
        .await?
        .into_iter()
        .find(|m| m.position == crate::domain::round::CouncilPosition::Chair)
        .and_then(|m| m.user_id)
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    let (digest, _) = seal_in(&mut tx, &round, &chair).await?;
    crate::db::audit::commit(
        tx,
        &db::audit::Actor::system(),
        crate::db::audit::Change::new("seal_round", "round", round_id).after(digest),
    )
    .await?;
    Ok(true)
}

/// Whether `user_id` holds the chair's seat of the round's council.
pub async fn chairs(db: &Db, round_id: &str, user_id: &str) -> Result<bool, DbError> {
    Ok(db::councils::members(db, round_id).await?.iter().any(|m| {
        m.position == crate::domain::round::CouncilPosition::Chair
            && m.user_id.as_deref() == Some(user_id)
    }))
}

/// What `sao verify-round` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The chain, every result and the seal digest recompute.
    Equal {
        chain_length: i64,
        seal_digest: String,
        products: usize,
    },
    /// The first difference found.
    Differs(String),
}

/// The stored results of a sealed round, parsed (None before the seal).
pub async fn stored_rows(db: &Db, round_id: &str) -> Result<Vec<ConsoleRow>, DbError> {
    db::results::stored(db, round_id)
        .await?
        .into_iter()
        .map(|(_, content)| {
            serde_json::from_str(&content).map_err(|e| DbError::Json(e.to_string()))
        })
        .collect()
}

/// Recomputes a sealed round from what is stored: the chain of sheets, each
/// counted sheet against its last chained version, every product's result
/// with the shared model, and the seal's digest over the chain and results.
pub async fn verify(db: &Db, round_id: &str) -> Result<Verification, DbError> {
    let differs = |what: String| Ok(Verification::Differs(what));
    let Some(round) = db::rounds::get(db, round_id).await? else {
        return differs(format!("no round {round_id}"));
    };
    if !matches!(round.state, RoundState::Sealed | RoundState::Decided) {
        return differs("the round is not sealed".into());
    }
    let (chain_length, head) = match db::sheets::verify_chain(db, round_id).await? {
        Ok(found) => found,
        Err(problem) => return differs(format!("chain: {problem}")),
    };
    let versions = db::sheets::versions_of_round(db, round_id).await?;
    for (member, product, sheet) in db::sheets::of_round(db, round_id).await? {
        if sheet.submitted.is_none() {
            continue;
        }
        let last = versions
            .iter()
            .rev()
            .find(|(m, p, _)| *m == member && *p == product)
            .map(|(_, _, v)| v.content_digest());
        if last != Some(sheet.content_digest()) {
            return differs(format!(
                "sheet of member {member} for product {product}: not its last chained version"
            ));
        }
    }
    let stored = db::results::stored(db, round_id).await?;
    let recomputed = council::round_console(db, &round).await?;
    if stored.len() != recomputed.len() {
        return differs(format!(
            "{} results stored, {} products in the round",
            stored.len(),
            recomputed.len()
        ));
    }
    for ((product, content), row) in stored.iter().zip(&recomputed) {
        let kept: serde_json::Value =
            serde_json::from_str(content).map_err(|e| DbError::Json(e.to_string()))?;
        let now = serde_json::to_value(row).map_err(|e| DbError::Json(e.to_string()))?;
        if let Some(field) = first_difference(&kept, &now) {
            return differs(format!("product {product} ({}): {field}", row.product_name));
        }
    }
    let digest = db::results::seal_digest(&head, &stored);
    let sealed_with = db::results::stored_seal_digest(db, round_id).await?;
    if sealed_with.as_deref() != Some(digest.as_str()) {
        return differs(format!(
            "seal digest: stored {}, recomputed {digest}",
            sealed_with.unwrap_or_else(|| "none".into())
        ));
    }
    Ok(Verification::Equal {
        chain_length,
        seal_digest: digest,
        products: stored.len(),
    })
}

/// The first field (a JSON path) where two values differ, with both values.
fn first_difference(kept: &serde_json::Value, now: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match (kept, now) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|key| {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                first_difference(x, y).map(|inner| {
                    format!(
                        "{key}{}{inner}",
                        if inner.starts_with('[') || inner.starts_with(':') {
                            ""
                        } else {
                            "."
                        }
                    )
                })
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y).map(|inner| format!("[{i}]{inner}"))),
        _ if kept == now => None,
        _ => Some(format!(": stored {kept}, recomputed {now}")),
    }
}

pub async fn acknowledge_flag(ack: crate::api::seal::FlagAcknowledged) -> Result<(), AppError> {
    let db = db::from_context()?;
    let (round, authorized) = the_chair(&db, &ack.round_id).await?;
    let chair = authorized.user()?.user_id.clone();
    let mut tx = db.begin().await?;
    crate::auth::guards::lock_scoring(&mut tx, &ack.round_id).await?;
    let rows = council::round_console_in(&mut tx, &round).await?;
    let known = rows
        .iter()
        .filter(|row| row.product_id == ack.product_id)
        .flat_map(|row| row.flags.iter())
        .any(|f| f.key() == ack.flag);
    if !known {
        return Err(AppError::invalid("flag", Refusal::FlagGone));
    }
    db::results::acknowledge(&mut tx, &ack.round_id, &ack.product_id, &ack.flag, &chair).await?;
    Ok(crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("acknowledge_flag", "product", &ack.product_id)
            .after(db::audit::digest(&(&ack.round_id, &ack.flag))),
    )
    .await?)
}

pub async fn seal_round(round_id: String) -> Result<Sealed, AppError> {
    let db = db::from_context()?;
    let (round, authorized) = the_chair(&db, &round_id).await?;
    let chair = authorized.user()?.user_id.clone();
    let mut tx = db.begin().await?;
    let (digest, products) = seal_in(&mut tx, &round, &chair).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("seal_round", "round", &round_id).after(digest.clone()),
    )
    .await?;
    Ok(Sealed {
        seal_digest: digest,
        products,
    })
}

pub async fn round_status(round_id: String) -> Result<RoundStanding, AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::chaired_round(&db, &authorized, &round_id).await?;
    let is_chair = chairs(&db, &round_id, &authorized.user()?.user_id).await?;
    Ok(RoundStanding {
        state: round.state,
        is_chair,
        seal_digest: db::results::stored_seal_digest(&db, &round_id).await?,
        sitting: round.sitting,
        meeting_asked: round.meeting_asked,
    })
}
