//! What a page reads from its address: the `{id}` in its path, a value of its query.
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `{id}` of the page's path, following the path as it changes.
pub fn path_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()))
}

/// The `{id}` of the page's path as it is now (for a page that never changes it).
pub fn path_id_now() -> String {
    use_params_map().with_untracked(|p| p.get("id").unwrap_or_default())
}

/// The value of `?name=` in the page's address; empty when there is none.
pub fn query_value(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get(name).unwrap_or_default()))
}
