//! Requests timed one after another, as one person's browser sends them:
//! p50 / p99 / max by nearest rank, the bytes each answer put on the wire, and
//! a target met or missed (decided in whole microseconds).
use super::common::Failure;
use std::time::{Duration, Instant};

/// What Chromium says it accepts: pages (and PDFs) come back compressed.
pub const ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Answers timed: their durations, sorted, and the bytes of the last one.
pub struct Timed {
    pub sorted: Vec<Duration>,
    pub bytes: usize,
}

/// One request, which must answer 200: how long it took and its body as sent.
pub async fn once(request: reqwest::RequestBuilder) -> Result<(Duration, Vec<u8>), Failure> {
    let asked = Instant::now();
    let response = request.header("accept-encoding", ENCODINGS).send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    let took = asked.elapsed();
    if status != 200 {
        return Err(format!("answered {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    Ok((took, body.to_vec()))
}

/// `count` requests made by `request`, one after another.
pub async fn sequential(
    count: usize,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Timed, Failure> {
    let mut sorted = Vec::with_capacity(count);
    let mut bytes = 0;
    for _ in 0..count {
        let (took, body) = once(request()).await?;
        sorted.push(took);
        bytes = body.len();
    }
    sorted.sort();
    Ok(Timed { sorted, bytes })
}

/// The body of one uncompressed answer; refused unless it is 200 and holds `expected`.
pub async fn holding(
    request: reqwest::RequestBuilder,
    expected: &[u8],
) -> Result<Vec<u8>, Failure> {
    let response = request.send().await?;
    let status = response.status();
    let body = response.bytes().await?.to_vec();
    let found = body.windows(expected.len().max(1)).any(|w| w == expected);
    if status != 200 || !found {
        let start = String::from_utf8_lossy(&body[..body.len().min(600)]).to_string();
        let wanted = String::from_utf8_lossy(expected);
        return Err(format!("answered {status} without \"{wanted}\": {start}").into());
    }
    Ok(body)
}

/// The nearest-rank percentile `per_mille` / 1000 of sorted durations.
pub fn rank(sorted: &[Duration], per_mille: usize) -> Duration {
    let rank = (sorted.len() * per_mille).div_ceil(1000).max(1);
    sorted.get(rank - 1).copied().unwrap_or_default()
}

pub fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

/// Whether `duration` is within `target_ms`.
pub fn within(duration: Duration, target_ms: u64) -> bool {
    duration.as_micros() <= u128::from(target_ms) * 1000
}

pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// Prints one target's line; whether its p99 is within `target_ms`.
pub fn report(label: &str, what: &str, timed: &Timed, target_ms: u64) -> bool {
    let p99 = rank(&timed.sorted, 990);
    let met = within(p99, target_ms);
    println!(
        "{label}: {what} p50 {} p99 {} max {} ms, {} requests, {} B each on the wire \
         (target p99 ≤ {target_ms} ms: {})",
        ms(rank(&timed.sorted, 500)),
        ms(p99),
        ms(rank(&timed.sorted, 1000)),
        timed.sorted.len(),
        timed.bytes,
        verdict(met)
    );
    met
}
