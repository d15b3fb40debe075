//! Command line and environment: every flag has a `SAO_…` twin.
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "sao",
    version,
    about = "Sao — phần mềm OCOP (Mỗi xã một sản phẩm). Chạy không tham số: phục vụ trang web."
)]
pub struct Args {
    /// Bind address.
    #[arg(long, env = "SAO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: sqlite:… (embedded, default: <data-dir>/sao.db) or postgres://… (scale).
    #[arg(long, env = "SAO_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Directory for the embedded database and uploaded files (created if absent).
    #[arg(long, env = "SAO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Load the demo data (a district of the seed plan) into the database if it is not there.
    #[arg(long, env = "SAO_DEMO")]
    pub demo: bool,

    /// Directory of the built site (pkg/, icons, manifest). Found next to the binary when absent.
    #[arg(long, env = "SAO_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
}

impl Args {
    /// The database URL in force: the flag, or an SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite:{}?mode=rwc", self.data_dir.join("sao.db").display()),
        }
    }
}
