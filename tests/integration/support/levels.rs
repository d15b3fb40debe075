//! Rounds at every level (issue 16): the ministry's office, a council seated
//! and signed in for any office's round, a round scored, sealed and decided.
use super::people::official;
use super::round::{add_member, answered_sheet, round_event, seal_as_chair, sync};
use super::{create_user, fresh_phone, Answer, Client, TestServer, TEST_PASSWORD};
use app::auth::{Grant, Office, Role, Scope};
use app::domain::date::CalendarDate;

/// Staff of the ministry's OCOP office, signed in.
pub async fn ministry_of(server: &TestServer) -> Client {
    official(
        server,
        Grant {
            role: Role::MinistryStaff,
            scope: Scope::Everywhere,
        },
    )
    .await
}

/// Asks `office` for a round at `level` (`central`, `province`, `district:<id>`)
/// under `profile`, taking proposals now.
pub async fn try_create_level_round(
    office: &Client,
    name: &str,
    profile: &str,
    level: &str,
) -> Answer {
    let (cutoff, closes) = super::open_round_dates();
    let form = [
        ("name", name),
        ("proposal_cutoff", cutoff.as_str()),
        ("closes_on", closes.as_str()),
        ("profile", profile),
        ("level", level),
    ];
    office.call("office/create_round", &form).await
}

/// The same, asserting it is made and open; its id.
pub async fn level_round(office: &Client, name: &str, profile: &str, level: &str) -> String {
    let created = try_create_level_round(office, name, profile, level).await;
    assert_eq!(created.status, 200, "{level}: {}", created.body);
    let id = created.json().as_str().unwrap_or_default().to_string();
    round_event(office, &id, "Open").await;
    id
}

/// Seats `count` members with accounts on the round `office` runs (the first
/// chairs), signed in: (member id, client).
pub async fn seated_council(
    server: &TestServer,
    office: &Client,
    round_id: &str,
    runs: Office,
    count: usize,
) -> Vec<(String, Client)> {
    let mut council = Vec::new();
    for index in 0..count {
        let phone = fresh_phone();
        let grant = Grant {
            role: Role::CouncilMember,
            scope: Scope::Council {
                round: round_id.to_string(),
                office: runs,
            },
        };
        create_user(&server.db, &phone, &[grant]).await;
        let position = if index == 0 { "chair" } else { "member" };
        let name = format!("Thành viên {index}");
        let seat = (name.as_str(), "Bộ, ngành", position, phone.as_str());
        let member_id = add_member(office, round_id, seat).await;
        let client = server.client();
        client.log_in(&phone, TEST_PASSWORD).await;
        council.push((member_id, client));
    }
    council
}

/// A sheet's answers: (criterion code, option index or none).
pub type Answers = Vec<(String, Option<u16>)>;

/// Every member hands in `answers[i]` for product i; then deliberation, the
/// chair's seal, and `office`'s decision `number` signed today, recorded and
/// published. The decision's view.
pub async fn scored_sealed_decided(
    office: &Client,
    round_id: &str,
    council: &[(String, Client)],
    sheets: &[(&str, Answers)],
    number: &str,
) -> serde_json::Value {
    let now = app::db::now_ms();
    for (member_id, client) in council {
        for (index, (product, answers)) in sheets.iter().enumerate() {
            let from = now + 1000 * index as i64;
            sync(
                client,
                &answered_sheet(member_id, product, answers.clone(), from),
            )
            .await;
        }
    }
    round_event(office, round_id, "StartDeliberation").await;
    seal_as_chair(&council[0].1, round_id).await;
    let recorded = record(office, round_id, number).await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let published = office
        .call("office/publish_decision", &[("round_id", round_id)])
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    office
        .call("office/decision", &[("round_id", round_id)])
        .await
        .json()
}

/// `office` records decision `number` of the sealed round, signed today.
pub async fn record(office: &Client, round_id: &str, number: &str) -> Answer {
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
    let form = [
        ("round_id", round_id),
        ("number", number),
        ("signed_on", today.as_str()),
        ("signer", "Nguyễn Văn Ký"),
    ];
    office.call("office/record_decision", &form).await
}

/// `office` records its decision on `product` returned by `from_round`, signed on `day`.
pub async fn record_return(
    office: &Client,
    from_round: &str,
    product: &str,
    number: &str,
    day: &str,
) -> Answer {
    let form = [
        ("from_round_id", from_round),
        ("product_id", product),
        ("number", number),
        ("signed_on", day),
        ("signer", "Trần Văn Ký"),
    ];
    office.call("office/record_return", &form).await
}

/// The outcome code of each line of a decision's view, in order.
pub fn outcomes(view: &serde_json::Value) -> Vec<String> {
    view["lines"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|line| {
            let outcome = &line["outcome"];
            match outcome["stars"].as_u64() {
                Some(stars) => format!("recognised {stars}"),
                None => outcome["outcome"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}
