//! Evidence files: which kinds are accepted (recognised by their first bytes, not
//! their name), how big, and which slot of the dossier they fill (Mẫu 02's checklist
//! or one criterion). The browser checks the same rules before sending a byte.
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// At most this much per file…
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// …and this much per dossier.
pub const MAX_DOSSIER_BYTES: u64 = 200 * 1024 * 1024;
/// Chunks small enough to get through a weak 3G link, each one retried alone.
pub const CHUNK_BYTES: u64 = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    WebP,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::WebP => "image/webp",
        }
    }

    pub fn is_image(self) -> bool {
        !matches!(self, FileType::Pdf)
    }
}

/// The file's type from its first bytes (12 are enough), whatever its name says.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(FileType::WebP)
    } else {
        None
    }
}

/// Mẫu 02's documents, each a slot of the dossier.
/// What the office's advisory team (Tổ tư vấn) attaches to a dossier it examines.
pub const ADVISORY_SLOTS: [&str; 2] = ["site_visit", "extra_test"];

/// True for the advisory team's documents, which the office uploads, not the producer.
pub fn is_advisory_slot(slot: &str) -> bool {
    ADVISORY_SLOTS.contains(&slot)
}

/// The product's photo: shown on the public catalogue once certified.
pub const PHOTO_SLOT: &str = "product_photo";

/// Their names are the `slot:<code>` entries of `locales/refusals/`.
pub const DOCUMENT_SLOTS: [&str; 10] = [
    "business_registration",
    "quality_declaration",
    "food_safety",
    "test_report",
    "financial_statements",
    "insured_workers",
    "contracts",
    "labels",
    "traceability",
    PHOTO_SLOT,
];

/// A slot is a document of the checklist or `criterion:<code>`.
pub fn slot_is_valid(slot: &str) -> bool {
    DOCUMENT_SLOTS.contains(&slot)
        || slot.strip_prefix("criterion:").is_some_and(|code| {
            !code.is_empty()
                && code.len() <= 16
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        })
}

/// Refuses a file before upload: empty, too big, or over the dossier's total.
pub fn check_size(size: u64, dossier_total: u64) -> Result<(), Refusal> {
    if size == 0 {
        return Err(Refusal::FileEmpty);
    }
    if size > MAX_FILE_BYTES {
        return Err(Refusal::FileTooLarge {
            size_mb: size.div_ceil(1024 * 1024),
            max_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    if dossier_total + size > MAX_DOSSIER_BYTES {
        return Err(Refusal::DossierFilesFull {
            max_mb: MAX_DOSSIER_BYTES / (1024 * 1024),
            used_mb: dossier_total.div_ceil(1024 * 1024),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileType::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(FileType::WebP));
        assert_eq!(sniff(b"MZ\x90\0 an .exe named photo.jpg"), None);
    }

    #[test]
    fn sizes_and_slots_are_checked() {
        assert!(check_size(MAX_FILE_BYTES, 0).is_ok());
        assert!(check_size(MAX_FILE_BYTES + 1, 0).is_err());
        assert!(check_size(10, MAX_DOSSIER_BYTES - 5).is_err());
        assert!(slot_is_valid("food_safety"));
        assert!(slot_is_valid("criterion:1.1"));
        assert!(!slot_is_valid("criterion:"));
        assert!(!slot_is_valid("../etc"));
    }
}
