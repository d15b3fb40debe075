//! The producer's journey over HTTP on each engine: subject, product, self-assessment,
//! evidence in resumable chunks, submission as a frozen version.
use crate::support::dossier::{
    dossier_view, pdf_bytes, producer_with_product, start, timeline_states, upload, upload_ticket,
};
use crate::support::{audit_rows, for_each_engine, Answer, Client, TestServer, TEST_PASSWORD};
use app::api::producer::{DossierView, UploadTicket};
use app::domain::dossier::DossierState;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Saves `answers` as the self-assessment of `product` at `revision`.
async fn save_answers(
    client: &Client,
    product: &str,
    answers: serde_json::Value,
    revision: u32,
) -> Answer {
    let body = json!({ "product_id": product, "answers": answers, "revision": revision });
    client
        .call_json("producer/save_self_assessment", &body)
        .await
}

#[tokio::test]
async fn a_producer_builds_a_dossier_and_submits_it_as_version_one() {
    for_each_engine(|server| async move {
        // Arrange
        let (client, _subject, product) = producer_with_product(&server, "0912 000 111").await;
        // Act: answers (a stale save is ignored), a PDF and a photo, submit.
        let saved = save_answers(&client, &product, json!({ "1.1": 0, "1.2": null }), 2).await;
        let stale = save_answers(&client, &product, json!({}), 1).await;
        let bad_answer = save_answers(&client, &product, json!({ "9.9": 0 }), 3).await;
        let pdf = pdf_bytes(600_000);
        let ticket = start(
            &client,
            &product,
            "food_safety",
            "chung-nhan-attp.pdf",
            pdf.len(),
        )
        .await;
        let pdf_id = ticket.parse::<UploadTicket>().id;
        let pdf_done = upload(&client, &pdf_id, &pdf, 262_144, 0).await;
        let png = crate::support::files::photo(400, 300, image::ImageFormat::Png);
        let png_ticket = start(&client, &product, "product_photo", "anh.png", png.len()).await;
        let png_id = png_ticket.parse::<UploadTicket>().id;
        upload(&client, &png_id, &png, 262_144, 0).await;
        let before_submit = audit_rows(&server.db).await;
        let submitted = client.call_on("producer/submit", &product).await;
        let after_submit = audit_rows(&server.db).await;
        let again = client.call_on("producer/submit", &product).await;
        let edit_after = save_answers(&client, &product, json!({}), 9).await;
        let dossier = client.call_on("producer/dossier", &product).await;
        let version = client.version_of(&product, 1).await;
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
        let dossier: DossierView = dossier.parse();
        assert_eq!(dossier.product.state, DossierState::Submitted);
        assert_eq!(dossier.evidence.len(), 2);
        assert_eq!(
            timeline_states(&dossier),
            [DossierState::Draft, DossierState::Submitted]
        );
        let frozen: serde_json::Value =
            serde_json::from_str(version.json().as_str().unwrap_or("{}")).expect("frozen json");
        assert_eq!(frozen["self_assessment"]["1.1"], 0);
        assert_eq!(frozen["evidence"][0]["sha256"], sha256_hex(&pdf));
        assert_eq!(frozen["subject"]["name"], "HTX Sâm Ngọc Linh Đắk Glei");
    })
    .await;
}

#[tokio::test]
async fn an_upload_cut_half_way_resumes_and_the_stored_file_has_the_same_sha256() {
    for_each_engine(|server| async move {
        // Arrange: a 2 MB PDF, 256 KB chunks.
        let (client, _, product) = producer_with_product(&server, "0912 000 222").await;
        let pdf = pdf_bytes(2 * 1024 * 1024 + 123);
        let id = upload_ticket(&client, &product, "test_report", "kiem-nghiem.pdf", pdf.len()).await;
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
        // The phone's side closes; the server's answer to the cut request (or
        // its close) says it is done with it: a wait by condition, not a sleep.
        socket.shutdown().await.expect("close our side");
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            socket.read_to_end(&mut answer),
        )
        .await
        .expect("the server finished with the cut request");
        drop(socket);
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
            server.engine,
            pdf.len(),
            4 * chunk + 100_000,
            sha256_hex(&pdf)
        );
    })
    .await;
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
    crate::support::session_set_cookie(&answer)
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
    let id = ticket.parse::<UploadTicket>().id;

    let answer = client
        .put_bytes(&format!("/tai-lieu/{id}?offset=0"), fake)
        .await;

    too_big.assert_refused(422, "quá giới hạn 25 MB");
    answer.assert_refused(422, "không phải PDF");
    let dossier = client.call_on("producer/dossier", &product).await;
    assert_eq!(dossier.parse::<DossierView>().evidence.len(), 0);
    let db = server.stop();
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn a_supplement_request_reopens_the_dossier_and_every_version_stays_readable() {
    for_each_engine(|server| async move {
        // Arrange: a dossier submitted as version 1.
        let (client, _, product) = producer_with_product(&server, "0912 000 444").await;
        let first = save_answers(&client, &product, json!({ "1.1": 0 }), 1).await;
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(client.call_on("producer/submit", &product).await.body, "1");
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
        let changed = save_answers(&client, &product, json!({ "1.1": 1 }), 2).await;
        let second = client.call_on("producer/submit", &product).await;
        let v1 = client.version_of(&product, 1).await;
        let v2 = client.version_of(&product, 2).await;
        let dossier = dossier_view(&client, &product).await;
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
        let deadlines: Vec<_> = dossier
            .timeline
            .iter()
            .filter_map(|e| e.deadline.as_deref())
            .collect();
        assert_eq!(deadlines, vec!["2026-12-15"]);
        assert_eq!(dossier.product.version, 2);
    })
    .await;
}
