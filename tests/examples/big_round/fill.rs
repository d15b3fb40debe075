//! The big round, made straight in the database through the app's own queries
//! in one transaction: the province office's officer, a round of Quảng Ngãi
//! (51) that is scoring, its products (set 7 of QĐ 26/2026, ten to a
//! cooperative), its council (the first member chairs) and every member's
//! handed-in sheet for every product, kept as a tablet's changes and stored and
//! chained as `council/sync` stores them.
use super::common::Failure;
use super::council;
use app::auth::{Grant, Role, Scope};
use app::domain::sheet_sync::{hand_in_digests, SheetChange, SheetEdit, Stamp};
use sao_scoring::CriterionCode;

/// The phone of the office's officer (password `council::PASSWORD`).
pub const OFFICE_PHONE: &str = "+84919999999";

const WORDS: [&str; 8] = [
    "Sâm Ngọc Linh",
    "Quế Trà Bồng",
    "Mật ong rừng",
    "Chè xanh",
    "Nước mắm Sa Huỳnh",
    "Tỏi Lý Sơn",
    "Đường phổi",
    "Bánh tráng",
];

/// The round as made.
pub struct BigRound {
    pub id: String,
    /// (product id, name), in the order they were put in the round.
    pub products: Vec<(String, String)>,
    /// Each member's (phone, member id); the first chairs.
    pub members: Vec<(String, String)>,
    /// Sheets handed in, and the tablet changes kept for them.
    pub sheets: usize,
    pub changes: usize,
}

/// Fills the round; `products` × `members` sheets, all handed in.
pub async fn fill(db: &app::db::Db, products: usize, members: usize) -> Result<BigRound, Failure> {
    let hash = app::auth::session::hash_password_now(council::PASSWORD)?;
    let round_id = format!("big-round-{}", std::process::id());
    let card = app::rules_catalog::product_set("qd-26-2026", 7).ok_or("set 7 of qd-26-2026")?;
    let criteria: Vec<(CriterionCode, usize)> = card
        .criteria()
        .map(|(_, _, c)| (c.code.clone(), c.option_count()))
        .collect();
    let mut tx = db.begin().await?;
    let office = Grant {
        role: Role::OfficeStaff,
        scope: Scope::Province(51),
    };
    let officer = "Cán bộ Văn phòng Điều phối OCOP";
    app::db::users::create(&mut tx, OFFICE_PHONE, officer, Some(&hash), &[office]).await?;
    let round = council::province_round(&round_id, "Đợt 2 năm 2026");
    app::db::rounds::insert(&mut tx, &round).await?;
    let mut named = Vec::new();
    let mut subject_id = String::new();
    for i in 0..products {
        if i % 10 == 0 {
            let phone = format!("+84918{:06}", i / 10);
            let producer = app::db::users::create(&mut tx, &phone, "Chủ thể", None, &[]).await?;
            let name = format!("HTX số {}", i / 10 + 1);
            let subject = council::cooperative(&name, &format!("61{:08}", i / 10));
            subject_id =
                app::db::producers::save_subject(&mut tx, None, &subject, &producer).await?;
        }
        let name = format!("{} loại {}", WORDS[i % WORDS.len()], i + 1);
        let registration = app::domain::dossier::ProductRegistration {
            subject_id: subject_id.clone(),
            name: name.clone(),
            product_set: 7,
            kind: app::domain::dossier::ProductKind::FirstTime,
            previous_certificate: String::new(),
            changes: String::new(),
        };
        let product =
            app::db::producers::insert_product(&mut tx, &registration, "qd-26-2026").await?;
        app::db::rounds::add_dossier(&mut tx, &round_id, &product).await?;
        named.push((product, name));
    }
    let seated = council::seat_members(&mut tx, &round_id, members, &hash).await?;
    let from_ms = app::db::now_ms();
    let mut changes = 0;
    for (p, (product, _)) in named.iter().enumerate() {
        for (m, (_, member)) in seated.iter().enumerate() {
            let sheet = handed_in(member, product, (p, m), &criteria, from_ms);
            for change in &sheet {
                app::db::sheets::insert_change(&mut tx, &round_id, change).await?;
            }
            changes += sheet.len();
            app::service::council::chain_replayed(&mut tx, &round_id, member, product, &sheet)
                .await?;
        }
    }
    app::db::commit(tx).await?;
    Ok(BigRound {
        id: round_id,
        sheets: named.len() * seated.len(),
        products: named,
        members: seated,
        changes,
    })
}

/// The option member `m` picks on criterion `c` of product `p`: the council
/// mostly agrees; now and then a member picks the option next to it.
fn option(count: usize, (p, m): (usize, usize), c: usize) -> u16 {
    let agreed = (p * 31 + c * 17) % count.max(1);
    let picked = match (m * 5 + c + p) % 13 {
        0 if agreed + 1 < count => agreed + 1,
        0 if agreed > 0 => agreed - 1,
        _ => agreed,
    };
    u16::try_from(picked).unwrap_or(0)
}

/// A member's tablet answering every criterion of a product, then handing the
/// sheet in (each hand-in carrying the digest of the sheet before it). The
/// tablet's sequence runs on across its products, one sheet after another.
fn handed_in(
    member: &str,
    product: &str,
    (p, m): (usize, usize),
    criteria: &[(CriterionCode, usize)],
    from_ms: i64,
) -> Vec<SheetChange> {
    let answers = criteria.iter().enumerate().map(|(c, (code, count))| {
        let option = Some(option(*count, (p, m), c));
        SheetEdit::Answer {
            criterion: code.clone(),
            option,
        }
    });
    let submit = SheetEdit::Submit {
        digest: String::new(),
    };
    let first = p * (criteria.len() + 1);
    let mut changes: Vec<SheetChange> = answers
        .chain(std::iter::once(submit))
        .enumerate()
        .map(|(i, edit)| {
            let seq = (first + i + 1) as u64;
            let stamp = Stamp {
                device_ms: from_ms + seq as i64,
                device_id: format!("tablet-{member}"),
                seq,
            };
            let (member_id, product_id) = (member.to_string(), product.to_string());
            let change_id = format!("{member}-{product}-{i}");
            SheetChange {
                change_id,
                member_id,
                product_id,
                stamp,
                edit,
            }
        })
        .collect();
    hand_in_digests(&mut changes);
    changes
}
