//! The signed-in person's desk on the home page: for each role they hold, what
//! waits for them (counts, the nearest deadline) and where to do it. Each count
//! comes from the server function the role's own page uses, with its guard.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which work a card is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeskKind {
    /// Own dossiers being prepared or asked to be completed.
    Producer,
    /// Dossiers waiting at the commune.
    Commune,
    /// Dossiers waiting at the province's office.
    Office,
    /// Sheets not yet handed in.
    Council,
    /// A round's console, for its chair.
    Chair,
    /// Users and the audit trail.
    Admin,
}

/// One card of the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskCard {
    pub kind: DeskKind,
    pub waiting: i64,
    /// Working days left before the nearest deadline (negative: late).
    pub soonest_days: Option<i64>,
    /// A name the card shows (the round a chair chairs), else empty.
    pub label: String,
    pub link: String,
}

/// The desk of whoever is signed in (None for the public; no cards for a user
/// without a role).
#[server(endpoint = "account/desk")]
pub async fn desk() -> Result<Option<Vec<DeskCard>>, AppError> {
    crate::error::with_status(crate::service::desk::desk().await)
}
