//! The administrators' list of users, invitations, grants, revocations and locks.
use super::*;
use crate::api::users::{CouncilChoice, Grant, Invitation, UserListItem};
use crate::error::AppError;
use crate::error::{Refusal, Thing};
use crate::{
    auth::{
        policy::{home_province, Action, Target},
        session::authorize,
        Scope,
    },
    db::{self, audit},
    domain::{name::DisplayName, phone::PhoneNumber},
};

pub async fn list(province: Option<i64>) -> Result<Vec<UserListItem>, AppError> {
    let session = crate::auth::session::auth_session().await?;
    let area = match province {
        Some(code) => Scope::Province(code),
        None => session
            .user
            .as_ref()
            .and_then(|user| home_province(&user.principal))
            .map(Scope::Province)
            .unwrap_or(Scope::Everywhere),
    };
    authorize(Action::ListUsers, &Target::Area(&area)).await?;
    let db = db::from_context()?;
    let users = db::users::list(&db, area.province()).await?;
    let mut names = ScopeNames::default();
    let mut items = Vec::with_capacity(users.len());
    for user in users {
        let mut grants = Vec::with_capacity(user.grants.len());
        for stored in user.grants {
            let name = names.of(&db, &stored.grant.scope).await?;
            grants.push((stored.id, stored.grant, name));
        }
        items.push(UserListItem {
            id: user.id,
            phone: user.phone,
            display_name: user.display_name,
            disabled: user.disabled,
            active: user.has_password,
            grants,
        });
    }
    Ok(items)
}

pub async fn invite(asked: crate::api::users::InviteAsked) -> Result<Invitation, AppError> {
    signed_in().await?;
    let db = db::from_context()?;
    let phone = PhoneNumber::parse(&asked.phone).map_err(|e| AppError::invalid("phone", e))?;
    let name = DisplayName::parse(&asked.display_name)
        .map_err(|e| AppError::invalid("display_name", e))?;
    let grant = parse_grant(&db, &asked.role, &asked.scope_code).await?;
    let authorized = authorize(
        Action::ManageUser,
        &Target::Grants(std::slice::from_ref(&grant)),
    )
    .await?;
    let actor = authorized.actor();
    let origin = crate::service::account::site_origin_for_links().await;
    let inviter = authorized
        .principal
        .as_ref()
        .map(|p| p.display_name.clone())
        .unwrap_or_else(|| {
            crate::domain::refusal::term("inviter", "admin", crate::domain::refusal::Lang::Vi)
        });
    let mut tx = db.begin().await?;
    let invitation = invite_in(&mut tx, &phone, &name, &grant, &actor, &inviter, &origin).await?;
    db::commit(tx).await?;
    Ok(invitation)
}

pub async fn grant(asked: crate::api::users::GrantAsked) -> Result<String, AppError> {
    signed_in().await?;
    let db = db::from_context()?;
    let grant = parse_grant(&db, &asked.role, &asked.scope_code).await?;
    let authorized = authorize(
        Action::ManageUser,
        &Target::Grants(std::slice::from_ref(&grant)),
    )
    .await?;
    if db::users::by_id(&db, &asked.user_id).await?.is_none() {
        return Err(AppError::NotFound(Thing::User));
    }
    let mut tx = db.begin().await?;
    let grant_id = db::users::add_grant(&mut tx, &asked.user_id, &grant)
        .await
        .map_err(|error| match error.constraint() {
            Some(name) if name.starts_with("role_grants") => {
                AppError::invalid("role", Refusal::RoleAlreadyGranted)
            }
            _ => error.into(),
        })?;
    let actor = authorized.actor();
    crate::db::audit::write(
        &mut tx,
        &actor,
        crate::db::audit::Change::new("grant_role", "user", &asked.user_id)
            .after(Some(audit::digest(&grant))),
    )
    .await?;
    db::commit(tx).await?;
    Ok(grant_id)
}

pub async fn revoke(grant_id: String) -> Result<(), AppError> {
    signed_in().await?;
    let db = db::from_context()?;
    let stored = db::users::grant_by_id(&db, &grant_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Role))?;
    let authorized = authorize(
        Action::ManageUser,
        &Target::Grants(std::slice::from_ref(&stored.grant)),
    )
    .await?;
    let mut tx = db.begin().await?;
    db::users::remove_grant(&mut tx, &grant_id).await?;
    let actor = authorized.actor();
    crate::db::audit::write(
        &mut tx,
        &actor,
        crate::db::audit::Change::new("revoke_role", "user", &stored.user_id)
            .after(Some(audit::digest(&stored.grant))),
    )
    .await?;
    db::commit(tx).await?;
    Ok(())
}

pub async fn set_disabled(user_id: String, disabled: bool) -> Result<(), AppError> {
    signed_in().await?;
    let db = db::from_context()?;
    if db::users::by_id(&db, &user_id).await?.is_none() {
        return Err(AppError::NotFound(Thing::User));
    }
    let grants: Vec<Grant> = db::users::grants_of(&db, &user_id)
        .await?
        .into_iter()
        .map(|g| g.grant)
        .collect();
    let authorized = authorize(Action::ManageUser, &Target::Grants(&grants)).await?;
    if authorized
        .principal
        .as_ref()
        .is_some_and(|p| p.user_id == user_id)
    {
        return Err(AppError::invalid("user", Refusal::CannotDisableSelf));
    }
    let mut tx = db.begin().await?;
    db::users::set_disabled(&mut tx, &user_id, disabled).await?;
    let action = if disabled {
        "disable_user"
    } else {
        "enable_user"
    };
    let actor = authorized.actor();
    crate::db::audit::write(
        &mut tx,
        &actor,
        crate::db::audit::Change::new(action, "user", &user_id)
            .after(Some(audit::digest(&disabled))),
    )
    .await?;
    db::commit(tx).await?;
    Ok(())
}

pub async fn councils() -> Result<Vec<CouncilChoice>, AppError> {
    let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
    // The provinces this person administers (all for a super admin).
    let provinces = crate::auth::policy::audit_provinces(authorized.user()?);
    if provinces.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::Forbidden);
    }
    let db = db::from_context()?;
    Ok(db::councils::councils_in(&db, provinces.as_deref()).await?)
}
