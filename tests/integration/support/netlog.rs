//! Chromium's own network log (`--log-net-log`): every byte the browser
//! received from the server under test, the service worker's fetches included
//! (they go through the same network service), with the URLs it asked for.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What one visit downloaded from one origin.
#[derive(Debug, Default)]
pub(crate) struct Downloaded {
    /// Bytes received on the sockets to the server: bodies as sent (brotli,
    /// gzip or plain), headers included.
    pub(crate) wire_bytes: u64,
    /// Each URL asked for (path and query), with its decoded body size;
    /// a URL asked for twice (e.g. by the page and by the worker) is summed.
    pub(crate) urls: BTreeMap<String, u64>,
}

/// Reads the log Chromium wrote at `path` (complete once the browser quit;
/// an unfinished tail is tolerated) and keeps what concerns `origin`
/// (`http://127.0.0.1:PORT`).
pub(crate) fn downloaded_from(path: &Path, origin: &str) -> Downloaded {
    let text = std::fs::read_to_string(path).expect("the network log");
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the network log is JSON");
    let types: BTreeMap<u64, String> = log["constants"]["logEventTypes"]
        .as_object()
        .expect("event types")
        .iter()
        .filter_map(|(name, id)| Some((id.as_u64()?, name.clone())))
        .collect();
    let host = origin.trim_start_matches("http://");
    let events = log["events"].as_array().expect("events");
    let kind = |e: &serde_json::Value| {
        e["type"]
            .as_u64()
            .and_then(|t| types.get(&t))
            .map_or("", String::as_str)
            .to_string()
    };
    // The sockets connected to the server: any event of theirs names its address.
    let sockets: BTreeSet<u64> = events
        .iter()
        .filter(|e| kind(e).starts_with("TCP_CONNECT") || kind(e) == "SOCKET_ALIVE")
        .filter(|e| e["params"].to_string().contains(host))
        .filter_map(|e| e["source"]["id"].as_u64())
        .collect();
    let mut found = Downloaded::default();
    let mut url_of: BTreeMap<u64, String> = BTreeMap::new();
    for event in events {
        let source = event["source"]["id"].as_u64().unwrap_or(u64::MAX);
        match kind(event).as_str() {
            "SOCKET_BYTES_RECEIVED" if sockets.contains(&source) => {
                found.wire_bytes += event["params"]["byte_count"].as_u64().unwrap_or(0);
            }
            "URL_REQUEST_START_JOB" => {
                if let Some(url) = event["params"]["url"].as_str() {
                    if let Some(path) = url.strip_prefix(origin) {
                        url_of.insert(source, path.to_string());
                        found.urls.entry(path.to_string()).or_insert(0);
                    }
                }
            }
            "URL_REQUEST_JOB_FILTERED_BYTES_READ" => {
                if let Some(path) = url_of.get(&source) {
                    *found.urls.entry(path.clone()).or_insert(0) +=
                        event["params"]["byte_count"].as_u64().unwrap_or(0);
                }
            }
            _ => {}
        }
    }
    found
}
