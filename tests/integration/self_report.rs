//! Mẫu 01 and Mẫu 02 over HTTP on each engine: the producer's words are saved as
//! one form, a dossier missing a line the forms ask for is refused at submission
//! with that line named, the submitted report is frozen and read-only, and both
//! forms print as PDF (with the commune's receipt once given) for the dossier's
//! readers only. Also the demo's last-year round, sealed with stored results.
use crate::support::dossier::{complete_report, producer_with_product};
use crate::support::people::officer_of;
use crate::support::{for_each_engine, for_each_engine_with_demo, fresh_phone, pdf_text, Client};
use serde_json::json;

async fn save(producer: &Client, product: &str, form: serde_json::Value) -> crate::support::Answer {
    producer
        .call_json(
            "producer/save_report",
            &json!({ "product_id": product, "form": form }),
        )
        .await
}

async fn pdf(client: &Client, path: &str) -> (u16, String) {
    let (status, _, bytes) = client.get_bytes(path).await;
    if status == 200 {
        assert!(bytes.starts_with(b"%PDF-"), "a PDF");
        (status, pdf_text(&bytes))
    } else {
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[tokio::test]
async fn a_dossier_goes_only_with_forms_01_and_02_complete_then_they_are_frozen_and_printed() {
    for_each_engine(|server| async move {
        let (producer, _, product) = producer_with_product(&server, &fresh_phone()).await;

        // A line the forms ask for is missing: saved as a draft, refused at submission.
        let mut partial = complete_report();
        partial["plan"] = json!("   ");
        let saved = save(&producer, &product, partial).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(saved.json()[0]["field"], "plan", "{}", saved.body);
        let refused = producer.call_on("producer/submit", &product).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(
            refused.refused_field().as_deref(),
            Some("self_report"),
            "{}",
            refused.body
        );
        assert!(refused.said().contains("Phần IV"), "{}", refused.body);

        // A sum typed wrong is refused beside its field, nothing saved.
        let mut wrong = complete_report();
        wrong["revenue"] = json!("1e9");
        let wrong = save(&producer, &product, wrong).await;
        assert_eq!(wrong.status, 422);
        assert_eq!(
            wrong.refused_field().as_deref(),
            Some("revenue"),
            "{}",
            wrong.body
        );
        let stored = producer.call_on("producer/report", &product).await.json();
        assert_eq!(stored["report"]["revenue"], 1_250_000_000_i64);
        assert_eq!(stored["missing"][0]["field"], "plan");

        // Complete: submitted, frozen with the version, read-only after.
        assert_eq!(
            save(&producer, &product, complete_report()).await.body,
            "[]"
        );
        let submitted = producer.call_on("producer/submit", &product).await;
        assert_eq!(submitted.body, "1", "{}", submitted.body);
        let frozen = producer.version_of(&product, 1).await;
        let frozen: serde_json::Value =
            serde_json::from_str(frozen.json().as_str().unwrap_or_default()).expect("JSON");
        assert_eq!(
            frozen["self_report"]["plan"],
            "Mở rộng vùng trồng thêm 5 ha."
        );
        let late = save(&producer, &product, complete_report()).await;
        assert_eq!(late.status, 422, "{}", late.body);
        assert_eq!(late.refused_field().as_deref(), Some("state"));
        let view = producer.call_on("producer/report", &product).await.json();
        assert_eq!(view["editable"], false);

        // Both forms print, the receipt once the commune took the dossier in.
        let (status, form_01) = pdf(&producer, &format!("/ho-so/{product}/mau-01.pdf")).await;
        assert_eq!(status, 200, "{form_01}");
        let expected = [
            "PHIẾU ĐĂNG KÝ",
            "Sâm Ngọc Linh củ tươi",
            "Giám đốc",
            "phiên bản 1",
        ];
        crate::support::assert_contains_all(&form_01, &expected, "Mẫu 01");
        let officer = officer_of(&server, 23344).await;
        let received = officer.call_on("commune/receive", &product).await;
        assert_eq!(received.status, 200, "{}", received.body);
        let (_, form_01) = pdf(&officer, &format!("/ho-so/{product}/mau-01.pdf")).await;
        assert!(form_01.contains("/PĐK-51-23344-"), "{form_01}");
        assert!(form_01.contains("Người thử"), "the receiver: {form_01}");
        let (status, form_02) = pdf(&officer, &format!("/ho-so/{product}/mau-02.pdf")).await;
        assert_eq!(status, 200, "{form_02}");
        let expected = [
            "BÁO CÁO TỰ ĐÁNH GIÁ",
            "Phần IV",
            "Mở rộng vùng trồng thêm 5 ha.",
            "1.250.000.000",
            "Tổng điểm tự đánh giá",
            "Xơ Đăng",
        ];
        crate::support::assert_contains_all(&form_02, &expected, "Mẫu 02");
        for form in ["mau-01", "mau-02"] {
            let (_, _, bytes) = officer
                .get_bytes(&format!("/ho-so/{product}/{form}.pdf"))
                .await;
            crate::support::save_document(&format!("{form}-{}.pdf", server.engine), &bytes);
        }

        // Attackers: no session, another commune's officer, another province's
        // office (Hà Nội, 1), another producer. The dossier's own province's
        // office may read.
        let anonymous = server.client();
        let other_commune = officer_of(&server, 23341).await;
        let other_province = crate::support::people::official(
            &server,
            app::auth::Grant {
                role: app::auth::Role::OfficeStaff,
                scope: app::auth::Scope::Province(1),
            },
        )
        .await;
        let (other_producer, _, _) = producer_with_product(&server, &fresh_phone()).await;
        let own_office = crate::support::people::office_of_quang_ngai(&server).await;
        for form in ["mau-01", "mau-02"] {
            let (got, body) = pdf(&own_office, &format!("/ho-so/{product}/{form}.pdf")).await;
            assert_eq!(got, 200, "the province's office {form}: {body}");
        }
        for (who, client, status) in [
            ("no session", &anonymous, 401),
            ("another commune", &other_commune, 403),
            ("another province's office", &other_province, 403),
            ("another producer", &other_producer, 403),
        ] {
            for form in ["mau-01", "mau-02"] {
                let (got, body) = pdf(client, &format!("/ho-so/{product}/{form}.pdf")).await;
                assert_eq!(got, status, "{who} {form}: {body}");
            }
            let report = client.call_on("producer/report", &product).await;
            assert_eq!(report.status, status, "{who}: {}", report.body);
        }
    })
    .await;
}

#[tokio::test]
async fn the_demos_last_year_round_is_sealed_with_its_results_stored() {
    for_each_engine_with_demo(|server| async move {
        let round = app::db::demo_history::DEMO_PAST_ROUND;
        let row = app::db::rounds::get(&server.db, round)
            .await
            .expect("read")
            .expect("last year's round");
        assert_eq!(row.state, app::domain::round::RoundState::Sealed);
        let results = app::db::results::stored(&server.db, round)
            .await
            .expect("results");
        assert_eq!(results.len(), 2, "two products with results");
        let stars: Vec<serde_json::Value> = results
            .iter()
            .map(|(_, json)| serde_json::from_str::<serde_json::Value>(json).expect("JSON"))
            .map(|row| row["outcome"]["star"].clone())
            .collect();
        assert_eq!(stars, vec![json!(4), json!(3)], "a 4★ and a 3★ product");
        let verified = app::service::seal::verify(&server.db, round)
            .await
            .expect("verify");
        assert!(
            matches!(
                verified,
                app::service::seal::Verification::Equal { products: 2, .. }
            ),
            "{verified:?}"
        );
        // Starting again neither reloads nor reseals it.
        let again = sao_server::open_database(&server.url, true)
            .await
            .expect("reopen");
        assert_eq!(
            app::db::results::stored(&again, round)
                .await
                .expect("results"),
            results
        );
    })
    .await;
}
