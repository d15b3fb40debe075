//! A council round that is scoring, made straight in the database (one product
//! of set 7, one member with an account per tablet), and its tablets signed in
//! over HTTP: what the load and kill-drill commands start from. Its pieces (a
//! cooperative, a province round, the seated members, a sign-in) also make the
//! big round of `big_round`.
use super::common::Failure;
use app::auth::{Grant, Role, Scope};
use app::domain::round::{CouncilPosition, MemberRow, RoundRow, RoundState};
use app::domain::subject::{Subject, SubjectKind};

pub const PASSWORD: &str = "hoi-dong-2026";
/// The producer whose product the round scores (same password).
pub const PRODUCER: &str = "+84919000000";

/// (round id, product id, each tablet's (phone, member id)).
pub async fn scoring_round(
    db: &app::db::Db,
    tablets: usize,
    label: &str,
) -> Result<(String, String, Vec<(String, String)>), Failure> {
    let hash = app::auth::session::hash_password_now(PASSWORD)?;
    let round_id = format!("{label}-{}", std::process::id());
    let mut tx = db.begin().await?;
    let producer = {
        let producer = Grant {
            role: Role::Producer,
            scope: Scope::Everywhere,
        };
        app::db::users::create(&mut tx, PRODUCER, "Chủ thể", Some(&hash), &[producer]).await?
    };
    let subject = cooperative("HTX Sâm Ngọc Linh", "6101234567");
    let subject_id = app::db::producers::save_subject(&mut tx, None, &subject, &producer).await?;
    let registration = app::domain::dossier::ProductRegistration {
        subject_id,
        name: "Sâm Ngọc Linh củ tươi".into(),
        product_set: 7,
        kind: app::domain::dossier::ProductKind::FirstTime,
        previous_certificate: String::new(),
        changes: String::new(),
    };
    let product = app::db::producers::insert_product(&mut tx, &registration, "qd-26-2026").await?;
    app::db::rounds::insert(&mut tx, &province_round(&round_id, "Đợt tải thử")).await?;
    app::db::rounds::add_dossier(&mut tx, &round_id, &product).await?;
    let members = seat_members(&mut tx, &round_id, tablets, &hash).await?;
    app::db::commit(tx).await?;
    Ok((round_id, product, members))
}

/// A cooperative of commune 23344 (Quảng Ngãi, 51) named `name`.
pub fn cooperative(name: &str, registration: &str) -> Subject {
    Subject {
        kind: SubjectKind::Cooperative,
        name: name.into(),
        registration_number: registration.into(),
        registration_date: "2020-03-15".into(),
        tax_code: registration.into(),
        commune_code: 23344,
        address: "Thôn Đắk Ven".into(),
        representative: "Y Bơ".into(),
        representative_woman: true,
        representative_ethnic_minority: true,
        representative_disability: false,
        workers_total: 15,
        workers_local: 12,
        value_chain_contracts: 3,
        channels: Vec::new(),
    }
}

/// A round of Quảng Ngãi's (51) council under QĐ 26/2026, scoring.
pub fn province_round(round_id: &str, name: &str) -> RoundRow {
    RoundRow {
        id: round_id.to_string(),
        body: app::domain::round::Body::Province(51),
        name: name.into(),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: "2026-10-30".into(),
        closes_on: "2026-12-30".into(),
        state: RoundState::Scoring,
        quorum: (3, 4),
        divergence_limit: 10,
        sitting: app::domain::sitting::Sitting::Meeting,
        meeting_asked: None,
    }
}

/// Seats `count` council members, each with an account (password
/// [`PASSWORD`], hashed as `hash`); the first chairs. Each (phone, member id).
pub async fn seat_members(
    tx: &mut sqlx::AnyConnection,
    round_id: &str,
    count: usize,
    hash: &str,
) -> Result<Vec<(String, String)>, Failure> {
    let mut members = Vec::new();
    for i in 0..count {
        let phone = format!("+8491{:07}", 1_000_000 + i);
        let grant = Grant {
            role: Role::CouncilMember,
            scope: Scope::Council {
                round: round_id.to_string(),
                office: app::auth::Office::Province(51),
            },
        };
        let user = app::db::users::create(tx, &phone, "Thành viên", Some(hash), &[grant]).await?;
        let member = MemberRow {
            id: format!("{round_id}-m{i}"),
            name: format!("Thành viên {i}"),
            department: "Sở Nông nghiệp và Môi trường".into(),
            position: if i == 0 {
                CouncilPosition::Chair
            } else {
                CouncilPosition::Member
            },
            user_id: Some(user),
        };
        app::db::councils::add_member(tx, round_id, &member).await?;
        members.push((phone, member.id));
    }
    Ok(members)
}

/// Signs `phone` in (password [`PASSWORD`]): an HTTP client keeping the session.
pub async fn log_in(base: &str, phone: &str) -> Result<reqwest::Client, Failure> {
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let answer = http
        .post(format!("{base}/api/account/log_in"))
        .header("origin", base)
        .form(&[("phone", phone), ("password", PASSWORD)])
        .send()
        .await?;
    if answer.status() != 200 {
        return Err(format!("log-in refused: {}", answer.status()).into());
    }
    Ok(http)
}

/// Each tablet signs in (a few at a time: password hashing is deliberately
/// slow): its HTTP client (keeping the session) and member id.
pub async fn log_in_all(
    base: &str,
    members: &[(String, String)],
) -> Result<Vec<(reqwest::Client, String)>, Failure> {
    let mut tablets = Vec::new();
    for chunk in members.chunks(8) {
        let logins = chunk.iter().map(|(phone, member_id)| async move {
            Ok::<_, Failure>((log_in(base, phone).await?, member_id.clone()))
        });
        for tablet in futures::future::join_all(logins).await {
            tablets.push(tablet?);
        }
    }
    Ok(tablets)
}
