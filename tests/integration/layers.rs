//! The layers import downwards only (issue 15): `db` (queries) and `domain`
//! (pure rules) never name the layers above them — server functions (`api`),
//! pages, components, printed documents — and `domain` never names `db`.
//! `rules_catalog` (the rule data, read by `db` and `api`) sits with `db`.
use std::path::{Path, PathBuf};

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("app/src")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Each line of the files under `paths` (below `app/src`) naming one of `higher`.
fn upward_imports(paths: &[&str], higher: &[&str]) -> Vec<String> {
    let src = app_src();
    let mut files = Vec::new();
    for path in paths {
        let path = src.join(path);
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    assert!(files.len() > 10, "the layers' files were found: {files:?}");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if let Some(name) = higher.iter().find(|h| code.contains(*h)) {
                found.push(format!(
                    "{}:{}: {name}",
                    file.strip_prefix(&src).unwrap_or(&file).display(),
                    number + 1
                ));
            }
        }
    }
    found
}

const ABOVE_DB: [&str; 6] = [
    "crate::api",
    "crate::pages",
    "crate::components",
    "crate::reports",
    "crate::dossier_forms",
    "crate::root",
];

#[test]
fn the_database_and_the_rules_never_import_a_layer_above_them() {
    let found = upward_imports(&["db", "domain", "rules_catalog.rs"], &ABOVE_DB);
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_pure_rules_never_import_the_database() {
    let found = upward_imports(&["domain"], &["crate::db", "sqlx::"]);
    assert!(
        found.is_empty(),
        "domain naming the database:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_itself_sees_an_upward_import() {
    let found = upward_imports(&["api"], &["crate::db"]);
    assert!(!found.is_empty(), "api uses db: the scan must see it");
}
