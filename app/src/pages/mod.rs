pub mod account;
pub mod admin;
pub mod admin_audit;
mod admin_council;
pub mod admin_users;
#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod catalogue_place;
pub mod certificates;
pub mod chair;
mod chair_sitting;
pub mod commune;
pub mod commune_register;
mod conflict;
pub mod decision;
pub mod desk;
pub mod dossier;
pub mod home;
mod inspection;
mod inspection_queue;
pub mod not_found;
pub mod office;
pub mod office_round;
pub mod paper;
pub mod plan;
pub mod producer;
pub mod promotion;
pub mod report_form;
pub mod result;
pub mod returned;
mod role_page;
pub mod rules_browser;
pub mod self_report;
pub mod sign_up;
pub mod tablet;
pub mod try_it;
pub mod uploader;
pub mod verify;

use crate::error::AppError;
use crate::rules::{load_index, load_product_set, RuleIndex, CURRENT_RULE_SET};
use leptos::prelude::*;
use sao_scoring::{Profile, Scorecard};
use std::sync::Arc;

type IndexResource = Resource<Result<RuleIndex, AppError>>;
type ScorecardResource = Resource<Result<Option<Scorecard>, AppError>>;

/// A product's scorecard and its rule set's workflow profile: what the
/// scorecard view needs (the dossier, the tablet, paper keying).
pub(crate) async fn scorecard_of(
    rule_set: &str,
    product_set: u32,
) -> Result<(Arc<Scorecard>, Arc<Profile>), AppError> {
    let index = load_index(rule_set).await?;
    let set = load_product_set(rule_set, product_set).await?;
    Ok((Arc::new(set), Arc::new(index.profile)))
}

/// The rule set's index and the product set chosen by `?bo=N` (None without one),
/// shared by the pages that browse or try a scorecard.
pub(crate) fn product_set_resources() -> (IndexResource, ScorecardResource) {
    let query = leptos_router::hooks::use_query_map();
    let selected = move || query.with(|q| q.get("bo").and_then(|n| n.parse::<u32>().ok()));
    let index = Resource::new(|| (), |_| load_index(CURRENT_RULE_SET));
    let scorecard = Resource::new(selected, |number| async move {
        match number {
            Some(n) => load_product_set(CURRENT_RULE_SET, n).await.map(Some),
            None => Ok(None),
        }
    });
    (index, scorecard)
}
