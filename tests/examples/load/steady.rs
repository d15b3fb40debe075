//! The steady modes of `load`: a closed loop (capacity) and an open loop of
//! Poisson arrivals (latency), each tablet editing its sheet in batches of
//! answers for a fixed time; the durable-commit baseline; the server's memory.
use app::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One signed-in tablet: its member, its HTTP client with the session cookie,
/// and its own change counter (stamps only move forward on a device).
pub struct Tablet {
    pub http: reqwest::Client,
    pub member_id: String,
    pub seq: AtomicU64,
}

/// What every request needs.
#[derive(Clone)]
pub struct Target {
    pub base: String,
    pub product: String,
    pub codes: Arc<Vec<String>>,
    pub batch: usize,
}

/// One answered request: when it ended (from the start), how long it took
/// (from when it was due, for the open loop), and whether it was a 200.
#[derive(Clone, Copy)]
pub struct Sample {
    pub ended: Duration,
    pub latency: Duration,
    pub ok: bool,
}

/// The next `batch` answers of this tablet, stamped after its last change.
fn next_batch(tablet: &Tablet, target: &Target) -> Vec<SheetChange> {
    (0..target.batch)
        .map(|_| {
            let seq = tablet.seq.fetch_add(1, Ordering::SeqCst) + 1;
            let code = &target.codes[seq as usize % target.codes.len()];
            SheetChange {
                change_id: format!("{}-{seq}", tablet.member_id),
                member_id: tablet.member_id.clone(),
                product_id: target.product.clone(),
                stamp: Stamp {
                    // Past every earlier stamp of this device.
                    device_ms: app::db::now_ms() + seq as i64,
                    device_id: tablet.member_id.clone(),
                    seq,
                },
                edit: SheetEdit::Answer {
                    criterion: sao_scoring::CriterionCode::parse(code).expect("a criterion code"),
                    option: Some((seq % 2) as u16),
                },
            }
        })
        .collect()
}

async fn send(tablet: &Tablet, target: &Target) -> bool {
    let changes = next_batch(tablet, target);
    let answer = tablet
        .http
        .post(format!("{}/api/council/sync", target.base))
        .header("origin", &target.base)
        .json(&json!({ "changes": changes }))
        .send()
        .await;
    match answer {
        Ok(response) if response.status() == 200 => {
            // Every change kept (none refused): the loop measures real writes.
            let receipt: serde_json::Value = response.json().await.unwrap_or_default();
            receipt["refused"].as_array().is_some_and(Vec::is_empty)
                && receipt["stored"].as_array().map(Vec::len) == Some(target.batch)
        }
        _ => false,
    }
}

/// Closed loop: every tablet sends its next batch as soon as the last is answered.
pub async fn closed(tablets: Vec<Arc<Tablet>>, target: Target, length: Duration) -> Vec<Sample> {
    let began = Instant::now();
    let runs = tablets.into_iter().map(|tablet| {
        let target = target.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while began.elapsed() < length {
                let sent = Instant::now();
                let ok = send(&tablet, &target).await;
                samples.push(Sample {
                    ended: began.elapsed(),
                    latency: sent.elapsed(),
                    ok,
                });
            }
            samples
        })
    });
    let mut all = Vec::new();
    for run in futures::future::join_all(runs).await {
        all.extend(run.unwrap_or_default());
    }
    all
}

/// Open loop: batches arrive at `rate` a second in all (exponential gaps), each
/// from a tablet drawn at random, whether or not earlier ones were answered;
/// latency counts from when the batch was due, so a slow server cannot hide it.
pub async fn open(
    tablets: Vec<Arc<Tablet>>,
    target: Target,
    length: Duration,
    rate: f64,
) -> Vec<Sample> {
    let began = Instant::now();
    let mut random =
        sao_scoring::corpus::Rng::new(0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id()));
    let mut due = Duration::ZERO;
    let mut runs = Vec::new();
    while due < length {
        due += Duration::from_secs_f64(-random.unit().ln() / rate);
        let tablet = Arc::clone(&tablets[random.draw() as usize % tablets.len()]);
        let target = target.clone();
        let wait = due.saturating_sub(began.elapsed());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        runs.push(tokio::spawn(async move {
            let ok = send(&tablet, &target).await;
            let ended = began.elapsed();
            Sample {
                ended,
                latency: ended.saturating_sub(due),
                ok,
            }
        }));
    }
    let mut all = Vec::new();
    for run in runs {
        if let Ok(sample) = run.await {
            all.push(sample);
        }
    }
    all
}

/// Durable one-row commits a second on this engine and this disk, with the
/// server's own connection settings (`Db::connect`), one after another.
pub async fn durable_commits(url: &str, length: Duration) -> Result<f64, super::common::Failure> {
    let db = app::db::Db::connect(url).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS load_baseline (n BIGINT NOT NULL)")
        .execute(db.pool())
        .await?;
    let began = Instant::now();
    let mut commits = 0_i64;
    while began.elapsed() < length {
        let mut tx = db.begin().await?;
        sqlx::query("INSERT INTO load_baseline (n) VALUES ($1)")
            .bind(commits)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        commits += 1;
    }
    let rate = commits as f64 / began.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE load_baseline")
        .execute(db.pool())
        .await?;
    db.close().await;
    Ok(rate)
}

/// The resident memory of process `pid`, in MB (from /proc).
pub fn rss_mb(pid: u32) -> f64 {
    sao_tests::rss_kb(pid) as f64 / 1024.0
}

/// Samples `pid`'s RSS every 100 ms until dropped; the highest seen.
pub struct RssWatch {
    highest: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssWatch {
    pub fn start(pid: u32) -> RssWatch {
        let highest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&highest);
        let task = tokio::spawn(async move {
            loop {
                seen.fetch_max(sao_tests::rss_kb(pid), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        RssWatch { highest, task }
    }

    pub fn stop(self) -> f64 {
        self.task.abort();
        self.highest.load(Ordering::SeqCst) as f64 / 1024.0
    }
}

/// The `q` quantile of `sorted` latencies in ms (nearest rank; 0 when empty).
pub fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Prints what a steady run did: requests/s, errors, latency percentiles, and
/// the rate in its first and last 5 s.
pub fn report(label: &str, samples: &[Sample], length: Duration) -> (f64, usize) {
    let errors = samples.iter().filter(|s| !s.ok).count();
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    latencies.sort();
    let at = |q: f64| percentile_ms(&latencies, q);
    let window = Duration::from_secs(5);
    let first = samples.iter().filter(|s| s.ended <= window).count() as f64 / 5.0;
    let last = samples
        .iter()
        .filter(|s| s.ended > length.saturating_sub(window) && s.ended <= length)
        .count() as f64
        / 5.0;
    let rate = samples.len() as f64 / length.as_secs_f64();
    println!(
        "{label}: {} requests in {:.0} s, {errors} errors, {rate:.0} requests/s (first 5 s {first:.0}/s, last 5 s {last:.0}/s, last/first {:.2})",
        samples.len(),
        length.as_secs_f64(),
        if first > 0.0 { last / first } else { 0.0 }
    );
    println!(
        "{label} latency ms: p50 {:.1}, p99 {:.1}, p99.9 {:.1}, max {:.1}",
        at(0.50),
        at(0.99),
        at(0.999),
        at(1.0)
    );
    (rate, errors)
}
