//! Printed documents rendered once per content: a PDF is kept under the SHA-256 of
//! its template and data, so asking again (a refresh, a second official) costs a
//! lookup. Rendering waits its turn (one at a time) for a bounded time and is
//! itself bounded in time; past either, the request gets 503 with Retry-After.
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// PDFs kept (the oldest go first) and their total size at most.
const KEEP: usize = 64;
const KEEP_BYTES: usize = 32 * 1024 * 1024;
/// The longest a request waits for its turn, and the longest one layout may take.
pub const WAIT: Duration = Duration::from_secs(10);
pub const LIMIT: Duration = Duration::from_secs(20);

#[derive(Default)]
struct Kept {
    pdfs: HashMap<String, Arc<Vec<u8>>>,
    order: VecDeque<String>,
    bytes: usize,
}

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Default::default)
}

fn turn() -> &'static Semaphore {
    static TURN: Semaphore = Semaphore::const_new(1);
    &TURN
}

/// Why no PDF came back.
#[derive(Debug)]
pub enum RenderError {
    /// Waited too long for a turn, or the layout ran past its limit.
    Busy,
    Failed(String),
}

/// The key of a document: SHA-256 of its template and its data.
pub fn digest(template: &str, data: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update((template.len() as u64).to_le_bytes());
    hasher.update(template.as_bytes());
    hasher.update(data);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn lookup(key: &str) -> Option<Arc<Vec<u8>>> {
    let kept = kept()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    kept.pdfs.get(key).cloned()
}

fn keep(key: String, pdf: Arc<Vec<u8>>) {
    let mut kept = kept()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if kept.pdfs.contains_key(&key) || pdf.len() > KEEP_BYTES {
        return;
    }
    kept.bytes += pdf.len();
    kept.order.push_back(key.clone());
    kept.pdfs.insert(key, pdf);
    while kept.order.len() > KEEP || kept.bytes > KEEP_BYTES {
        let Some(oldest) = kept.order.pop_front() else {
            break;
        };
        if let Some(gone) = kept.pdfs.remove(&oldest) {
            kept.bytes -= gone.len();
        }
    }
}

/// The PDF of `template` with `data`: from the cache, or laid out by `render`
/// (off the async threads, one at a time, within `LIMIT`).
pub async fn pdf(
    template: &'static str,
    data: Vec<u8>,
    render: fn(&str, &[u8]) -> Result<Vec<u8>, String>,
) -> Result<Arc<Vec<u8>>, RenderError> {
    let key = digest(template, &data);
    if let Some(pdf) = lookup(&key) {
        return Ok(pdf);
    }
    let permit = tokio::time::timeout(WAIT, turn().acquire())
        .await
        .map_err(|_| RenderError::Busy)?
        .map_err(|_| RenderError::Busy)?;
    // Someone may have rendered it while this request waited.
    if let Some(pdf) = lookup(&key) {
        return Ok(pdf);
    }
    // The permit goes with the work: a layout past its limit keeps the turn until
    // it ends, so late requests wait (and are refused) instead of piling up.
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        render(template, &data)
    });
    match tokio::time::timeout(LIMIT, work).await {
        Err(_) => Err(RenderError::Busy),
        Ok(Err(error)) => Err(RenderError::Failed(error.to_string())),
        Ok(Ok(Err(message))) => Err(RenderError::Failed(message)),
        Ok(Ok(Ok(pdf))) => {
            let pdf = Arc::new(pdf);
            keep(key, pdf.clone());
            Ok(pdf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow(_: &str, data: &[u8]) -> Result<Vec<u8>, String> {
        std::thread::sleep(Duration::from_millis(50));
        Ok(data.to_vec())
    }

    #[tokio::test]
    async fn the_same_content_is_rendered_once() {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        fn counted(template: &str, data: &[u8]) -> Result<Vec<u8>, String> {
            CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            slow(template, data)
        }
        let data = br#"{"cache-test": 1}"#.to_vec();
        let first = pdf("T", data.clone(), counted).await.expect("pdf");
        let second = pdf("T", data, counted).await.expect("pdf");
        assert_eq!(first, second);
        assert_eq!(CALLS.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_ne!(digest("T", b"a"), digest("T", b"b"));
        assert_ne!(digest("Ta", b""), digest("T", b"a"));
    }
}
