//! The kill -9 drill (issue 19): N cycles of tablets syncing against the
//! release server, SIGKILL at a random moment with requests in flight, restart
//! on the same port, retries; then every acknowledged change is stored exactly
//! once and the round's chain verifies. Prints one `KILL DRILL` line.
//!
//! ```sh
//! cargo run -p sao-tests --example kill_drill -- --cycles 20
//! cargo run -p sao-tests --example kill_drill -- --cycles 20 --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```
#[path = "common/mod.rs"]
#[allow(dead_code)]
mod common;
#[path = "common/council.rs"]
mod council;
#[path = "kill/drill.rs"]
#[allow(dead_code)]
mod drill;

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 20)]
    cycles: usize,
    #[arg(long, default_value_t = 4)]
    tablets: usize,
    /// New changes each tablet makes in each cycle.
    #[arg(long, default_value_t = 60)]
    per_cycle: usize,
    #[arg(long)]
    seed: Option<u64>,
    /// Run against PostgreSQL (an admin URL; a scratch database is made and dropped).
    #[arg(long)]
    postgres: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), common::Failure> {
    let args = Args::parse();
    let seed = args
        .seed
        .unwrap_or_else(|| u64::from(std::process::id()) * 7919);
    let scratch = common::Scratch::new("drill", args.postgres.as_deref()).await?;
    let options = drill::Options {
        cycles: args.cycles,
        tablets: args.tablets,
        per_cycle: args.per_cycle,
        seed,
    };
    let started = std::time::Instant::now();
    let outcome = drill::run(&common::release_bin(), &scratch.url, &scratch.dir, &options).await;
    let engine = scratch.engine;
    scratch.remove().await?;
    let report = outcome?;
    println!(
        "{} (seed {seed}, {:.0} s)",
        report.line(engine),
        started.elapsed().as_secs_f64()
    );
    if report.lost > 0 || report.doubled > 0 || report.in_flight_at_kills.contains(&0) {
        return Err("the drill failed".into());
    }
    Ok(())
}
