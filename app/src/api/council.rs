//! The council's server functions and their types: a member's products,
//! dossier and sheet sync; the chair's console, re-score and knock-out
//! decisions; the paper fallback. The work is in `service::council`.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// The route of a sealed round's minutes PDF (served by the server crate).
pub const MINUTES_PATH: &str = "/hoi-dong/{id}/bien-ban.pdf";

/// The page where officials key paper sheets back in.
pub const PAPER_KEYING_PATH: &str = "/nhap-phieu/{id}";

/// The route of a member's printable paper sheet for a product (PDF with a QR code).
pub const PAPER_SHEET_PATH: &str = "/hoi-dong/{id}/phieu-giay/{member}/{product}";

/// One product a member scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProduct {
    pub round_id: String,
    pub round_name: String,
    pub product_id: String,
    pub product_name: String,
    /// The member's seat in that round's council (their sheets are keyed by it).
    pub member_id: String,
    pub rule_set: String,
    pub product_set: u32,
    /// The member's progress as the server knows it.
    pub state: crate::domain::sheet_progress::SheetProgress,
    /// The chair's requests to score again (changes the server made): the tablet
    /// replays them with its own changes and stamps its next ones after them.
    pub reopens: Vec<crate::domain::sheet_sync::SheetChange>,
}

/// The products assigned to the signed-in member, without those they are conflicted on.
#[server(endpoint = "council/products")]
pub async fn council_products() -> Result<Vec<MemberProduct>, AppError> {
    with_status(crate::service::council::member::products().await)
}

/// One document of a dossier as a member reads it beside the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierDocument {
    /// Where the file is served (`/tai-lieu/{id}/tep`).
    pub path: String,
    /// The slot: a checklist document, `criterion:<code>`, or the advisory team's.
    pub slot: String,
    pub file_name: String,
    pub content_type: String,
    pub advisory: bool,
}

/// The commune's view of one of Mẫu 03's four contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneNote {
    pub criterion: String,
    pub title: String,
    pub option: String,
    pub agrees: bool,
    pub comment: String,
}

/// What a member reads beside the sheet: the producer's self-assessment, the
/// dossier's documents (the advisory team's among them) and the commune's Mẫu 03.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDossier {
    pub product_id: String,
    pub self_assessment: crate::domain::dossier::StoredAnswers,
    pub documents: Vec<DossierDocument>,
    /// Mẫu 03's contents, when the commune assessed the dossier, and its PDF.
    pub commune: Vec<CommuneNote>,
    pub commune_report_path: Option<String>,
    /// For an upgrade or re-evaluation: the result it follows, per criterion.
    #[serde(default)]
    pub previous: Option<crate::domain::previous_result::PreviousResult>,
}

/// The dossier of a product the signed-in member scores (assigned, unconflicted).
#[server(endpoint = "council/dossier")]
pub async fn council_dossier(product_id: String) -> Result<MemberDossier, AppError> {
    with_status(crate::service::council::member::dossier(product_id).await)
}

/// What the server did with a batch of changes from a tablet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReceipt {
    /// Changes the server holds (new, or already held from an earlier send): the
    /// tablet may forget them.
    pub stored: Vec<String>,
    /// Changes refused, with the reason (shown to the member; not retried).
    pub refused: Vec<(String, crate::domain::sheet_sync::SyncRefusal)>,
    /// For each sheet with a refused change, every change the server holds for
    /// it: the tablet puts its sheet back to the server's with them.
    pub held: Vec<crate::domain::sheet_sync::SheetChange>,
}

/// At most this many changes per request (a tablet sends the rest next).
pub const SYNC_BATCH_LIMIT: usize = 500;

/// Takes a batch of sheet changes from a member's tablet. Each change is judged
/// against the sheet the server holds (`sheet_sync::judge`: a change that would
/// alter a counted hand-in, or that comes after one, is refused), kept once by
/// its id, each touched sheet is replayed, and a hand-in that now counts is
/// appended to the round's hash chain — all in one transaction that first locks
/// each round in a scoring state, so a seal cannot pass it.
#[server(endpoint = "council/sync", input = leptos::server_fn::codec::Json)]
pub async fn council_sync(
    changes: Vec<crate::domain::sheet_sync::SheetChange>,
) -> Result<SyncReceipt, AppError> {
    with_status(crate::service::council::sync::sync(changes).await)
}

pub use crate::domain::round_result::{ConsoleCell, ConsoleRow, Flag, FlagKind, ProductOutcome};

/// The chair's console: members × products, totals, flags and results so far.
#[server(endpoint = "council/console")]
pub async fn council_console(round_id: String) -> Result<Vec<ConsoleRow>, AppError> {
    with_status(crate::service::council::console::console(round_id).await)
}

/// For each upgrade or re-evaluation product of the round: the result it
/// follows (the chair's console shows it beside the new sheets).
#[server(endpoint = "council/previous_results")]
pub async fn council_previous(
    round_id: String,
) -> Result<Vec<(String, crate::domain::previous_result::PreviousResult)>, AppError> {
    with_status(crate::service::previous::of_round(round_id).await)
}

/// The chair turns a written-opinion round into a meeting, with the reason
/// (opinions differ widely, or the content is complex): once, before the seal.
#[server(endpoint = "council/ask_meeting")]
pub async fn ask_meeting(round_id: String, reason: String) -> Result<(), AppError> {
    with_status(crate::service::council::sitting::ask_meeting(round_id, reason).await)
}

/// The chair asks a member to score a product again, with a reason. The earlier
/// version stays in the round's chain; the member's tablet takes new answers.
#[server(endpoint = "council/request_rescore")]
pub async fn request_rescore(#[server(flatten)] asked: RescoreAsked) -> Result<(), AppError> {
    with_status(crate::service::council::rescore::request_rescore(asked).await)
}

/// The chair asks a member to score a product again, and says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescoreAsked {
    pub round_id: String,
    pub member_id: String,
    pub product_id: String,
    pub reason: String,
}

/// The chair confirms (the product is disqualified) or dismisses a knock-out a
/// member flagged on a product's criterion, before the round is sealed.
#[server(endpoint = "council/decide_knockout")]
pub async fn decide_knockout(
    #[server(flatten)] decision: KnockoutDecision,
) -> Result<(), AppError> {
    with_status(crate::service::council::rescore::decide_knockout(decision).await)
}

/// The chair confirms (or dismisses) a knock-out criterion flagged for a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnockoutDecision {
    pub round_id: String,
    pub product_id: String,
    pub criterion: String,
    #[serde(deserialize_with = "crate::wire::number")]
    pub confirmed: bool,
}

/// What became of a keyed paper sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperOutcome {
    /// The first keying: the sheet counts once another official keys the same.
    Waiting,
    /// Both keyings agree: the member's sheet is handed in with this total.
    Counted { total: u32 },
}

/// The paper fallback: an official of the round's province keys in a member's
/// paper sheet (criterion → option). It counts only when a second official's
/// keying agrees; when they differ, the answer names the criteria.
#[server(endpoint = "council/key_paper_sheet", input = leptos::server_fn::codec::Json)]
pub async fn key_paper_sheet(
    #[server(flatten)] sheet: PaperKeyed,
) -> Result<PaperOutcome, AppError> {
    with_status(crate::service::council::paper::key_paper_sheet(sheet).await)
}

/// A member's paper sheet as the office types it: an option index (or none) per
/// criterion code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperKeyed {
    pub round_id: String,
    pub member_id: String,
    pub product_id: String,
    pub answers: std::collections::BTreeMap<String, Option<u16>>,
}
