//! Server functions, one file per journey; their database code sits in `db/`.
//! Each one asks `auth::session::authorize` first (see `auth::policy`).
pub mod account;
pub mod admin_units;
pub mod aftercare;
pub mod audit;
pub mod certificates;
pub mod commune;
pub mod commune_register;
pub mod council;
pub mod decisions;
pub mod desk;
pub mod office;
pub mod plan;
pub mod producer;
pub mod promotion;
pub mod returns;
pub mod seal;
pub mod self_report;
pub mod sign_up;
pub mod users;
