pub mod admin;
pub mod council;
pub mod home;
pub mod not_found;
pub mod producer;
pub mod rules_browser;
pub mod try_it;
mod role_page;
