//! Results returned from the level above (issue 16): the province's office
//! decides on each (Điều 7.4g; the seed's district on the province's "< 70").
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::decision::DecisionOutcome;

/// A product a higher round returned to a level of the office's province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returned {
    pub from_round_id: String,
    pub from_round_name: String,
    pub product_id: String,
    pub product_name: String,
    /// The mean the round above stored at its seal.
    pub mean: String,
    /// The level deciding now (`province` or `district`).
    pub level: String,
    /// What that level's own rule makes of the stored result.
    pub proposed: DecisionOutcome,
    pub decided: Option<ReturnDecided>,
}

/// The level's recorded decision on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDecided {
    pub number: String,
    pub signed_on: String,
    pub certificate_code: Option<String>,
}

#[server(endpoint = "office/returned")]
pub async fn returned_products() -> Result<Vec<Returned>, AppError> {
    crate::error::with_status(crate::service::returns::list().await)
}

/// Records the signed decision on a returned product: a recognised one gets
/// its certificate; its producers and commune get an SMS.
#[server(endpoint = "office/record_return")]
pub async fn record_return(#[server(flatten)] signed: SignedReturn) -> Result<(), AppError> {
    crate::error::with_status(crate::service::returns::record(signed).await)
}

/// The office's signed decision on a product a higher round returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReturn {
    pub from_round_id: String,
    pub product_id: String,
    #[serde(flatten)]
    pub signed: crate::domain::decision::SignedText,
}
