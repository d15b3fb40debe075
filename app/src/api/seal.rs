//! The chair's seal: the chair acknowledges each flag of the model, decides
//! each flagged knock-out, then seals; the results are computed once inside the
//! seal's transaction, stored with a digest that covers the chain of sheets and
//! the results, and never recomputed (`verify` only checks them).
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::with_status;

/// The chair acknowledges one flag of a product (with its value, as the console
/// shows it): the acknowledgement is recorded and printed in the minutes.
#[server(endpoint = "council/acknowledge_flag")]
pub async fn acknowledge_flag(#[server(flatten)] ack: FlagAcknowledged) -> Result<(), AppError> {
    with_status(crate::service::seal::acknowledge_flag(ack).await)
}

/// The chair has seen a product's flag (`flag`: its code) before the seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagAcknowledged {
    pub round_id: String,
    pub product_id: String,
    pub flag: String,
}

/// What the seal wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub seal_digest: String,
    pub products: usize,
}

/// The chair seals a deliberating round: refused while a flag is open or a
/// knock-out undecided; the results are stored once with the seal's digest.
#[server(endpoint = "council/seal")]
pub async fn seal_round(round_id: String) -> Result<Sealed, AppError> {
    with_status(crate::service::seal::seal_round(round_id).await)
}

/// Where a round stands for its console: its state, whether the signed-in user
/// chairs it (only the chair seals), and the seal's digest once sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundStanding {
    pub state: crate::domain::round::RoundState,
    pub is_chair: bool,
    pub seal_digest: Option<String>,
    pub sitting: crate::domain::sitting::Sitting,
    pub meeting_asked: Option<crate::domain::sitting::MeetingAsked>,
}

#[server(endpoint = "council/round_status")]
pub async fn round_status(round_id: String) -> Result<RoundStanding, AppError> {
    with_status(crate::service::seal::round_status(round_id).await)
}
