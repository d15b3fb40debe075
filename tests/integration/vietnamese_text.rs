//! Every sentence a person reads comes from `app/locales/` (the pages' strings,
//! the refusal and term tables), so an English page is English: no Vietnamese
//! letter stands in `app/src` outside the places listed here, each with why.
use crate::english::is_vietnamese;
use std::path::Path;

/// Files whose Vietnamese is not a page's text.
const FILES: &[(&str, &str)] = &[
    (
        "db/demo",
        "demo data: people's names, addresses and the cooperative's own words",
    ),
    (
        "service/reports.rs",
        "official documents (Mẫu 03, minutes, paper sheets) are Vietnamese by law",
    ),
    (
        "service/minutes.rs",
        "the council's minutes are an official document, Vietnamese by law",
    ),
    (
        "service/dossier_forms.rs",
        "official documents (Mẫu 01, Mẫu 02) are Vietnamese by law",
    ),
    (
        "domain/search.rs",
        "the letters search folds to their base (\"che\" finds \"chè\")",
    ),
];

/// Single lines, by a piece of their text.
const LINES: &[(&str, &str, &str)] = &[
    (
        "domain/dossier.rs",
        "PĐK",
        "the receipt number's official form (phiếu đăng ký)",
    ),
    (
        "service/commune/mod.rs",
        "Dịch vụ du lịch",
        "matches the decision's sector name",
    ),
    (
        "db/admin_units.rs",
        "tỉnh",
        "place names as the register holds them",
    ),
];

/// (file, line number, line) of every Vietnamese letter outside comments,
/// tests and the places listed.
fn vietnamese_lines() -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let files = crate::support::files::files_with(&root, "rs");
    let mut found = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(&root)
            .expect("under app/src")
            .to_string_lossy()
            .replace('\\', "/");
        if relative.ends_with("_tests.rs") || FILES.iter().any(|(f, _)| relative.starts_with(f)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read a source file");
        for (number, line) in lines_of(&relative, &text) {
            found.push((relative.clone(), number, line));
        }
    }
    found
}

/// The lines of one file that hold Vietnamese: comments, the tests at the end
/// (`#[cfg(test)]` onwards) and the listed lines left out.
fn lines_of(relative: &str, text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim_start() == "#[cfg(test)]" {
            break;
        }
        if line.trim_start().starts_with("//") || !line.chars().any(is_vietnamese) {
            continue;
        }
        if LINES
            .iter()
            .any(|(f, piece, _)| relative == *f && line.contains(piece))
        {
            continue;
        }
        found.push((number + 1, line.trim().to_string()));
    }
    found
}

#[test]
fn no_vietnamese_text_in_app_src_outside_locales_and_the_listed_places() {
    let found = vietnamese_lines();
    assert!(
        found.is_empty(),
        "Vietnamese outside app/locales/ (move it to the tables):\n{}",
        found
            .iter()
            .map(|(file, line, text)| format!("  {file}:{line}: {text}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_scan_finds_a_literal_and_skips_comments_tests_and_listed_lines() {
    let source = "/// Điều 6: the checklist.\n\
                  fn f() -> &'static str { \"Vui lòng nhập\" }\n\
                  const R: &str = \"007/PĐK-51\";\n\
                  #[cfg(test)]\n\
                  mod tests { const T: &str = \"Đắk Glei\"; }\n";
    assert_eq!(
        lines_of("pages/x.rs", source),
        vec![
            (
                2,
                "fn f() -> &'static str { \"Vui lòng nhập\" }".to_string()
            ),
            (3, "const R: &str = \"007/PĐK-51\";".to_string())
        ]
    );
    assert_eq!(
        lines_of("domain/dossier.rs", source).len(),
        1,
        "PĐK is listed there"
    );
    assert!(!"Please enter".chars().any(is_vietnamese));
}
