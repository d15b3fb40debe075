//! The admin's user management: list, invite, grant and revoke roles, disable.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::auth::Grant;

#[cfg(feature = "ssr")]
use crate::{
    auth::{
        policy::{home_province, Action, Target},
        session::authorize,
        Role, Scope,
    },
    db::{self, audit, users::TokenPurpose},
    domain::{name::DisplayName, phone::PhoneNumber},
    error::with_status,
};

/// A user as the admin's list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListItem {
    pub id: String,
    pub phone: String,
    pub display_name: String,
    pub disabled: bool,
    /// False until an invited official has chosen a password.
    pub active: bool,
    /// (grant id, grant, where it applies by name: the commune, province or round).
    pub grants: Vec<(String, Grant, String)>,
}

/// An invitation. To a new number: an account without a password, and the link to
/// choose it, shown to the admin and sent by SMS. To a number that has an account:
/// only an SMS to that number; the role attaches when its holder accepts (`link`
/// is then None: the admin never holds it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub user_id: String,
    pub link: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;

    /// Reads a role and its scope code from a form into a grant.
    pub async fn parse_grant(db: &db::Db, role: &str, scope_code: &str) -> Result<Grant, AppError> {
        let role =
            Role::parse(role).ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
        let scope = db::users::resolve_scope(db, role.scope_kind(), scope_code)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "scope",
                    match role.scope_kind() {
                        crate::auth::ScopeKind::Commune => "Không có xã, phường với mã này.",
                        crate::auth::ScopeKind::Province => "Không có tỉnh, thành phố với mã này.",
                        _ => "Vui lòng nhập mã Hội đồng.",
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
        db: &db::Db,
        phone: &PhoneNumber,
        name: &DisplayName,
        grant: &Grant,
        actor: &audit::Actor,
        inviter: &str,
        origin: &str,
    ) -> Result<Invitation, AppError> {
        if let Some(existing) = db::users::by_phone(db, phone.as_str()).await? {
            // The number's holder must accept: whoever registered it cannot.
            let token = db::proofs::offer_role(tx, &existing.id, grant, actor.id()).await?;
            let body = format!(
                "Sao OCOP: {inviter} mời bạn nhận vai trò {}. Đăng nhập rồi mở {origin}/nhan-vai-tro?ma={token} để nhận (hiệu lực 7 ngày).",
                grant.role.label_vi()
            );
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
                AppError::Conflict("Số này vừa được đăng ký. Vui lòng mời lại.".into())
            }
            _ => error.into(),
        })?;
        let token = db::users::issue_token(
            tx,
            TokenPurpose::Invitation,
            &user_id,
            db::users::INVITATION_VALID_MS,
        )
        .await?;
        let link = format!("{origin}/loi-moi?ma={token}");
        let body = format!(
            "Sao OCOP: {inviter} mời bạn tham gia với vai trò {}. Đặt mật khẩu tại {link} (hiệu lực 7 ngày).",
            grant.role.label_vi()
        );
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
}

#[cfg(feature = "ssr")]
use ssr::*;

/// Users with a role in `province` (an admin's own province when not given).
#[server(endpoint = "users/list")]
pub async fn list_users(province: Option<i64>) -> Result<Vec<UserListItem>, AppError> {
    with_status(
        async move {
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
        .await,
    )
}

/// Invites an official with one role: an account without a password and a one-time
/// link (valid 7 days) to choose it, shown here and sent by SMS.
#[server(endpoint = "users/invite")]
pub async fn invite_user(
    phone: String,
    display_name: String,
    role: String,
    scope_code: String,
) -> Result<Invitation, AppError> {
    with_status(
        async move {
            signed_in().await?;
            let db = db::from_context()?;
            let phone = PhoneNumber::parse(&phone).map_err(|e| AppError::invalid("phone", e))?;
            let name = DisplayName::parse(&display_name)
                .map_err(|e| AppError::invalid("display_name", e))?;
            let grant = parse_grant(&db, &role, &scope_code).await?;
            let authorized = authorize(
                Action::ManageUser,
                &Target::Grants(std::slice::from_ref(&grant)),
            )
            .await?;
            let actor = authorized.actor();
            let origin = super::account::ssr::site_origin_for_links().await;
            let inviter = authorized
                .principal
                .as_ref()
                .map(|p| p.display_name.clone())
                .unwrap_or_else(|| "Quản trị".to_string());
            let mut tx = db.begin().await?;
            let invitation = invite_in(
                &mut tx, &db, &phone, &name, &grant, &actor, &inviter, &origin,
            )
            .await?;
            db::commit(tx).await?;
            Ok(invitation)
        }
        .await,
    )
}

/// Gives a user one more role in one scope.
#[server(endpoint = "users/grant_role")]
pub async fn grant_role(
    user_id: String,
    role: String,
    scope_code: String,
) -> Result<String, AppError> {
    with_status(
        async move {
            signed_in().await?;
            let db = db::from_context()?;
            let grant = parse_grant(&db, &role, &scope_code).await?;
            let authorized = authorize(
                Action::ManageUser,
                &Target::Grants(std::slice::from_ref(&grant)),
            )
            .await?;
            if db::users::by_id(&db, &user_id).await?.is_none() {
                return Err(AppError::NotFound("người dùng".into()));
            }
            let mut tx = db.begin().await?;
            let grant_id = db::users::add_grant(&mut tx, &user_id, &grant)
                .await
                .map_err(|error| match error.constraint() {
                    Some(name) if name.starts_with("role_grants") => {
                        AppError::invalid("role", "Người dùng đã có vai trò này.")
                    }
                    _ => error.into(),
                })?;
            let actor = authorized.actor();
            crate::db::audit::write(
                &mut tx,
                &actor,
                crate::db::audit::Change::new("grant_role", "user", &user_id)
                    .after(Some(audit::digest(&grant))),
            )
            .await?;
            db::commit(tx).await?;
            Ok(grant_id)
        }
        .await,
    )
}

/// Takes one role away.
#[server(endpoint = "users/revoke_role")]
pub async fn revoke_role(grant_id: String) -> Result<(), AppError> {
    with_status(
        async move {
            signed_in().await?;
            let db = db::from_context()?;
            let stored = db::users::grant_by_id(&db, &grant_id)
                .await?
                .ok_or_else(|| AppError::NotFound("vai trò".into()))?;
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
        .await,
    )
}

/// Disables a user (their sessions end) or enables them again. The admin must
/// administer every scope the user holds a role in.
#[server(endpoint = "users/set_disabled")]
pub async fn set_user_disabled(user_id: String, disabled: bool) -> Result<(), AppError> {
    with_status(
        async move {
            signed_in().await?;
            let db = db::from_context()?;
            if db::users::by_id(&db, &user_id).await?.is_none() {
                return Err(AppError::NotFound("người dùng".into()));
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
                return Err(AppError::invalid(
                    "user",
                    "Không thể tự khóa tài khoản của mình.",
                ));
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
        .await,
    )
}

/// A council an admin can hand roles of: (round id, round name, province).
pub type CouncilChoice = (String, String, i64);

/// The councils (rounds) of the provinces the signed-in admin administers, newest
/// first; every province's for a super admin.
#[server(endpoint = "users/councils")]
pub async fn admin_councils() -> Result<Vec<CouncilChoice>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
            // The provinces this person administers (all for a super admin).
            let provinces = crate::auth::policy::audit_provinces(authorized.user()?);
            if provinces.as_ref().is_some_and(Vec::is_empty) {
                return Err(AppError::Forbidden);
            }
            let db = db::from_context()?;
            Ok(db::rounds::councils_in(&db, provinces.as_deref()).await?)
        }
        .await,
    )
}
