//! The admin's user management: list, invite, grant and revoke roles, disable.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::auth::Grant;

#[cfg(feature = "ssr")]
use crate::error::with_status;

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

/// Users with a role in `province` (an admin's own province when not given).
#[server(endpoint = "users/list")]
pub async fn list_users(province: Option<i64>) -> Result<Vec<UserListItem>, AppError> {
    with_status(crate::service::users::grants::list(province).await)
}

/// Invites an official with one role: an account without a password and a one-time
/// link (valid 7 days) to choose it, shown here and sent by SMS.
#[server(endpoint = "users/invite")]
pub async fn invite_user(#[server(flatten)] asked: InviteAsked) -> Result<Invitation, AppError> {
    with_status(crate::service::users::grants::invite(asked).await)
}

/// Someone to invite by phone, with the role and scope (`scope_code`) to give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteAsked {
    pub phone: String,
    pub display_name: String,
    pub role: String,
    pub scope_code: String,
}

/// Gives a user one more role in one scope.
#[server(endpoint = "users/grant_role")]
pub async fn grant_role(#[server(flatten)] asked: GrantAsked) -> Result<String, AppError> {
    with_status(crate::service::users::grants::grant(asked).await)
}

/// A role (with its scope) to give a registered user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantAsked {
    pub user_id: String,
    pub role: String,
    pub scope_code: String,
}

/// Takes one role away.
#[server(endpoint = "users/revoke_role")]
pub async fn revoke_role(grant_id: String) -> Result<(), AppError> {
    with_status(crate::service::users::grants::revoke(grant_id).await)
}

/// Disables a user (their sessions end) or enables them again. The admin must
/// administer every scope the user holds a role in.
#[server(endpoint = "users/set_disabled")]
pub async fn set_user_disabled(user_id: String, disabled: bool) -> Result<(), AppError> {
    with_status(crate::service::users::grants::set_disabled(user_id, disabled).await)
}

/// A council an admin can hand roles of: (round id, round name, province).
pub type CouncilChoice = (String, String, i64);

/// The councils (rounds) of the provinces the signed-in admin administers, newest
/// first; every province's for a super admin.
#[server(endpoint = "users/councils")]
pub async fn admin_councils() -> Result<Vec<CouncilChoice>, AppError> {
    with_status(crate::service::users::grants::councils().await)
}
