//! The chair's console: members × products, totals, flags and results so far,
//! computed by the pure `domain::round_result::evaluate` from one read of the
//! round's tables (or, once sealed, the rows stored at the seal).
use crate::api::council::ConsoleRow;
use crate::db::{self, Db, DbError};
use crate::domain::round::RoundRow;
use crate::error::AppError;
use std::collections::BTreeSet;

pub async fn console(round_id: String) -> Result<Vec<ConsoleRow>, AppError> {
    let db = db::from_context()?;
    let round = crate::auth::guards::chaired_round(
        &db,
        &crate::auth::session::requester().await?,
        &round_id,
    )
    .await?;
    // A sealed round shows what was stored at the seal, never a recomputation.
    if matches!(
        round.state,
        crate::domain::round::RoundState::Sealed | crate::domain::round::RoundState::Decided
    ) {
        return Ok(crate::service::seal::stored_rows(&db, &round_id).await?);
    }
    Ok(round_console(&db, &round).await?)
}

/// The round's workflow profile with the council's own settings (quorum,
/// divergence limit) as the office saved them: what the model is given.
pub fn round_profile(round: &RoundRow) -> Option<sao_scoring::Profile> {
    let mut profile = crate::rules_catalog::profiles()
        .ok()?
        .into_iter()
        .find(|p| p.id == round.profile)?;
    profile.quorum.numerator = u32::try_from(round.quorum.0).ok()?;
    profile.quorum.denominator = u32::try_from(round.quorum.1).ok()?;
    profile.divergence_limit = u32::try_from(round.divergence_limit).ok()?;
    Some(profile)
}

/// The code of the level that `name` names in the round's profile (a
/// decision's line stores the level it forwards to or returns to by name).
pub fn level_code_named(round: &RoundRow, name: &str) -> Option<String> {
    round_profile(round)?
        .levels
        .into_iter()
        .find(|level| level.name == name)
        .map(|level| level.code)
}

/// The console of a round, computed from what is stored now (every input
/// read through `conn`, so a seal computes inside its own transaction).
pub async fn round_console_in(
    conn: &mut sqlx::AnyConnection,
    round: &RoundRow,
) -> Result<Vec<ConsoleRow>, DbError> {
    use crate::domain::round_result::{evaluate, RoundInputs, RoundProduct};
    let inputs = db::results::round_inputs(conn, &round.id).await?;
    let profile = round_profile(round);
    let products: Vec<RoundProduct> = inputs
        .products
        .iter()
        .map(|(id, name, rule_set, set)| RoundProduct {
            id: id.clone(),
            name: name.clone(),
            rule_set: rule_set.clone(),
            product_set: *set,
            scorecard: crate::rules_catalog::product_set(rule_set, *set),
        })
        .collect();
    let conflicts: BTreeSet<(String, String)> = inputs.conflicts.iter().cloned().collect();
    let acknowledged: BTreeSet<(String, String)> = inputs.acknowledged.iter().cloned().collect();
    Ok(evaluate(&RoundInputs {
        level: round.body.level(),
        profile: profile.as_ref(),
        products: &products,
        members: &inputs.members,
        conflicts: &conflicts,
        assignments: &inputs.assignments,
        sheets: &inputs.sheets,
        versions: &inputs.versions,
        decisions: &inputs.decisions,
        acknowledged: &acknowledged,
    }))
}

/// The console of a round as it stands.
pub async fn round_console(db: &Db, round: &RoundRow) -> Result<Vec<ConsoleRow>, DbError> {
    let mut conn = db.pool().acquire().await?;
    round_console_in(&mut conn, round).await
}
