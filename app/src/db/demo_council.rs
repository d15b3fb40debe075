//! The demo's council day: a producer's cooperative with three products in a
//! round of Quảng Ngãi in scoring, its council seated (a chair and five members,
//! each with a demo account) and one member's sheet partly done — so the member's
//! tablet and the chair's console can be tried right after `--demo`.
use super::DbError;
use crate::auth::{Grant, Role, Scope};
use crate::domain::dossier::DossierState;
use crate::domain::round::CouncilPosition;
use crate::domain::round::{MemberRow, RoundRow, RoundState};
use crate::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
use sqlx::AnyConnection;

/// The demo round's id (its council's scope in the members' grants).
pub const DEMO_ROUND: &str = "demo-dot-2-2026";

/// The council: (phone, name, position). Passwords as the other demo accounts.
pub const DEMO_COUNCIL: [(&str, &str, CouncilPosition); 6] = [
    (
        "+84900000006",
        "Chủ tịch Hội đồng (demo)",
        CouncilPosition::Chair,
    ),
    (
        "+84900000007",
        "Thành viên 1 (demo)",
        CouncilPosition::Member,
    ),
    (
        "+84900000008",
        "Thành viên 2 (demo)",
        CouncilPosition::Member,
    ),
    (
        "+84900000009",
        "Thành viên 3 (demo)",
        CouncilPosition::Member,
    ),
    (
        "+84900000010",
        "Thành viên 4 (demo)",
        CouncilPosition::Member,
    ),
    (
        "+84900000011",
        "Thành viên 5 (demo)",
        CouncilPosition::Member,
    ),
];

/// The cooperative's products (set 7 of QĐ 26/2026).
const PRODUCTS: [&str; 3] = [
    "Sâm Ngọc Linh củ tươi (demo)",
    "Rượu sâm Ngọc Linh (demo)",
    "Trà dây Đắk Glei (demo)",
];

fn subject_form() -> crate::domain::subject::SubjectForm {
    crate::domain::subject::SubjectForm {
        kind: "cooperative".into(),
        name: "HTX Sâm Ngọc Linh Đắk Glei (demo)".into(),
        registration_number: "6101234567".into(),
        registration_date: "2020-03-15".into(),
        tax_code: "6101234567".into(),
        commune_code: "23344".into(),
        address: "Thôn Đắk Ven".into(),
        representative: "Y Bơ".into(),
        representative_woman: true,
        representative_ethnic_minority: true,
        workers_total: "15".into(),
        workers_local: "12".into(),
        value_chain_contracts: "3".into(),
        ..Default::default()
    }
}

/// Adds the council's accounts (hashing each password from `password_for`), the
/// subject, products, round and seats; returns the accounts and passwords.
pub async fn add(
    tx: &mut AnyConnection,
    producer_id: &str,
    password_for: &(dyn Fn(&str) -> String + Sync),
) -> Result<Vec<(String, String)>, DbError> {
    let subject = subject_form()
        .parse()
        .map_err(|errors| DbError::Demo(format!("{errors:?}")))?;
    let subject_id = super::producers::save_subject(tx, None, &subject, producer_id).await?;
    let now = super::now_ms();
    let round = RoundRow {
        id: DEMO_ROUND.into(),
        body: crate::domain::round::Body::Province(51),
        name: "Đợt 2 năm 2026 (demo)".into(),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: "2026-10-30".into(),
        closes_on: "2026-12-30".into(),
        state: RoundState::Scoring,
        quorum: (3, 4),
        divergence_limit: 10,
        sitting: crate::domain::sitting::Sitting::Meeting,
        meeting_asked: None,
    };
    super::rounds::insert(tx, &round).await?;
    let mut products = Vec::new();
    for name in PRODUCTS {
        let id = super::demo_product::add(tx, (&subject_id, &subject), name, DossierState::InRound)
            .await?;
        super::rounds::add_dossier(tx, DEMO_ROUND, &id).await?;
        products.push(id);
    }
    let mut accounts = Vec::new();
    let mut first_member = None;
    let mut seats = Vec::new();
    let mut user_ids = Vec::new();
    for (phone, name, position) in DEMO_COUNCIL {
        let password = password_for(phone);
        let hash =
            crate::auth::hashing::hash_password_now(&password).map_err(DbError::PasswordHash)?;
        let role = if position == CouncilPosition::Chair {
            Role::CouncilChair
        } else {
            Role::CouncilMember
        };
        let grant = Grant {
            role,
            scope: Scope::Council {
                round: DEMO_ROUND.into(),
                office: crate::auth::Office::Province(51),
            },
        };
        let user_id = super::users::create(tx, phone, name, Some(&hash), &[grant]).await?;
        user_ids.push((user_id.clone(), name.to_string()));
        let seat = MemberRow {
            id: format!("demo-seat-{}", &phone[phone.len() - 2..]),
            name: name.into(),
            department: "Sở Nông nghiệp và Môi trường Quảng Ngãi".into(),
            position,
            user_id: Some(user_id),
        };
        super::councils::add_member(tx, DEMO_ROUND, &seat).await?;
        seats.push((phone, seat.id.clone()));
        if position == CouncilPosition::Member && first_member.is_none() {
            first_member = Some(seat.id.clone());
        }
        accounts.push((phone.to_string(), password));
    }
    // Member 1 has ticked the first three criteria of the first product.
    if let Some(member) = first_member {
        let set = crate::rules_catalog::product_set("qd-26-2026", 7)
            .ok_or_else(|| DbError::Demo("set 7 of qd-26-2026 is not loaded".into()))?;
        let changes: Vec<SheetChange> = set
            .criteria()
            .take(3)
            .enumerate()
            .map(|(seq, (_, _, criterion))| SheetChange {
                change_id: format!("demo-change-{seq}"),
                member_id: member.clone(),
                product_id: products[0].clone(),
                stamp: Stamp {
                    device_ms: now + seq as i64,
                    device_id: "demo-tablet".into(),
                    seq: seq as u64 + 1,
                },
                edit: SheetEdit::Answer {
                    criterion: criterion.code.clone(),
                    option: Some(0),
                },
            })
            .collect();
        for change in &changes {
            super::sheets::insert_change(tx, DEMO_ROUND, change).await?;
        }
        let sheet = SheetState::replay(&changes);
        super::sheets::save_sheet(tx, DEMO_ROUND, &member, &products[0], &sheet).await?;
    }
    // The second product is divergent: the chair and members 3–5 handed in, and
    // member 5's sheet lies far from the others'.
    let handed_in = [
        "+84900000006",
        "+84900000009",
        "+84900000010",
        "+84900000011",
    ];
    for (phone, seat) in seats.iter().filter(|(p, _)| handed_in.contains(p)) {
        let pick: Pick = if *phone == "+84900000011" {
            last
        } else {
            first
        };
        hand_in_full_sheet(tx, DEMO_ROUND, seat, &products[1], pick, now).await?;
    }
    super::demo_office::add(tx, (&subject_id, &subject)).await?;
    super::demo_catalogue::add(tx, now).await?;
    let chair = user_ids.first().cloned().unwrap_or_default();
    let members = user_ids.get(1..).unwrap_or(&[]);
    super::demo_history::add(tx, (&subject_id, &subject), &chair, members, now).await?;
    Ok(accounts)
}

/// Which option a demo sheet ticks, from a criterion's code and number of options.
pub(super) type Pick = fn(&str, usize) -> usize;

/// The first option: the lowest.
pub(super) fn first(_: &str, _: usize) -> usize {
    0
}

/// The last option: the highest.
pub(super) fn last(_: &str, count: usize) -> usize {
    count.saturating_sub(1)
}

/// A full sheet of set 7 handed in by `member` in `round`, each criterion's
/// option chosen by `pick`.
pub(super) async fn hand_in_full_sheet(
    tx: &mut AnyConnection,
    round: &str,
    member: &str,
    product: &str,
    pick: Pick,
    now: i64,
) -> Result<(), DbError> {
    let set = crate::rules_catalog::product_set("qd-26-2026", 7)
        .ok_or_else(|| DbError::Demo("set 7 of qd-26-2026 is not loaded".into()))?;
    let stamp = |seq: usize| Stamp {
        device_ms: now + seq as i64,
        device_id: format!("demo-tablet-{member}-{product}"),
        seq: seq as u64 + 1,
    };
    let mut changes: Vec<SheetChange> = set
        .criteria()
        .enumerate()
        .map(|(seq, (_, _, criterion))| SheetChange {
            change_id: format!("demo-{member}-{product}-{seq}"),
            member_id: member.into(),
            product_id: product.into(),
            stamp: stamp(seq),
            edit: SheetEdit::Answer {
                criterion: criterion.code.clone(),
                option: u16::try_from(pick(&criterion.code.to_string(), criterion.option_count()))
                    .ok(),
            },
        })
        .collect();
    let seq = changes.len();
    changes.push(SheetChange {
        change_id: format!("demo-{member}-{product}-submit"),
        member_id: member.into(),
        product_id: product.into(),
        stamp: stamp(seq),
        edit: SheetEdit::Submit {
            digest: String::new(),
        },
    });
    crate::domain::sheet_sync::hand_in_digests(&mut changes);
    for change in &changes {
        super::sheets::insert_change(tx, round, change).await?;
    }
    let sheet = SheetState::replay(&changes);
    super::sheets::save_sheet(tx, round, member, product, &sheet).await?;
    // Handed in: chained, as a tablet's hand-in is.
    if sheet.submitted.is_some() {
        let content = serde_json::to_string(&sheet).map_err(|e| DbError::Demo(e.to_string()))?;
        super::sheets::append_version(tx, round, member, product, &content).await?;
    }
    Ok(())
}
