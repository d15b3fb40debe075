pub mod admin;
pub mod council;
pub mod home;
pub mod not_found;
pub mod producer;
mod role_page;
pub mod rules_browser;
pub mod try_it;
