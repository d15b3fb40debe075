//! Evaluation rounds: created, moved through their states, products assigned.
use super::*;
use crate::api::office::{NewRound, RoundDetail, RoundEvent, RoundRow};
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    auth::Office,
    db,
    domain::round::{province_round_dates, Body, LevelChoice, RoundState},
    domain::sitting::Sitting,
};

pub async fn create(form: NewRound) -> Result<String, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let office = office_of(&authorized)?;
    let authorized = authorize(Action::OfficeWork, &Target::Office(office)).await?;
    let db = db::from_context()?;
    let body = body_asked(&db, office, form.level).await?;
    let name = required_text("name", &form.name, "round_name")?;
    let sitting = match form.sitting.filter(|s| !s.is_empty()) {
        None => Sitting::Meeting,
        Some(text) => Sitting::parse(&text)
            .ok_or_else(|| AppError::invalid("sitting", Refusal::SittingInvalid))?,
    };
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    let (cutoff, closes) = match (given(form.proposal_cutoff), given(form.closes_on)) {
        (Some(cutoff), Some(closes)) => crate::domain::round::round_dates(&cutoff, &closes)
            .map_err(|m| AppError::invalid("closes_on", m))?,
        (None, None) => form
            .year
            .zip(form.number)
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
    let wanted = form
        .profile
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| crate::rules::CURRENT_RULE_SET.to_string());
    let profile = crate::rules_catalog::profiles()
        .ok()
        .and_then(|all| all.into_iter().find(|p| p.id == wanted))
        .ok_or_else(|| AppError::invalid("profile", Refusal::ProfileNoProvince))?;
    if profile.level(body.level()).is_none() {
        return Err(AppError::invalid(
            "level",
            Refusal::ProfileNoLevel {
                level: body.level().to_string(),
            },
        ));
    }
    let round = RoundRow {
        id: uuid::Uuid::now_v7().to_string(),
        body,
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
        sitting,
        meeting_asked: None,
    };
    let mut tx = db.begin().await?;
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

/// The body of the round the form asks for (by default: the office's own
/// level, province or central).
async fn body_asked(db: &db::Db, office: Office, level: Option<String>) -> Result<Body, AppError> {
    let choice = match level.filter(|l| !l.trim().is_empty()) {
        None => match office {
            Office::Ministry => LevelChoice::Central,
            Office::Province(_) => LevelChoice::Province,
        },
        Some(text) => LevelChoice::parse(&text)
            .ok_or_else(|| AppError::invalid("level", Refusal::FormInvalid))?,
    };
    let district_province = match &choice {
        LevelChoice::District(id) => db::districts::get(db, id).await?.map(|d| d.province),
        _ => None,
    };
    choice
        .body_for(office, district_province)
        .map_err(|refusal| AppError::invalid("level", refusal))
}

pub async fn change(round_id: String, event: RoundEvent) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
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

pub async fn choices() -> Result<crate::api::office::RoundOptions, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let levels = match office_of(&authorized)? {
        Office::Ministry => vec![(LevelChoice::Central.code(), None)],
        Office::Province(province) => {
            let db = db::from_context()?;
            let mut levels = vec![(LevelChoice::Province.code(), None)];
            levels.extend(
                db::districts::of_province(&db, province)
                    .await?
                    .into_iter()
                    .map(|d| (LevelChoice::District(d.id).code(), Some(d.name))),
            );
            levels
        }
    };
    let profiles = crate::rules_catalog::profiles()
        .map_err(|e| AppError::internal(&e))?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(crate::api::office::RoundOptions { levels, profiles })
}

pub async fn list() -> Result<Vec<RoundRow>, AppError> {
    let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
    let office = office_of(&authorized)?;
    let db = db::from_context()?;
    Ok(db::rounds::of_office(&db, office).await?)
}
