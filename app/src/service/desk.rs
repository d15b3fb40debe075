//! The home page's desk: what each of the signed-in user's roles has waiting.
use crate::api::desk::{DeskCard, DeskKind};
use crate::auth::policy::{Action, Target};
use crate::auth::Role;
use crate::error::AppError;

pub async fn desk() -> Result<Option<Vec<DeskCard>>, AppError> {
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
        let products = crate::service::producer::dossier::my_products().await?;
        let open = products
            .iter()
            .filter(|p| matches!(p.state, Draft | SupplementRequested))
            .count();
        cards.push(card(DeskKind::Producer, open as i64, "/producer"));
    }
    if me.has_role(Role::CommuneOfficer) {
        let queue = crate::service::commune::review::queue().await?;
        let mut commune = card(DeskKind::Commune, queue.len() as i64, "/xa");
        commune.soonest_days = queue.iter().map(|item| item.days_left).min();
        cards.push(commune);
    }
    if me.has_role(Role::OfficeStaff) || me.has_role(Role::MinistryStaff) {
        let queue = crate::service::office::intake::queue().await?;
        cards.push(card(DeskKind::Office, queue.len() as i64, "/van-phong"));
    }
    if me.has_role(Role::CouncilMember) || me.has_role(Role::CouncilChair) {
        let products = crate::service::council::member::products().await?;
        let open = products
            .iter()
            .filter(|p| p.state != crate::domain::sheet_progress::SheetProgress::Submitted)
            .count();
        cards.push(card(DeskKind::Council, open as i64, "/cham-diem"));
        let db = crate::db::from_context()?;
        for (round_id, name) in crate::db::councils::chaired_by(&db, &me.user_id).await? {
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
