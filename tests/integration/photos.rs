//! Issue 17: a product photo over HTTP on each engine — made at upload in three
//! widths, each as WebP and JPEG; public at `/anh/…` only once the product holds
//! a certificate; never the dossier's original; refused whole when it is not a
//! photo (a PDF, broken bytes, a side over 12,000 px).
use crate::support::dossier::{producer_with_product, start, upload, upload_ticket};
use crate::support::files::photo;
use crate::support::{for_each_engine, TestServer};
use app::api::producer::{DossierView, UploadTicket};
use image::ImageFormat;

type Made = (i64, i64, String, String, i64);

async fn renditions(server: &TestServer, evidence_id: &str) -> Vec<Made> {
    sqlx::query_as(
        "SELECT width, height, format, sha256, bytes FROM photo_renditions \
         WHERE evidence_id = $1 ORDER BY format, width",
    )
    .bind(evidence_id)
    .fetch_all(server.db.pool())
    .await
    .expect("renditions")
}

fn path_of((_, _, format, sha256, _): &Made) -> String {
    let ending = if format == "webp" { "webp" } else { "jpg" };
    format!("/anh/{sha256}.{ending}")
}

/// Certifies the product in the database, as publishing a decision does.
async fn certify(server: &TestServer, product: &str) -> String {
    let mut tx = server.db.begin().await.expect("begin");
    let issued = app::domain::date::CalendarDate::of_ms_vietnam(app::db::now_ms());
    let code = app::db::certificates::next_code(&mut tx, 51, 23344, issued.year)
        .await
        .expect("code")
        .to_string();
    let added = app::db::certificates::insert(
        &mut tx,
        &app::db::certificates::NewCertificate {
            code: &code,
            province: 51,
            product_id: Some(product),
            product_name: "Sâm Ngọc Linh củ tươi",
            subject_name: "HTX Sâm Ngọc Linh Đắk Glei",
            stars: 4,
            validity: app::domain::certificate::Validity::from_issue(issued),
        },
    )
    .await
    .expect("certificate");
    assert!(added);
    app::db::commit(tx).await.expect("commit");
    code
}

#[tokio::test]
async fn a_product_photo_is_made_in_sizes_and_is_public_only_once_certified() {
    for_each_engine(|server| async move {
        // Arrange: a 4:3 photo from a phone, uploaded to the dossier.
        let (client, _, product) = producer_with_product(&server, "0912 000 444").await;
        let original = photo(1600, 1200, ImageFormat::Jpeg);
        let id = upload_ticket(
            &client,
            &product,
            "product_photo",
            "anh.jpg",
            original.len(),
        )
        .await;
        let done = upload(&client, &id, &original, 262_144, 0).await;
        assert_eq!(done.json()["complete"], true, "{}", done.body);
        let made = renditions(&server, &id).await;
        let sizes: Vec<(i64, i64, &str)> = made
            .iter()
            .map(|(w, h, f, _, _)| (*w, *h, f.as_str()))
            .collect();
        assert_eq!(
            sizes,
            [
                (320, 240, "jpeg"),
                (640, 480, "jpeg"),
                (960, 720, "jpeg"),
                (320, 240, "webp"),
                (640, 480, "webp"),
                (960, 720, "webp"),
            ]
        );
        let original_sha = done.json()["sha256"].as_str().unwrap_or("").to_string();

        // Act 1: before the star, nobody may fetch them — not even the producer.
        for rendition in &made {
            let status = server.get(&path_of(rendition)).await.status().as_u16();
            assert_eq!(status, 404, "{} before the certificate", path_of(rendition));
            assert_eq!(client.get(&path_of(rendition)).await.status, 404);
        }

        // Act 2: certified, its page shows the photo in every size.
        let code = certify(&server, &product).await;
        let page = server.page(&format!("/san-pham/{code}/sam")).await;
        assert!(page.contains("<picture id=\"product-photo\">"), "{page}");
        for rendition in &made {
            let path = path_of(rendition);
            assert!(page.contains(&path), "{path} on the page");
            let answer = server.get(&path).await;
            assert_eq!(answer.status().as_u16(), 200, "{path}");
            let (width, height, format, _, bytes) = rendition;
            let mime = if format == "webp" {
                "image/webp"
            } else {
                "image/jpeg"
            };
            assert_eq!(answer.headers()["content-type"], mime);
            assert!(answer.headers()["cache-control"]
                .to_str()
                .unwrap_or("")
                .contains("immutable"));
            let body = answer.bytes().await.expect("bytes");
            assert_eq!(body.len() as i64, *bytes);
            let decoded = image::load_from_memory(&body).expect("a readable image");
            assert_eq!(
                (i64::from(decoded.width()), i64::from(decoded.height())),
                (*width, *height)
            );
        }
        // The list shows its smallest size beside the name.
        let list = server.page("/san-pham").await;
        let smallest: Vec<String> = made.iter().filter(|m| m.0 == 320).map(path_of).collect();
        for path in &smallest {
            assert!(list.contains(path.as_str()), "{path} in the list");
        }
        let webp_640 = made.iter().find(|m| m.0 == 640 && m.2 == "webp");
        let webp_640 = webp_640.map(|m| m.4).unwrap_or(i64::MAX);
        assert!(webp_640 < 60_000, "a phone's photo is light: {webp_640} B");
        eprintln!(
            "photo sizes on {}: {:?}",
            server.engine,
            made.iter()
                .map(|(w, _, f, _, b)| format!("{w} {f} {b} B"))
                .collect::<Vec<_>>()
        );

        // Hostile: the dossier's original, a wrong ending, a forged name: 404.
        let sha = &made[0].3;
        for path in [
            format!("/anh/{original_sha}.jpg"),
            format!("/anh/{sha}.png"),
            format!("/anh/{sha}.webp"),
            format!("/anh/{}.jpg", sha.to_uppercase()),
            "/anh/..%2F..%2Fetc%2Fpasswd.jpg".to_string(),
            format!("/anh/{}.jpg", "0".repeat(64)),
        ] {
            let status = server.get(&path).await.status().as_u16();
            assert_eq!(status, 404, "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn what_is_not_a_readable_photo_is_refused_whole() {
    for_each_engine(|server| async move {
        let (client, _, product) = producer_with_product(&server, "0912 000 555").await;
        let mut broken = photo(640, 480, ImageFormat::Jpeg);
        broken.truncate(600);
        let cases = [
            ("a PDF", crate::support::dossier::pdf_bytes(4000)),
            ("a JPEG cut short", broken),
            ("a side over 12,000 px", photo(12_001, 2, ImageFormat::Png)),
        ];
        for (what, bytes) in cases {
            let ticket = start(&client, &product, "product_photo", "anh.jpg", bytes.len()).await;
            let id = ticket.parse::<UploadTicket>().id;
            let answer = client
                .put_bytes(&format!("/tai-lieu/{id}?offset=0"), bytes)
                .await;
            answer.assert_refused(422, "Ảnh sản phẩm phải là ảnh JPEG, PNG hay WebP đọc được");
            assert!(renditions(&server, &id).await.is_empty(), "{what}");
        }
        // Nothing half-saved: no evidence, no sizes, the space given back.
        let dossier: DossierView = client.call_on("producer/dossier", &product).await.parse();
        assert!(dossier.evidence.is_empty());
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM photo_renditions")
            .fetch_one(server.db.pool())
            .await
            .expect("count");
        assert_eq!(count, 0);
        // The same PDF is welcome in a slot for documents.
        let pdf = crate::support::dossier::pdf_bytes(4000);
        let id = upload_ticket(&client, &product, "labels", "nhan.pdf", pdf.len()).await;
        let done = upload(&client, &id, &pdf, 262_144, 0).await;
        assert_eq!(done.json()["complete"], true);
    })
    .await;
}
