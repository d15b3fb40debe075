//! The commune's register (issue 14): every product of the commune's subjects with
//! its state, also after the dossier left the commune; another commune's officer
//! and a producer get nothing of it.
use crate::support::people::officer_of;
use crate::support::{for_each_engine, for_each_engine_with_demo};
use app::db::demo::DEMO_PASSWORD;

#[tokio::test]
async fn the_register_lists_the_communes_products_in_every_state_and_no_one_elses() {
    for_each_engine_with_demo(|server| async move {
        // Arrange: the demo cooperative of Đăk Plô (23344): three products in a round,
        // one waiting at the office.
        let officer = server.client();
        officer.log_in("+84900000003", DEMO_PASSWORD).await;
        let elsewhere = officer_of(&server, 23341).await;
        let producer = server.client();
        producer.log_in("+84900000005", DEMO_PASSWORD).await;

        // Act
        let register = officer.call("commune/register", &[]).await;
        let other = elsewhere.call("commune/register", &[]).await;
        let refused = producer.call("commune/register", &[]).await;
        let page = officer.get_bytes("/xa/so-theo-doi").await;

        // Assert
        assert_eq!(register.status, 200, "{}", register.body);
        let mut states: Vec<String> = register
            .json()
            .as_array()
            .expect("items")
            .iter()
            .map(|item| item["state"].as_str().unwrap_or_default().to_string())
            .collect();
        states.sort();
        // This year's round (3), last year's sealed round (2), one at the office.
        assert_eq!(
            states,
            [
                "InRound",
                "InRound",
                "InRound",
                "InRound",
                "InRound",
                "OfficeReview"
            ]
        );
        // Đăk Pék's officer sees only Đăk Pék's products (the demo catalogue's
        // two there), none of Đăk Plô's.
        let theirs = other.json();
        let theirs = theirs.as_array().expect("items");
        assert_eq!(theirs.len(), 2, "{theirs:?}");
        assert!(
            theirs.iter().all(|item| item["commune_code"] == 23341),
            "{theirs:?}"
        );
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert_eq!(page.0, 200);
        assert!(String::from_utf8_lossy(&page.2).contains("Mật ong rừng Đắk Glei (demo)"));
    })
    .await;
}

#[tokio::test]
async fn each_receipt_gets_the_communes_next_form_01_number_of_the_year() {
    for_each_engine(|server| async move {
        // Arrange: two dossiers submitted in Đăk Plô (23344).
        let officer = officer_of(&server, 23344).await;
        let (first_producer, first) =
            crate::support::dossier::submitted_dossier(&server, &crate::support::fresh_phone())
                .await;
        let (_, second) =
            crate::support::dossier::submitted_dossier(&server, &crate::support::fresh_phone())
                .await;

        // Act
        let mut received = Vec::new();
        for product in [&first, &second, &first] {
            let answer = officer.call_on("commune/receive", product).await;
            received.push(answer.status);
        }
        let dossier = first_producer
            .call_on("producer/dossier", &first)
            .await
            .json();

        // Assert
        let year = app::domain::date::CalendarDate::of_ms_vietnam(app::db::now_ms()).year;
        let numbers: Vec<(String,)> =
            sqlx::query_as("SELECT number FROM dossier_receipts ORDER BY seq")
                .fetch_all(server.db.pool())
                .await
                .expect("receipts");
        assert_eq!(received, vec![200, 200, 422], "a dossier is received once");
        assert_eq!(
            numbers,
            vec![
                (format!("001/PĐK-51-23344-{year}"),),
                (format!("002/PĐK-51-23344-{year}"),)
            ]
        );
        assert!(
            numbers
                .iter()
                .any(|(n,)| dossier["receipt_number"] == n.as_str()),
            "the producer sees the receipt: {dossier}"
        );
    })
    .await;
}
