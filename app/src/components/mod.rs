pub mod commune_picker;
pub mod device;
pub mod errors;
pub mod fields;
pub mod form;
pub mod language_switch;
pub mod route;
pub mod session;
