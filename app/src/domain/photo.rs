//! A product's photo on the public catalogue (issue 17): when a producer's
//! `product_photo` arrives, the server makes it in a few widths, each as WebP
//! and as JPEG, so a cheap phone downloads the smallest that fills its screen.
//! Which sizes, how files are named and how the page asks for them are here;
//! the pixels are the server's (`server/src/photos.rs`).
use serde::{Deserialize, Serialize};

/// The widths made, in pixels: a 360 px phone (×1 and ×2) and a tablet.
pub const WIDTHS: [u32; 3] = [320, 640, 960];

/// What the page tells the browser of the photo's width on screen: the whole
/// width of a phone, at most 640 px on a wider screen.
pub const SIZES: &str = "(min-width: 700px) 640px, 100vw";

/// Larger than this on a side is not a photo a phone took (a decompression bomb).
pub const MAX_SIDE: u32 = 12_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PhotoFormat {
    WebP,
    Jpeg,
}

impl PhotoFormat {
    pub const ALL: [PhotoFormat; 2] = [PhotoFormat::WebP, PhotoFormat::Jpeg];

    pub fn as_str(self) -> &'static str {
        match self {
            PhotoFormat::WebP => "webp",
            PhotoFormat::Jpeg => "jpeg",
        }
    }

    /// Decodes a stored value; anything else is an error, not a guess.
    pub fn parse(stored: &str) -> Option<PhotoFormat> {
        match stored {
            "webp" => Some(PhotoFormat::WebP),
            "jpeg" => Some(PhotoFormat::Jpeg),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            PhotoFormat::WebP => "image/webp",
            PhotoFormat::Jpeg => "image/jpeg",
        }
    }

    /// The file name's ending in the photo's address.
    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::WebP => "webp",
            PhotoFormat::Jpeg => "jpg",
        }
    }
}

/// The sizes to make of a photo `width`×`height` (already turned upright):
/// each of `WIDTHS` narrower than it, or the photo's own size when it is
/// narrower than the smallest — never larger than taken. Heights keep the
/// proportions, rounded to the nearest pixel, at least 1.
pub fn sizes_for(width: u32, height: u32) -> Vec<(u32, u32)> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    let scaled = |target: u32| {
        let h = (u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width);
        (target, u32::try_from(h.max(1)).unwrap_or(u32::MAX))
    };
    let mut sizes: Vec<(u32, u32)> = WIDTHS
        .iter()
        .copied()
        .filter(|target| *target <= width)
        .map(scaled)
        .collect();
    if sizes.is_empty() {
        sizes.push((width, height));
    }
    sizes
}

/// One made file of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    pub format: PhotoFormat,
    pub sha256: String,
}

impl Rendition {
    /// Its public address: named by its content, so it never changes.
    pub fn path(&self) -> String {
        format!("/anh/{}.{}", self.sha256, self.format.extension())
    }
}

/// A file name of `/anh/{file}`: a SHA-256 in hex and a known ending.
pub fn parse_file_name(file: &str) -> Option<(&str, PhotoFormat)> {
    let (sha256, extension) = file.split_once('.')?;
    let format = PhotoFormat::ALL
        .into_iter()
        .find(|format| format.extension() == extension)?;
    let is_digest = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    is_digest.then_some((sha256, format))
}

/// A photo as the page shows it: one `srcset` per format, smallest first, and
/// the JPEG nearest 640 px wide for browsers that read no `srcset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub webp: String,
    pub jpeg: String,
    pub fallback: String,
    pub width: u32,
    pub height: u32,
}

/// Builds the page's photo from one upload's renditions (None when a format
/// is missing: a photo is shown whole or not at all).
pub fn photo_of(renditions: &[Rendition]) -> Option<Photo> {
    let srcset = |format: PhotoFormat| {
        let mut of: Vec<&Rendition> = renditions.iter().filter(|r| r.format == format).collect();
        of.sort_by_key(|r| r.width);
        of
    };
    let webp = srcset(PhotoFormat::WebP);
    let jpeg = srcset(PhotoFormat::Jpeg);
    let fallback = jpeg.iter().min_by_key(|r| r.width.abs_diff(640)).copied()?;
    if webp.is_empty() {
        return None;
    }
    let set = |of: &[&Rendition]| {
        of.iter()
            .map(|r| format!("{} {}w", r.path(), r.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(Photo {
        webp: set(&webp),
        jpeg: set(&jpeg),
        fallback: fallback.path(),
        width: fallback.width,
        height: fallback.height,
    })
}

/// A photo's smallest size, for a list of products: (WebP, JPEG) addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thumbnail {
    pub webp: String,
    pub jpeg: String,
}

/// The smallest WebP and JPEG of one upload's renditions (None without both).
pub fn thumbnail_of(renditions: &[Rendition]) -> Option<Thumbnail> {
    let smallest = |format: PhotoFormat| {
        renditions
            .iter()
            .filter(|r| r.format == format)
            .min_by_key(|r| r.width)
            .map(Rendition::path)
    };
    Some(Thumbnail {
        webp: smallest(PhotoFormat::WebP)?,
        jpeg: smallest(PhotoFormat::Jpeg)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_never_larger_than_the_photo_and_keep_its_shape() {
        type Size = (u32, u32);
        let table: [(Size, &[Size]); 6] = [
            ((4000, 3000), &[(320, 240), (640, 480), (960, 720)]),
            ((3000, 4000), &[(320, 427), (640, 853), (960, 1280)]),
            ((800, 600), &[(320, 240), (640, 480)]),
            ((640, 640), &[(320, 320), (640, 640)]),
            ((200, 100), &[(200, 100)]),
            ((5000, 1), &[(320, 1), (640, 1), (960, 1)]),
        ];
        for ((w, h), expected) in table {
            assert_eq!(sizes_for(w, h), expected, "{w}×{h}");
        }
        assert!(sizes_for(0, 10).is_empty());
    }

    #[test]
    fn file_names_are_a_digest_and_a_known_ending() {
        let sha = "ab".repeat(32);
        assert_eq!(
            parse_file_name(&format!("{sha}.webp")),
            Some((sha.as_str(), PhotoFormat::WebP))
        );
        assert_eq!(
            parse_file_name(&format!("{sha}.jpg")),
            Some((sha.as_str(), PhotoFormat::Jpeg))
        );
        for bad in [
            format!("{sha}.png"),
            format!("{}.jpg", "AB".repeat(32)),
            format!("{}.jpg", "ab".repeat(31)),
            "../../etc/passwd.jpg".to_string(),
            sha.clone(),
        ] {
            assert_eq!(parse_file_name(&bad), None, "{bad}");
        }
        for format in PhotoFormat::ALL {
            assert_eq!(PhotoFormat::parse(format.as_str()), Some(format));
        }
        assert_eq!(PhotoFormat::parse("gif"), None);
    }

    #[test]
    fn a_photo_lists_its_sizes_per_format_and_falls_back_to_the_nearest_640() {
        let made = |width: u32, format: PhotoFormat| Rendition {
            width,
            height: width * 3 / 4,
            format,
            sha256: format!("{width}{}", format.as_str()),
        };
        let renditions = [
            made(960, PhotoFormat::Jpeg),
            made(320, PhotoFormat::WebP),
            made(320, PhotoFormat::Jpeg),
            made(640, PhotoFormat::Jpeg),
            made(640, PhotoFormat::WebP),
            made(960, PhotoFormat::WebP),
        ];
        let photo = photo_of(&renditions).expect("a photo");
        assert_eq!(
            photo.webp,
            "/anh/320webp.webp 320w, /anh/640webp.webp 640w, /anh/960webp.webp 960w"
        );
        assert_eq!(
            photo.jpeg,
            "/anh/320jpeg.jpg 320w, /anh/640jpeg.jpg 640w, /anh/960jpeg.jpg 960w"
        );
        assert_eq!(photo.fallback, "/anh/640jpeg.jpg");
        assert_eq!((photo.width, photo.height), (640, 480));
        // A small photo: its only size is the fallback.
        let small = photo_of(&[made(200, PhotoFormat::WebP), made(200, PhotoFormat::Jpeg)])
            .expect("a small photo");
        assert_eq!(small.fallback, "/anh/200jpeg.jpg");
        let thumbnail = thumbnail_of(&renditions).expect("a thumbnail");
        assert_eq!(thumbnail.webp, "/anh/320webp.webp");
        assert_eq!(thumbnail.jpeg, "/anh/320jpeg.jpg");
        // Half a photo is not shown.
        assert_eq!(photo_of(&renditions[..1]), None);
        assert_eq!(thumbnail_of(&renditions[..1]), None);
        assert_eq!(photo_of(&[]), None);
    }
}
