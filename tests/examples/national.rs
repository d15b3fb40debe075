//! A national-sized dataset and the public catalogue and reports over it
//! (issue 17): fills a fresh database with ≈ 9,300 OCOP subjects over all
//! 3,321 communes, 20,000 products and their certificates over six years (3★
//! to 5★, some revoked), the councils that scored them (≈ 200,000 sheets, in
//! `national/sheets.rs`), then starts the release `sao` on it and prints the
//! catalogue search's latencies, a province's and the national yearly report times.
//!
//! ```sh
//! cargo run -p sao-tests --example national
//! cargo run -p sao-tests --example national -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```
//! The server is `$SAO_RELEASE_BIN` (default `$CARGO_TARGET_DIR/release/sao`);
//! the data is written by this example directly (batched, one transaction per table).
#[path = "common/mod.rs"]
mod common;
#[path = "national/sheets.rs"]
mod sheets;

use clap::Parser;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 9_300)]
    subjects: usize,
    #[arg(long, default_value_t = 20_000)]
    products: usize,
    /// Catalogue searches to time.
    #[arg(long, default_value_t = 1_000)]
    searches: usize,
    #[arg(long)]
    postgres: Option<String>,
}

const WORDS: [&str; 12] = [
    "Chè",
    "Cà phê",
    "Mật ong",
    "Nước mắm",
    "Gạo",
    "Miến dong",
    "Tinh dầu quế",
    "Sâm",
    "Bánh tráng",
    "Rượu",
    "Mắm tôm",
    "Tỏi",
];
const CHANNELS: [&str; 5] = [
    "traditional",
    "ocop_shop",
    "supermarket",
    "convenience_store",
    "e_commerce",
];
const KINDS: [&str; 4] = [
    "cooperative",
    "cooperative_group",
    "small_enterprise",
    "household",
];
const PASSWORD: &str = "bao-cao-2026";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let scratch = common::Scratch::new("national", args.postgres.as_deref()).await?;
    let (url, engine) = (scratch.url.clone(), scratch.engine);
    // The schema and the 3,321 communes, then the data in one transaction per table.
    let filled = Instant::now();
    let db = sao_server::open_database(&url, false).await?;
    let communes: Vec<(i64, i64)> =
        sqlx::query_as("SELECT code, province_code FROM commune ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    let mut tx = db.begin().await?;
    for i in 0..args.subjects {
        let (commune, _) = communes[i % communes.len()];
        sqlx::query(
            "INSERT INTO subjects (id, kind, name, registration_number, registration_date, tax_code, \
             commune_code, address, representative, representative_woman, representative_ethnic_minority, \
             representative_disability, workers_total, workers_local, value_chain_contracts, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, '2019-01-01', $4, $5, 'x', 'x', 0, 0, 0, 10, 8, $6, 0, 0)",
        )
        .bind(format!("n-subject-{i}"))
        .bind(KINDS[i % KINDS.len()])
        .bind(format!("HTX số {i}"))
        .bind(format!("{:010}", i))
        .bind(commune)
        .bind((i % 3 == 0) as i64)
        .execute(&mut *tx)
        .await?;
        for channel in CHANNELS.iter().skip(i % 4).take(2) {
            sqlx::query("INSERT INTO subject_sales_channels (subject_id, channel) VALUES ($1, $2)")
                .bind(format!("n-subject-{i}"))
                .bind(*channel)
                .execute(&mut *tx)
                .await?;
        }
    }
    app::db::commit(tx).await?;
    let mut tx = db.begin().await?;
    let mut evaluated: Vec<sheets::Evaluated> = Vec::new();
    for i in 0..args.products {
        let subject = i % args.subjects;
        let (commune, province) = communes[subject % communes.len()];
        let name = format!("{} {}", WORDS[i % WORDS.len()], i);
        let product = format!("n-product-{i}");
        sqlx::query(
            "INSERT INTO products (id, subject_id, name, rule_set, product_set, kind, previous_certificate, \
             changes, state, version, created_ms, updated_ms) \
             VALUES ($1, $2, $3, 'qd-26-2026', $4, 'first_time', '', '', 'in_round', 1, 0, 0)",
        )
        .bind(&product)
        .bind(format!("n-subject-{subject}"))
        .bind(&name)
        .bind((i % 26 + 1) as i64)
        .execute(&mut *tx)
        .await?;
        // Nine in ten are certified, spread over 2021–2026; 3★ mostly.
        if i % 10 == 9 {
            continue;
        }
        let year = 2021 + (i % 6) as i64;
        let issued = format!("{year}-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
        let until = format!("{}-{:02}-{:02}", year + 3, i % 12 + 1, i % 28 + 1);
        let stars = match i % 100 {
            0..=69 => 3,
            70..=96 => 4,
            _ => 5,
        };
        let revoked = (i % 20 == 3).then(|| format!("{}-06-01", year + 1));
        evaluated.push((product.clone(), province, year));
        sqlx::query(
            "INSERT INTO certificates (code, province_code, product_id, product_name, subject_name, stars, \
             issued_on, valid_until, source, revoked_on, revocation_ground, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'recognised', $9, $10, 0)",
        )
        .bind(format!("{province:02}-{commune:05}-{i:03}-{year}"))
        .bind(province)
        .bind(&product)
        .bind(&name)
        .bind(format!("HTX số {subject}"))
        .bind(stars)
        .bind(&issued)
        .bind(&until)
        .bind(revoked.clone())
        .bind(revoked.map(|_| "a"))
        .execute(&mut *tx)
        .await?;
    }
    let hash = app::auth::hashing::hash_password_now(PASSWORD)?;
    let office = app::auth::Grant {
        role: app::auth::Role::OfficeStaff,
        scope: app::auth::Scope::Province(51),
    };
    app::db::users::create(
        &mut tx,
        "+84919999999",
        "Cơ quan OCOP",
        Some(&hash),
        &[office],
    )
    .await?;
    let ministry = app::auth::Grant {
        role: app::auth::Role::MinistryStaff,
        scope: app::auth::Scope::Everywhere,
    };
    app::db::users::create(
        &mut tx,
        "+84919999998",
        "Văn phòng Điều phối OCOP",
        Some(&hash),
        &[ministry],
    )
    .await?;
    app::db::commit(tx).await?;
    let sheets = sheets::fill(&db, &evaluated).await?;
    db.close().await;
    println!(
        "{engine}: {} subjects, {} products, {} certificates over {} communes, \
         {sheets} council sheets in {} rounds of {} members, filled in {:.1} s",
        args.subjects,
        args.products,
        args.products - args.products / 10,
        communes.len(),
        evaluated
            .iter()
            .map(|(_, province, year)| (province, year))
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        sheets::MEMBERS,
        filled.elapsed().as_secs_f64()
    );

    // The release server over it.
    let (mut server, base) = common::start_sao(&common::release_bin(), &url, &scratch.dir).await?;
    let http = reqwest::Client::builder().cookie_store(true).build()?;

    // Catalogue searches, one after another: words without diacritics, stars,
    // a province, a commune, and the whole list.
    let queries = |i: usize| -> String {
        let (commune, province) = communes[(i * 37) % communes.len()];
        match i % 5 {
            0 => format!(
                "/san-pham?q={}",
                ["che", "ca phe", "mat ong", "nuoc mam", "gao"][(i / 5) % 5]
            ),
            1 => format!("/san-pham?sao={}", 3 + i % 3),
            2 => format!("/san-pham?tinh={province}"),
            3 => format!("/san-pham?xa={commune}"),
            _ => format!("/san-pham?q=sam&tinh={province}&trang=2"),
        }
    };
    let mut latencies = Vec::new();
    for i in 0..args.searches {
        let asked = Instant::now();
        let response = http.get(format!("{base}{}", queries(i))).send().await?;
        let status = response.status();
        response.bytes().await?;
        if !status.is_success() {
            return Err(format!("{} answered {status}", queries(i)).into());
        }
        latencies.push(asked.elapsed().as_secs_f64() * 1000.0);
    }
    // The first of each kind meets a cold cache and an unprepared statement.
    println!(
        "{engine}:   the first search of each kind (cold): {}",
        latencies
            .iter()
            .take(5)
            .map(|ms| format!("{ms:.1}"))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    // By kind of search (the order `queries` takes them in).
    for (kind, name) in [
        "words",
        "stars",
        "province",
        "commune",
        "words+province+page",
    ]
    .iter()
    .enumerate()
    {
        let mut these: Vec<f64> = latencies.iter().skip(kind).step_by(5).copied().collect();
        these.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{engine}:   {name}: p50 {:.1} ms, p99 {:.1} ms",
            percentile(&these, 0.5),
            percentile(&these, 0.99)
        );
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{engine}: catalogue search, {} requests one after another: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0)
    );

    // A province's yearly report as its office downloads it, and the whole
    // country's as the ministry does.
    for (phone, scope, what) in [
        ("+84919999999", "province:51", "province 51's"),
        ("+84919999998", "national", "the national"),
    ] {
        let http = reqwest::Client::builder().cookie_store(true).build()?;
        let login = http
            .post(format!("{base}/api/account/log_in"))
            .header("origin", &base)
            .form(&[("phone", phone), ("password", PASSWORD)])
            .send()
            .await?;
        if !login.status().is_success() {
            return Err(format!("log-in answered {}", login.status()).into());
        }
        for file in ["bao-cao.xlsx", "bao-cao.pdf"] {
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..3 {
                let asked = Instant::now();
                let response = http
                    .get(format!("{base}/bao-cao/{file}?scope={scope}&period=2025"))
                    .send()
                    .await?;
                let status = response.status();
                size = response.bytes().await?.len();
                if !status.is_success() {
                    return Err(format!("{file} of {scope} answered {status}").into());
                }
                times.push(asked.elapsed().as_secs_f64() * 1000.0);
            }
            println!(
                "{engine}: {what} yearly report {file}: {} bytes, {:.0} / {:.0} / {:.0} ms (3 runs)",
                size, times[0], times[1], times[2]
            );
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    scratch.remove().await
}
