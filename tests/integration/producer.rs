//! The producer's journey over HTTP on each engine: subject, product, self-assessment,
//! evidence in resumable chunks, submission as a frozen version.
use crate::support::{audit_rows, each_engine, Answer, Client, TestServer, TEST_PASSWORD};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

pub(crate) fn subject() -> serde_json::Value {
    json!({
        "kind": "cooperative", "name": "HTX Sâm Ngọc Linh Đắk Glei", "registration_number": "6101234567",
        "registration_date": "2020-03-15", "tax_code": "6101234567", "commune_code": "23344",
        "address": "Thôn Đắk Ven", "representative": "Y Bơ", "representative_woman": true,
        "representative_ethnic_minority": true, "representative_disability": false,
        "workers_total": "15", "workers_local": "12", "value_chain_contracts": "3",
        "channels": ["Traditional", "Supermarket", "ECommerce"]
    })
}

/// A producer signed in, with a subject and a product in set 7.
pub(crate) async fn producer_with_product(
    server: &TestServer,
    phone: &str,
) -> (Client, String, String) {
    producer_with_product_through(server.client(), &server.db, phone).await
}

/// A producer whose new product's dossier is submitted (version 1):
/// (producer, product id).
pub(crate) async fn submitted_dossier(server: &TestServer, phone: &str) -> (Client, String) {
    let (producer, _, product) = producer_with_product(server, phone).await;
    let submitted = producer
        .call("producer/submit", &[("product_id", &product)])
        .await;
    assert_eq!(submitted.body, "1", "the dossier's first version");
    (producer, product)
}

/// The same through any client (e.g. of a release binary the test started).
pub(crate) async fn producer_with_product_through(
    client: Client,
    db: &app::db::Db,
    phone: &str,
) -> (Client, String, String) {
    let signed_up = crate::sms::sign_up_proven(&client, db, phone, "Y Bơ", TEST_PASSWORD).await;
    assert_eq!(signed_up.status, 200, "{}", signed_up.body);
    let saved = client
        .call_json(
            "producer/save_subject",
            &json!({ "id": null, "form": subject() }),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let subject_id = saved.json().as_str().unwrap_or_default().to_string();
    let product_id = register_product(&client, &subject_id, "Sâm Ngọc Linh củ tươi", 7).await;
    (client, subject_id, product_id)
}

/// Registers a first-time product of `product_set` for the subject; its id.
pub(crate) async fn register_product(
    client: &Client,
    subject_id: &str,
    name: &str,
    product_set: u32,
) -> String {
    let product = client
        .call_json(
            "producer/register_product",
            &json!({ "form": { "subject_id": subject_id, "name": name,
                "product_set": product_set.to_string(), "kind": "first_time",
                "previous_certificate": "", "changes": "" } }),
        )
        .await;
    assert_eq!(product.status, 200, "{}", product.body);
    let product = product.json().as_str().unwrap_or_default().to_string();
    let report = client
        .call_json(
            "producer/save_report",
            &json!({ "product_id": product, "form": complete_report() }),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(report.json(), json!([]), "nothing missing");
    product
}

/// Mẫu 01/02's words as a producer types them, every line the forms ask for.
pub(crate) fn complete_report() -> serde_json::Value {
    json!({
        "representative_title": "Giám đốc", "phone": "0912345678", "email": "htx@example.vn",
        "representative_ethnicity": "Xơ Đăng", "representative_address": "Thôn Đắk Ven",
        "samples": "3", "product_description": "Củ sâm tươi 5 năm tuổi, hộp 100 g.\nTCCS 01:2024",
        "business_registration": true, "quality_declared": true,
        "food_safety_certificate": true, "production_certificate": false,
        "ip_titles": ["Trademark"], "ip_other": "",
        "history": "Thành lập năm 2020 từ tổ hợp tác trồng sâm.",
        "organisation": "Ban giám đốc, tổ sản xuất, tổ tiêu thụ.",
        "raw_materials": "Vùng trồng 12 ha dưới tán rừng.", "quality_changes": "",
        "markets": "Siêu thị trong tỉnh, sàn thương mại điện tử.",
        "revenue": "1.250.000.000", "profit": "180.000.000",
        "plan": "Mở rộng vùng trồng thêm 5 ha."
    })
}

/// The same report as the server stores it.
pub(crate) fn complete_report_parsed() -> app::domain::self_report::SelfReport {
    serde_json::from_value::<app::domain::self_report::SelfReportForm>(complete_report())
        .expect("a form")
        .parse()
        .expect("a complete report")
}

/// Sends a whole file in chunks from `from`; returns the last answer.
pub(crate) async fn upload(
    client: &Client,
    upload_id: &str,
    bytes: &[u8],
    chunk: usize,
    from: usize,
) -> Answer {
    let mut offset = from;
    let mut last = None;
    while offset < bytes.len() {
        let end = (offset + chunk).min(bytes.len());
        let answer = client
            .put_bytes(
                &format!("/tai-lieu/{upload_id}?offset={offset}"),
                bytes[offset..end].to_vec(),
            )
            .await;
        assert_eq!(answer.status, 200, "chunk at {offset}: {}", answer.body);
        offset = end;
        last = Some(answer);
    }
    last.expect("at least one chunk")
}

pub(crate) async fn start(
    client: &Client,
    product: &str,
    slot: &str,
    name: &str,
    size: usize,
) -> Answer {
    client
        .call(
            "producer/start_upload",
            &[
                ("product_id", product),
                ("slot", slot),
                ("file_name", name),
                ("size", &size.to_string()),
            ],
        )
        .await
}

/// A PDF-looking file of `size` bytes with varied content.
pub(crate) fn pdf_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x: u32 = 2_463_534_242;
    while bytes.len() < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xFF) as u8);
    }
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_producer_builds_a_dossier_and_submits_it_as_version_one() {
    for test_db in each_engine().await {
        // Arrange
        let server = TestServer::start(&test_db.url, false, None).await;
        let (client, _subject, product) = producer_with_product(&server, "0912 000 111").await;
        // Act: answers (a stale save is ignored), a PDF and a photo, submit.
        let saved = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": { "1.1": 0, "1.2": null }, "revision": 2 }),
            )
            .await;
        let stale = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": {}, "revision": 1 }),
            )
            .await;
        let bad_answer = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": { "9.9": 0 }, "revision": 3 }),
            )
            .await;
        let pdf = pdf_bytes(600_000);
        let ticket = start(
            &client,
            &product,
            "food_safety",
            "chung-nhan-attp.pdf",
            pdf.len(),
        )
        .await;
        let pdf_id = ticket.json()["id"].as_str().unwrap_or_default().to_string();
        let pdf_done = upload(&client, &pdf_id, &pdf, 262_144, 0).await;
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7_u8; 5000]].concat();
        let png_ticket = start(&client, &product, "product_photo", "anh.png", png.len()).await;
        let png_id = png_ticket.json()["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        upload(&client, &png_id, &png, 262_144, 0).await;
        let before_submit = audit_rows(&server.db).await;
        let submitted = client
            .call("producer/submit", &[("product_id", &product)])
            .await;
        let after_submit = audit_rows(&server.db).await;
        let again = client
            .call("producer/submit", &[("product_id", &product)])
            .await;
        let edit_after = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": {}, "revision": 9 }),
            )
            .await;
        let dossier = client
            .call("producer/dossier", &[("product_id", &product)])
            .await;
        let version = client
            .call(
                "producer/version",
                &[("product_id", &product), ("version", "1")],
            )
            .await;
        // Assert
        assert_eq!((saved.status, saved.body.as_str()), (200, "2"));
        assert_eq!(
            (stale.status, stale.body.as_str()),
            (200, "2"),
            "an older save never wins"
        );
        assert_eq!(bad_answer.status, 422, "{}", bad_answer.body);
        assert_eq!(pdf_done.json()["sha256"], sha256_hex(&pdf));
        assert_eq!((submitted.status, submitted.body.as_str()), (200, "1"));
        assert_eq!(
            after_submit - before_submit,
            1,
            "one audit row for the submission"
        );
        assert_eq!(again.status, 422, "{}", again.body);
        assert_eq!(
            edit_after.status, 422,
            "a submitted dossier is frozen: {}",
            edit_after.body
        );
        let dossier = dossier.json();
        assert_eq!(dossier["product"]["state"], "Submitted");
        assert_eq!(dossier["evidence"].as_array().map(Vec::len), Some(2));
        let states: Vec<_> = dossier["timeline"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["state"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(states, vec!["Draft", "Submitted"]);
        let frozen: serde_json::Value =
            serde_json::from_str(version.json().as_str().unwrap_or("{}")).expect("frozen json");
        assert_eq!(frozen["self_assessment"]["1.1"], 0);
        assert_eq!(frozen["evidence"][0]["sha256"], sha256_hex(&pdf));
        assert_eq!(frozen["subject"]["name"], "HTX Sâm Ngọc Linh Đắk Glei");
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn an_upload_cut_half_way_resumes_and_the_stored_file_has_the_same_sha256() {
    for test_db in each_engine().await {
        // Arrange: a 2 MB PDF, 256 KB chunks.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (client, _, product) = producer_with_product(&server, "0912 000 222").await;
        let pdf = pdf_bytes(2 * 1024 * 1024 + 123);
        let ticket = start(
            &client,
            &product,
            "test_report",
            "kiem-nghiem.pdf",
            pdf.len(),
        )
        .await;
        assert_eq!(ticket.status, 200, "{}", ticket.body);
        let id = ticket.json()["id"].as_str().unwrap_or_default().to_string();
        let chunk = 262_144;
        // Act 1: four chunks arrive…
        for index in 0..4 {
            let offset = index * chunk;
            let answer = client
                .put_bytes(
                    &format!("/tai-lieu/{id}?offset={offset}"),
                    pdf[offset..offset + chunk].to_vec(),
                )
                .await;
            assert_eq!(answer.status, 200, "{}", answer.body);
        }
        // …then the connection drops in the middle of the fifth (headers promise
        // 256 KB, 100 KB are sent, the socket closes).
        let cookie = session_cookie(&client, &server.base).await;
        let address = server.base.trim_start_matches("http://").to_string();
        let mut socket = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connect");
        let head = format!(
            "PUT /tai-lieu/{id}?offset={} HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\nCookie: {cookie}\r\nContent-Length: {chunk}\r\n\r\n",
            4 * chunk,
            server.base
        );
        socket.write_all(head.as_bytes()).await.expect("headers");
        socket
            .write_all(&pdf[4 * chunk..4 * chunk + 100_000])
            .await
            .expect("part of the body");
        drop(socket);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        // Act 2: the phone asks where to continue and sends the rest.
        let status = client.get(&format!("/tai-lieu/{id}")).await;
        let received = status.json()["received"].as_u64().unwrap_or(0) as usize;
        let done = upload(&client, &id, &pdf, chunk, received).await;
        // Assert
        assert_eq!(
            received,
            4 * chunk,
            "only whole chunks count: {}",
            status.body
        );
        assert_eq!(done.json()["complete"], true);
        assert_eq!(done.json()["sha256"], sha256_hex(&pdf));
        let stored = client.get(&format!("/tai-lieu/{id}/tep")).await;
        assert_eq!(stored.status, 200);
        let stored_bytes = reqwest::Client::new()
            .get(format!("{}/tai-lieu/{id}/tep", server.base))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("file")
            .bytes()
            .await
            .expect("bytes");
        assert_eq!(sha256_hex(&stored_bytes), sha256_hex(&pdf));
        eprintln!(
            "resumable upload on {}: {} bytes, cut at {} bytes, resumed from {received}, sha256 {}",
            test_db.engine,
            pdf.len(),
            4 * chunk + 100_000,
            sha256_hex(&pdf)
        );
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}

/// The session cookie a client holds (logs in again on a bare client to read it).
async fn session_cookie(client: &Client, base: &str) -> String {
    let _ = client;
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let answer = bare
        .post(format!("{base}/api/account/log_in"))
        .header("origin", base)
        .form(&[("phone", "0912000222"), ("password", TEST_PASSWORD)])
        .send()
        .await
        .expect("log in");
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sao_session="))
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_file_that_is_not_what_its_name_says_is_refused() {
    let test_db = crate::support::TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let (client, _, product) = producer_with_product(&server, "0912 000 333").await;
    let fake = b"MZ\x90\0this is a program, not a PDF".to_vec();
    let too_big = start(&client, &product, "labels", "nhan.pdf", 30 * 1024 * 1024).await;
    let ticket = start(&client, &product, "labels", "nhan.pdf", fake.len()).await;
    let id = ticket.json()["id"].as_str().unwrap_or_default().to_string();

    let answer = client
        .put_bytes(&format!("/tai-lieu/{id}?offset=0"), fake)
        .await;

    assert_eq!(too_big.status, 422);
    assert!(
        too_big.said().contains("quá giới hạn 25 MB"),
        "{}",
        too_big.body
    );
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(answer.said().contains("không phải PDF"), "{}", answer.body);
    let dossier = client
        .call("producer/dossier", &[("product_id", &product)])
        .await;
    assert_eq!(dossier.json()["evidence"].as_array().map(Vec::len), Some(0));
    let db = server.stop();
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn a_supplement_request_reopens_the_dossier_and_every_version_stays_readable() {
    for test_db in each_engine().await {
        // Arrange: a dossier submitted as version 1.
        let server = TestServer::start(&test_db.url, false, None).await;
        let (client, _, product) = producer_with_product(&server, "0912 000 444").await;
        let first = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": { "1.1": 0 }, "revision": 1 }),
            )
            .await;
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(
            client
                .call("producer/submit", &[("product_id", &product)])
                .await
                .body,
            "1"
        );
        // Act: an official asks for more by 15/12/2026; the producer changes an answer and resubmits.
        let row = app::db::producers::product(&server.db, &product)
            .await
            .expect("read")
            .expect("product");
        let mut tx = server.db.begin().await.expect("begin");
        let reopened = app::db::dossiers::request_supplement(
            &mut tx,
            &row,
            "Bổ sung phiếu kiểm nghiệm",
            "2026-12-15",
        )
        .await
        .expect("supplement");
        app::db::commit(tx).await.expect("commit");
        let changed = client
            .call_json(
                "producer/save_self_assessment",
                &json!({ "product_id": product, "answers": { "1.1": 1 }, "revision": 2 }),
            )
            .await;
        let second = client
            .call("producer/submit", &[("product_id", &product)])
            .await;
        let v1 = client
            .call(
                "producer/version",
                &[("product_id", &product), ("version", "1")],
            )
            .await;
        let v2 = client
            .call(
                "producer/version",
                &[("product_id", &product), ("version", "2")],
            )
            .await;
        let dossier = client
            .call("producer/dossier", &[("product_id", &product)])
            .await
            .json();
        // Assert
        assert_eq!(
            reopened,
            Ok(app::domain::dossier::DossierState::SupplementRequested)
        );
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(second.body, "2");
        let answer = |answer: &Answer| -> serde_json::Value {
            let frozen: serde_json::Value =
                serde_json::from_str(answer.json().as_str().unwrap_or("{}")).expect("frozen");
            frozen["self_assessment"]["1.1"].clone()
        };
        assert_eq!(
            (answer(&v1), answer(&v2)),
            (json!(0), json!(1)),
            "each version keeps its own answers"
        );
        let deadlines: Vec<_> = dossier["timeline"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["deadline"].as_str())
            .collect();
        assert_eq!(deadlines, vec!["2026-12-15"]);
        assert_eq!(dossier["product"]["version"], 2);
        let db = server.stop();
        test_db.cleanup(db).await;
    }
}
