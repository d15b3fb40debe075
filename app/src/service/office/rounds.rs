//! Evaluation rounds: created, moved through their states, products assigned.
use super::*;
use crate::api::office::{RoundDetail, RoundEvent, RoundRow};
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::guards::scope_of_product,
    auth::policy::{Action, Target},
    auth::session::authorize,
    auth::Scope,
    db,
    domain::dossier::DossierEvent,
    domain::round::{province_round_dates, RoundState},
};

pub async fn create(
    name: String,
    year: Option<i32>,
    number: Option<u8>,
    proposal_cutoff: Option<String>,
    closes_on: Option<String>,
    profile: Option<String>,
) -> Result<String, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let province = office_province(&authorized)?;
    let area = Scope::Province(province);
    let authorized = authorize(Action::OfficeWork, &Target::Area(&area)).await?;
    let name = required_text("name", &name, "round_name")?;
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    let (cutoff, closes) = match (given(proposal_cutoff), given(closes_on)) {
        (Some(cutoff), Some(closes)) => crate::domain::round::round_dates(&cutoff, &closes)
            .map_err(|m| AppError::invalid("closes_on", m))?,
        (None, None) => year
            .zip(number)
            .filter(|(year, _)| (2020..=2100).contains(year))
            .and_then(|(year, number)| province_round_dates(year, number))
            .ok_or_else(|| AppError::invalid("number", Refusal::RoundNumberRange))?,
        (None, Some(_)) => {
            return Err(AppError::invalid(
                "proposal_cutoff",
                Refusal::DeadlineRequired,
            ))
        }
        (Some(_), None) => return Err(AppError::invalid("closes_on", Refusal::EndDateRequired)),
    };
    let wanted = profile
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| crate::rules::CURRENT_RULE_SET.to_string());
    let profile = crate::rules_catalog::profiles()
        .ok()
        .and_then(|all| all.into_iter().find(|p| p.id == wanted))
        .filter(|p| p.level("province").is_some())
        .ok_or_else(|| AppError::invalid("profile", Refusal::ProfileNoProvince))?;
    let round = RoundRow {
        id: uuid::Uuid::now_v7().to_string(),
        province,
        level: "province".into(),
        name,
        rule_set: crate::rules::CURRENT_RULE_SET.into(),
        profile: profile.id.clone(),
        proposal_cutoff: cutoff.iso(),
        closes_on: closes.iso(),
        state: RoundState::Draft,
        quorum: (
            i64::from(profile.quorum.numerator),
            i64::from(profile.quorum.denominator),
        ),
        divergence_limit: i64::from(profile.divergence_limit),
    };
    let mut tx = db::from_context()?.begin().await?;
    db::rounds::insert(&mut tx, &round).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("create_round", "round", &round.id)
            .after(db::audit::digest(&round)),
    )
    .await?;
    Ok(round.id)
}

pub async fn change(round_id: String, event: RoundEvent) -> Result<(), AppError> {
    let db = db::from_context()?;
    let authorized = crate::auth::session::requester().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
    if event == RoundEvent::Seal {
        return Err(AppError::invalid("state", Refusal::ChairOnly));
    }
    // A decided round has its decision recorded (number, date, signer, lines).
    if event == RoundEvent::Decide {
        return Err(AppError::invalid("state", Refusal::DecideByRecording));
    }
    let next = round
        .state
        .transition(event)
        .map_err(|m| AppError::invalid("state", m))?;
    let mut tx = db.begin().await?;
    if !db::rounds::set_state(&mut tx, &round_id, round.state, next).await? {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("round_event", "round", &round_id)
            .after(db::audit::digest(&next)),
    )
    .await?;
    Ok(())
}

pub async fn assign_to_round(product_id: String, round_id: String) -> Result<(), AppError> {
    let db = db::from_context()?;
    let authorized = crate::auth::session::requester().await?;
    let product = crate::auth::guards::office_product(&db, &authorized, &product_id).await?;
    let round = crate::auth::guards::managed_round(
        &db,
        &crate::auth::session::requester().await?,
        &round_id,
    )
    .await?;
    // An official of two provinces still puts a product only into its own province's round.
    if scope_of_product(&db, &product_id).await?.province != round.province {
        return Err(AppError::invalid("round", Refusal::OtherProvinceProduct));
    }
    if !round.state.accepts_dossiers() {
        return Err(AppError::invalid("round", Refusal::RoundNotAccepting));
    }
    let proposed = db::dossiers::proposed_ms(&db, &product_id)
        .await?
        .unwrap_or_else(db::now_ms);
    crate::domain::round::check_proposed_in_time(&round.proposal_cutoff, proposed)
        .map_err(|m| AppError::invalid("round", m))?;
    if db::rounds::open_round_of(&db, &product_id).await?.is_some() {
        return Err(AppError::invalid("round", Refusal::AlreadyInOpenRound));
    }
    let next = product
        .state
        .transition(DossierEvent::AssignToRound)
        .map_err(|m| AppError::invalid("state", m))?;
    let mut tx = db.begin().await?;
    let accepting = [RoundState::Draft, RoundState::Accepting];
    if db::rounds::lock_in_state(&mut tx, &round_id, &accepting)
        .await?
        .is_none()
    {
        return Err(AppError::invalid("round", Refusal::RoundNotAccepting));
    }
    if !db::dossiers::set_state(&mut tx, &product_id, product.state, next, product.version).await? {
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
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("assign_to_round", "product", &product_id)
            .after(db::audit::digest(&round_id)),
    )
    .await?;
    Ok(())
}

pub async fn view(round_id: String) -> Result<RoundDetail, AppError> {
    let db = db::from_context()?;
    let round = crate::auth::guards::managed_round(
        &db,
        &crate::auth::session::requester().await?,
        &round_id,
    )
    .await?;
    Ok(RoundDetail {
        dossiers: db::rounds::dossiers(&db, &round_id).await?,
        members: db::councils::members(&db, &round_id).await?,
        conflicts: db::councils::conflicts(&db, &round_id).await?,
        loads: db::councils::loads(&db, &round_id).await?,
        products: db::rounds::products_named(&db, &round_id).await?,
        assignments: db::councils::assignments(&db, &round_id).await?,
        round,
    })
}

pub async fn list() -> Result<Vec<RoundRow>, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let province = office_province(&authorized)?;
    let db = db::from_context()?;
    Ok(db::rounds::of_province(&db, province).await?)
}
