//! Source and data files of the repository, for the tests that read them.
use std::path::{Path, PathBuf};

/// Every file below `dir` whose name ends in `.{ext}`, in no set order.
pub fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("read {}: {e}", folder.display()));
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out
}

/// A folder of the repository, from the tests' crate.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// A real photo as a phone sends it: the demo's painted jar, `width`×`height`,
/// encoded as `format` (JPEG or PNG).
pub fn photo(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let painted = sao_server::demo_photos::paint([74, 140, 72]);
    let sized = image::imageops::resize(
        &painted,
        width,
        height,
        image::imageops::FilterType::Triangle,
    );
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(sized)
        .write_to(&mut out, format)
        .expect("encode the photo");
    out.into_inner()
}
