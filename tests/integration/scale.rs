//! Issue 18: more than one machine. Two release `sao` processes behind nginx,
//! on one PostgreSQL database, their files in an S3-compatible bucket (moto's
//! server). An upload's chunks reach both servers in turn and the file lands
//! in the bucket, served by either; tablets sync through the proxy and one
//! server is killed mid-load: every acknowledged change is stored once, the
//! tablets' retries (through the proxy, to the server left) fill the rest, and
//! the hand-ins' chain verifies. Both processes deliver the outbox: each
//! message goes out once.
use crate::kill_drill::{common, council, drill};
use crate::support::{each_engine, release_build_or_skip, release_required, TestServer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[path = "../examples/scale/cluster.rs"]
mod cluster;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_behind_a_proxy_share_the_database_and_the_bucket_and_lose_nothing_when_one_dies(
) {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    let admin = match std::env::var("SAO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(!release_required(), "SAO_TEST_POSTGRES_URL is not set");
            eprintln!("skipped: the two-server test runs on PostgreSQL only");
            return;
        }
    };
    if let Some(missing) = cluster::tools_missing() {
        assert!(!release_required(), "{missing}");
        eprintln!("skipped: {missing}");
        return;
    }
    let scratch = common::Scratch::new("scale", Some(&admin))
        .await
        .expect("a scratch database");
    let outcome = run(&bin.display().to_string(), &scratch.url, &scratch.dir).await;
    scratch.remove().await.expect("remove the scratch database");
    let said = outcome.unwrap_or_else(|e| panic!("{e}"));
    println!("{said}");
}

async fn run(bin: &str, url: &str, dir: &std::path::Path) -> Result<String, common::Failure> {
    let mut cluster = cluster::Cluster::start(bin, url, dir, 2).await?;
    let proxy = cluster.proxy.clone();
    let options = drill::Options {
        cycles: 1,
        tablets: 4,
        per_cycle: 40,
        seed: u64::from(std::process::id()),
    };
    let mut drill = drill::Drill::new(url, &proxy, &options).await?;

    // An upload through the proxy: round robin sends its chunks to both servers.
    let file = upload_through(&cluster, drill.product()).await?;

    // The tablets sync through the proxy; server 0 dies with requests in flight.
    let dying = &mut cluster;
    drill
        .cycle(&proxy, options.per_cycle, || async move { dying.kill(0) })
        .await
        .map_err(|e| format!("{e}{}", cluster.logs()))?;
    drill.hand_in(&proxy).await?;
    let report = drill.count().await?;
    let line = report.line("postgres");
    if report.lost > 0 || report.doubled > 0 || report.acknowledged != report.stored {
        return Err(format!("changes lost or doubled behind the proxy: {line}").into());
    }
    if report.in_flight_at_kills.contains(&0) || report.chain_length != 4 {
        return Err(
            format!("the kill did not happen mid-load, or a hand-in is missing: {line}").into(),
        );
    }
    Ok(format!(
        "TWO SERVERS behind nginx, one bucket: {file}; server 0 killed mid-load — {line}"
    ))
}

/// A producer's file sent in 64 KiB chunks through the proxy; then it is read
/// back from the bucket and from each server directly.
async fn upload_through(
    cluster: &cluster::Cluster,
    product: &str,
) -> Result<String, common::Failure> {
    let proxy = &cluster.proxy;
    let producer = reqwest::Client::builder().cookie_store(true).build()?;
    let logged_in = producer
        .post(format!("{proxy}/api/account/log_in"))
        .header("origin", proxy)
        .form(&[
            ("phone", council::PRODUCER),
            ("password", council::PASSWORD),
        ])
        .send()
        .await?;
    if logged_in.status() != 200 {
        return Err(format!("the producer's log-in: {}", logged_in.status()).into());
    }
    let bytes = crate::support::dossier::pdf_bytes(300_000);
    let size = bytes.len().to_string();
    let ticket = producer
        .post(format!("{proxy}/api/producer/start_upload"))
        .header("origin", proxy)
        .form(&[
            ("product_id", product),
            ("slot", "test_report"),
            ("file_name", "kiem-nghiem.pdf"),
            ("size", size.as_str()),
        ])
        .send()
        .await?;
    let status = ticket.status();
    let ticket: serde_json::Value = ticket.json().await?;
    let id = ticket["id"]
        .as_str()
        .ok_or_else(|| format!("no upload started ({status}): {ticket}"))?
        .to_string();
    let mut last = serde_json::Value::Null;
    for (i, chunk) in bytes.chunks(64 * 1024).enumerate() {
        let offset = i * 64 * 1024;
        let answer = producer
            .put(format!("{proxy}/tai-lieu/{id}?offset={offset}"))
            .header("origin", proxy)
            .body(chunk.to_vec())
            .send()
            .await?;
        let status = answer.status();
        last = answer.json().await?;
        if status != 200 {
            return Err(format!("the chunk at {offset} ({status}): {last}").into());
        }
    }
    let sha256 = last["sha256"]
        .as_str()
        .ok_or_else(|| format!("the upload did not complete: {last}"))?
        .to_string();
    // The proxy took turns: each server received some of the chunks.
    for i in 0..cluster.servers.len() {
        let chunk_path = format!("/tai-lieu/{id}\"");
        let took = cluster
            .log_of(i)
            .lines()
            .filter(|line| line.contains("PUT") && line.contains(&chunk_path))
            .count();
        if took == 0 {
            return Err(format!("server {i} received no chunk: {}", cluster.logs()).into());
        }
    }
    // The bucket lists the file under its digest, whole, and no chunk is left.
    let bucket = format!("{}/{}", cluster.s3, cluster::BUCKET);
    let listing = reqwest::get(format!("{bucket}?list-type=2"))
        .await?
        .text()
        .await?;
    let key = format!("<Key>{}/{sha256}</Key>", cluster::PREFIX);
    let whole = format!("<Size>{}</Size>", bytes.len());
    if sha256 != app::storage::sha256_hex(&bytes)
        || !listing.contains(&key)
        || !listing.contains(&whole)
        || listing.contains("uploads/")
    {
        return Err(format!("the bucket does not hold the file as sent: {listing}").into());
    }
    for (_, base) in &cluster.servers {
        let served = producer
            .get(format!("{base}/tai-lieu/{id}/tep"))
            .send()
            .await?;
        let status = served.status();
        if status != 200 || served.bytes().await?.as_ref() != bytes.as_slice() {
            return Err(format!("{base} does not serve the file ({status})").into());
        }
    }
    let chunks = bytes.len().div_ceil(64 * 1024);
    Ok(format!(
        "an upload of {} bytes in {chunks} chunks through the proxy is in the bucket and served by both",
        bytes.len()
    ))
}

/// Counts what it is asked to send; slow enough that two deliveries overlap.
struct Counting(Arc<std::sync::Mutex<Vec<String>>>);

#[async_trait::async_trait]
impl app::db::outbox::Transport for Counting {
    async fn send(&self, message: &app::db::outbox::OutboxMessage) -> Result<(), String> {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        self.0
            .lock()
            .map_err(|e| e.to_string())?
            .push(message.id.clone());
        Ok(())
    }
}

#[tokio::test]
async fn two_processes_delivering_the_outbox_send_each_message_once() {
    for test_db in each_engine().await {
        let server = TestServer::start(&test_db.url, false, None).await;
        let mut tx = server.db.begin().await.expect("begin");
        for i in 0..40 {
            let to = format!("+849190{i:05}");
            app::db::outbox::enqueue(&mut tx, app::db::outbox::SMS, &to, "Hồ sơ đã nhận")
                .await
                .expect("enqueue");
        }
        app::db::commit(tx).await.expect("commit");
        // Two deliverers at once, as two `sao` processes' background work runs.
        let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
        let delivered = Arc::new(AtomicUsize::new(0));
        let runs = (0..2).map(|_| {
            let (db, sent, delivered) = (server.db.clone(), sent.clone(), delivered.clone());
            tokio::spawn(async move {
                let transport = Counting(sent);
                let count = app::db::outbox::deliver_pending(&db, &transport)
                    .await
                    .expect("deliver");
                delivered.fetch_add(count, Ordering::SeqCst);
            })
        });
        for run in futures::future::join_all(runs).await {
            run.expect("a deliverer");
        }
        let mut ids = sent.lock().expect("the sent list").clone();
        let total = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(total, 40, "messages sent in all (each once): {total}");
        assert_eq!(ids.len(), 40);
        assert_eq!(delivered.load(Ordering::SeqCst), 40);
        let pending = app::db::outbox::messages(&server.db, Some("pending"), None)
            .await
            .expect("messages");
        assert!(pending.is_empty(), "{pending:?}");
    }
}
