//! A round's council: members seated (by phone or name), settings, split
//! assignments, conflicts of interest.
use super::*;
use crate::api::office::{Conflict, CouncilSettings, CouncilSplit, MemberRow, NewSeat, SeatAdded};
use crate::error::AppError;
use crate::error::{Refusal, Thing};
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    auth::Scope,
    db,
    domain::round::RoundState,
};

pub async fn add_council_member(seat: NewSeat) -> Result<SeatAdded, AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &seat.round_id).await?;
    let display = crate::domain::name::DisplayName::parse(&seat.name)
        .map_err(|e| AppError::invalid("name", e))?;
    let name = required_text("name", &seat.name, "member_name")?;
    let department = required_text("department", &seat.department, "department")?;
    use crate::domain::round::CouncilPosition;
    let position = CouncilPosition::parse(&seat.position)
        .ok_or_else(|| AppError::invalid("position", Refusal::PositionInvalid))?;
    let role = match position {
        CouncilPosition::Chair => Some(crate::auth::Role::CouncilChair),
        CouncilPosition::Member => Some(crate::auth::Role::CouncilMember),
        CouncilPosition::Advisor => None,
    };
    let phone = match seat
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(phone) => Some(
            crate::domain::phone::PhoneNumber::parse(phone)
                .map_err(|e| AppError::invalid("phone", e))?,
        ),
        None => None,
    };
    let actor = authorized.actor();
    // The seat's council role, allowed before anything is written.
    let grant = match (&phone, role) {
        (Some(_), Some(role)) => {
            let grant = crate::auth::Grant {
                role,
                scope: Scope::Council {
                    round: round.id.clone(),
                    office: round.body.office(),
                },
            };
            authorize(
                Action::SeatCouncil,
                &Target::Grants(std::slice::from_ref(&grant)),
            )
            .await?;
            Some(grant)
        }
        _ => None,
    };
    let origin = crate::service::account::site_origin_for_links().await;
    let inviter = authorized
        .principal
        .as_ref()
        .map(|p| p.display_name.clone())
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    lock_unsealed(&mut tx, &round.id).await?;
    let (user_id, invitation) = match (&phone, grant) {
        (Some(phone), Some(grant)) => {
            let invitation = crate::service::users::invite_in(
                &mut tx, phone, &display, &grant, &actor, &inviter, &origin,
            )
            .await?;
            (Some(invitation.user_id.clone()), Some(invitation))
        }
        (Some(phone), None) => (
            db::users::by_phone_in(&mut tx, phone.as_str())
                .await?
                .map(|u| u.id),
            None,
        ),
        (None, _) => (None, None),
    };
    let member = MemberRow {
        id: uuid::Uuid::now_v7().to_string(),
        name,
        department,
        position,
        user_id,
    };
    db::councils::add_member(&mut tx, &round.id, &member).await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("add_council_member", "round", &round.id)
            .after(db::audit::digest(&member)),
    )
    .await?;
    Ok(SeatAdded {
        member_id: member.id,
        invitation,
    })
}

pub async fn set_council_settings(settings: CouncilSettings) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &settings.round_id).await?;
    let quorum = (settings.numerator, settings.denominator);
    let limit = settings.divergence_limit;
    if !(1..=quorum.1).contains(&quorum.0) || !(1..=100).contains(&limit) {
        return Err(AppError::invalid("quorum", Refusal::CouncilRatioInvalid));
    }
    let mut tx = db.begin().await?;
    // What the result uses may not change once scoring has started.
    let before_scoring = [RoundState::Draft, RoundState::Accepting];
    if db::rounds::lock_in_state(&mut tx, &round.id, &before_scoring)
        .await?
        .is_none()
    {
        return Err(AppError::invalid("quorum", Refusal::CouncilRatiosFixed));
    }
    db::rounds::set_council_settings(&mut tx, &round.id, quorum, limit).await?;
    db::audit::write(
        &mut tx,
        &authorized.actor(),
        db::audit::Change::new("council_settings", "round", &round.id)
            .before(db::audit::digest(&(round.quorum, round.divergence_limit)))
            .after(db::audit::digest(&(quorum, limit))),
    )
    .await?;
    db::commit(tx).await?;
    Ok(())
}

pub async fn assign_members(split: CouncilSplit) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    crate::auth::guards::managed_round(&db, &authorized, &split.round_id).await?;
    ensure_in_round(&db, &split.round_id, &split.product_id).await?;
    let members = db::councils::members(&db, &split.round_id).await?;
    let chosen: Vec<String> = split
        .member_ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    if chosen
        .iter()
        .any(|id| !members.iter().any(|m| &m.id == id && m.position.scores()))
    {
        return Err(AppError::invalid("member_ids", Refusal::AssignOnlyScorers));
    }
    let all: Vec<String> = members.into_iter().map(|m| m.id).collect();
    let mut tx = db.begin().await?;
    lock_unsealed(&mut tx, &split.round_id).await?;
    db::councils::set_assignment(&mut tx, &split.product_id, &all, &chosen).await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new("assign_members", "product", &split.product_id)
            .after(db::audit::digest(&chosen)),
    )
    .await?;
    Ok(())
}

pub async fn conflict_declared(conflict: Conflict) -> Result<(), AppError> {
    let db = db::from_context()?;
    let (round_id, member_user) = db::councils::member_round(&db, &conflict.member_id)
        .await?
        .ok_or(AppError::NotFound(Thing::CouncilMember))?;
    let round = db::rounds::get(&db, &round_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Round))?;
    let authorized = authorize(
        Action::DeclareConflict,
        &Target::Member {
            user_id: member_user.as_deref(),
            office: round.body.office(),
        },
    )
    .await?;
    ensure_in_round(&db, &round_id, &conflict.product_id).await?;
    let reason = required_text("reason", &conflict.reason, "reason")?;
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    lock_unsealed(&mut tx, &round_id).await?;
    db::councils::declare_conflict(
        &mut tx,
        &conflict.member_id,
        &conflict.product_id,
        &reason,
        actor.id(),
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new("declare_conflict", "council_member", &conflict.member_id)
            .after(db::audit::digest(&(&conflict.product_id, &reason))),
    )
    .await?;
    Ok(())
}

/// Refused unless `product_id` is one of the round's dossiers.
async fn ensure_in_round(db: &db::Db, round_id: &str, product_id: &str) -> Result<(), AppError> {
    if db::rounds::dossiers(db, round_id)
        .await?
        .iter()
        .any(|p| p == product_id)
    {
        Ok(())
    } else {
        Err(AppError::invalid("product", Refusal::ProductNotInRound))
    }
}
