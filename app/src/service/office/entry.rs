//! A dossier enters a round (issue 16): a district or province round takes it
//! from the office's intake (accepted, proposed in time); a round takes an
//! evaluated one only when the level below's recorded decision proposed it to
//! that level (≥ 90 to the ministry; the seed's district ≥ 70 to the province). A round reaches its own
//! place only: its province, its district's communes, or (central) any province.
use crate::auth::guards::{managed_round, scope_of_product};
use crate::auth::policy::{Action, Target};
use crate::db;
use crate::domain::decision::DecisionOutcome;
use crate::domain::dossier::{DossierEvent, DossierState};
use crate::domain::round::{Body, RoundRow, RoundState};
use crate::error::{AppError, Refusal, Thing};

pub async fn assign_to_round(product_id: String, round_id: String) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = managed_round(&db, &authorized, &round_id).await?;
    let scope = scope_of_product(&db, &product_id).await?;
    match &round.body {
        Body::Province(province) => {
            authorized.allow(Action::OfficeWork, &Target::Subject(&scope))?;
            // An official of two provinces still puts a product only into its own province's round.
            if scope.province != *province {
                return Err(AppError::invalid("round", Refusal::OtherProvinceProduct));
            }
        }
        Body::District { province, district } => {
            authorized.allow(Action::OfficeWork, &Target::Subject(&scope))?;
            if scope.province != *province
                || !db::districts::holds(&db, district, scope.commune).await?
            {
                return Err(AppError::invalid("round", Refusal::OutsideDistrict));
            }
        }
        Body::Central => {}
    }
    let product = db::producers::product(&db, &product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))?;
    if !round.state.accepts_dossiers() {
        return Err(AppError::invalid("round", Refusal::RoundNotAccepting));
    }
    round
        .sitting
        .admits(product.kind)
        .map_err(|m| AppError::invalid("round", m))?;
    // The office's intake (a dossier the commune proposed) goes to a district or
    // province round: under the seed's three tiers the province also takes the
    // communes' proposals directly since the districts went (1 July 2025).
    let from_intake = product.state == DossierState::OfficeReview && round.body != Body::Central;
    let (next, proposed) = if from_intake {
        let next = product
            .state
            .transition(DossierEvent::AssignToRound)
            .map_err(|m| AppError::invalid("state", m))?;
        let proposed = db::dossiers::proposed_ms(&db, &product_id)
            .await?
            .unwrap_or_else(db::now_ms);
        (next, proposed)
    } else {
        (
            product.state,
            forwarded_here(&db, &round, &product_id).await?,
        )
    };
    crate::domain::round::check_proposed_in_time(&round.proposal_cutoff, proposed)
        .map_err(|m| AppError::invalid("round", m))?;
    if db::rounds::open_round_of(&db, &product_id).await?.is_some() {
        return Err(AppError::invalid("round", Refusal::AlreadyInOpenRound));
    }
    let mut tx = db.begin().await?;
    let accepting = [RoundState::Draft, RoundState::Accepting];
    if db::rounds::lock_in_state(&mut tx, &round_id, &accepting)
        .await?
        .is_none()
    {
        return Err(AppError::invalid("round", Refusal::RoundNotAccepting));
    }
    if next != product.state
        && !db::dossiers::set_state(&mut tx, &product_id, product.state, next, product.version)
            .await?
    {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    db::rounds::add_dossier(&mut tx, &round_id, &product_id).await?;
    db::dossiers::add_event(
        &mut tx,
        &product_id,
        next,
        product.version,
        &crate::domain::refusal::EventNote::NoteAddedToRound {
            round: round.name.clone(),
        }
        .stored(),
        None,
    )
    .await?;
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("assign_to_round", "product", &product_id)
            .after(db::audit::digest(&round_id)),
    )
    .await?;
    Ok(())
}

/// When the level below proposed the product to this round's level: its newest
/// recorded decision must say "forwarded" to this level (named in the
/// forwarding round's profile).
async fn forwarded_here(db: &db::Db, round: &RoundRow, product_id: &str) -> Result<i64, AppError> {
    let level = round.body.level();
    let refused = || {
        AppError::invalid(
            "product_id",
            Refusal::NotForwardedTo {
                level: level.to_string(),
            },
        )
    };
    let (from_round, recorded_ms, item) = db::decisions::latest_line_of(db, product_id)
        .await?
        .ok_or_else(refused)?;
    let from = db::rounds::get(db, &from_round)
        .await?
        .ok_or_else(refused)?;
    match db::decisions::outcome_of(&item)? {
        DecisionOutcome::Forwarded { to }
            if crate::service::council::console::level_code_named(&from, &to).as_deref()
                == Some(level) =>
        {
            Ok(recorded_ms)
        }
        _ => Err(refused()),
    }
}
