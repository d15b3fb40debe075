//! The scope guards: "may this requester touch this round / this dossier?",
//! answered once for server functions and plain routes (files, PDFs) alike.
//!
//! Each guard loads the row it checks, asks `policy::decide` through
//! `Authorized::allow`, and returns the row: a caller cannot check one round
//! and change another. Guards that depend on data the policy does not hold
//! (a council's seats, assignments and conflicts) ask the database here.
use super::policy::{Action, Target};
use super::session::Authorized;
use super::Scope;
use crate::db::{self, Db, DbError};
use crate::domain::dossier::ProductRow;
use crate::domain::plan::PlanScope;
use crate::domain::round::{CouncilPosition, RoundRow, RoundState};
use crate::error::{AppError, Refusal, Thing};

/// The round states in which sheets change.
pub const SCORING_STATES: [RoundState; 2] = [RoundState::Scoring, RoundState::Deliberation];

async fn round(db: &Db, round_id: &str) -> Result<RoundRow, AppError> {
    db::rounds::get(db, round_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Round))
}

async fn product(db: &Db, product_id: &str) -> Result<ProductRow, AppError> {
    db::producers::product(db, product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))
}

/// The subject scope (province, commune, owner) of a product.
pub async fn scope_of_product(db: &Db, product_id: &str) -> Result<super::SubjectScope, AppError> {
    db::producers::product_scope(db, product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))
}

/// The subject scope of a subject.
pub async fn scope_of_subject(db: &Db, subject_id: &str) -> Result<super::SubjectScope, AppError> {
    db::producers::subject_scope(db, subject_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Subject))
}

/// The round, after the policy allowed its chair or its province's office.
pub async fn chaired_round(db: &Db, me: &Authorized, round_id: &str) -> Result<RoundRow, AppError> {
    let round = round(db, round_id).await?;
    let members = db::councils::members(db, round_id).await?;
    let chair = members
        .iter()
        .find(|m| m.position == CouncilPosition::Chair)
        .and_then(|m| m.user_id.as_deref());
    me.allow(
        Action::ChairCouncil,
        &Target::Member {
            user_id: chair,
            office: round.body.office(),
        },
    )?;
    Ok(round)
}

/// The same, refused unless the round takes sheets.
pub async fn chaired_scoring_round(
    db: &Db,
    me: &Authorized,
    round_id: &str,
) -> Result<RoundRow, AppError> {
    let round = chaired_round(db, me, round_id).await?;
    ensure_scoring(round.state)?;
    Ok(round)
}

/// A round, after the policy allowed the office that runs it (its province's,
/// or the ministry's for a central round).
pub async fn managed_round(db: &Db, me: &Authorized, round_id: &str) -> Result<RoundRow, AppError> {
    let round = round(db, round_id).await?;
    me.allow(Action::OfficeWork, &Target::Office(round.body.office()))?;
    Ok(round)
}

/// A certificate, after the policy allowed its province's office, or for a
/// 5★ certificate the ministry's (Điều 8.2b: the ministry revokes those).
pub async fn managed_certificate(
    db: &Db,
    me: &Authorized,
    code: &str,
) -> Result<db::certificates::StoredCertificate, AppError> {
    let certificate = db::certificates::by_code(db, code)
        .await?
        .ok_or(AppError::NotFound(Thing::Certificate))?;
    let province = Scope::Province(certificate.province_code);
    match me.allow(Action::OfficeWork, &Target::Area(&province)) {
        Err(AppError::Forbidden) if certificate.stars >= 5 => {
            me.allow(Action::OfficeWork, &Target::Office(super::Office::Ministry))?
        }
        decided => decided?,
    }
    Ok(certificate)
}

/// A dossier, after the policy allowed its province's office.
pub async fn office_product(
    db: &Db,
    me: &Authorized,
    product_id: &str,
) -> Result<ProductRow, AppError> {
    let scope = scope_of_product(db, product_id).await?;
    me.allow(Action::OfficeWork, &Target::Subject(&scope))?;
    product(db, product_id).await
}

/// A dossier, after the policy allowed its commune's officer.
pub async fn reviewed_product(
    db: &Db,
    me: &Authorized,
    product_id: &str,
) -> Result<ProductRow, AppError> {
    let scope = scope_of_product(db, product_id).await?;
    me.allow(Action::ReviewInCommune, &Target::Subject(&scope))?;
    product(db, product_id).await
}

/// The product, refused unless the producer may still change it (the caller
/// has already been allowed to edit its subject).
pub async fn editable_product(db: &Db, product_id: &str) -> Result<ProductRow, AppError> {
    let product = product(db, product_id).await?;
    if !product.state.editable() {
        return Err(AppError::invalid(
            "state",
            Refusal::DossierNotEditable {
                dossier_state: product.state.as_str().to_string(),
            },
        ));
    }
    Ok(product)
}

/// Whether the requester may read a product's dossier (its files, its forms):
/// whoever may view its subject, and a council member who scores the product
/// now (assigned, not conflicted) — that is data, so it is asked of the database.
pub async fn readable_dossier(db: &Db, me: &Authorized, product_id: &str) -> Result<(), AppError> {
    let scope = scope_of_product(db, product_id).await?;
    match me.allow(Action::ViewSubject, &Target::Subject(&scope)) {
        Err(AppError::Forbidden) => {}
        decided => return decided,
    }
    me.allow(Action::ScoreInCouncil, &Target::Nothing)?;
    if scores_product(db, &me.user()?.user_id, product_id).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `user_id` scores `product_id` in a round now (assigned, unconflicted).
pub async fn scores_product(db: &Db, user_id: &str, product_id: &str) -> Result<bool, DbError> {
    Ok(db::councils::scoring_rights(db, user_id)
        .await?
        .iter()
        .any(|right| right.product_id == product_id))
}

/// Whether council member `member_id` scores `product_id` in `round_id`: a
/// scoring seat (not the advisory team), the product in the round, assigned
/// to them (or the council not split for it), and no declared conflict.
pub async fn member_scores(
    db: &Db,
    round_id: &str,
    member_id: &str,
    product_id: &str,
) -> Result<bool, DbError> {
    let seated = db::councils::members(db, round_id)
        .await?
        .into_iter()
        .any(|m| m.id == member_id && m.position.scores());
    let in_round = db::rounds::dossiers(db, round_id)
        .await?
        .iter()
        .any(|p| p == product_id);
    let pair = (member_id.to_string(), product_id.to_string());
    let conflicted = db::councils::conflicts(db, round_id).await?.contains(&pair);
    let assignments = db::councils::assignments(db, round_id).await?;
    let assigned = !assignments.iter().any(|(_, p)| p == product_id) || assignments.contains(&pair);
    Ok(seated && in_round && assigned && !conflicted)
}

/// Refused unless the round takes sheets (scoring or deliberation).
pub fn ensure_scoring(state: RoundState) -> Result<(), AppError> {
    if SCORING_STATES.contains(&state) {
        Ok(())
    } else {
        Err(AppError::invalid("state", Refusal::NotScoring))
    }
}

/// Locks the round for this transaction while it takes sheets; refused otherwise
/// (a seal that got there first wins, and this change is not made).
pub async fn lock_scoring(tx: &mut sqlx::AnyConnection, round_id: &str) -> Result<(), AppError> {
    match db::rounds::lock_in_state(tx, round_id, &SCORING_STATES).await? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid("state", Refusal::NotScoring)),
    }
}

/// The province an office user works for (their first office grant).
pub fn office_province(me: &Authorized) -> Result<i64, AppError> {
    me.user()?
        .grants
        .iter()
        .find_map(|g| match (g.role, &g.scope) {
            (super::Role::OfficeStaff, Scope::Province(code)) => Some(*code),
            _ => None,
        })
        .ok_or(AppError::Forbidden)
}

/// The communes a commune officer works for (each of their officer grants).
pub fn officer_communes(me: &Authorized) -> Result<Vec<i64>, AppError> {
    Ok(me
        .user()?
        .grants
        .iter()
        .filter_map(|g| match (g.role, &g.scope) {
            (super::Role::CommuneOfficer, Scope::Commune { code, .. }) => Some(*code),
            _ => None,
        })
        .collect())
}

/// The office's province, after the policy allowed office work there.
pub fn province_office(me: &Authorized) -> Result<i64, AppError> {
    let province = office_province(me)?;
    me.allow(
        Action::OfficeWork,
        &Target::Office(super::Office::Province(province)),
    )?;
    Ok(province)
}

/// Who reads plans and programme reports: a province's office, or a commune
/// officer (over their communes).
pub enum PlanReader {
    Office(i64),
    Communes(Vec<i64>),
}

/// The plan reader `me` is, after the policy allowed it.
pub fn plan_reader(me: &Authorized) -> Result<PlanReader, AppError> {
    if office_province(me).is_ok() {
        return province_office(me).map(PlanReader::Office);
    }
    me.allow(Action::ReviewInCommune, &Target::Nothing)?;
    officer_communes(me).map(PlanReader::Communes)
}

/// The province a plan scope lies in (None: no such district or commune).
pub async fn scope_province(db: &Db, scope: &PlanScope) -> Result<Option<i64>, AppError> {
    Ok(match scope {
        PlanScope::Province(code) => Some(*code),
        PlanScope::District(id) => db::districts::get(db, id).await?.map(|d| d.province),
        PlanScope::Commune(code) => db::admin_units::province_of_commune(db, *code).await?,
        PlanScope::National => None,
    })
}

/// May `me` read the programme report of `scope`: the office of its province,
/// the officer of that commune, or (the whole country) the ministry's office.
pub async fn reported_scope(db: &Db, me: &Authorized, scope: &PlanScope) -> Result<(), AppError> {
    // Signed in first: an anonymous caller learns nothing of which scopes exist.
    let user = me.user()?;
    if *scope == PlanScope::National {
        if !user.has_role(super::Role::MinistryStaff) {
            return Err(AppError::Forbidden);
        }
        return me.allow(Action::OfficeWork, &Target::Office(super::Office::Ministry));
    }
    let province = scope_province(db, scope)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))?;
    match (plan_reader(me)?, scope) {
        (PlanReader::Office(own), _) if own == province => Ok(()),
        (PlanReader::Communes(communes), PlanScope::Commune(code)) if communes.contains(code) => {
            Ok(())
        }
        _ => Err(AppError::Forbidden),
    }
}
