//! The demo's product photos: painted here (a jar on a table, in each
//! product's colour) and stored as each product's `product_photo`, so the
//! catalogue shows photos as it will for real uploads.
use app::db::{self, evidence, Db};
use app::domain::evidence::PHOTO_SLOT;
use app::storage::EvidenceStore;
use image::{Rgb, RgbImage};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 900;

/// A colour per product: tea green, honey, coffee, sea blue…
const COLOURS: [[u8; 3]; 8] = [
    [196, 120, 62],
    [74, 140, 72],
    [110, 72, 48],
    [222, 164, 44],
    [52, 104, 150],
    [226, 206, 160],
    [150, 60, 70],
    [120, 150, 60],
];

fn mix(a: [u8; 3], b: [u8; 3], t: u32, of: u32) -> Rgb<u8> {
    let channel = |x: u8, y: u8| {
        let (x, y) = (u32::from(x), u32::from(y));
        u8::try_from((x * (of - t) + y * t) / of.max(1)).unwrap_or(u8::MAX)
    };
    Rgb([
        channel(a[0], b[0]),
        channel(a[1], b[1]),
        channel(a[2], b[2]),
    ])
}

/// A jar with a lid and a label, its shadow on a table, in `colour`.
pub fn paint(colour: [u8; 3]) -> RgbImage {
    let wall_top = [246, 241, 230];
    let wall_bottom = [225, 214, 196];
    let table = [168, 126, 88];
    let (cx, base) = (WIDTH / 2, HEIGHT * 4 / 5);
    let (jar_w, jar_h) = (340_i64, 420_u32);
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let dx = i64::from(x) - i64::from(cx);
        let in_jar_x = dx.abs() <= jar_w / 2;
        let jar_top = base - jar_h;
        if y >= jar_top && y < base && in_jar_x {
            // The label band, lighter, in the jar's middle third.
            let third = jar_h / 3;
            if y >= jar_top + third && y < jar_top + 2 * third && dx.abs() <= jar_w / 2 - 14 {
                return mix([250, 248, 240], colour, 1, 6);
            }
            // Light from the left: the jar shades across its width.
            let across = u32::try_from(dx + jar_w / 2).unwrap_or(0);
            return mix(
                colour,
                [40, 30, 20],
                across,
                3 * u32::try_from(jar_w).unwrap_or(1),
            );
        }
        let lid_top = jar_top.saturating_sub(60);
        if y >= lid_top && y < jar_top && dx.abs() <= jar_w / 2 - 30 {
            return Rgb([70, 52, 40]);
        }
        if y >= base {
            // The table, its shadow an ellipse under the jar.
            let (ex, ey) = (
                dx * 100 / (jar_w * 3 / 4),
                (i64::from(y - base) - 18) * 100 / 30,
            );
            if ex * ex + ey * ey <= 10_000 {
                return mix(table, [40, 28, 20], 2, 5);
            }
            return mix(table, [120, 86, 60], y - base, HEIGHT - base);
        }
        mix(wall_top, wall_bottom, y, base)
    })
}

/// Gives each demo catalogue product without a photo its painted one.
pub async fn add(db: &Db, store: &EvidenceStore) -> Result<(), db::DbError> {
    for (index, product_id) in db::demo_catalogue::product_ids().enumerate() {
        if evidence::has_stored(db, &product_id, PHOTO_SLOT).await? {
            continue;
        }
        let image = paint(COLOURS[index % COLOURS.len()]);
        let mut jpeg = Vec::new();
        let encoded =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 88).encode_image(&image);
        if encoded.is_err() {
            continue;
        }
        let size = i64::try_from(jpeg.len()).unwrap_or(i64::MAX);
        let Ok(sha256) = store.put(jpeg).await else {
            continue;
        };
        let mut tx = db.begin().await?;
        evidence::insert_stored(
            &mut tx,
            &product_id,
            PHOTO_SLOT,
            "anh-san-pham.jpg",
            "image/jpeg",
            &sha256,
            size,
        )
        .await?;
        db::commit(tx).await?;
    }
    Ok(())
}
