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
//! # each with --postgres postgres://postgres@127.0.0.1:5432/postgres for PostgreSQL
//! ```
//! The binary is `$SAO_RELEASE_BIN` (default `$CARGO_TARGET_DIR/release/sao`,
//! built by `scripts/test.sh`). The round, its product and its members are made
//! directly in a fresh database; each tablet then logs in over HTTP.
use app::auth::{Grant, Role, Scope};
use app::domain::round::{MemberRow, RoundRow, RoundState};
#[path = "common/mod.rs"]
mod common;
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
}

const PASSWORD: &str = "hoi-dong-2026";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let scratch = common::Scratch::new("load", args.postgres.as_deref()).await?;
    let (url, engine) = (scratch.url.clone(), scratch.engine);

    // The release server on a fresh database (it migrates and loads the units).
    let (mut server, base) = common::start_sao(&common::release_bin(), &url, &scratch.dir).await?;
    let idle_mb = steady::rss_mb(server.id());

    // Fixtures straight into the database: a product in a round that is scoring,
    // and one council member with an account per tablet.
    let db = app::db::Db::connect(&url).await?;
    let hash = app::auth::session::hash_password_now(PASSWORD)?;
    let round_id = format!("load-{}", std::process::id());
    let mut tx = db.begin().await?;
    let producer =
        app::db::users::create(&mut tx, "+84919000000", "Chủ thể", Some(&hash), &[]).await?;
    let subject = app::domain::subject::Subject {
        kind: app::domain::subject::SubjectKind::parse("cooperative").ok_or("kind")?,
        name: "HTX Sâm Ngọc Linh".into(),
        registration_number: "6101234567".into(),
        registration_date: "2020-03-15".into(),
        tax_code: "6101234567".into(),
        commune_code: 23344,
        address: "Thôn Đắk Ven".into(),
        representative: "Y Bơ".into(),
        representative_woman: true,
        representative_ethnic_minority: true,
        representative_disability: false,
        workers_total: 15,
        workers_local: 12,
        value_chain_contracts: 3,
        channels: Vec::new(),
    };
    let subject_id = app::db::producers::save_subject(&mut tx, None, &subject, &producer).await?;
    let registration = app::domain::dossier::ProductRegistration {
        subject_id,
        name: "Sâm Ngọc Linh củ tươi".into(),
        product_set: 7,
        kind: app::domain::dossier::ProductKind::FirstTime,
        previous_certificate: String::new(),
        changes: String::new(),
    };
    let product = app::db::producers::insert_product(&mut tx, &registration, "qd-26-2026").await?;
    let round = RoundRow {
        id: round_id.clone(),
        body: app::domain::round::Body::Province(51),
        name: "Đợt tải thử".into(),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: "2026-10-30".into(),
        closes_on: "2026-12-30".into(),
        state: RoundState::Scoring,
        quorum: (3, 4),
        divergence_limit: 10,
        sitting: app::domain::sitting::Sitting::Meeting,
        meeting_asked: None,
    };
    app::db::rounds::insert(&mut tx, &round).await?;
    app::db::rounds::add_dossier(&mut tx, &round_id, &product).await?;
    let mut members = Vec::new();
    for i in 0..args.tablets {
        let phone = format!("+8491{:07}", 1_000_000 + i);
        let grant = Grant {
            role: Role::CouncilMember,
            scope: Scope::Council {
                round: round_id.clone(),
                office: app::auth::Office::Province(51),
            },
        };
        let user =
            app::db::users::create(&mut tx, &phone, "Thành viên", Some(&hash), &[grant]).await?;
        let member = MemberRow {
            id: format!("{round_id}-m{i}"),
            name: format!("Thành viên {i}"),
            department: "Sở Nông nghiệp và Môi trường".into(),
            position: if i == 0 {
                app::domain::round::CouncilPosition::Chair
            } else {
                app::domain::round::CouncilPosition::Member
            },
            user_id: Some(user),
        };
        app::db::councils::add_member(&mut tx, &round_id, &member).await?;
        members.push((phone, member.id));
    }
    app::db::commit(tx).await?;

    // Each tablet logs in (a few at a time: password hashing is deliberately slow).
    let mut tablets = Vec::new();
    for chunk in members.chunks(8) {
        let logins = chunk.iter().map(|(phone, member_id)| {
            let base = base.clone();
            async move {
                let http = reqwest::Client::builder().cookie_store(true).build()?;
                let answer = http
                    .post(format!("{base}/api/account/log_in"))
                    .header("origin", &base)
                    .form(&[("phone", phone.as_str()), ("password", PASSWORD)])
                    .send()
                    .await?;
                if answer.status() != 200 {
                    return Err(format!("log-in refused: {}", answer.status()).into());
                }
                Ok::<_, Box<dyn std::error::Error>>((http, member_id.clone()))
            }
        });
        for tablet in futures::future::join_all(logins).await {
            tablets.push(tablet?);
        }
    }

    println!(
        "server memory: {:.0} MB after start, {:.0} MB after {} sign-ins",
        idle_mb,
        steady::rss_mb(server.id()),
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
            let watch = steady::RssWatch::start(server.id());
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
                steady::rss_mb(server.id())
            );
            errors > 0
        }
    };
    let _ = server.kill();
    let _ = server.wait();
    db.close().await;
    scratch.remove().await?;
    if failed {
        return Err("some requests failed".into());
    }
    Ok(())
}
