//! PDFs as a reader sees them: their text and their QR codes (poppler-utils).
use super::{workspace_target, TempDir};

/// The text of a PDF as poppler's `pdftotext` reads it, whitespace collapsed.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = TempDir::new("pdf");
    let path = dir.0.join("document.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils; scripts/setup.sh installs it)");
    assert!(
        output.status.success(),
        "pdftotext refused the PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR codes printed on a PDF's first page: the page rendered in grey by
/// pdftoppm (Debian's poppler-utils) and read by rqrr.
pub fn pdf_qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = TempDir::new("qr");
    let path = dir.0.join("document.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-singlefile", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(dir.0.join("page"))
        .status()
        .expect("pdftoppm (Debian's poppler-utils; scripts/setup.sh installs it)");
    assert!(status.success(), "pdftoppm refused the PDF");
    let pgm = std::fs::read(dir.0.join("page.pgm")).expect("the page as PGM");
    // Binary PGM: "P5", width, height, maxval, one whitespace, then a byte a pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).to_string());
    }
    assert_eq!(fields[0], "P5", "a binary grey page");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    let pixels = &pgm[at + 1..];
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Keeps a document the tests printed under `target/documents/` for a person to read.
pub fn save_document(name: &str, bytes: &[u8]) {
    let saved = workspace_target().join("documents");
    std::fs::create_dir_all(&saved).expect("target/documents");
    std::fs::write(saved.join(name), bytes).expect("save the document");
}

/// Asserts that a document's `text` holds each of `expected` (`what` names it).
#[track_caller]
pub fn assert_contains_all(text: &str, expected: &[&str], what: &str) {
    for expected in expected {
        assert!(
            text.contains(expected),
            "{expected:?} not in {what}: {text}"
        );
    }
}
