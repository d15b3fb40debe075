//! The demo's office day: the province's next round (Điều 5's dates after the day
//! the demo is loaded) accepting dossiers, and a dossier of the demo cooperative
//! that its commune has just proposed, waiting at the office to be assigned.
use super::DbError;
use crate::domain::date::CalendarDate;
use crate::domain::dossier::DossierState;
use crate::domain::round::{next_province_round, province_round_dates, RoundRow, RoundState};
use crate::domain::subject::Subject;
use sqlx::AnyConnection;

/// The demo's round that takes proposals.
pub const DEMO_NEXT_ROUND: &str = "demo-dot-tiep-theo";

/// The dossier waiting at the office.
pub const DEMO_WAITING_PRODUCT: &str = "Mật ong rừng Đắk Glei (demo)";

pub async fn add(tx: &mut AnyConnection, subject: (&str, &Subject)) -> Result<(), DbError> {
    let today = CalendarDate::of_ms_vietnam(super::now_ms());
    let (year, number) = next_province_round(today);
    let (cutoff, closes) = province_round_dates(year, number)
        .ok_or_else(|| DbError::Demo("no Article 5 round".into()))?;
    let round = RoundRow {
        id: DEMO_NEXT_ROUND.into(),
        body: crate::domain::round::Body::Province(51),
        name: format!("Đợt {number} năm {year} (demo)"),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: cutoff.iso(),
        closes_on: closes.iso(),
        state: RoundState::Accepting,
        quorum: (3, 4),
        divergence_limit: 10,
        sitting: crate::domain::sitting::Sitting::Meeting,
        meeting_asked: None,
    };
    super::rounds::insert(tx, &round).await?;
    super::demo_product::add(
        tx,
        subject,
        DEMO_WAITING_PRODUCT,
        DossierState::OfficeReview,
    )
    .await?;
    Ok(())
}
