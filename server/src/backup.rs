//! `sao backup <file>` and `sao restore <file>`: the database and the uploaded
//! files in one archive, taken while the server runs, restored into an empty
//! data directory (or an empty PostgreSQL database).
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy of the database at one
//!   moment, whatever is being written meanwhile (the write-ahead log lets it
//!   read while tablets sync).
//! - PostgreSQL: a repeatable-read transaction exports its snapshot; the row
//!   counts are read in it and `pg_dump --snapshot` dumps exactly it (custom
//!   format, restored by `pg_restore`). Both tools must be on PATH
//!   (Debian: `postgresql-client`).
//! - Files: everything under the data directory but the database itself and
//!   the partial uploads (`uploads/`, which a client resumes or the hourly
//!   clean-up removes). Evidence files are written before the row that names
//!   them, so every file the snapshot names is in the archive.
//!
//! The archive is a ZIP: `manifest.json` (engine, migration level, every
//! table's row count in the snapshot, the files), then `sao.db` or
//! `sao.pgdump`, then `files/…`. It is written to `<file>.partial` and renamed
//! when complete. A restore compares every table's count with the manifest.
use crate::config::Args;
use app::db::{self, Db, Engine};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "sao-backup-1";
const SQLITE_ENTRY: &str = "sao.db";
const PG_ENTRY: &str = "sao.pgdump";
const FILES: &str = "files/";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub engine: String,
    pub created_ms: i64,
    pub migration_level: i64,
    pub tables: BTreeMap<String, i64>,
    pub files: Vec<String>,
}

impl Manifest {
    pub fn rows(&self) -> i64 {
        self.tables.values().sum()
    }
}

fn io(what: &str, path: &Path, error: std::io::Error) -> String {
    format!("{what} {}: {error}", path.display())
}

/// Takes a backup of the server `args` describe into `file`.
pub async fn backup(args: &Args, file: &Path) -> Result<Manifest, String> {
    if let Some(bucket) = &args.evidence_url {
        // An archive without the files would look whole and not be: refuse.
        return Err(format!(
            "the uploaded files are in {bucket}, not in the data directory: back up the database \
             (pg_dump) and the bucket (its own versioning or replication) instead"
        ));
    }
    let url = args.database_url();
    let work = PathBuf::from(format!("{}.work", file.display()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| io("cannot create", &work, e))?;
    let outcome = backup_into(args, &url, file, &work).await;
    let _ = std::fs::remove_dir_all(&work);
    outcome
}

async fn backup_into(args: &Args, url: &str, file: &Path, work: &Path) -> Result<Manifest, String> {
    let db = Db::connect_with(url, 2).await.map_err(|e| e.to_string())?;
    let snapshot = match db.engine() {
        Engine::Sqlite => sqlite_snapshot(&db, work).await,
        Engine::Postgres => postgres_snapshot(&db, url, work).await,
    };
    db.close().await;
    let (entry, dump, tables, migration_level) = snapshot?;
    let files = data_files(&args.data_dir)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        engine: db.engine().as_str().into(),
        created_ms: db::now_ms(),
        migration_level,
        tables,
        files: files.iter().map(|(name, _)| name.clone()).collect(),
    };
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    write_archive(&partial, &manifest, entry, &dump, &files)?;
    std::fs::rename(&partial, file).map_err(|e| io("cannot rename to", file, e))?;
    Ok(manifest)
}

type Snapshot = (&'static str, PathBuf, BTreeMap<String, i64>, i64);

async fn sqlite_snapshot(db: &Db, work: &Path) -> Result<Snapshot, String> {
    let copy = work.join(SQLITE_ENTRY);
    let target = copy.display().to_string().replace('\'', "''");
    sqlx::query(&format!("VACUUM INTO '{target}'"))
        .execute(db.pool())
        .await
        .map_err(|e| format!("VACUUM INTO failed: {e}"))?;
    // Counted in the copy itself: exactly what the archive holds.
    let copied = Db::connect_with(&format!("sqlite:{}", copy.display()), 1)
        .await
        .map_err(|e| e.to_string())?;
    let tables = db::tables::counts(&copied)
        .await
        .map_err(|e| e.to_string())?;
    let level = copied.migration_level().await.map_err(|e| e.to_string())?;
    copied.close().await;
    // The copy was put in WAL mode by the connect above: fold it back in.
    let _ = std::fs::remove_file(work.join(format!("{SQLITE_ENTRY}-wal")));
    let _ = std::fs::remove_file(work.join(format!("{SQLITE_ENTRY}-shm")));
    Ok((SQLITE_ENTRY, copy, tables, level))
}

async fn postgres_snapshot(db: &Db, url: &str, work: &Path) -> Result<Snapshot, String> {
    let tables = db::tables::names(db).await.map_err(|e| e.to_string())?;
    let mut tx = db.pool().begin().await.map_err(|e| e.to_string())?;
    let failed = |e: sqlx::Error| e.to_string();
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
    let (snapshot,): (String,) = sqlx::query_as("SELECT pg_export_snapshot()")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed)?;
    let counts = db::tables::counts_on(&mut tx, &tables)
        .await
        .map_err(|e| e.to_string())?;
    let (level,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed)?;
    let dump = work.join(PG_ENTRY);
    // The transaction stays open while pg_dump reads its snapshot.
    let status = tokio::process::Command::new("pg_dump")
        .arg("--format=custom")
        .arg("--no-owner")
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--file={}", dump.display()))
        .arg(format!("--dbname={url}"))
        .status()
        .await
        .map_err(|e| format!("cannot run pg_dump (install postgresql-client): {e}"))?;
    tx.rollback().await.map_err(failed)?;
    if !status.success() {
        return Err(format!("pg_dump failed ({status})"));
    }
    Ok((PG_ENTRY, dump, counts, level))
}

/// The data directory's files to keep: (name in the archive, path).
fn data_files(data_dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut found = Vec::new();
    if data_dir.is_dir() {
        walk(data_dir, data_dir, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| io("cannot read", dir, e))? {
        let entry = entry.map_err(|e| io("cannot read", dir, e))?;
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let name = relative.to_string_lossy().replace('\\', "/");
        let top_level_db = dir == root && name.starts_with("sao.db");
        if name == "uploads"
            || top_level_db
            || name.ends_with(".partial")
            || name.ends_with(".work")
        {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, found)?;
        } else if path.is_file() {
            found.push((name, path));
        }
    }
    Ok(())
}

fn write_archive(
    partial: &Path,
    manifest: &Manifest,
    entry: &str,
    dump: &Path,
    files: &[(String, PathBuf)],
) -> Result<(), String> {
    use zip::write::SimpleFileOptions;
    let failed = |e: zip::result::ZipError| format!("cannot write {}: {e}", partial.display());
    let out = File::create(partial).map_err(|e| io("cannot create", partial, e))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    zip.start_file("manifest.json", options).map_err(failed)?;
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| e.to_string())?;
    zip.write_all(&json)
        .map_err(|e| io("cannot write", partial, e))?;
    let mut add = |name: &str, path: &Path| -> Result<(), String> {
        zip.start_file(name, options).map_err(failed)?;
        let mut source = File::open(path).map_err(|e| io("cannot read", path, e))?;
        std::io::copy(&mut source, &mut zip).map_err(|e| io("cannot copy", path, e))?;
        Ok(())
    };
    add(entry, dump)?;
    for (name, path) in files {
        add(&format!("{FILES}{name}"), path)?;
    }
    let mut out = zip.finish().map_err(failed)?;
    out.flush().map_err(|e| io("cannot write", partial, e))?;
    out.get_ref()
        .sync_all()
        .map_err(|e| io("cannot sync", partial, e))?;
    Ok(())
}

/// Restores `file` into the empty data directory (and, for PostgreSQL, the
/// empty database) `args` describe; checks every table's row count.
pub async fn restore(args: &Args, file: &Path) -> Result<Manifest, String> {
    let source = File::open(file).map_err(|e| io("cannot open", file, e))?;
    let mut zip = zip::ZipArchive::new(source).map_err(|e| format!("not a Sao backup: {e}"))?;
    let manifest: Manifest = {
        let mut text = String::new();
        zip.by_name("manifest.json")
            .map_err(|_| "not a Sao backup: no manifest.json".to_string())?
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("unreadable manifest: {e}"))?
    };
    if manifest.format != FORMAT {
        return Err(format!("unknown backup format {:?}", manifest.format));
    }
    let url = args.database_url();
    let engine = Engine::from_url(&url).map_err(|e| e.to_string())?;
    if engine.as_str() != manifest.engine {
        return Err(format!(
            "this backup is of a {} database; the target is {engine}",
            manifest.engine
        ));
    }
    let data_dir = &args.data_dir;
    std::fs::create_dir_all(data_dir).map_err(|e| io("cannot create", data_dir, e))?;
    if std::fs::read_dir(data_dir)
        .map_err(|e| io("cannot read", data_dir, e))?
        .next()
        .is_some()
    {
        return Err(format!(
            "{} is not empty: restore into an empty data directory",
            data_dir.display()
        ));
    }
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let target = match name.strip_prefix(FILES) {
            Some(relative) => match entry.enclosed_name() {
                Some(_)
                    if !relative
                        .split('/')
                        .any(|part| part == ".." || part.is_empty()) =>
                {
                    data_dir.join(relative)
                }
                _ => return Err(format!("refused entry {name:?}")),
            },
            None if name == SQLITE_ENTRY => data_dir.join(SQLITE_ENTRY),
            None if name == PG_ENTRY => data_dir.join(format!("{PG_ENTRY}.restoring")),
            None => continue,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("cannot create", parent, e))?;
        }
        let mut out = File::create(&target).map_err(|e| io("cannot create", &target, e))?;
        std::io::copy(&mut entry, &mut out).map_err(|e| io("cannot write", &target, e))?;
        out.sync_all().map_err(|e| io("cannot sync", &target, e))?;
    }
    if engine == Engine::Postgres {
        pg_restore(&url, &data_dir.join(format!("{PG_ENTRY}.restoring"))).await?;
    }
    let db = Db::connect_with(&url, 2).await.map_err(|e| e.to_string())?;
    let restored = db::tables::counts(&db).await.map_err(|e| e.to_string());
    db.close().await;
    let restored = restored?;
    if restored != manifest.tables {
        let differing: Vec<_> = manifest
            .tables
            .iter()
            .filter(|(table, count)| restored.get(*table) != Some(count))
            .map(|(table, count)| {
                format!(
                    "{table}: {count} in the backup, {:?} restored",
                    restored.get(table)
                )
            })
            .collect();
        return Err(format!(
            "the restored rows differ: {}",
            differing.join("; ")
        ));
    }
    Ok(manifest)
}

async fn pg_restore(url: &str, dump: &Path) -> Result<(), String> {
    let db = Db::connect_with(url, 1).await.map_err(|e| e.to_string())?;
    let existing = db::tables::names(&db).await.map_err(|e| e.to_string());
    db.close().await;
    if !existing?.is_empty() {
        return Err("the target database is not empty: create an empty one".into());
    }
    let status = tokio::process::Command::new("pg_restore")
        .arg("--no-owner")
        .arg("--exit-on-error")
        .arg(format!("--dbname={url}"))
        .arg(dump)
        .status()
        .await
        .map_err(|e| format!("cannot run pg_restore (install postgresql-client): {e}"))?;
    let _ = std::fs::remove_file(dump);
    if status.success() {
        Ok(())
    } else {
        Err(format!("pg_restore failed ({status})"))
    }
}

/// What `sao backup` prints.
pub fn summary(what: &str, file: &Path, manifest: &Manifest) -> String {
    format!(
        "{what} {}: {} database at migration {}, {} tables, {} rows, {} files",
        file.display(),
        manifest.engine,
        manifest.migration_level,
        manifest.tables.len(),
        manifest.rows(),
        manifest.files.len()
    )
}
