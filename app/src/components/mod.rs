pub mod language_switch;
