//! Load: N simulated council tablets sync against the release build through
//! `council/sync`, in batches, and the figures are printed. By default each
//! hands in a whole sheet at once; with `--seconds` each edits its sheet for
//! that long in a closed loop (capacity, against a durable-commit baseline
//! measured in the same run); with `--rate` too, in an open loop of Poisson
//! arrivals (latency). The server's memory is printed after start, after the
//! sign-ins, and during the run.
//!
//! ```sh
//! cargo run --release -p sao-tests --example load -- --tablets 300
//! cargo run --release -p sao-tests --example load -- --tablets 100 --seconds 30
//! cargo run --release -p sao-tests --example load -- --tablets 1000 --seconds 30 --rate 200
//! # two servers behind nginx, files in an S3 bucket (README "Running at scale"):
//! cargo run --release -p sao-tests --example load -- --tablets 100 --seconds 30 --cluster 2 --postgres …
//! # each with --postgres postgres://postgres@127.0.0.1:5432/postgres for PostgreSQL
//! ```
//! The binary is `$SAO_RELEASE_BIN` (default `$CARGO_TARGET_DIR/release/sao`,
//! built by `scripts/test.sh`). The round, its product and its members are made
//! directly in a fresh database; each tablet then logs in over HTTP.
#[path = "scale/cluster.rs"]
#[allow(dead_code)]
mod cluster;
#[path = "common/mod.rs"]
mod common;
#[path = "common/council.rs"]
mod council;
#[path = "load/hand_in.rs"]
mod hand_in;
#[path = "load/steady.rs"]
mod steady;

use clap::Parser;
use std::time::Duration;

#[derive(Parser)]
pub struct Args {
    /// Simulated tablets (one council member each).
    #[arg(long, default_value_t = 300)]
    tablets: usize,
    /// Changes per request.
    #[arg(long, default_value_t = 5)]
    batch: usize,
    /// Instead of one hand-in each: every tablet edits its sheet for this many
    /// seconds (a closed loop, or an open loop with `--rate`).
    #[arg(long)]
    seconds: Option<u64>,
    /// Open loop: batches a second from all tablets together (Poisson arrivals).
    #[arg(long)]
    rate: Option<f64>,
    /// Run against PostgreSQL (an admin URL; a scratch database is made and dropped).
    #[arg(long)]
    postgres: Option<String>,
    /// With --postgres: this many `sao` processes behind nginx, files in moto's
    /// S3 server (README "Running at scale"); the load goes through the proxy.
    #[arg(long)]
    cluster: Option<usize>,
}

/// What serves the load: one `sao`, or a cluster (stopped when dropped).
enum Running {
    One(std::process::Child),
    Cluster(cluster::Cluster),
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let scratch = common::Scratch::new("load", args.postgres.as_deref()).await?;
    let (url, engine) = (scratch.url.clone(), scratch.engine);

    // The release server on a fresh database (it migrates and loads the units),
    // or several behind a proxy.
    let bin = common::release_bin();
    let (running, base) = match args.cluster {
        None => {
            let (child, base) = common::start_sao(&bin, &url, &scratch.dir).await?;
            (Running::One(child), base)
        }
        Some(_) if args.postgres.is_none() => return Err("--cluster needs --postgres".into()),
        Some(servers) => {
            let started = cluster::Cluster::start(&bin, &url, &scratch.dir, servers).await?;
            let proxy = started.proxy.clone();
            (Running::Cluster(started), proxy)
        }
    };
    // Behind a proxy, the first server's memory is the one reported.
    let pid = match &running {
        Running::One(child) => child.id(),
        Running::Cluster(cluster) => cluster.servers.first().map_or(0, |(c, _)| c.id()),
    };
    let idle_mb = steady::rss_mb(pid);

    // Fixtures straight into the database, then each tablet logs in.
    let db = app::db::Db::connect(&url).await?;
    let (round_id, product, members) = council::scoring_round(&db, args.tablets, "load").await?;
    let tablets = council::log_in_all(&base, &members).await?;

    println!(
        "server memory: {:.0} MB after start, {:.0} MB after {} sign-ins",
        idle_mb,
        steady::rss_mb(pid),
        args.tablets
    );
    let codes: Vec<String> = app::rules_catalog::product_set("qd-26-2026", 7)
        .ok_or("set 7")?
        .criteria()
        .map(|(_, _, c)| c.code.to_string())
        .collect();
    let failed = match args.seconds {
        None => {
            hand_in::run(
                &args, &base, &product, &codes, &round_id, &db, tablets, engine,
            )
            .await?
        }
        Some(seconds) => {
            let length = Duration::from_secs(seconds);
            let baseline = steady::durable_commits(&url, Duration::from_secs(5)).await?;
            println!("durable-commit baseline on {engine}: {baseline:.0} one-row commits/s (one connection, the server's settings)");
            let target = steady::Target {
                base: base.clone(),
                product: product.clone(),
                codes: std::sync::Arc::new(codes),
                batch: args.batch,
            };
            let tablets: Vec<_> = tablets
                .into_iter()
                .map(|(http, member_id)| {
                    std::sync::Arc::new(steady::Tablet {
                        http,
                        member_id,
                        seq: Default::default(),
                    })
                })
                .collect();
            let watch = steady::RssWatch::start(pid);
            let (label, samples) = match args.rate {
                None => ("closed loop", steady::closed(tablets, target, length).await),
                Some(rate) => (
                    "open loop",
                    steady::open(tablets, target, length, rate).await,
                ),
            };
            let highest = watch.stop();
            let label = format!("{label} on {engine}, {} tablets", args.tablets);
            let (rate, errors) = steady::report(&label, &samples, length);
            println!(
                "requests/s against the baseline: {:.0}%; server memory: highest {highest:.0} MB during the run, {:.0} MB after",
                100.0 * rate / baseline,
                steady::rss_mb(pid)
            );
            errors > 0
        }
    };
    if let Running::One(mut child) = running {
        let _ = child.kill();
        let _ = child.wait();
    }
    db.close().await;
    scratch.remove().await?;
    if failed {
        return Err("some requests failed".into());
    }
    Ok(())
}
