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
    use crate::auth::policy::{Action, Target};
    use crate::auth::Role;
    crate::error::with_status(
        async move {
            let authorized =
                crate::auth::session::authorize(Action::ViewPublicData, &Target::Nothing).await?;
            let Some(me) = authorized.principal else {
                return Ok(None);
            };
            let card = |kind, waiting, link: &str| DeskCard {
                kind,
                waiting,
                soonest_days: None,
                label: String::new(),
                link: link.to_string(),
            };
            let mut cards = Vec::new();
            if me.has_role(Role::Producer) {
                use crate::domain::dossier::DossierState::{Draft, SupplementRequested};
                let products = crate::api::producer::my_products().await?;
                let open = products
                    .iter()
                    .filter(|p| matches!(p.state, Draft | SupplementRequested))
                    .count();
                cards.push(card(DeskKind::Producer, open as i64, "/producer"));
            }
            if me.has_role(Role::CommuneOfficer) {
                let queue = crate::api::commune::commune_queue().await?;
                let mut commune = card(DeskKind::Commune, queue.len() as i64, "/xa");
                commune.soonest_days = queue.iter().map(|item| item.days_left).min();
                cards.push(commune);
            }
            if me.has_role(Role::OfficeStaff) {
                let queue = crate::api::office::office_queue().await?;
                cards.push(card(DeskKind::Office, queue.len() as i64, "/van-phong"));
            }
            if me.has_role(Role::CouncilMember) || me.has_role(Role::CouncilChair) {
                let products = crate::api::council::council_products().await?;
                let open = products.iter().filter(|p| p.state != "submitted").count();
                cards.push(card(DeskKind::Council, open as i64, "/cham-diem"));
                let db = crate::db::from_context()?;
                for (round_id, name) in crate::db::rounds::chaired_by(&db, &me.user_id).await? {
                    let mut chair = card(DeskKind::Chair, 0, &format!("/hoi-dong/{round_id}"));
                    chair.label = name;
                    cards.push(chair);
                }
            }
            if me.has_role(Role::Admin) || me.has_role(Role::SuperAdmin) {
                cards.push(card(DeskKind::Admin, 0, "/admin"));
            }
            Ok(Some(cards))
        }
        .await,
    )
}
