//! The server side of signing in: axum-login's backend over Sao's users, argon2id
//! hashing, and `authorize`, which every server function calls first.
use super::policy::{self, Action, Target};
use super::Principal;
use crate::db::{self, Db, DbError};
use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// The server's sign-in settings, put in every request's context by the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthSettings {
    pub throttle: crate::db::throttle::ThrottleSettings,
    /// Served over https: cookies and links say so.
    pub secure_cookies: bool,
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
    /// The signed-in principal; `authorize` has already refused the public where it must.
    pub fn user(&self) -> Result<&Principal, AppError> {
        self.principal.as_ref().ok_or(AppError::NotSignedIn)
    }

    /// Actor and role for the audit trail.
    pub fn actor(&self) -> (String, String) {
        match &self.principal {
            Some(p) => (
                p.user_id.clone(),
                p.grants
                    .iter()
                    .map(|g| g.role.as_str())
                    .max_by_key(|r| crate::auth::Role::parse(r))
                    .unwrap_or("user")
                    .to_string(),
            ),
            None => ("anonymous".to_string(), "public".to_string()),
        }
    }
}

/// Asks the policy whether the requester may do `action` to `target`.
pub async fn authorize(action: Action, target: &Target<'_>) -> Result<Authorized, AppError> {
    let session = auth_session().await?;
    let principal = session.user.as_ref().map(|user| user.principal.clone());
    policy::decide(principal.as_ref(), action, target).map_err(|refusal| match refusal {
        policy::Refusal::NotSignedIn => AppError::NotSignedIn,
        policy::Refusal::Forbidden => AppError::Forbidden,
    })?;
    Ok(Authorized { principal, session })
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), as a PHC string.
pub fn hash_password_now(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

/// `hash_password_now` off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password_now(&password))
        .await
        .map_err(|error| AppError::internal(&error))?
        .map_err(|error| AppError::internal(&error))
}

/// Checks a password against a stored hash; with no hash (unknown account, or an
/// invitation not yet accepted) it still spends the same time, so timing tells nothing.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(|error| AppError::internal(&error))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(matches && stored != DUMMY_HASH)
    })
    .await
    .map_err(|error| AppError::internal(&error))?
}

/// A valid argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FvZHVtbXlzYWx0MTIzNA$0sd6HRzxn6xoPi5xw1Go3ljPrrjzrWn3uD0sVbKLYkI";

/// The client's address as the server saw it (for throttling), or "unknown".
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "unknown".to_string(),
    }
}
