//! What the benchmark examples share: a scratch database on either engine and
//! the release `sao` started over it.
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub type Failure = Box<dyn std::error::Error>;

/// A scratch folder, and a fresh database in it (SQLite) or on the PostgreSQL
/// server at `postgres` (an admin URL): its URL and engine name.
pub struct Scratch {
    pub dir: PathBuf,
    pub url: String,
    pub engine: &'static str,
    postgres: Option<(String, String)>,
}

impl Scratch {
    pub async fn new(label: &str, postgres: Option<&str>) -> Result<Scratch, Failure> {
        let id = std::process::id();
        let dir = std::env::temp_dir().join(format!("sao-{label}-{id}"));
        std::fs::create_dir_all(&dir)?;
        let (url, engine, postgres) = match postgres {
            Some(admin) => {
                let name = format!("sao_{label}_{id}");
                let mut admin_db = <sqlx::PgConnection as sqlx::Connection>::connect(admin).await?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin_db)
                    .await?;
                let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
                let url = format!("{base}/{name}");
                (url, "postgres", Some((admin.to_string(), name)))
            }
            None => {
                let url = format!("sqlite:{}?mode=rwc", dir.join("sao.db").display());
                (url, "sqlite", None)
            }
        };
        Ok(Scratch {
            dir,
            url,
            engine,
            postgres,
        })
    }

    /// Drops the PostgreSQL database and removes the folder.
    pub async fn remove(self) -> Result<(), Failure> {
        if let Some((admin, name)) = &self.postgres {
            let mut admin_db = <sqlx::PgConnection as sqlx::Connection>::connect(admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin_db)
                .await?;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

/// The release binary: `$SAO_RELEASE_BIN`, else `$CARGO_TARGET_DIR/release/sao`.
pub fn release_bin() -> String {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    std::env::var("SAO_RELEASE_BIN").unwrap_or_else(|_| format!("{target}/release/sao"))
}

/// Starts `bin` over `url` (data under `dir`) on a port it picks itself (it
/// binds port 0 and says where in its log, so no pick can be taken from under
/// it) and waits until it answers `/healthz`; the child and its base address.
pub async fn start_sao(bin: &str, url: &str, dir: &Path) -> Result<(Child, String), Failure> {
    start_sao_with(bin, url, dir, &[], &[]).await
}

/// `start_sao` with more flags and environment variables (a shared bucket, a
/// public address behind a proxy).
pub async fn start_sao_with(
    bin: &str,
    url: &str,
    dir: &Path,
    flags: &[String],
    vars: &[(String, String)],
) -> Result<(Child, String), Failure> {
    std::fs::create_dir_all(dir)?;
    let log_path = dir.join("sao-first-start.log");
    let log = std::fs::File::create(&log_path)?;
    let mut server = Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--database-url", url])
        .args(["--data-dir", &dir.join("data").display().to_string()])
        .args(flags)
        .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {bin}: {e}"))?;
    let started = Instant::now();
    let base = loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let said = text
            .lines()
            .find_map(|line| line.split_once("listening on ").map(|(_, rest)| rest))
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(base) = said {
            break base.to_string();
        }
        if server.try_wait()?.is_some() || started.elapsed() > Duration::from_secs(120) {
            let _ = server.kill();
            return Err(format!("the server did not start:\n{text}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = server.kill();
            return Err("the server did not answer /healthz".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((server, base))
}
