//! The server side of signing in: axum-login's backend over Sao's users, argon2id
//! hashing, and `authorize`, which every server function calls first.
pub use super::hashing::{hash_password, hash_password_now, verify_password};
use super::policy::{self, Action, Target};
use super::Principal;
use crate::db::{self, Db, DbError};
use crate::error::AppError;

/// The server's sign-in settings, put in every request's context by the router.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthSettings {
    pub throttle: crate::db::throttle::ThrottleSettings,
    /// Served over https: cookies and links say so.
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed (`--trusted-proxy`); from anyone
    /// else the header is ignored.
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
    /// What one account may hold (products, uploaded bytes).
    pub quotas: crate::db::usage::Quotas,
}

/// The one origin (scheme, host, port) of the site as its users reach it: links in
/// SMS are made from it and state changes must come from it. `--public-url`, else
/// the listen address; never the request's Host header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(pub std::sync::Arc<str>);

impl PublicOrigin {
    /// The origin of `url` (`https://sao.gov.vn/x` → `https://sao.gov.vn`), or None.
    pub fn parse(url: &str) -> Option<PublicOrigin> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest[..end].to_ascii_lowercase();
        let valid = matches!(scheme.as_str(), "http" | "https")
            && !authority.is_empty()
            && !authority.contains('@');
        valid.then(|| PublicOrigin(format!("{scheme}://{authority}").into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The signed-in user as axum-login keeps them: the principal, and the session epoch
/// as the auth hash (a new epoch ends every session).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub principal: Principal,
    epoch: Vec<u8>,
}

impl axum_login::AuthUser for SessionUser {
    type Id = String;

    fn id(&self) -> String {
        self.principal.user_id.clone()
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.epoch
    }
}

#[derive(Debug, Clone)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Backend {
        Backend { db }
    }
}

/// Loads an active user with their grants; None when unknown or disabled.
pub async fn load_user(db: &Db, user_id: &str) -> Result<Option<SessionUser>, DbError> {
    let Some(record) = db::users::by_id(db, user_id).await? else {
        return Ok(None);
    };
    if record.disabled_ms.is_some() {
        return Ok(None);
    }
    let grants = db::users::grants_of(db, user_id)
        .await?
        .into_iter()
        .map(|stored| stored.grant)
        .collect();
    Ok(Some(SessionUser {
        principal: Principal {
            user_id: record.id,
            phone: record.phone,
            display_name: record.display_name,
            grants,
        },
        epoch: record.session_epoch.into_bytes(),
    }))
}

impl axum_login::AuthnBackend for Backend {
    type User = SessionUser;
    // Sao checks passwords itself (throttling needs the client address); axum-login
    // only keeps who is signed in.
    type Credentials = ();
    type Error = DbError;

    async fn authenticate(&self, _: ()) -> Result<Option<SessionUser>, DbError> {
        Ok(None)
    }

    async fn get_user(&self, user_id: &String) -> Result<Option<SessionUser>, DbError> {
        load_user(&self.db, user_id).await
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The request's session (the auth layer puts it there).
pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>()
        .await
        .map_err(|error| AppError::internal(&format!("no auth session: {error}")))
}

/// What a server function learns from `authorize`: who asks (None: the public).
pub struct Authorized {
    pub principal: Option<Principal>,
    pub session: AuthSession,
}

impl Authorized {
    /// The requester of a plain route (files, PDFs), from its session.
    pub fn from_session(session: AuthSession) -> Authorized {
        let principal = session.user.as_ref().map(|user| user.principal.clone());
        Authorized { principal, session }
    }

    /// Whether the policy lets this requester do `action` to `target`.
    pub fn allow(&self, action: Action, target: &Target<'_>) -> Result<(), AppError> {
        policy::decide(self.principal.as_ref(), action, target).map_err(|refusal| match refusal {
            policy::Refusal::NotSignedIn => AppError::NotSignedIn,
            policy::Refusal::Forbidden => AppError::Forbidden,
        })
    }

    /// The signed-in principal; `authorize` has already refused the public where it must.
    pub fn user(&self) -> Result<&Principal, AppError> {
        self.principal.as_ref().ok_or(AppError::NotSignedIn)
    }

    /// Who the audit trail names for this request: the user in their highest role.
    pub fn actor(&self) -> crate::db::audit::Actor {
        match &self.principal {
            Some(p) => crate::db::audit::Actor::new(
                p.user_id.clone(),
                p.grants
                    .iter()
                    .map(|g| g.role.as_str())
                    .max_by_key(|r| crate::auth::Role::parse(r))
                    .unwrap_or("user"),
            ),
            None => crate::db::audit::Actor::public(),
        }
    }
}

/// Who sent this request, not yet allowed anything: the guards in
/// `auth::guards` ask the policy for what it touches.
pub async fn requester() -> Result<Authorized, AppError> {
    Ok(Authorized::from_session(auth_session().await?))
}

/// Asks the policy whether the requester may do `action` to `target`.
pub async fn authorize(action: Action, target: &Target<'_>) -> Result<Authorized, AppError> {
    let authorized = requester().await?;
    authorized.allow(action, target)?;
    Ok(authorized)
}

/// The client's address, for throttling: the socket peer, or, when the peer is a
/// trusted proxy, the nearest address in `X-Forwarded-For` that is not one.
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
        return "unknown".to_string();
    };
    let trusted = leptos::prelude::use_context::<AuthSettings>()
        .map(|settings| settings.trusted_proxies)
        .unwrap_or_default();
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    let forwarded = {
        let values: Vec<String> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok().map(str::to_string))
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    client_ip(peer.ip(), forwarded.as_deref(), &trusted).to_string()
}

/// Who the client is: `peer` unless it is trusted; then, reading `X-Forwarded-For`
/// from the right (the entries our proxies appended), the first untrusted address.
/// A malformed entry stops the walk at the last address known good.
pub fn client_ip(
    peer: std::net::IpAddr,
    forwarded: Option<&str>,
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded.unwrap_or("").rsplit(',') {
        let Ok(ip) = entry.trim().parse::<std::net::IpAddr>() else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_ip;

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().expect("cidr")).collect()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_peers() {
        let trusted = nets(&["10.0.0.0/8"]);
        let peer = "203.0.113.9".parse().expect("ip");
        assert_eq!(client_ip(peer, Some("1.2.3.4"), &trusted), peer);
        let proxy = "10.0.0.2".parse().expect("ip");
        let client: std::net::IpAddr = "198.51.100.7".parse().expect("ip");
        assert_eq!(client_ip(proxy, Some("198.51.100.7"), &trusted), client);
        // A client's own forged entry sits left of what the proxy appended.
        assert_eq!(
            client_ip(proxy, Some("6.6.6.6, 198.51.100.7, 10.0.0.3"), &trusted),
            client
        );
        assert_eq!(client_ip(proxy, Some("garbage"), &trusted), proxy);
        assert_eq!(client_ip(proxy, None, &trusted), proxy);
    }
}
