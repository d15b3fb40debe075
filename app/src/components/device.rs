//! What a shared device keeps of its user, and how log-out leaves it: the page's
//! local storage (`sao.*` keys) and the service worker's copies of signed-in pages,
//! evidence files and PDFs are cleared. A council member's unsent changes are never
//! dropped silently: log-out refuses while they wait, unless the member keeps them
//! on the device for their own next sign-in (under a key of their own). An
//! inspector's inspections recorded offline are unsent work alike.

/// Inspections recorded on this device and not yet taken by the server.
pub const INSPECTIONS_WAITING: &str = "sao.inspections.waiting";

/// The device's keys that hold a user's unsent work (the first two: what waits).
pub const COUNCIL_WORK: [&str; 5] = [
    "sao.council.waiting",
    INSPECTIONS_WAITING,
    "sao.council.changes",
    "sao.council.device",
    "sao.council.clock",
];

/// Where a member's kept work waits for their next sign-in.
pub fn kept_key(user_id: &str, key: &str) -> String {
    format!("sao.kept.{user_id}.{key}")
}

/// What happens to one stored key at log-out: kept for this user, left (another
/// user's kept work), or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtLogOut {
    MoveTo(String),
    Leave,
    Remove,
}

/// The pure rule behind `clear_at_log_out`.
pub fn at_log_out(key: &str, user_id: &str, keep_work: bool) -> AtLogOut {
    if !key.starts_with("sao.") || key.starts_with("sao.kept.") {
        AtLogOut::Leave
    } else if keep_work && COUNCIL_WORK.contains(&key) {
        AtLogOut::MoveTo(kept_key(user_id, key))
    } else {
        AtLogOut::Remove
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn keys(storage: &web_sys::Storage) -> Vec<String> {
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect()
    }

    /// Council changes and inspections on this device not yet acknowledged by
    /// the server.
    pub fn waiting_changes() -> usize {
        COUNCIL_WORK[..2]
            .iter()
            .filter_map(|key| storage().and_then(|s| s.get_item(key).ok().flatten()))
            .filter_map(|text| serde_json::from_str::<Vec<serde_json::Value>>(&text).ok())
            .map(|list| list.len())
            .sum()
    }

    /// Clears this device of `user_id` (see the module's text) and asks the service
    /// worker to drop its copies of signed-in content.
    pub fn clear_at_log_out(user_id: &str, keep_work: bool) {
        if let Some(storage) = storage() {
            for key in keys(&storage) {
                match at_log_out(&key, user_id, keep_work) {
                    AtLogOut::Leave => {}
                    AtLogOut::Remove => {
                        let _ = storage.remove_item(&key);
                    }
                    AtLogOut::MoveTo(kept) => {
                        if let Ok(Some(value)) = storage.get_item(&key) {
                            let _ = storage.set_item(&kept, &value);
                        }
                        let _ = storage.remove_item(&key);
                    }
                }
            }
        }
        if let Some(worker) = web_sys::window()
            .map(|w| w.navigator().service_worker())
            .and_then(|container| container.controller())
        {
            let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("sao-log-out"));
        }
    }

    /// Puts back the work `user_id` kept on this device at an earlier log-out.
    pub fn restore_kept(user_id: &str) {
        let Some(storage) = storage() else {
            return;
        };
        for key in COUNCIL_WORK {
            let kept = kept_key(user_id, key);
            if let Ok(Some(value)) = storage.get_item(&kept) {
                let _ = storage.set_item(key, &value);
                let _ = storage.remove_item(&kept);
            }
        }
    }
}

#[cfg(feature = "hydrate")]
pub use browser::*;

#[cfg(not(feature = "hydrate"))]
pub fn waiting_changes() -> usize {
    0
}

#[cfg(not(feature = "hydrate"))]
pub fn clear_at_log_out(_user_id: &str, _keep_work: bool) {}

#[cfg(not(feature = "hydrate"))]
pub fn restore_kept(_user_id: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_out_removes_the_users_data_and_keeps_only_confirmed_council_work() {
        assert_eq!(
            at_log_out("sao.council.products", "a", true),
            AtLogOut::Remove
        );
        assert_eq!(at_log_out("sao.draft.p1", "a", true), AtLogOut::Remove);
        assert_eq!(
            at_log_out("sao.council.waiting", "a", false),
            AtLogOut::Remove
        );
        assert_eq!(
            at_log_out("sao.council.waiting", "a", true),
            AtLogOut::MoveTo("sao.kept.a.sao.council.waiting".into())
        );
        assert_eq!(
            at_log_out("sao.kept.b.sao.council.waiting", "a", false),
            AtLogOut::Leave
        );
        assert_eq!(at_log_out("other-site-key", "a", false), AtLogOut::Leave);
    }
}
