//! The persona the matrix cannot hold (its fixture round has no chair): a chair
//! acts on the round they chair and on no other, and a member of that round is
//! not its chair. Reads are checked for what they hold, not only their status.
use crate::support::for_each_engine;
use crate::support::round::scoring_round;

#[tokio::test]
async fn a_chair_acts_on_the_round_they_chair_and_on_no_other() {
    for_each_engine(|server| async move {
        // Arrange: two rounds in scoring, each with its own council and chair.
        let mine = scoring_round(&server, 2, 5, "qd-26-2026").await;
        let other = scoring_round(&server, 1, 5, "qd-26-2026").await;
        let chair = &mine.members[0].1;
        let member = &mine.members[1].1;
        let round = |r: &str| vec![("round_id", r.to_string())];
        let call = |client: &crate::support::Client,
                    endpoint: &'static str,
                    form: Vec<(&'static str, String)>| {
            let client = client.clone();
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                client.call(endpoint, &form).await
            }
        };

        // Act
        let console = call(chair, "council/console", round(&mine.round_id)).await;
        let status = call(chair, "council/round_status", round(&mine.round_id)).await;
        let early_seal = call(chair, "council/seal", round(&mine.round_id)).await;
        let other_console = call(chair, "council/console", round(&other.round_id)).await;
        let other_status = call(chair, "council/round_status", round(&other.round_id)).await;
        let other_seal = call(chair, "council/seal", round(&other.round_id)).await;
        let other_flag = call(
            chair,
            "council/acknowledge_flag",
            vec![
                ("round_id", other.round_id.clone()),
                ("product_id", other.products[0].clone()),
                ("flag", "SheetsMissing:".to_string()),
            ],
        )
        .await;
        let member_console = call(member, "council/console", round(&mine.round_id)).await;
        let member_seal = call(member, "council/seal", round(&mine.round_id)).await;

        // Assert: their round's console holds its products and no other round's.
        assert_eq!(console.status, 200, "{}", console.body);
        for product in &mine.products {
            assert!(console.body.contains(product.as_str()), "{}", console.body);
        }
        assert!(!console.body.contains(other.products[0].as_str()));
        assert_eq!(status.status, 200, "{}", status.body);
        assert_eq!(
            early_seal.status, 422,
            "allowed, but open items remain: {}",
            early_seal.body
        );
        for (what, answer) in [
            ("another round's console", &other_console),
            ("another round's status", &other_status),
            ("sealing another round", &other_seal),
            ("a flag of another round", &other_flag),
            ("a member reading the console", &member_console),
            ("a member sealing", &member_seal),
        ] {
            assert_eq!(answer.status, 403, "{what}: {}", answer.body);
        }
        let (sealed,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM rounds WHERE seal_digest IS NOT NULL")
                .fetch_one(server.db.pool())
                .await
                .expect("count");
        assert_eq!(sealed, 0, "nothing was sealed");
    })
    .await;
}
