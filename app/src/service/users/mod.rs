//! Accounts and roles the administrators manage: a grant parsed and scoped, an
//! invitation (a new account, or an offer to an existing number).
pub mod grants;

use crate::api::users::{Grant, Invitation};
use crate::error::AppError;
use crate::error::Refusal;
use crate::{
    auth::{
        policy::{Action, Target},
        session::authorize,
        Role, Scope,
    },
    db::{self, audit, links::TokenPurpose},
    domain::{name::DisplayName, phone::PhoneNumber},
};

/// Reads a role and its scope code from a form into a grant.
pub async fn parse_grant(db: &db::Db, role: &str, scope_code: &str) -> Result<Grant, AppError> {
    let role = Role::parse(role).ok_or_else(|| AppError::invalid("role", Refusal::RoleInvalid))?;
    let scope = db::users::resolve_scope(db, role.scope_kind(), scope_code)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "scope",
                match role.scope_kind() {
                    crate::auth::ScopeKind::Commune => Refusal::CommuneCodeUnknown,
                    crate::auth::ScopeKind::Province => Refusal::ProvinceCodeUnknown,
                    _ => Refusal::CouncilCodeRequired,
                },
            )
        })?;
    Ok(Grant { role, scope })
}

/// Gives `grant` to the holder of `phone`, in `tx` (the caller commits and has
/// authorized the grant). A number with an account is only offered the role by
/// SMS (its holder accepts; no link comes back); a new number gets an account
/// without a password and an invitation link, sent by SMS and returned.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn invite_in(
    tx: &mut sqlx::AnyConnection,
    phone: &PhoneNumber,
    name: &DisplayName,
    grant: &Grant,
    actor: &audit::Actor,
    inviter: &str,
    origin: &str,
) -> Result<Invitation, AppError> {
    if let Some(existing) = db::users::by_phone_in(tx, phone.as_str()).await? {
        // The number's holder must accept: whoever registered it cannot.
        let token = db::proofs::offer_role(tx, &existing.id, grant, actor.id()).await?;
        let body = crate::domain::refusal::Sms::SmsRoleOffer {
            inviter: inviter.to_string(),
            role: grant.role.as_str().to_string(),
            link: format!("{origin}/nhan-vai-tro?ma={token}"),
        }
        .body();
        db::outbox::enqueue(tx, db::outbox::SMS, phone.as_str(), &body).await?;
        crate::db::audit::write(
            tx,
            actor,
            crate::db::audit::Change::new("offer_role", "user", &existing.id)
                .after(Some(audit::digest(&(phone.as_str(), grant)))),
        )
        .await?;
        return Ok(Invitation {
            user_id: existing.id,
            link: None,
        });
    }
    let user_id = db::users::create(
        tx,
        phone.as_str(),
        name.as_str(),
        None,
        std::slice::from_ref(grant),
    )
    .await
    .map_err(|error| match error.constraint() {
        Some("users_phone_unique" | "users.phone") => {
            AppError::Conflict(Refusal::NumberJustRegistered)
        }
        _ => error.into(),
    })?;
    let token = db::links::issue_token(
        tx,
        TokenPurpose::Invitation,
        &user_id,
        db::links::INVITATION_VALID_MS,
    )
    .await?;
    let link = format!("{origin}/loi-moi?ma={token}");
    let body = crate::domain::refusal::Sms::SmsInvitation {
        inviter: inviter.to_string(),
        role: grant.role.as_str().to_string(),
        link: link.clone(),
    }
    .body();
    db::outbox::enqueue(tx, db::outbox::SMS, phone.as_str(), &body).await?;
    crate::db::audit::write(
        tx,
        actor,
        crate::db::audit::Change::new("invite_user", "user", &user_id)
            .after(Some(audit::digest(&(phone.as_str(), grant)))),
    )
    .await?;
    Ok(Invitation {
        user_id,
        link: Some(link),
    })
}

/// Names of the places grants apply to, looked up once per list.
#[derive(Default)]
pub struct ScopeNames {
    provinces: Option<Vec<crate::api::admin_units::ProvinceRow>>,
    communes: std::collections::BTreeMap<i64, Vec<(i64, String)>>,
    rounds: std::collections::BTreeMap<String, String>,
}

impl ScopeNames {
    pub async fn of(&mut self, db: &db::Db, scope: &Scope) -> Result<String, AppError> {
        Ok(match scope {
            Scope::Everywhere => String::new(),
            Scope::Province(code) => {
                if self.provinces.is_none() {
                    self.provinces = Some(db::admin_units::provinces(db).await?);
                }
                self.provinces
                    .iter()
                    .flatten()
                    .find(|p| p.code == *code)
                    .map_or_else(|| code.to_string(), |p| p.name.clone())
            }
            Scope::Commune { code, province } => {
                if !self.communes.contains_key(province) {
                    let list = db::admin_units::communes_of(db, *province).await?;
                    self.communes.insert(*province, list);
                }
                self.communes
                    .get(province)
                    .and_then(|list| list.iter().find(|(c, _)| c == code))
                    .map_or_else(|| code.to_string(), |(_, name)| name.clone())
            }
            Scope::Council { round, .. } => {
                if !self.rounds.contains_key(round) {
                    let name = db::rounds::get(db, round)
                        .await?
                        .map_or_else(|| round.clone(), |r| r.name);
                    self.rounds.insert(round.clone(), name);
                }
                self.rounds.get(round).cloned().unwrap_or_default()
            }
        })
    }
}

/// Refuses the public before any input is looked at.
pub async fn signed_in() -> Result<(), AppError> {
    authorize(Action::ViewOwnAccount, &Target::Nothing)
        .await
        .map(|_| ())
}
