//! What the benchmark examples share: a scratch database on either engine and
//! the release `sao` started over it.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

/// Starts `bin` over `url` (data under `dir`) on a free port and waits until it
/// answers `/healthz`; the child and its base address.
pub async fn start_sao(bin: &str, url: &str, dir: &Path) -> Result<(Child, String), Failure> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let server = start_sao_on(bin, url, dir, port).await?;
    Ok((server, format!("http://127.0.0.1:{port}")))
}

/// The same on `port` (a restart after a kill comes back where the tablets are).
pub async fn start_sao_on(bin: &str, url: &str, dir: &Path, port: u16) -> Result<Child, Failure> {
    let base = format!("http://127.0.0.1:{port}");
    let server = Command::new(bin)
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            url,
        ])
        .args(["--data-dir", &dir.join("data").display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {bin}: {e}"))?;
    let started = Instant::now();
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        if started.elapsed() > Duration::from_secs(120) {
            return Err("the server did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(server)
}
