//! The service layer (server only): what a server function does after parsing
//! its input — load, guard (`auth::guards`), change, audit (`db::audit`),
//! commit. Server functions in `api` stay thin: parse → `service::…` → outcome.
//! Services name `db`, `domain`, `auth` and `api`'s input/output types; `db`
//! and `domain` never name a service.
pub mod account;
pub mod aftercare;
pub mod audit;
pub mod catalogue;
pub mod catalogue_place;
pub mod certificates;
pub mod commune;
pub mod council;
pub mod decisions;
pub mod desk;
pub mod districts;
pub mod dossier_forms;
pub mod minutes;
pub mod office;
pub mod plan;
pub mod previous;
pub mod producer;
pub mod programme_report;
pub mod promotion;
pub mod public;
pub mod reminders;
pub mod reports;
pub mod returns;
pub mod seal;
pub mod users;

/// The database and who is asking: where a service that guards starts.
pub async fn request(
) -> Result<(crate::db::Db, crate::auth::session::Authorized), crate::error::AppError> {
    Ok((
        crate::db::from_context()?,
        crate::auth::session::requester().await?,
    ))
}
