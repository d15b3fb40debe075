//! Load: N simulated council tablets hand in their sheets at once against the
//! release build, through `council/sync` in batches, and the figures are printed.
//!
//! ```sh
//! cargo run --release -p sao-tests --example load -- --tablets 300
//! cargo run --release -p sao-tests --example load -- --tablets 300 --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```
//! The binary is `$SAO_RELEASE_BIN` (default `$CARGO_TARGET_DIR/release/sao`,
//! built by `scripts/test.sh`). The round, its product and its members are made
//! directly in a fresh database; each tablet then logs in over HTTP.
use app::auth::{Grant, Role, Scope};
use app::domain::round::{MemberRow, RoundRow, RoundState};
use app::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
#[path = "common/mod.rs"]
mod common;

use clap::Parser;
use serde_json::json;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    /// Simulated tablets (one council member each).
    #[arg(long, default_value_t = 300)]
    tablets: usize,
    /// Changes per request.
    #[arg(long, default_value_t = 5)]
    batch: usize,
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

    // Every tablet hands in a whole sheet at once, in batches.
    let codes: Vec<String> = app::rules_catalog::product_set("qd-26-2026", 7)
        .ok_or("set 7")?
        .criteria()
        .map(|(_, _, c)| c.code.to_string())
        .collect();
    let began = Instant::now();
    let runs = tablets.into_iter().map(|(http, member_id)| {
        let (base, product, codes, batch) =
            (base.clone(), product.clone(), codes.clone(), args.batch);
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
    let at = |q: f64| {
        let index =
            ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let (submitted,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sheets WHERE round_id = $1 AND submitted = 1")
            .bind(&round_id)
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
    let _ = server.kill();
    let _ = server.wait();
    db.close().await;
    scratch.remove().await?;
    if errors > 0 || submitted as usize != args.tablets {
        return Err(format!(
            "{errors} errors, {submitted} of {} sheets submitted",
            args.tablets
        )
        .into());
    }
    Ok(())
}
