//! The office and the chair on a big round (issue 18): 500 products × 9
//! members, every sheet handed in. Times the chair's console (`/hoi-dong/{id}`,
//! and the `council/console` call it repeats every 10 s) and the office's round
//! page (`/van-phong/dot/{id}`) while the round is scoring and again once it is
//! sealed, then the minutes PDF (`/hoi-dong/{id}/bien-ban.pdf`, sealed): the
//! first render, then the ones the PDF cache answers. Targets: p99 ≤ 100 ms for
//! the pages, ≤ 2 s for the minutes.
//!
//! ```sh
//! cargo run --release -p sao-tests --example big_round -- --products 500 --members 9 --requests 200
//! cargo run --release -p sao-tests --example big_round -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```
//! The server is `$SAO_RELEASE_BIN` (default `$CARGO_TARGET_DIR/release/sao`).
//! The round is written straight into a fresh database (`big_round/fill.rs`);
//! the office's officer and the chair then sign in over HTTP. Requests go one
//! after another, with a browser's `accept-encoding`.
#[path = "common/mod.rs"]
mod common;
#[path = "common/council.rs"]
#[allow(dead_code)]
mod council;
#[path = "big_round/fill.rs"]
mod fill;
#[path = "big_round/inside.rs"]
mod inside;
#[path = "big_round/timing.rs"]
mod timing;

use clap::Parser;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 500)]
    products: usize,
    #[arg(long, default_value_t = 9)]
    members: usize,
    /// Requests timed per page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Minutes PDFs timed after the first (the PDF cache answers them).
    #[arg(long, default_value_t = 20)]
    pdfs: usize,
    /// Run against PostgreSQL (an admin URL; a scratch database is made and dropped).
    #[arg(long)]
    postgres: Option<String>,
}

const PAGE_TARGET_MS: u64 = 100;
const MINUTES_TARGET_MS: u64 = 2_000;

/// The signed-in office and chair, and where the server is.
struct Run {
    base: String,
    round: fill::BigRound,
    office: reqwest::Client,
    chair: reqwest::Client,
    label: String,
    requests: usize,
}

impl Run {
    /// A server function called by `who` with the round's id.
    fn post(&self, who: &reqwest::Client, endpoint: &str) -> reqwest::RequestBuilder {
        self.post_with(who, endpoint, &[])
    }

    /// The same with `more` fields.
    fn post_with(
        &self,
        who: &reqwest::Client,
        endpoint: &str,
        more: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut form = vec![("round_id", self.round.id.as_str())];
        form.extend_from_slice(more);
        who.post(format!("{}/api/{endpoint}", self.base))
            .header("origin", &self.base)
            .form(&form)
    }

    /// The console, its refresh and the round page, each checked then timed;
    /// (targets met, targets timed).
    async fn pages(&self, state: &str) -> Result<(usize, usize), common::Failure> {
        let console = format!("{}/hoi-dong/{}", self.base, self.round.id);
        let round_page = format!("{}/van-phong/dot/{}", self.base, self.round.id);
        // The last product put in the round: the whole list was rendered.
        let last = self
            .round
            .products
            .last()
            .map_or("", |(_, name)| name.as_str());
        timing::holding(self.chair.get(&console), last.as_bytes()).await?;
        timing::holding(self.office.get(&round_page), last.as_bytes()).await?;
        let rows = timing::holding(self.post(&self.chair, "council/console"), last.as_bytes());
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&rows.await?)?;
        if rows.len() != self.round.products.len() {
            return Err(format!("the console has {} rows", rows.len()).into());
        }
        let label = format!("{} (round {state})", self.label);
        let n = self.requests;
        let timed = [
            (
                "chair's console page /hoi-dong/{id}:",
                timing::sequential(n, || self.chair.get(&console)).await?,
            ),
            (
                "console refresh council/console:",
                timing::sequential(n, || self.post(&self.chair, "council/console")).await?,
            ),
            (
                "office's round page /van-phong/dot/{id}:",
                timing::sequential(n, || self.office.get(&round_page)).await?,
            ),
        ];
        let met = timed
            .iter()
            .filter(|(what, t)| timing::report(&label, what, t, PAGE_TARGET_MS))
            .count();
        Ok((met, timed.len()))
    }

    /// The office moves the round to deliberation, the chair acknowledges
    /// every flag of the model (straight in the database, as
    /// `council/acknowledge_flag` records them) and seals over HTTP.
    async fn seal(&self, db: &app::db::Db) -> Result<(), common::Failure> {
        let id = self.round.id.as_str();
        let event = [("event", "StartDeliberation")];
        timing::once(self.post_with(&self.office, "office/round_event", &event)).await?;
        let round = app::db::rounds::get(db, id).await?.ok_or("no round")?;
        let rows = app::service::council::console::round_console(db, &round).await?;
        let chair = app::db::councils::members(db, id)
            .await?
            .into_iter()
            .find(|m| m.position == app::domain::round::CouncilPosition::Chair)
            .and_then(|m| m.user_id)
            .ok_or("no chair")?;
        let mut tx = db.begin().await?;
        let mut flags = 0;
        for row in &rows {
            for flag in row.flags.iter().filter(|f| !f.acknowledged) {
                app::db::results::acknowledge(&mut tx, id, &row.product_id, &flag.key(), &chair)
                    .await?;
                flags += 1;
            }
        }
        app::db::commit(tx).await?;
        let asked = Instant::now();
        let body = timing::holding(self.post(&self.chair, "council/seal"), b"seal_digest").await?;
        let took = asked.elapsed();
        println!(
            "{}: {flags} flags acknowledged; council/seal took {} ms: {}",
            self.label,
            timing::ms(took),
            String::from_utf8_lossy(&body)
        );
        Ok(())
    }

    /// The minutes of the sealed round: the first render, then cached ones;
    /// (targets met, targets timed).
    async fn minutes(&self, pdfs: usize) -> Result<(usize, usize), common::Failure> {
        let url = format!("{}/hoi-dong/{}/bien-ban.pdf", self.base, self.round.id);
        let (first, _) = timing::once(self.office.get(&url)).await?;
        let pdf = timing::holding(self.office.get(&url), b"%PDF-").await?;
        if !pdf.starts_with(b"%PDF-") {
            return Err("the minutes are not a PDF".into());
        }
        let cold_met = timing::within(first, MINUTES_TARGET_MS);
        println!(
            "{} (round sealed): minutes PDF, first render {} ms, {} B \
             (target ≤ {MINUTES_TARGET_MS} ms: {})",
            self.label,
            timing::ms(first),
            pdf.len(),
            timing::verdict(cold_met)
        );
        let cached = timing::sequential(pdfs, || self.office.get(&url)).await?;
        let label = format!("{} (round sealed)", self.label);
        let cached_met = timing::report(&label, "minutes PDF, cached:", &cached, MINUTES_TARGET_MS);
        Ok((usize::from(cold_met) + usize::from(cached_met), 2))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let scratch = common::Scratch::new("biground", args.postgres.as_deref()).await?;
    let (url, engine) = (scratch.url.clone(), scratch.engine);
    let (mut server, base) = common::start_sao(&common::release_bin(), &url, &scratch.dir).await?;
    let db = app::db::Db::connect(&url).await?;
    let filled = Instant::now();
    let round = fill::fill(&db, args.products, args.members).await?;
    let label = format!(
        "BIG ROUND on {engine}, {} products × {} members",
        round.products.len(),
        round.members.len()
    );
    println!(
        "{label}: {} sheets handed in ({} tablet changes) written in {:.1} s",
        round.sheets,
        round.changes,
        filled.elapsed().as_secs_f64()
    );
    println!(
        "{label}: load average before the requests {}",
        load_average()
    );
    let office = council::log_in(&base, fill::OFFICE_PHONE).await?;
    let chair = council::log_in(&base, &round.members[0].0).await?;
    let run = Run {
        base,
        round,
        office,
        chair,
        label,
        requests: args.requests,
    };
    let outcome = async {
        let scoring = run.pages("scoring").await?;
        run.seal(&db).await?;
        let sealed = run.pages("sealed").await?;
        let minutes = run.minutes(args.pdfs).await?;
        inside::breakdown(&db, &run.round.id, &run.label).await?;
        Ok::<_, common::Failure>([scoring, sealed, minutes])
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    db.close().await;
    scratch.remove().await?;
    let (met, timed) = outcome?
        .iter()
        .fold((0, 0), |(m, t), (met, timed)| (m + met, t + timed));
    println!(
        "{}: {met} of {timed} targets met; load average after {}",
        run.label,
        load_average()
    );
    Ok(())
}

/// The machine's load over the last 1, 5 and 15 minutes (others may share it).
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
