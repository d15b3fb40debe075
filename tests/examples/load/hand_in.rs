//! The default mode of `load`: every tablet hands in a whole sheet (all the
//! answers and a submit) at the same moment, in batches.
use app::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
use serde_json::json;
use std::time::Instant;

/// Runs the hand-in and prints its figures; whether anything failed.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    args: &super::Args,
    base: &str,
    product: &str,
    codes: &[String],
    round_id: &str,
    db: &app::db::Db,
    tablets: Vec<(reqwest::Client, String)>,
    engine: &str,
) -> Result<bool, super::common::Failure> {
    let began = Instant::now();
    let runs = tablets.into_iter().map(|(http, member_id)| {
        let (base, product, codes, batch) = (
            base.to_string(),
            product.to_string(),
            codes.to_vec(),
            args.batch,
        );
        tokio::spawn(async move {
            let mut edits: Vec<SheetEdit> = codes
                .iter()
                .map(|code| SheetEdit::Answer {
                    criterion: sao_scoring::CriterionCode::parse(code).expect("a criterion code"),
                    option: Some(0),
                })
                .collect();
            edits.push(SheetEdit::Submit {
                digest: String::new(),
            });
            let from_ms = app::db::now_ms();
            let mut changes: Vec<SheetChange> = edits
                .into_iter()
                .enumerate()
                .map(|(i, edit)| SheetChange {
                    change_id: format!("{member_id}-{i}"),
                    member_id: member_id.clone(),
                    product_id: product.clone(),
                    stamp: Stamp {
                        device_ms: from_ms + i as i64,
                        device_id: member_id.clone(),
                        seq: i as u64 + 1,
                    },
                    edit,
                })
                .collect();
            app::domain::sheet_sync::hand_in_digests(&mut changes);
            let mut latencies = Vec::new();
            let mut errors = 0_usize;
            for chunk in changes.chunks(batch) {
                let sent = Instant::now();
                let answer = http
                    .post(format!("{base}/api/council/sync"))
                    .header("origin", &base)
                    .json(&json!({ "changes": chunk }))
                    .send()
                    .await;
                match answer {
                    Ok(response) if response.status() == 200 => {
                        let _ = response.bytes().await;
                        latencies.push(sent.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors, changes.len())
        })
    });
    let mut latencies = Vec::new();
    let (mut errors, mut changes) = (0, 0);
    for run in futures::future::join_all(runs).await {
        let (l, e, c) = run?;
        latencies.extend(l);
        errors += e;
        changes += c;
    }
    let wall = began.elapsed();
    latencies.sort();
    let at = |q: f64| super::steady::percentile_ms(&latencies, q);
    let (submitted,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sheets WHERE round_id = $1 AND submitted = 1")
            .bind(round_id)
            .fetch_one(db.pool())
            .await?;
    println!(
        "load on {engine}: {} tablets, {} requests of {} changes ({changes} changes), {errors} errors, {:.1} s",
        args.tablets,
        latencies.len(),
        args.batch,
        wall.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}; throughput {:.0} requests/s, {:.0} changes/s; {submitted} sheets submitted",
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0),
        latencies.len() as f64 / wall.as_secs_f64(),
        changes as f64 / wall.as_secs_f64()
    );
    Ok(errors > 0 || submitted as usize != args.tablets)
}
