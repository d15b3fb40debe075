//! Rounds: a round in scoring with its dossiers and its council signed in, the
//! office's round events, and the sheets a tablet sends.
use super::dossier::{receive_assess_forward, submitted_dossier};
use super::people::{office_of_quang_ngai, officer_of};
use super::{create_user, fresh_phone, Answer, Client, TestServer, TEST_PASSWORD};
use app::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
use serde_json::json;

/// A round in scoring under `profile` with `products` dossiers and `members`
/// council members who have accounts (the first one chairs).
pub struct ScoringRound {
    pub office: Client,
    pub round_id: String,
    pub products: Vec<String>,
    /// Each product's producer, signed in (same order as `products`).
    pub producers: Vec<Client>,
    pub members: Vec<(String, Client)>,
    /// The members' phone numbers (their password is `TEST_PASSWORD`).
    pub phones: Vec<String>,
}

const MEMBER_NAMES: [&str; 5] = [
    "Lê Văn An",
    "Trần Thị Hoa",
    "Phạm Quốc Bảo",
    "Y Nhung",
    "Đinh Văn Sơn",
];

pub async fn scoring_round(
    server: &TestServer,
    products: usize,
    members: usize,
    profile: &str,
) -> ScoringRound {
    scoring_round_with(server, products, members, profile, None).await
}

/// The same, with the council's own settings (quorum numerator, denominator,
/// divergence limit) saved before scoring starts.
pub async fn scoring_round_with(
    server: &TestServer,
    products: usize,
    members: usize,
    profile: &str,
    settings: Option<(u32, u32, u32)>,
) -> ScoringRound {
    let officer = officer_of(server, 23344).await;
    let office = office_of_quang_ngai(server).await;
    let (cutoff, closes) = super::open_round_dates();
    let created = try_create_round(&office, "Đợt 2", (&cutoff, &closes), Some(profile)).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let round_id = created.json().as_str().unwrap_or_default().to_string();
    round_event(&office, &round_id, "Open").await;
    let mut product_ids = Vec::new();
    let mut producers = Vec::new();
    for _ in 0..products {
        let (producer, product) = submitted_dossier(server, &fresh_phone()).await;
        producers.push(producer);
        assert_eq!(
            receive_assess_forward(&officer, &product, true)
                .await
                .status,
            200
        );
        assign(&office, &product, &round_id).await;
        product_ids.push(product);
    }
    let mut council = Vec::new();
    let mut phones = Vec::new();
    for (index, name) in MEMBER_NAMES.iter().take(members).enumerate() {
        let phone = fresh_phone();
        phones.push(phone.clone());
        create_user(
            &server.db,
            &phone,
            &[super::people::member_grant(&round_id)],
        )
        .await;
        let position = if index == 0 { "chair" } else { "member" };
        let department = "Sở Nông nghiệp và Môi trường";
        let member_id = add_member(&office, &round_id, (name, department, position, &phone)).await;
        let client = server.client();
        client.log_in(&phone, TEST_PASSWORD).await;
        council.push((member_id, client));
    }
    if let Some((numerator, denominator, divergence)) = settings {
        let saved = office
            .call(
                "office/council_settings",
                &[
                    ("round_id", round_id.as_str()),
                    ("numerator", &numerator.to_string()),
                    ("denominator", &denominator.to_string()),
                    ("divergence_limit", &divergence.to_string()),
                ],
            )
            .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
    }
    round_event(&office, &round_id, "StartScoring").await;
    ScoringRound {
        office,
        round_id,
        products: product_ids,
        producers,
        members: council,
        phones,
    }
}

/// Asks `office` for a new round named `name` taking proposals up to `dates.0`
/// and closing on `dates.1` (as a form sends them), under `profile` if given.
pub async fn try_create_round(
    office: &Client,
    name: &str,
    dates: (&str, &str),
    profile: Option<&str>,
) -> Answer {
    let mut form = vec![
        ("name", name),
        ("proposal_cutoff", dates.0),
        ("closes_on", dates.1),
    ];
    form.extend(profile.map(|profile| ("profile", profile)));
    office.call("office/create_round", &form).await
}

/// A new round taking proposals now (see `open_round_dates`); its id.
pub async fn create_round(office: &Client, name: &str) -> String {
    let (cutoff, closes) = super::open_round_dates();
    create_round_on(office, name, (&cutoff, &closes)).await
}

/// A new round taking proposals up to `dates.0`, closing on `dates.1`; its id.
pub async fn create_round_on(office: &Client, name: &str, dates: (&str, &str)) -> String {
    let created = try_create_round(office, name, dates, None).await;
    assert_eq!(created.status, 200, "{}", created.body);
    created.json().as_str().unwrap_or_default().to_string()
}

/// Asks `office` to put `product` in the round.
pub async fn try_assign(office: &Client, product: &str, round_id: &str) -> Answer {
    let form = [("product_id", product), ("round_id", round_id)];
    office.call("office/assign", &form).await
}

/// Puts `product` in the round, asserting the office may.
pub async fn assign(office: &Client, product: &str, round_id: &str) {
    let assigned = try_assign(office, product, round_id).await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
}

/// Asks `office` to seat someone on the round's council: (name, department,
/// position such as "chair" or "member", phone of their account or "").
pub async fn try_add_member(
    office: &Client,
    round_id: &str,
    (name, department, position, phone): (&str, &str, &str, &str),
) -> Answer {
    let form = [
        ("round_id", round_id),
        ("name", name),
        ("department", department),
        ("position", position),
        ("phone", phone),
    ];
    office.call("office/add_member", &form).await
}

/// Seats someone, asserting the office may; the seat's member id.
pub async fn add_member(office: &Client, round_id: &str, seat: (&str, &str, &str, &str)) -> String {
    let added = try_add_member(office, round_id, seat).await;
    assert_eq!(added.status, 200, "{}", added.body);
    added.parse::<app::api::office::SeatAdded>().member_id
}

/// Asks `office` to move the round on (`Open`, `StartScoring`, `Seal`...).
pub async fn try_round_event(office: &Client, round_id: &str, event: &str) -> Answer {
    let form = [("round_id", round_id), ("event", event)];
    office.call("office/round_event", &form).await
}

/// Moves the round on, asserting the office may.
pub async fn round_event(office: &Client, round_id: &str, event: &str) {
    let moved = try_round_event(office, round_id, event).await;
    assert_eq!(moved.status, 200, "{event}: {}", moved.body);
}

/// The chair asks a member to score a product again, asserting they may:
/// (member id, product id) and the reason the member reads.
pub async fn request_rescore(
    chair: &Client,
    round_id: &str,
    (member, product): (&str, &str),
    reason: &str,
) {
    let form = [
        ("round_id", round_id),
        ("member_id", member),
        ("product_id", product),
        ("reason", reason),
    ];
    let asked = chair.call("council/request_rescore", &form).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
}

/// `client` (the office or the member) declares a conflict of interest of the
/// seat (member id, product id) for `reason`, asserting it may.
pub async fn declare_conflict(client: &Client, (member, product): (&str, &str), reason: &str) {
    let form = [
        ("member_id", member),
        ("product_id", product),
        ("reason", reason),
    ];
    let declared = client.call("office/declare_conflict", &form).await;
    assert_eq!(declared.status, 200, "{}", declared.body);
}

/// A hand-in (its digest filled in by [`handed_in`]).
pub fn submit() -> SheetEdit {
    SheetEdit::Submit {
        digest: String::new(),
    }
}

/// The changes with each hand-in's digest of the sheet before it, as a tablet sends them.
pub fn handed_in(mut changes: Vec<SheetChange>) -> Vec<SheetChange> {
    app::domain::sheet_sync::hand_in_digests(&mut changes);
    changes
}

/// A re-score as a tablet hands it in: `new` after the chair's request, its
/// hand-in digest taken over the member's `earlier` changes, the chair's
/// requests (as the member's product list brings them) and `new`.
pub async fn rescored(
    member: &Client,
    product: &str,
    earlier: &[SheetChange],
    new: Vec<SheetChange>,
) -> Vec<SheetChange> {
    let listed = member.call("council/products", &[]).await.json();
    let reopens: Vec<SheetChange> = listed
        .as_array()
        .and_then(|all| all.iter().find(|p| p["product_id"] == product))
        .map(|p| serde_json::from_value(p["reopens"].clone()).expect("reopens"))
        .unwrap_or_default();
    let held = earlier.len() + reopens.len();
    let mut all: Vec<SheetChange> = earlier.iter().cloned().chain(reopens).chain(new).collect();
    app::domain::sheet_sync::hand_in_digests(&mut all);
    all.split_off(held)
}

/// The chair acknowledges every open flag of the console.
pub async fn acknowledge_all(chair: &Client, round_id: &str) {
    let rows = chair
        .call("council/console", &[("round_id", round_id)])
        .await;
    assert_eq!(rows.status, 200, "{}", rows.body);
    for row in rows.json().as_array().cloned().unwrap_or_default() {
        for flag in row["flags"].as_array().cloned().unwrap_or_default() {
            if flag["acknowledged"] == json!(false) {
                let key = format!(
                    "{}:{}",
                    flag["kind"].as_str().unwrap_or_default(),
                    flag["detail"].as_str().unwrap_or_default()
                );
                let product = row["product_id"].as_str().unwrap_or_default();
                let acked = chair
                    .call(
                        "council/acknowledge_flag",
                        &[
                            ("round_id", round_id),
                            ("product_id", product),
                            ("flag", &key),
                        ],
                    )
                    .await;
                assert_eq!(acked.status, 200, "{key}: {}", acked.body);
            }
        }
    }
}

/// The chair acknowledges every open flag of the console, then seals; the
/// seal's answer.
pub async fn seal_as_chair(chair: &Client, round_id: &str) -> serde_json::Value {
    acknowledge_all(chair, round_id).await;
    let sealed = chair.call("council/seal", &[("round_id", round_id)]).await;
    assert_eq!(sealed.status, 200, "{}", sealed.body);
    sealed.json()
}

pub async fn sync(member: &Client, changes: &[SheetChange]) -> serde_json::Value {
    let answer = member
        .call_json("council/sync", &json!({ "changes": changes }))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// Answers of product set 7 adding up to exactly `target` points (the highest
/// options first, then whatever keeps the target reachable).
pub fn answers_for_total(target: u32) -> Vec<(String, Option<u16>)> {
    let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
    let criteria: Vec<_> = card.criteria().map(|(_, _, c)| c).collect();
    let n = criteria.len();
    let limit = 100_usize;
    let mut reach = vec![vec![false; limit + 1]; n + 1];
    reach[n][0] = true;
    for i in (0..n).rev() {
        for t in 0..=limit {
            reach[i][t] = reach[i + 1][t]
                || criteria[i].options().any(|o| {
                    let p = o.points as usize;
                    p <= t && reach[i + 1][t - p]
                });
        }
    }
    let mut left = target as usize;
    assert!(reach[0][left], "no sheet of set 7 totals {target}");
    let mut answers = Vec::new();
    for i in 0..n {
        let best = criteria[i]
            .options()
            .enumerate()
            .filter(|(_, o)| (o.points as usize) <= left && reach[i + 1][left - o.points as usize])
            .max_by_key(|(_, o)| o.points);
        let chosen = best.map(|(index, o)| {
            left -= o.points as usize;
            index as u16
        });
        answers.push((criteria[i].code.to_string(), chosen));
    }
    answers
}

/// A tablet's changes answering every criterion for `target` points, then submitting.
pub fn scored_sheet(member_id: &str, product: &str, target: u32, from_ms: i64) -> Vec<SheetChange> {
    answered_sheet(member_id, product, answers_for_total(target), from_ms)
}

/// Answers of product set 7 for a 4★ result: on each criterion with a 4★
/// minimum the cheapest option that meets it; then the best option of the other
/// criteria while the total stays at 85 or less; none elsewhere.
pub fn four_star_answers() -> Vec<(String, Option<u16>)> {
    star_answers(sao_scoring::ids::Stars::FOUR, (70, 85))
}

/// The same for a 3★ result (50 to 65 points).
pub fn three_star_answers() -> Vec<(String, Option<u16>)> {
    star_answers(sao_scoring::ids::Stars::THREE, (50, 65))
}

fn star_answers(
    stars: sao_scoring::ids::Stars,
    (lowest, highest): (u32, u32),
) -> Vec<(String, Option<u16>)> {
    let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
    let criteria: Vec<_> = card.criteria().map(|(_, _, c)| c).collect();
    let mut chosen: Vec<Option<(u16, u32)>> = criteria
        .iter()
        .map(|c| {
            let minimum = c.minimum_for(stars)?;
            c.options()
                .enumerate()
                .filter(|(_, o)| o.points >= minimum)
                .min_by_key(|(_, o)| o.points)
                .map(|(i, o)| (i as u16, o.points))
        })
        .collect();
    let mut total: u32 = chosen.iter().flatten().map(|(_, p)| p).sum();
    for (c, pick) in criteria.iter().zip(chosen.iter_mut()) {
        let best = c.options().enumerate().max_by_key(|(_, o)| o.points);
        if let (None, Some((index, option))) = (*pick, best) {
            if total + option.points <= highest {
                total += option.points;
                *pick = Some((index as u16, option.points));
            }
        }
    }
    assert!(
        (lowest..=highest).contains(&total),
        "a {}★ total: {total}",
        stars.get()
    );
    criteria
        .iter()
        .zip(chosen)
        .map(|(c, pick)| (c.code.to_string(), pick.map(|(i, _)| i)))
        .collect()
}

/// A tablet's changes giving `answers`, then submitting.
pub fn answered_sheet(
    member_id: &str,
    product: &str,
    answers: Vec<(String, Option<u16>)>,
    from_ms: i64,
) -> Vec<SheetChange> {
    let mut edits: Vec<SheetEdit> = answers
        .into_iter()
        .map(|(code, option)| SheetEdit::Answer {
            criterion: super::criterion(&code),
            option,
        })
        .collect();
    edits.push(submit());
    let changes = edits
        .into_iter()
        .enumerate()
        .map(|(i, edit)| SheetChange {
            // A tablet's ids are UUIDs; here the tails of the ids keep them short and unique.
            change_id: format!(
                "{}-{}-{from_ms}-{i}",
                &member_id[member_id.len() - 12..],
                &product[product.len() - 12..]
            ),
            member_id: member_id.to_string(),
            product_id: product.to_string(),
            stamp: Stamp {
                device_ms: from_ms + i as i64,
                device_id: format!("tablet-{member_id}"),
                seq: i as u64 + 1,
            },
            edit,
        })
        .collect();
    handed_in(changes)
}
