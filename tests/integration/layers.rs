//! The layers of `app/src`, checked from the source: pages → server functions
//! (`api`) → services (`service`, with the guards in `auth/guards.rs`) → `db`
//! and `domain`. A lower layer never names a higher one, so there is no import
//! loop between layers; the one sideways name allowed is a service naming an
//! input/output *type* of `api` (the wire contract both builds share), never a
//! server function. Files stay under 400 lines.
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Pure rules and types both builds share (domain, rules data, the policy, errors).
    Domain,
    /// Queries and storage.
    Db,
    /// Load, guard, change, audit, commit.
    Service,
    /// Server functions and their input/output types.
    Api,
    /// Pages, components, the shell.
    Ui,
}

fn layer_of_file(relative: &str) -> Layer {
    let top = relative.split('/').next().unwrap_or("");
    match (top, relative) {
        (_, "auth/guards.rs" | "auth/session.rs") => Layer::Service,
        ("service", _) => Layer::Service,
        ("db" | "storage.rs", _) => Layer::Db,
        ("api", _) => Layer::Api,
        ("pages" | "components" | "root.rs" | "lib.rs", _) => Layer::Ui,
        _ => Layer::Domain,
    }
}

/// The layer a `crate::…` path names, from its first segments.
fn layer_of_path(path: &[String]) -> Option<Layer> {
    let first = path.first()?.as_str();
    let second = path.get(1).map(String::as_str);
    Some(match (first, second) {
        ("auth", Some("guards" | "session")) => Layer::Service,
        ("service", _) => Layer::Service,
        ("db" | "storage", _) => Layer::Db,
        ("api", _) => Layer::Api,
        ("pages" | "components" | "root" | "App" | "shell", _) => Layer::Ui,
        _ => Layer::Domain,
    })
}

/// Every `crate::…` path in `source`, with `use crate::{a::{B, c}, d}` groups expanded.
fn crate_paths(source: &str) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `sao_crate::`
        }
        let (paths, used) = parse_tree(rest, Vec::new());
        found.extend(paths);
        rest = &rest[used..];
    }
    found
}

/// Parses `a::b::{c, d::e}` (or `a::b::C`) from the start of `text`; returns the
/// full paths and how many bytes were read.
fn parse_tree(text: &str, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix;
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if let Some(inner) = trimmed.strip_prefix('{') {
            at += 1;
            let mut paths = Vec::new();
            let mut offset = 0;
            loop {
                let (sub, used) = parse_tree(&inner[offset..], path.clone());
                paths.extend(sub);
                offset += used;
                let after = inner[offset..].trim_start();
                offset += inner[offset..].len() - after.len();
                if after.starts_with(',') {
                    offset += 1;
                    if inner[offset..].trim_start().starts_with('}') {
                        let skipped = inner[offset..].len() - inner[offset..].trim_start().len();
                        return (paths, at + offset + skipped + 1);
                    }
                } else if after.starts_with('}') {
                    return (paths, at + offset + 1);
                } else {
                    return (paths, at + offset);
                }
            }
        }
        let ident: String = trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            return (vec![path], at);
        }
        at += ident.len();
        path.push(ident);
        if text[at..].starts_with("::") {
            at += 2;
        } else {
            return (vec![path], at);
        }
    }
}

/// A path's last segment names a type or a constant (not a function or module).
fn names_type_or_const(path: &[String]) -> bool {
    path.last()
        .and_then(|name| name.chars().next())
        .is_some_and(char::is_uppercase)
}

fn app_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = crate::support::files::files_with(&root, "rs");
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(&root)
                .expect("under app/src")
                .to_string_lossy()
                .replace('\\', "/");
            let source = std::fs::read_to_string(&path).expect("read source");
            (relative, source)
        })
        .collect()
}

#[test]
fn no_layer_names_a_layer_above_it_and_services_call_no_server_function() {
    let mut wrong = BTreeSet::new();
    for (file, source) in app_sources() {
        let from = layer_of_file(&file);
        for path in crate_paths(&source) {
            let Some(to) = layer_of_path(&path) else {
                continue;
            };
            let wire_type =
                from == Layer::Service && to == Layer::Api && names_type_or_const(&path);
            if to > from && !wire_type {
                wrong.insert(format!(
                    "{file} ({from:?}) names crate::{} ({to:?})",
                    path.join("::")
                ));
            }
        }
        if from == Layer::Domain && file != "lib.rs" && source.contains("sqlx::") {
            wrong.insert(format!("{file} (Domain) names sqlx"));
        }
    }
    assert!(
        wrong.is_empty(),
        "upward names:\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_and_nested_imports() {
    let paths = crate_paths(
        "use crate::{\n    api::council::{SyncReceipt, sheet_progress},\n    db,\n};\nlet x = crate::service::seal::verify(db);",
    );
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        joined,
        [
            "api::council::SyncReceipt",
            "api::council::sheet_progress",
            "db",
            "service::seal::verify"
        ]
    );
    assert!(!names_type_or_const(&paths[1]));
    assert_eq!(layer_of_path(&paths[3]), Some(Layer::Service));
    assert_eq!(layer_of_file("db/rounds.rs"), Layer::Db);
    assert_eq!(layer_of_file("auth/guards.rs"), Layer::Service);
}

#[test]
fn server_function_files_hold_server_functions_and_their_types_only() {
    let mut wrong = Vec::new();
    for (file, source) in app_sources()
        .into_iter()
        .filter(|(f, _)| f.starts_with("api/"))
    {
        if source.contains("mod ssr") {
            wrong.push(format!(
                "{file}: an ssr module (its work belongs in service/)"
            ));
        }
        let lines: Vec<&str> = source.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if !line.contains("async fn ") {
                continue;
            }
            let attributes = lines[..index]
                .iter()
                .rev()
                .take_while(|l| {
                    l.trim_start().starts_with("#[") || l.trim_start().starts_with("///")
                })
                .any(|l| l.contains("#[server"));
            if !attributes {
                wrong.push(format!(
                    "{file}:{}: an async fn that is not a server function",
                    index + 1
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_source_file_in_app_is_over_400_lines() {
    let long: Vec<String> = app_sources()
        .into_iter()
        .map(|(file, source)| (file, source.lines().count()))
        .filter(|(_, lines)| *lines > 400)
        .map(|(file, lines)| format!("{file}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over 400 lines:\n{}",
        long.join("\n")
    );
}
