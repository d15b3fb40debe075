//! The built site: where it is, how its files are cached, and the service worker over it.
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::path::{Path, PathBuf};

/// Finds the site built by cargo-leptos: the flag, then beside the binary, then the workspace.
pub fn resolve_root(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let mut candidates = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        candidates.push(exe_dir.join("site"));
        candidates.push(exe_dir.join("../site"));
    }
    candidates.push(PathBuf::from("target/site"));
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/site"
    )));
    candidates
        .into_iter()
        .find(|dir| dir.join("pkg").is_dir())
        .and_then(|dir| dir.canonicalize().ok())
}

/// The hash file cargo-leptos writes beside the binary when `hash-files` is on.
pub fn hash_file() -> Option<PathBuf> {
    let exe_dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let path = exe_dir.join("hash.txt");
    path.is_file().then_some(path)
}

/// Hashed names (`sao.<hash>.wasm`) never change content: cache them for a year.
/// Everything else is revalidated, so a new release reaches phones at once.
pub async fn cache_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    // The same URL answers br, gzip or plain bytes: shared caches must key on the encoding.
    headers
        .entry(header::VARY)
        .or_insert(HeaderValue::from_static("accept-encoding"));
    response
}

fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    // cargo-leptos names: <output>.<hash>.<ext>; the hash is long and has no dots.
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1].len() >= 16
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The shell a phone or tablet keeps at once for offline use: the home page,
/// the manifest, the first load's files (`sao.*`: script, WASM, style) and the
/// icons. The split chunks of each role are not in it: the worker keeps them
/// when a page loads them.
pub fn precache_list(site_root: &Path) -> Vec<String> {
    let mut urls = vec!["/".to_string(), "/manifest.webmanifest".to_string()];
    let mut push_dir = |dir: &str, shell: fn(&str) -> bool| {
        if let Ok(entries) = std::fs::read_dir(site_root.join(dir)) {
            let mut names: Vec<String> = entries
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry.path().is_file())
                .filter_map(|entry| entry.file_name().into_string().ok())
                // Compressed twins are served in place of these; type declarations never ship to browsers.
                .filter(|name| ![".br", ".gz", ".ts"].iter().any(|ext| name.ends_with(ext)))
                .filter(|name| shell(name))
                .collect();
            names.sort();
            urls.extend(names.into_iter().map(|name| format!("/{dir}/{name}")));
        }
    };
    // `__wasm_split*`: the loader the first load's script imports for the chunks.
    push_dir("pkg", |name| {
        name.starts_with("sao.") || name.starts_with("__wasm_split")
    });
    push_dir("icons", |_| true);
    urls
}

/// The service worker as served: its precache list is read from the site at
/// each request, so a site replaced under a running server (an upgrade) is
/// listed as it is now, never with files that are gone.
#[derive(Clone)]
pub struct ServiceWorker {
    site_root: Option<std::sync::Arc<Path>>,
}

impl ServiceWorker {
    pub fn new(site_root: Option<&Path>) -> ServiceWorker {
        ServiceWorker {
            site_root: site_root.map(std::sync::Arc::from),
        }
    }

    pub fn script(&self) -> String {
        service_worker_script(
            &self
                .site_root
                .as_deref()
                .map(precache_list)
                .unwrap_or_default(),
        )
    }
}

/// The service worker script: precaches `urls` under a cache named after their list.
pub fn service_worker_script(urls: &[String]) -> String {
    let list = serde_json::to_string(urls).unwrap_or_else(|_| "[]".into());
    let version = fnv1a(list.as_bytes());
    format!(
        "const CACHE = 'sao-{version:016x}';\nconst PRECACHE = {list};\n{}",
        include_str!("sw.js")
    )
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset("/pkg/sao.Xy12AbCdEfGhIjKlMn.wasm"));
        assert!(!is_hashed_asset("/pkg/sao.wasm"));
        assert!(!is_hashed_asset("/pkg/sao_bg.wasm"));
        assert!(!is_hashed_asset("/icons/icon.Xy12AbCdEfGhIjKlMn.png"));
    }

    #[test]
    fn service_worker_version_follows_the_asset_list() {
        let a = service_worker_script(&["/pkg/a.js".into()]);
        let b = service_worker_script(&["/pkg/b.js".into()]);
        assert_ne!(a.lines().next(), b.lines().next());
        assert!(a.contains("\"/pkg/a.js\""));
    }
}
