//! The province's OCOP office (cơ quan tham mưu quản lý OCOP): intake of dossiers
//! the communes forward, supplements and rejections, evaluation rounds and their
//! councils (members, settings, conflicts of interest).
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::round::{MemberRow, RoundEvent, RoundRow};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// A dossier waiting at the office, with what a rejection may rest on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeItem {
    pub product: crate::domain::dossier::ProductRow,
    /// The scorecard's dossier rejection rules ("Hồ sơ bị loại khi…").
    pub rejection_rules: Vec<String>,
    /// The commune's Mẫu 03 report, once the commune assessed the dossier.
    pub report_path: Option<String>,
    /// For a product the level below proposed up: the round whose decision did.
    pub proposed_by: Option<String>,
    /// For a re-evaluation: the last day to decide, 45 days after the complete
    /// dossier reached the office (Điều 7.6g), `dd/mm/yyyy`.
    pub reevaluate_by: Option<String>,
}

/// A round with what the office manages in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub round: RoundRow,
    pub dossiers: Vec<String>,
    pub members: Vec<MemberRow>,
    pub conflicts: Vec<(String, String)>,
    /// Products each scoring member has to score.
    pub loads: Vec<(String, i64)>,
    /// The round's products by name: (id, name).
    pub products: Vec<(String, String)>,
    /// A split council's (member id, product id) pairs.
    pub assignments: Vec<(String, String)>,
}

/// Dossiers the communes forwarded to this office's province, oldest first.
#[server(endpoint = "office/queue")]
pub async fn office_queue() -> Result<Vec<IntakeItem>, AppError> {
    with_status(crate::service::office::intake::queue().await)
}

/// Asks for more, with a deadline; the producer and the commune are told by SMS.
#[server(endpoint = "office/request_supplement")]
pub async fn office_request_supplement(
    #[server(flatten)] asked: SupplementAsked,
) -> Result<(), AppError> {
    with_status(crate::service::office::intake::request_supplement(asked).await)
}

/// A dossier given back for more: what is missing and by when (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementAsked {
    pub product_id: String,
    pub note: String,
    pub deadline: String,
}

/// Refuses the dossier: `rule` is the index of the scorecard's rejection rule it
/// rests on (required when the scorecard has any), `note` the particular ground.
#[server(endpoint = "office/reject")]
pub async fn office_reject(#[server(flatten)] rejection: Rejection) -> Result<(), AppError> {
    with_status(crate::service::office::intake::reject(rejection).await)
}

/// A dossier refused: the index of the rejection rule it rests on, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub product_id: String,
    #[serde(default, deserialize_with = "crate::wire::optional")]
    pub rule: Option<u16>,
    pub note: String,
}

/// Opens a province round. Its dates are the office's (`proposal_cutoff`,
/// `closes_on`: the seed plan sets its own, and Điều 5.1 allows more rounds);
/// without them, Điều 5's for round `number` of `year` (round 1: proposals by
/// 30/4, done by 30/6; round 2: by 30/10, done by 30/12). The council settings
/// come from `profile` (default QĐ 26/2026's), which must name the round's
/// `level`: `province` (the default for a province's office), `district:<id>`
/// (the seed's three tiers) or `central` (the ministry's office only, its default).
/// `sitting`: `meeting` (the default) or `written` (re-evaluation, Điều 7.6 d).
#[server(endpoint = "office/create_round")]
pub async fn create_round(#[server(flatten)] round: NewRound) -> Result<String, AppError> {
    with_status(crate::service::office::rounds::create(round).await)
}

/// The round form's fields (see `create_round`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRound {
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::optional")]
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "crate::wire::optional")]
    pub number: Option<u8>,
    pub proposal_cutoff: Option<String>,
    pub closes_on: Option<String>,
    pub profile: Option<String>,
    pub level: Option<String>,
    pub sitting: Option<String>,
}

/// Moves a round: open, start scoring, deliberation, seal, decide (or back to scoring).
#[server(endpoint = "office/round_event")]
pub async fn change_round(round_id: String, event: RoundEvent) -> Result<(), AppError> {
    with_status(crate::service::office::rounds::change(round_id, event).await)
}

/// Puts an accepted dossier into a round that accepts dossiers; a dossier is in
/// at most one open round.
#[server(endpoint = "office/assign")]
pub async fn assign_to_round(product_id: String, round_id: String) -> Result<(), AppError> {
    with_status(crate::service::office::entry::assign_to_round(product_id, round_id).await)
}

/// A seat added to a council; `invitation` when a phone was given (a link only
/// when the number had no account and one was made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatAdded {
    pub member_id: String,
    pub invitation: Option<crate::api::users::Invitation>,
}

/// Seats a chair, member or advisory-team member (name, department) on a round's
/// council. With a phone, the seat is that person's: a chair or member gets the
/// council role for this round (a new number an account and an invitation link by
/// SMS; a registered one an offer to accept).
#[server(endpoint = "office/add_member")]
pub async fn add_council_member(#[server(flatten)] seat: NewSeat) -> Result<SeatAdded, AppError> {
    with_status(crate::service::office::council::add_council_member(seat).await)
}

/// A council seat as the office fills it in: `position` is `chair`, `member` or
/// `advisor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSeat {
    pub round_id: String,
    pub name: String,
    pub department: String,
    pub position: String,
    pub phone: Option<String>,
}

/// Changes a council's quorum and divergence limit (inherited from the profile).
#[server(endpoint = "office/council_settings")]
pub async fn set_council_settings(
    #[server(flatten)] settings: CouncilSettings,
) -> Result<(), AppError> {
    with_status(crate::service::office::council::set_council_settings(settings).await)
}

/// A council's quorum (`numerator`/`denominator` of its members) and the
/// divergence (points) beyond which a product's scores are flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilSettings {
    pub round_id: String,
    #[serde(deserialize_with = "crate::wire::number")]
    pub numerator: i64,
    #[serde(deserialize_with = "crate::wire::number")]
    pub denominator: i64,
    #[serde(deserialize_with = "crate::wire::number")]
    pub divergence_limit: i64,
}

/// A member (or the office for them) declares a conflict of interest with a product
/// of the round; the member is then excluded from that product.
#[server(endpoint = "office/declare_conflict")]
pub async fn declare_conflict(#[server(flatten)] conflict: Conflict) -> Result<(), AppError> {
    with_status(crate::service::office::council::conflict_declared(conflict).await)
}

/// A member's conflict of interest with a product, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub member_id: String,
    pub product_id: String,
    pub reason: String,
}

/// The same from the member's tablet (its own endpoint: the tablet's code stays in
/// the tablet's chunk of the WASM).
#[server(endpoint = "council/declare_own_conflict")]
pub async fn declare_own_conflict(#[server(flatten)] conflict: Conflict) -> Result<(), AppError> {
    with_status(crate::service::office::council::conflict_declared(conflict).await)
}

/// A round with its dossiers, council and conflicts.
#[server(endpoint = "office/round")]
pub async fn round_view(round_id: String) -> Result<RoundDetail, AppError> {
    with_status(crate::service::office::rounds::view(round_id).await)
}

/// The rounds of the office's province, newest first.
#[server(endpoint = "office/rounds")]
pub async fn office_rounds() -> Result<Vec<RoundRow>, AppError> {
    with_status(crate::service::office::rounds::list().await)
}

/// What the round form offers the office: the levels it may open rounds at
/// (`province` and its districts as `district:<id>`, or `central` for the
/// ministry) with a district's name, and the workflow profiles (id, name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundOptions {
    pub levels: Vec<(String, Option<String>)>,
    pub profiles: Vec<(String, String)>,
}

#[server(endpoint = "office/round_choices")]
pub async fn round_choices() -> Result<RoundOptions, AppError> {
    with_status(crate::service::office::rounds::choices().await)
}

/// Splits the council for one product: only these members (ids, comma-separated)
/// score it. An empty list gives it back to every member.
#[server(endpoint = "office/assign_members")]
pub async fn assign_members(#[server(flatten)] split: CouncilSplit) -> Result<(), AppError> {
    with_status(crate::service::office::council::assign_members(split).await)
}

/// The members (ids, comma-separated) who alone score one product of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilSplit {
    pub round_id: String,
    pub product_id: String,
    pub member_ids: String,
}
