//! A product photo's sizes (issue 17): made when the upload completes — turned
//! upright by its EXIF orientation, scaled to `domain::photo::sizes_for`, each
//! size as lossy WebP and as JPEG — and served, publicly, at `/anh/{file}` only
//! while the product holds a certificate.
use app::db::{self, Db};
use app::domain::photo::{parse_file_name, sizes_for, PhotoFormat, Rendition, MAX_SIDE};
use app::storage::EvidenceStore;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use image::{imageops::FilterType, DynamicImage, ImageDecoder, ImageReader, RgbImage};

pub const PHOTO_PATH: &str = "/anh/{file}";

/// JPEG quality (0–100) and WebP quality: good on a phone, a few tens of KB.
const JPEG_QUALITY: u8 = 80;
const WEBP_QUALITY: f32 = 75.0;
/// Memory a decoder may take (a 12,000 px square in RGBA is 576 MB: refused).
const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;

/// One made file and its bytes.
pub struct Made {
    pub width: u32,
    pub height: u32,
    pub format: PhotoFormat,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("not a readable image: {0}")]
    Unreadable(#[from] image::ImageError),
    #[error("could not read the image: {0}")]
    Io(#[from] std::io::Error),
    #[error("the WebP encoder refused the image")]
    WebP,
}

/// Decodes with limits, turns upright, lays any transparency on white.
fn upright(bytes: &[u8]) -> Result<RgbImage, PhotoError> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    if !image.color().has_alpha() {
        return Ok(image.to_rgb8());
    }
    let rgba = image.to_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = from.0;
        let over_white = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
        };
        to.0 = [over_white(r), over_white(g), over_white(b)];
    }
    Ok(rgb)
}

fn encode(image: &RgbImage, format: PhotoFormat) -> Result<Vec<u8>, PhotoError> {
    let (width, height) = image.dimensions();
    match format {
        PhotoFormat::Jpeg => {
            use image::ImageEncoder;
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .write_image(
                    image.as_raw(),
                    width,
                    height,
                    image::ExtendedColorType::Rgb8,
                )?;
            Ok(out)
        }
        PhotoFormat::WebP => webp::Encoder::from_rgb(image.as_raw(), width, height)
            .encode_simple(false, WEBP_QUALITY)
            .map(|memory| memory.to_vec())
            .map_err(|_| PhotoError::WebP),
    }
}

/// Every size of the photo in `bytes`, each in every format; the larger sizes
/// first, each smaller one scaled from the one before (fast, and as sharp).
pub fn make(bytes: &[u8]) -> Result<Vec<Made>, PhotoError> {
    let original = upright(bytes)?;
    let mut sizes = sizes_for(original.width(), original.height());
    sizes.reverse();
    let mut made = Vec::with_capacity(sizes.len() * PhotoFormat::ALL.len());
    let mut from = original;
    for (width, height) in sizes {
        if from.dimensions() != (width, height) {
            from = image::imageops::resize(&from, width, height, FilterType::Triangle);
        }
        for format in PhotoFormat::ALL {
            made.push(Made {
                width,
                height,
                format,
                bytes: encode(&from, format)?,
            });
        }
    }
    Ok(made)
}

/// `make` off the async workers (a large photo takes a few hundred ms).
pub async fn make_blocking(bytes: Vec<u8>) -> Result<Vec<Made>, PhotoError> {
    tokio::task::spawn_blocking(move || make(&bytes))
        .await
        .unwrap_or(Err(PhotoError::WebP))
}

/// Puts the made files in the store; their renditions and sizes in bytes, to
/// record in the transaction that stores the upload.
pub async fn store_all(
    store: &EvidenceStore,
    made: Vec<Made>,
) -> Result<Vec<(Rendition, i64)>, app::storage::StorageError> {
    let mut stored = Vec::with_capacity(made.len());
    for file in made {
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        let sha256 = store.put(file.bytes).await?;
        stored.push((
            Rendition {
                width: file.width,
                height: file.height,
                format: file.format,
                sha256,
            },
            size,
        ));
    }
    Ok(stored)
}

/// `GET /anh/{sha256}.{webp|jpg}`: a public photo; anything else is 404 alike
/// (an unknown name, a dossier's photo before its certificate).
pub async fn photo(
    State(db): State<Db>,
    State(store): State<EvidenceStore>,
    Path(file): Path<String>,
) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some((sha256, format)) = parse_file_name(&file) else {
        return not_found();
    };
    match db::photos::is_public(&db, sha256, format).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(error) => return crate::answer::refuse(error.into()),
    }
    match store.read(sha256).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, format.mime()),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "photo file missing");
            not_found()
        }
    }
}

/// Makes the sizes of stored photos that have none (the demo's, and photos
/// stored before sizes were made); a photo that cannot be read is skipped.
pub async fn make_missing(db: &Db, store: &EvidenceStore) -> Result<usize, db::DbError> {
    let mut count = 0;
    for (evidence_id, product_id, sha256) in db::photos::photos_without_renditions(db).await? {
        let Ok(bytes) = store.read(&sha256).await else {
            continue;
        };
        let Ok(made) = make_blocking(bytes).await else {
            continue;
        };
        let Ok(stored) = store_all(store, made).await else {
            continue;
        };
        let mut tx = db.begin().await?;
        for (rendition, size) in &stored {
            db::photos::insert(&mut tx, &evidence_id, &product_id, rendition, *size).await?;
        }
        db::commit(tx).await?;
        count += 1;
    }
    Ok(count)
}
