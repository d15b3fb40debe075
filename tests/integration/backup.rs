//! Issue 19: `sao backup` while tablets sync, `sao restore` into an empty place:
//! the restored database has every table's rows of the snapshot, its sheets'
//! chain and its sealed round's results verify, and the uploaded files are back.
use crate::support::round::{scored_sheet, scoring_round};
use crate::support::{each_engine, TempDir, TestDb, TestServer};
use app::service::seal::Verification;
use clap::Parser;
use sao_server::config::{BackupArgs, Cli, Command};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// `sao {command} {file} --database-url {url} --data-dir {data_dir} {more…}`, parsed.
fn backup_args(
    command: &str,
    file: &Path,
    url: &str,
    data_dir: &Path,
    more: &[&str],
) -> BackupArgs {
    let (file, data_dir) = (file.display().to_string(), data_dir.display().to_string());
    let mut argv = vec!["sao", command, file.as_str()];
    argv.extend(["--database-url", url, "--data-dir", data_dir.as_str()]);
    argv.extend_from_slice(more);
    match Cli::parse_from(argv).command {
        Some(Command::Backup(args) | Command::Restore(args)) => args,
        other => panic!("not a backup command: {other:?}"),
    }
}

/// A SQLite database (created when opened) in `data_dir`.
fn sqlite_in(data_dir: &Path) -> String {
    format!("sqlite:{}?mode=rwc", data_dir.join("sao.db").display())
}

/// A fresh work folder `label`: it, the archive's path in it and its data directory.
fn work_folder(label: &str, archive: &str) -> (TempDir, PathBuf, PathBuf) {
    let work = TempDir::new(label);
    let (file, data) = (work.0.join(archive), work.0.join("data"));
    (work, file, data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_round_backed_up_while_tablets_sync_restores_with_its_rows_chains_and_seal() {
    for test_db in each_engine().await {
        // Arrange: the demo (its last-year round is sealed), a round being scored,
        // an uploaded file, and three tablets syncing without pause.
        let server = TestServer::start(&test_db.url, true, None).await;
        let round = scoring_round(&server, 2, 3, "qd-26-2026").await;
        let marker = server.files_dir().join("evidence/ab/marker.bin");
        std::fs::create_dir_all(marker.parent().expect("parent")).expect("dir");
        std::fs::write(&marker, [7_u8; 3000]).expect("marker file");
        let stop = Arc::new(AtomicBool::new(false));
        let synced = Arc::new(AtomicUsize::new(0));
        let mut tablets = Vec::new();
        for (member_id, client) in round.members.clone() {
            let (stop, synced, products) = (stop.clone(), synced.clone(), round.products.clone());
            tablets.push(tokio::spawn(async move {
                let mut total = 60;
                while !stop.load(Ordering::SeqCst) {
                    for product in &products {
                        // Answers only (no hand-in): each pass writes again.
                        let mut sheet = scored_sheet(&member_id, product, total, app::db::now_ms());
                        sheet.pop();
                        let answer = client
                            .call_json("council/sync", &serde_json::json!({ "changes": sheet }))
                            .await;
                        assert_eq!(answer.status, 200, "{}", answer.body);
                        synced.fetch_add(1, Ordering::SeqCst);
                    }
                    total = if total >= 90 { 60 } else { total + 1 };
                }
            }));
        }
        while synced.load(Ordering::SeqCst) < 6 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let work = TempDir::new("backup");
        let file = work.0.join("sao.zip");

        // Act: back up while the tablets sync; then restore into an empty place.
        let args = backup_args("backup", &file, &test_db.url, server.files_dir(), &[]);
        let before = synced.load(Ordering::SeqCst);
        let manifest = sao_server::backup::backup(&args.server, &args.file)
            .await
            .expect("backup");
        let during = synced.load(Ordering::SeqCst) - before;
        stop.store(true, Ordering::SeqCst);
        for tablet in tablets {
            tablet.await.expect("tablet");
        }
        let target = match test_db.engine {
            "postgres" => {
                Some(TestDb::postgres(&std::env::var("SAO_TEST_POSTGRES_URL").expect("url")).await)
            }
            _ => None,
        };
        let restored_dir = work.0.join("restored");
        let restored_url = match &target {
            Some(db) => db.url.clone(),
            None => sqlite_in(&restored_dir),
        };
        let args = backup_args("restore", &file, &restored_url, &restored_dir, &[]);
        let restored = sao_server::backup::restore(&args.server, &args.file).await;
        let again = sao_server::backup::restore(&args.server, &args.file).await;

        // Assert
        let restored = restored.expect("restore");
        assert_eq!(restored, manifest);
        assert!(
            again.is_err(),
            "a second restore into a full place is refused"
        );
        let db = app::db::Db::connect(&restored_url)
            .await
            .expect("open restored");
        let counts = app::db::tables::counts(&db).await.expect("counts");
        assert_eq!(counts, manifest.tables, "on {}", test_db.engine);
        assert!(
            manifest.tables["sheet_changes"] > 0,
            "{:?}",
            manifest.tables
        );
        let live = app::db::tables::counts(&server.db)
            .await
            .expect("live counts");
        assert!(live["sheet_changes"] >= manifest.tables["sheet_changes"]);
        let chain = app::db::sheets::verify_chain(&db, &round.round_id)
            .await
            .expect("chain");
        assert!(chain.is_ok(), "{chain:?}");
        let (sealed,): (String,) = sqlx::query_as("SELECT id FROM rounds WHERE state = 'sealed'")
            .fetch_one(db.pool())
            .await
            .expect("the demo's sealed round");
        let verified = app::service::seal::verify(&db, &sealed)
            .await
            .expect("verify");
        assert!(
            matches!(verified, Verification::Equal { .. }),
            "{verified:?}"
        );
        let back = std::fs::read(restored_dir.join("evidence/ab/marker.bin")).expect("file back");
        assert_eq!(back, vec![7_u8; 3000]);
        eprintln!(
            "backup on {}: {} tables, {} rows, {} files; {during} syncs answered while it ran",
            test_db.engine,
            manifest.tables.len(),
            manifest.rows(),
            manifest.files.len()
        );
        db.close().await;
        if let Some(target) = target {
            target
                .cleanup(app::db::Db::connect(&restored_url).await.expect("db"))
                .await;
        }
        test_db.cleanup(server.stop()).await;
    }
}

/// A forged archive whose file entry climbs out of the data directory is
/// refused, and nothing is written outside it.
#[tokio::test]
async fn a_backup_with_an_entry_leaving_the_data_directory_is_refused() {
    use std::io::Write;
    let (work, file, data) = work_folder("forged-backup", "forged.zip");
    let manifest = sao_server::backup::Manifest {
        format: sao_server::backup::FORMAT.into(),
        engine: "sqlite".into(),
        created_ms: 0,
        migration_level: 0,
        tables: Default::default(),
        files: vec!["../outside.txt".into()],
    };
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("manifest.json", options).expect("entry");
    zip.write_all(&serde_json::to_vec(&manifest).expect("json"))
        .expect("write");
    zip.start_file("files/../outside.txt", options)
        .expect("entry");
    zip.write_all(b"planted").expect("write");
    zip.finish().expect("finish");

    let args = backup_args("restore", &file, &sqlite_in(&data), &data, &[]);
    let restored = sao_server::backup::restore(&args.server, &args.file).await;

    let refused = restored.expect_err("a forged entry is refused");
    assert!(refused.contains("refused entry"), "{refused}");
    assert!(!work.0.join("outside.txt").exists());
}

/// A server whose files are in a bucket is refused a backup: an archive of the
/// database alone would look whole and not be. Nothing is written.
#[tokio::test]
async fn a_backup_of_a_server_whose_files_are_in_a_bucket_is_refused() {
    let (work, file, data) = work_folder("bucket-backup", "sao.zip");
    let evidence = ["--evidence-url", "s3://sao-evidence/files"];
    let args = backup_args("backup", &file, &sqlite_in(&data), &data, &evidence);

    let refused = sao_server::backup::backup(&args.server, &args.file)
        .await
        .expect_err("a backup without the bucket's files is refused");

    assert!(refused.contains("s3://sao-evidence/files"), "{refused}");
    assert!(!file.exists() && !work.0.join("sao.zip.partial").exists());
}
