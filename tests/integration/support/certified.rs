//! A product carried to a published 4★ certificate over HTTP: a round scored by
//! two members, sealed, its decision recorded and published.
use super::round::ScoringRound;
use super::round::{
    answered_sheet, four_star_answers, round_event, scoring_round, seal_as_chair, sync,
};
use super::TestServer;
use app::domain::date::CalendarDate;

/// The round (its office, producer, council) and the certificate's code.
pub async fn certified_product(server: &TestServer, number: &str) -> (ScoringRound, String) {
    let round = scoring_round(server, 1, 2, "qd-26-2026").await;
    let now = app::db::now_ms();
    for (member_id, client) in &round.members {
        let changes = answered_sheet(member_id, &round.products[0], four_star_answers(), now);
        sync(client, &changes).await;
    }
    round_event(&round.office, &round.round_id, "StartDeliberation").await;
    seal_as_chair(&round.members[0].1, &round.round_id).await;
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
    let rid = round.round_id.as_str();
    let recorded = round
        .office
        .call(
            "office/record_decision",
            &[
                ("round_id", rid),
                ("number", number),
                ("signed_on", today.as_str()),
                ("signer", "Nguyễn Văn Chủ tịch"),
            ],
        )
        .await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let published = round
        .office
        .call("office/publish_decision", &[("round_id", rid)])
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let view = round
        .office
        .call("office/decision", &[("round_id", rid)])
        .await
        .json();
    let code = view["recorded"]["codes"][0][1]
        .as_str()
        .unwrap_or_else(|| panic!("a certificate: {view}"))
        .to_string();
    (round, code)
}
