//! The repository stands alone: no tracked file names a path that leaves the
//! clone (such as a sibling folder beside the clone); what the code, scripts or README need lives inside.
use std::path::{Component, Path, PathBuf};

/// The repository's root (the workspace above `tests/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Relative paths in `text` that climb with `../`: each maximal run of path
/// characters that contains `../`.
fn climbing_paths(text: &str) -> Vec<String> {
    let is_path = |c: char| c.is_ascii_alphanumeric() || "._-/".contains(c);
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("../") {
        let start = rest[..at].rfind(|c: char| !is_path(c)).map_or(0, |i| {
            i + rest[i..].chars().next().map_or(1, char::len_utf8)
        });
        let end = at
            + rest[at..]
                .find(|c: char| !is_path(c))
                .unwrap_or(rest.len() - at);
        found.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    found
}

/// Whether `path`, read from directory `dir` (inside `root`), ends outside `root`.
fn leaves(root: &Path, dir: &Path, path: &str) -> bool {
    if path.starts_with('/') || path.contains("://") {
        return false;
    }
    let mut depth = dir.strip_prefix(root).map_or(0, |d| d.components().count()) as i64;
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[test]
fn no_tracked_file_names_a_path_outside_the_repository() {
    let root = root();
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    let files: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .split('\0')
        .filter(|f| !f.is_empty() && *f != "Cargo.lock")
        .map(str::to_string)
        .collect();
    assert!(files.len() > 100, "git ls-files listed {}", files.len());
    let mut outside = Vec::new();
    for file in &files {
        let path = root.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // binary
        };
        let dir = path.parent().unwrap_or(&root);
        for found in climbing_paths(&text) {
            if leaves(&root, dir, &found)
                || found.contains("shared/product")
                || found.contains("shared/reference")
            {
                outside.push(format!("{file}: {found}"));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "paths leaving the repository:\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_check_itself_sees_a_path_that_leaves() {
    let root = Path::new("/repo");
    assert_eq!(
        climbing_paths("read ../elsewhere/x.txt now"),
        vec!["../elsewhere/x.txt"]
    );
    assert!(leaves(root, Path::new("/repo"), "../elsewhere/x.txt"));
    assert!(leaves(
        root,
        Path::new("/repo/scripts"),
        "../../elsewhere/x"
    ));
    assert!(!leaves(root, Path::new("/repo/scripts"), "../app/rules"));
    assert!(!leaves(root, Path::new("/repo/tests"), "../target"));
}
