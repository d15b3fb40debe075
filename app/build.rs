//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's code generator).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // `sqlx::migrate!` embeds the migrations: a new one must rebuild the crate.
    println!("cargo::rerun-if-changed=../migrations");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    // `t_string!` with arguments (a page's short strings built with `format!`).
    let options = ParseOptions::new().interpolate_display(true);
    let config = Config::new("vi")?.add_locale("en")?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
