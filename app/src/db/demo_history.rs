//! The demo's last year: round 2 of the year before, its five-member council
//! (the demo chair and members), two products of the demo cooperative with every
//! sheet handed in, left deliberating. `service::seal::seal_demo_history`
//! then seals it as a chair would, so its results are stored at the seal and
//! the minutes can be printed.
use super::demo_council::Pick;
use super::DbError;
use crate::auth::{Grant, Role, Scope};
use crate::domain::date::CalendarDate;
use crate::domain::dossier::DossierState;
use crate::domain::round::CouncilPosition;
use crate::domain::round::{province_round_dates, MemberRow, RoundRow, RoundState};
use crate::domain::subject::Subject;
use sqlx::AnyConnection;

/// Last year's round.
pub const DEMO_PAST_ROUND: &str = "demo-dot-nam-truoc";

/// Its products and the option every member ticked on each criterion: a 4★
/// product and a 3★ one.
const PRODUCTS: [(&str, Pick); 2] = [
    ("Sâm Ngọc Linh khô (demo, năm trước)", four_stars),
    ("Mật ong hoa cà phê (demo, năm trước)", middle),
];

/// The middle option, and the best where a 4★ product must reach a minimum
/// (criteria 2.1, 2.3, 3.4, 5.1 and 6.1 of set 7) and on 1.1, 1.2 and 2.2: a
/// 4★ mean clear of the 70 and 90 points boundaries, so no flag stays open.
fn four_stars(code: &str, count: usize) -> usize {
    const BEST: [&str; 8] = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.4", "5.1", "6.1"];
    if BEST.contains(&code) {
        super::demo_council::last(code, count)
    } else {
        middle(code, count)
    }
}

fn middle(_: &str, count: usize) -> usize {
    count / 2
}

/// Adds last year's round in deliberation; `chair` and `members` are the demo
/// council's (account id, name) (the chair also gets the chair's role of that round).
pub async fn add(
    tx: &mut AnyConnection,
    subject: (&str, &Subject),
    chair: &(String, String),
    members: &[(String, String)],
    now: i64,
) -> Result<(), DbError> {
    let year = CalendarDate::of_ms_vietnam(now).year - 1;
    let (cutoff, closes) =
        province_round_dates(year, 2).ok_or_else(|| DbError::Demo("no Article 5 round".into()))?;
    let round = RoundRow {
        id: DEMO_PAST_ROUND.into(),
        body: crate::domain::round::Body::Province(51),
        name: format!("Đợt 2 năm {year} (demo, đã niêm phong)"),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: cutoff.iso(),
        closes_on: closes.iso(),
        state: RoundState::Deliberation,
        quorum: (3, 4),
        divergence_limit: 10,
        sitting: crate::domain::sitting::Sitting::Meeting,
        meeting_asked: None,
    };
    super::rounds::insert(tx, &round).await?;
    let grant = Grant {
        role: Role::CouncilChair,
        scope: Scope::Council {
            round: DEMO_PAST_ROUND.into(),
            office: crate::auth::Office::Province(51),
        },
    };
    super::users::add_grant(tx, &chair.0, &grant).await?;
    let mut seats = Vec::new();
    let people = std::iter::once((chair, CouncilPosition::Chair))
        .chain(members.iter().map(|m| (m, CouncilPosition::Member)));
    for (index, ((user_id, name), position)) in people.enumerate() {
        let seat = MemberRow {
            id: format!("demo-past-seat-{index}"),
            name: name.clone(),
            department: "Sở Nông nghiệp và Môi trường Quảng Ngãi".into(),
            position,
            // Last year's members are names on the minutes; the chair's seat
            // is the demo chair's, who opens the sealed console.
            user_id: (position == CouncilPosition::Chair).then(|| user_id.clone()),
        };
        super::councils::add_member(tx, DEMO_PAST_ROUND, &seat).await?;
        seats.push(seat.id);
    }
    for (name, pick) in PRODUCTS {
        let id = super::demo_product::add(tx, subject, name, DossierState::InRound).await?;
        super::rounds::add_dossier(tx, DEMO_PAST_ROUND, &id).await?;
        for seat in &seats {
            super::demo_council::hand_in_full_sheet(tx, DEMO_PAST_ROUND, seat, &id, pick, now)
                .await?;
        }
    }
    Ok(())
}
