//! More than one machine, on one: two `sao` processes behind nginx, on one
//! PostgreSQL database, their uploads in an S3-compatible bucket (moto's
//! server, from PyPI). What README's "Running at scale" describes, started for
//! the scale test and the `load --cluster` command. Every process is killed
//! when the cluster is dropped.
use super::common::{start_sao_with, Failure};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bucket the servers share, and the folder in it they use.
pub const BUCKET: &str = "sao-evidence";
pub const PREFIX: &str = "files";

pub struct Cluster {
    /// The proxy's address: what users (and tablets) reach.
    pub proxy: String,
    /// Each `sao` and its own address (behind the proxy).
    pub servers: Vec<(Child, String)>,
    /// The object store's address (`{s3}/{BUCKET}/{PREFIX}/<sha256>` is a file).
    pub s3: String,
    moto: Child,
    nginx: Child,
    dir: PathBuf,
}

/// Whether this machine has what a cluster needs (nginx, moto_server).
pub fn tools_missing() -> Option<String> {
    for tool in ["nginx", "moto_server"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Some(format!(
                "{tool} is not installed (scripts/setup.sh --browser installs it)"
            ));
        }
    }
    None
}

impl Cluster {
    /// Starts the bucket, the proxy (on a port of its own, so the servers know
    /// the public address), then `servers` processes over the database at `url`.
    pub async fn start(
        bin: &str,
        url: &str,
        dir: &Path,
        servers: usize,
    ) -> Result<Cluster, Failure> {
        std::fs::create_dir_all(dir)?;
        let (moto, s3) = start_moto(dir).await?;
        let made = reqwest::Client::new()
            .put(format!("{s3}/{BUCKET}"))
            .send()
            .await?;
        if !made.status().is_success() {
            return Err(format!("the bucket was not made: {}", made.status()).into());
        }
        // The proxy first, pointing nowhere yet: its port is the public address.
        let (nginx, port) = start_nginx(dir, &[]).await?;
        let proxy = format!("http://127.0.0.1:{port}");
        let flags: Vec<String> = [
            "--evidence-url",
            &format!("s3://{BUCKET}/{PREFIX}"),
            "--public-url",
            &proxy,
            "--trusted-proxy",
            "127.0.0.1/32",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let vars: Vec<(String, String)> = [
            ("AWS_ENDPOINT", s3.as_str()),
            ("AWS_ACCESS_KEY_ID", "sao-test"),
            ("AWS_SECRET_ACCESS_KEY", "sao-test"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ALLOW_HTTP", "true"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut cluster = Cluster {
            proxy,
            servers: Vec::new(),
            s3,
            moto,
            nginx,
            dir: dir.to_path_buf(),
        };
        // One after another: the first migrates the empty database.
        for i in 0..servers {
            let own = dir.join(format!("sao-{i}"));
            let started = start_sao_with(bin, url, &own, &flags, &vars).await?;
            cluster.servers.push(started);
        }
        let upstreams: Vec<String> = cluster.servers.iter().map(|(_, b)| b.clone()).collect();
        write_conf(dir, port, &upstreams)?;
        signal(cluster.nginx.id(), "-HUP")?;
        // Until the proxy answers from the servers (the new configuration is live),
        // ten times in a row: an old worker of the reload, still on the placeholder
        // upstream, may answer one request 502 after a new one answered 200.
        let started = Instant::now();
        let mut in_a_row = 0;
        loop {
            let healthy = reqwest::get(format!("{}/healthz", cluster.proxy))
                .await
                .is_ok_and(|r| r.status() == 200);
            in_a_row = if healthy { in_a_row + 1 } else { 0 };
            if in_a_row == 10 {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err(
                    format!("the proxy does not reach the servers: {}", cluster.logs()).into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(cluster)
    }

    /// Kills server `i` with SIGKILL (no goodbye: a machine lost).
    pub fn kill(&mut self, i: usize) -> Result<(), Failure> {
        let (child, _) = &mut self.servers[i];
        signal(child.id(), "-KILL")?;
        let _ = child.wait();
        Ok(())
    }

    /// What server `i` has logged so far (one line a request).
    pub fn log_of(&self, i: usize) -> String {
        std::fs::read_to_string(self.dir.join(format!("sao-{i}/sao-first-start.log")))
            .unwrap_or_default()
    }

    /// The proxy's error log and each server's log, for a failure message.
    pub fn logs(&self) -> String {
        let mut text = String::new();
        let mut add = |path: PathBuf| {
            let body = std::fs::read_to_string(&path).unwrap_or_default();
            let tail: Vec<&str> = body.lines().rev().take(20).collect();
            text.push_str(&format!("\n--- {}:\n", path.display()));
            text.extend(tail.into_iter().rev().map(|l| format!("{l}\n")));
        };
        add(self.dir.join("nginx-error.log"));
        for i in 0..self.servers.len() {
            add(self.dir.join(format!("sao-{i}/sao-first-start.log")));
        }
        text
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (child, _) in &mut self.servers {
            let _ = child.kill();
            let _ = child.wait();
        }
        // nginx's master stops its workers on SIGTERM; SIGKILL would leave
        // them running, orphaned, on the port.
        let _ = signal(self.nginx.id(), "-TERM");
        let started = Instant::now();
        while !matches!(self.nginx.try_wait(), Ok(Some(_)) | Err(_))
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        for child in [&mut self.nginx, &mut self.moto] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn signal(pid: u32, which: &str) -> Result<(), Failure> {
    let sent = Command::new("kill")
        .args([which, &pid.to_string()])
        .status()?;
    if !sent.success() {
        return Err(format!("kill {which} {pid} failed").into());
    }
    Ok(())
}

/// moto's S3 server on a port it picks, read from its log.
async fn start_moto(dir: &Path) -> Result<(Child, String), Failure> {
    let log_path = dir.join("moto.log");
    let log = std::fs::File::create(&log_path)?;
    let mut moto = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", "0"])
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start moto_server: {e}"))?;
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let said = text
            .lines()
            .find_map(|line| line.split_once("Running on ").map(|(_, rest)| rest.trim()));
        if let Some(base) = said {
            return Ok((moto, base.trim_end_matches('/').to_string()));
        }
        if moto.try_wait()?.is_some() || started.elapsed() > Duration::from_secs(60) {
            let _ = moto.kill();
            return Err(format!("moto_server did not start:\n{text}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// nginx in the foreground on a free port, with `upstreams` behind it (none:
/// every request answers 502 until the configuration is replaced). A port
/// taken between the pick and the bind is picked again.
async fn start_nginx(dir: &Path, upstreams: &[String]) -> Result<(Child, u16), Failure> {
    for _attempt in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        write_conf(dir, port, upstreams)?;
        let conf = dir.join("nginx.conf");
        let mut nginx = Command::new("nginx")
            .args([
                "-p",
                &dir.display().to_string(),
                "-c",
                &conf.display().to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("nginx-start.log"))?)
            .spawn()
            .map_err(|e| format!("cannot start nginx: {e}"))?;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if nginx.try_wait()?.is_some() {
                break;
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok((nginx, port));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = nginx.kill();
        let _ = nginx.wait();
    }
    let said = std::fs::read_to_string(dir.join("nginx-start.log")).unwrap_or_default();
    Err(format!("nginx did not start:\n{said}").into())
}

/// The proxy's configuration: round robin over `upstreams`; a server that
/// refuses a connection is skipped for 10 s and the request goes to the next.
/// Requests already sent to a server that dies are not sent again by the proxy
/// (they may have been kept): the client retries, and sync is idempotent.
fn write_conf(dir: &Path, port: u16, upstreams: &[String]) -> Result<(), Failure> {
    let servers: String = if upstreams.is_empty() {
        "        server 127.0.0.1:9;\n".to_string()
    } else {
        upstreams
            .iter()
            .map(|base| {
                let host = base.trim_start_matches("http://");
                format!("        server {host} max_fails=1 fail_timeout=10s;\n")
            })
            .collect()
    };
    for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        let path = dir.join(format!("nginx-{temp}"));
        std::fs::create_dir_all(&path)?;
        // Workers may run as another user than the master.
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o777))?;
    }
    let d = dir.display();
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/nginx-error.log warn;\n\
         events {{ worker_connections 2048; }}\n\
         http {{\n    access_log off;\n\
             client_body_temp_path {d}/nginx-body;\n    proxy_temp_path {d}/nginx-proxy;\n\
             fastcgi_temp_path {d}/nginx-fastcgi;\n    uwsgi_temp_path {d}/nginx-uwsgi;\n\
             scgi_temp_path {d}/nginx-scgi;\n\
             upstream sao {{\n{servers}        keepalive 64;\n    }}\n\
             server {{\n        listen 127.0.0.1:{port};\n        client_max_body_size 4m;\n\
                 location / {{\n            proxy_pass http://sao;\n\
                     proxy_http_version 1.1;\n            proxy_set_header Connection \"\";\n\
                     proxy_set_header Host $http_host;\n\
                     proxy_set_header X-Forwarded-For $remote_addr;\n\
                     proxy_next_upstream error timeout;\n            proxy_connect_timeout 2s;\n\
                 }}\n        }}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf)?;
    Ok(())
}
