//! Command line and environment: every flag has a `SAO_…` twin.
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "sao",
    version,
    about = "Sao — phần mềm OCOP (Mỗi xã một sản phẩm). Chạy không tham số: phục vụ trang web.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Args,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the web app (what `sao` alone does).
    Serve(Args),
    /// The rule sets loaded: `sao rules list`, `sao rules show qd-26-2026 7`.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Create the first super admin: prints a one-time link (valid 7 days) to choose a password.
    InviteSuperAdmin(InviteArgs),
    /// Public holidays that working-day deadlines skip: `sao holiday add --day 2027-02-16 --name "Tết"`, `sao holiday list`.
    Holiday(HolidayArgs),
    /// Certificates issued before Sao: `sao certificates import --province 51 --file old.csv` (columns
    /// code,product_name,subject_name,stars,issued_on,valid_until; all lines or none).
    Certificates(CertificatesArgs),
    /// Districts for the seed's three-tier plan, as named groups of a province's communes:
    /// `sao district define --province 51 --name "huyện Đắk Glei" --communes 23344,23341`.
    District(DistrictArgs),
    /// Score one product's council sheets (JSON array from FILE or stdin) and print the result as JSON.
    Score(ScoreArgs),
    /// Recompute a sealed round (its chain of sheets, every product's result with the
    /// shared model, the seal digest): prints `equal` or the first difference (exit 1).
    VerifyRound(VerifyRoundArgs),
    /// Remove now what the server removes hourly: uploads abandoned for over 24 hours
    /// (their partial files, and their bytes from the account's quota).
    Gc(GcArgs),
    /// Back up the database and the uploaded files into one archive, while the
    /// server runs: `sao backup sao-2026-12-07.zip` (PostgreSQL: needs pg_dump).
    Backup(BackupArgs),
    /// Restore a backup into an empty data directory (and, for PostgreSQL, an
    /// empty database): `sao restore sao-2026-12-07.zip --data-dir data`.
    Restore(BackupArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    /// The archive to write (backup) or read (restore).
    pub file: PathBuf,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, clap::Args)]
pub struct GcArgs {
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, clap::Args)]
pub struct VerifyRoundArgs {
    /// The round's id (as in the console's address, /hoi-dong/<id>).
    pub round_id: String,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RulesAction {
    /// One product set per line: number, name, sector / group, rule set.
    List,
    /// One product set's scorecard, as in the decision.
    Show { rule_set: String, number: u32 },
    /// Check a rule set supplied as a directory of set-NN.json files (the same checks as the shipped ones).
    Check {
        /// Rule set id the files must declare, e.g. qd-26-2026.
        rule_set: String,
        /// Directory holding the set-NN.json files.
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct ScoreArgs {
    /// Rule set id.
    #[arg(long, default_value = "qd-26-2026")]
    pub rules: String,
    /// Product set number (1–26 under QĐ 26/2026).
    #[arg(long = "set")]
    pub product_set: u32,
    /// Council size; without it every sheet counts and quorum is not checked.
    #[arg(long)]
    pub members: Option<u32>,
    /// 0-based index of the chair's sheet in the input.
    #[arg(long)]
    pub chair: Option<usize>,
    /// Workflow profile id (default: the rule set's own).
    #[arg(long)]
    pub profile: Option<String>,
    /// The level deciding (default: the profile's first level).
    #[arg(long)]
    pub level: Option<String>,
    /// A knock-out the chair confirmed (criterion code); repeatable.
    #[arg(long = "confirm-knockout")]
    pub confirmed_knockouts: Vec<String>,
    /// JSON file with the sheets; `-` or absent: standard input.
    pub input: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct HolidayArgs {
    #[command(subcommand)]
    pub action: HolidayAction,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, Subcommand)]
pub enum HolidayAction {
    /// Adds one day off (the same day again changes nothing).
    Add {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        day: String,
        /// Its name, e.g. "Tết Nguyên đán".
        #[arg(long)]
        name: String,
    },
    /// The days off known, one per line.
    List,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CertificatesArgs {
    #[command(subcommand)]
    pub action: CertificatesAction,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DistrictArgs {
    #[command(subcommand)]
    pub action: DistrictAction,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DistrictAction {
    /// Defines a district: its name and its communes (codes, comma-separated).
    Define {
        #[arg(long)]
        province: i64,
        #[arg(long)]
        name: String,
        #[arg(long, value_delimiter = ',')]
        communes: Vec<i64>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum CertificatesAction {
    /// Adds the certificates of a CSV file (UTF-8, first line the column names).
    Import {
        /// The province whose list it is (its code, e.g. 51).
        #[arg(long)]
        province: i64,
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct InviteArgs {
    /// Mobile number, in any usual form (0912 345 678, +84912345678).
    #[arg(long)]
    pub phone: String,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Origin the link starts with.
    #[arg(long, env = "SAO_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,
    #[command(flatten)]
    pub server: Args,
}

#[derive(Debug, Clone, clap::Args)]
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

    /// Where uploaded files live when several `sao` processes serve one site: an
    /// S3-compatible bucket, `s3://bucket` or `s3://bucket/prefix`, reached with the
    /// usual AWS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION
    /// (and AWS_ALLOW_HTTP=true for plain http). Without it: <data-dir>/evidence.
    #[arg(long, env = "SAO_EVIDENCE_URL")]
    pub evidence_url: Option<String>,

    /// Load the demo data (a district of the seed plan) into the database if it is not there.
    /// Only on a loopback address unless --demo-public is given too.
    #[arg(long, env = "SAO_DEMO")]
    pub demo: bool,

    /// Allow --demo on an address others can reach: the demo accounts then get random
    /// passwords, printed once at start, instead of README's.
    #[arg(long, env = "SAO_DEMO_PUBLIC")]
    pub demo_public: bool,

    /// Directory of the built site (pkg/, icons, manifest). Found next to the binary when absent.
    #[arg(long, env = "SAO_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Failed logins to one account from one client address before that pair is refused.
    #[arg(long, env = "SAO_LOGIN_MAX_FAILURES", default_value_t = 10)]
    pub login_max_failures: i64,

    /// Minutes in which those failures count.
    #[arg(long, env = "SAO_LOGIN_WINDOW_MINUTES", default_value_t = 15)]
    pub login_window_minutes: i64,

    /// Minutes logins stay refused after the limit.
    #[arg(long, env = "SAO_LOGIN_LOCKOUT_MINUTES", default_value_t = 15)]
    pub login_lockout_minutes: i64,

    /// Failed logins from one client address, whatever the account, before the address
    /// is refused (much higher: many people share an address behind carrier NAT).
    #[arg(long, env = "SAO_LOGIN_ADDRESS_MAX_FAILURES", default_value_t = 200)]
    pub login_address_max_failures: i64,

    /// Reverse proxies (CIDR, repeatable or comma-separated) whose X-Forwarded-For is
    /// believed for the client's address; from any other peer the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "SAO_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Password checks that may wait for a core (one runs per core at a time); beyond
    /// them a login is answered 503 with Retry-After. Default: 16 per core.
    #[arg(long, env = "SAO_PASSWORD_HASH_QUEUE")]
    pub password_hash_queue: Option<usize>,

    /// Products one account may register.
    #[arg(long, env = "SAO_QUOTA_PRODUCTS", default_value_t = 20)]
    pub quota_products: i64,

    /// Megabytes of evidence one account may upload (all its dossiers together).
    #[arg(long, env = "SAO_QUOTA_MEGABYTES", default_value_t = 1024)]
    pub quota_megabytes: i64,

    /// Served over https (behind a proxy): session cookies get the Secure flag.
    #[arg(long, env = "SAO_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// The site's address as users reach it (e.g. https://ocop.quangngai.gov.vn): the
    /// one origin for links in SMS and for the same-origin check. Without it, the
    /// listen address (and a warning at start).
    #[arg(long, env = "SAO_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl Args {
    /// The file store these flags name: the bucket, or the data directory's.
    pub fn evidence_store(
        &self,
    ) -> Result<app::storage::EvidenceStore, app::storage::StorageError> {
        match &self.evidence_url {
            Some(url) => app::storage::EvidenceStore::s3(url),
            None => app::storage::EvidenceStore::local(&self.data_dir),
        }
    }

    /// The sign-in settings these flags describe.
    pub fn auth_settings(&self) -> app::auth::session::AuthSettings {
        app::auth::session::AuthSettings {
            throttle: app::db::throttle::ThrottleSettings {
                max_failures: self.login_max_failures.max(1),
                window_ms: self.login_window_minutes.max(1) * 60_000,
                lockout_ms: self.login_lockout_minutes.max(1) * 60_000,
                address_max_failures: self.login_address_max_failures.max(1),
            },
            secure_cookies: self.secure_cookies,
            trusted_proxies: self.trusted_proxies.clone().into(),
            quotas: app::db::usage::Quotas {
                products: self.quota_products.max(0),
                bytes: self.quota_megabytes.max(0) * 1024 * 1024,
            },
        }
    }

    /// How many password hashes run and wait at once.
    pub fn hash_limits(&self) -> app::auth::hashing::HashLimits {
        let limits = app::auth::hashing::HashLimits::for_this_machine();
        app::auth::hashing::HashLimits {
            waiting: self.password_hash_queue.unwrap_or(limits.waiting),
            ..limits
        }
    }

    /// The database URL in force: the flag, or an SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite:{}?mode=rwc", self.data_dir.join("sao.db").display()),
        }
    }
}
