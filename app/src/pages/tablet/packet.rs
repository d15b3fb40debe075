//! The session packet: the member's products and their dossiers, fetched when
//! online and kept on the tablet (written after hydration too, when the server
//! rendered them) so the pages open with the network off.
use super::*;
use crate::api::council::{council_dossier, council_products};
use crate::error::AppError;

#[cfg(feature = "hydrate")]
const PRODUCTS: &str = "sao.council.products";
#[cfg(feature = "hydrate")]
const DOSSIER: &str = "sao.council.dossier.";

#[cfg(feature = "hydrate")]
use crate::components::local::{read as stored, write as store};

/// Whether the member's packet is still on the tablet (a log-out removes it).
#[cfg(feature = "hydrate")]
fn signed_in_here() -> bool {
    stored::<serde_json::Value>(PRODUCTS).is_some()
}

/// The member's products: the server's list, or the tablet's copy offline.
pub async fn products() -> Result<Vec<MemberProduct>, AppError> {
    match council_products().await {
        Ok(list) => {
            keep_products(&list);
            Ok(list)
        }
        Err(error) => {
            #[cfg(feature = "hydrate")]
            if let Some(list) = stored(PRODUCTS) {
                return Ok(list);
            }
            Err(error)
        }
    }
}

/// Keeps the list on the tablet (a no-op on the server).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn keep_products(list: &[MemberProduct]) {
    #[cfg(feature = "hydrate")]
    store(PRODUCTS, &list);
}

/// Keeps one product in the tablet's list (replacing its older copy).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn keep_product(mine: &MemberProduct) {
    #[cfg(feature = "hydrate")]
    {
        let mut list: Vec<MemberProduct> = stored(PRODUCTS).unwrap_or_default();
        list.retain(|p| p.product_id != mine.product_id || p.member_id != mine.member_id);
        list.push(mine.clone());
        store(PRODUCTS, &list);
    }
}

/// The dossier, and whether it came from the server (false: the tablet's copy;
/// None when neither has it).
pub async fn dossier(product_id: &str) -> (Option<MemberDossier>, bool) {
    match council_dossier(product_id.to_string()).await {
        Ok(found) => (Some(found), true),
        Err(_) => {
            #[cfg(feature = "hydrate")]
            if let Some(found) = stored(&format!("{DOSSIER}{product_id}")) {
                return (Some(found), false);
            }
            (None, false)
        }
    }
}

/// Fetches, for each product, what its sheet needs offline: the page (kept
/// by the service worker), the scorecard (likewise) and the dossier with its
/// files (`keep_dossier`). A no-op on the server; failures wait for next time.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn download(list: Vec<MemberProduct>) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        for mine in list {
            // A log-out clears the list: a download still under way stops, so
            // nothing of this member is fetched into the cache after it.
            if !signed_in_here() {
                return;
            }
            let page = format!("/cham-diem/{}", mine.product_id);
            let _ = gloo_net::http::Request::get(&page).send().await;
            let _ = super::super::scorecard_of(&mine.rule_set, mine.product_set).await;
            if let (Some(found), true) = dossier(&mine.product_id).await {
                if signed_in_here() {
                    keep_dossier(&found);
                }
            }
        }
    });
}

/// Keeps the dossier on the tablet and fetches its files once through the
/// service worker, which keeps a copy for offline reading.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn keep_dossier(dossier: &MemberDossier) {
    #[cfg(feature = "hydrate")]
    {
        store(&format!("{DOSSIER}{}", dossier.product_id), dossier);
        let paths: Vec<String> = dossier
            .documents
            .iter()
            .map(|d| d.path.clone())
            .chain(dossier.commune_report_path.clone())
            .collect();
        leptos::task::spawn_local(async move {
            for path in paths {
                if !signed_in_here() {
                    return;
                }
                let _ = gloo_net::http::Request::get(&path).send().await;
            }
        });
    }
}
