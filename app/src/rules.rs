//! Rule data for pages: fetched by the browser as plain GETs of `/rules/…`
//! (cacheable by the service worker for offline use), read directly on the server.
use crate::error::AppError;
use sao_scoring::Scorecard;

/// The rule set in force for new dossiers.
pub const CURRENT_RULE_SET: &str = "qd-26-2026";

pub use crate::domain::rules_index::{ProductSetSummary, RuleIndex};

pub fn index_url(rule_set: &str) -> String {
    format!("/rules/{rule_set}/index.json")
}

pub fn product_set_url(rule_set: &str, number: u32) -> String {
    format!("/rules/{rule_set}/set-{number:02}.json")
}

pub async fn load_index(rule_set: &str) -> Result<RuleIndex, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::rules_catalog::index(rule_set)
            .ok_or(AppError::NotFound(crate::error::Thing::RuleSet))
    }
    #[cfg(not(feature = "ssr"))]
    {
        fetch_json(&index_url(rule_set)).await
    }
}

pub async fn load_product_set(rule_set: &str, number: u32) -> Result<Scorecard, AppError> {
    #[cfg(feature = "ssr")]
    {
        let missing = || AppError::NotFound(crate::error::Thing::ProductSet);
        let rule_sets = crate::rules_catalog::loaded()
            .as_ref()
            .map_err(|_| missing())?;
        let set = rule_sets
            .iter()
            .find(|r| r.id.as_str() == rule_set)
            .ok_or_else(missing)?;
        let number = sao_scoring::ProductSetNumber::new(number).map_err(|_| missing())?;
        set.product_set(number).cloned().ok_or_else(missing)
    }
    #[cfg(not(feature = "ssr"))]
    {
        fetch_json(&product_set_url(rule_set, number)).await
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
async fn fetch_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, AppError> {
    // Browser futures are not Send; the browser has one thread, so wrapping is sound.
    let url = url.to_string();
    send_wrapper::SendWrapper::new(async move {
        let response = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(|e| AppError::Transport(e.to_string()))?;
        if response.status() == 404 {
            return Err(AppError::NotFound(crate::error::Thing::RuleSet));
        }
        response
            .json()
            .await
            .map_err(|e| AppError::Transport(e.to_string()))
    })
    .await
}

/// Neither server nor browser (a plain native build of the frontend crate): nothing to fetch with.
#[cfg(not(any(feature = "hydrate", feature = "ssr")))]
async fn fetch_json<T>(url: &str) -> Result<T, AppError> {
    Err(AppError::Transport(format!(
        "no HTTP client in this build for {url}"
    )))
}
