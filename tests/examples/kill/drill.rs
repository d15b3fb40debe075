//! The kill -9 drill (issue 19): tablets sync without pause against the
//! release server; at a random moment, while requests are in flight (checked),
//! the server is killed with SIGKILL and started again on the same port; the
//! tablets retry what was not acknowledged. After the last cycle each tablet
//! hands its sheet in. Then: every acknowledged change is stored exactly once,
//! nothing is lost or doubled, each stored sheet is the replay of what its
//! tablet made, and the round's hash chain of hand-ins verifies.
use super::common::{start_sao, Failure};
use super::council;
use app::domain::sheet_sync::{hand_in_digests, SheetChange, SheetEdit, SheetState, Stamp};
use sao_scoring::ids::CriterionCode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Options {
    pub cycles: usize,
    pub tablets: usize,
    /// New changes each tablet makes in each cycle.
    pub per_cycle: usize,
    pub seed: u64,
}

#[derive(Debug, Default)]
pub struct Report {
    pub cycles: usize,
    pub acknowledged: usize,
    pub stored: usize,
    pub retried: usize,
    pub doubled: usize,
    pub lost: usize,
    pub in_flight_at_kills: Vec<usize>,
    pub chain_length: i64,
}

impl Report {
    pub fn line(&self, engine: &str) -> String {
        format!(
            "KILL DRILL on {engine}: {} cycles, {} changes acknowledged, {} stored, {} retried, doubled {}, lost {}, requests in flight at each kill {:?}, chain of {} hand-ins verifies",
            self.cycles,
            self.acknowledged,
            self.stored,
            self.retried,
            self.doubled,
            self.lost,
            self.in_flight_at_kills,
            self.chain_length
        )
    }
}

#[derive(Default)]
struct Sheet {
    /// Every change made, in order.
    made: Vec<SheetChange>,
    waiting: Vec<SheetChange>,
    acknowledged: BTreeSet<String>,
    sends: BTreeMap<String, u32>,
}

struct Tablet {
    http: reqwest::Client,
    member_id: String,
    sheet: Mutex<Sheet>,
}

fn lock<T>(inner: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    inner
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Tablet {
    fn make(&self, product: &str, codes: &[CriterionCode], count: usize) {
        let mut sheet = lock(&self.sheet);
        for _ in 0..count {
            let seq = sheet.made.len() as u64 + 1;
            let change = SheetChange {
                change_id: format!("{}-{seq}", self.member_id),
                member_id: self.member_id.clone(),
                product_id: product.to_string(),
                stamp: Stamp {
                    device_ms: app::db::now_ms(),
                    device_id: format!("tablet-{}", self.member_id),
                    seq,
                },
                edit: SheetEdit::Answer {
                    criterion: codes[seq as usize % codes.len()].clone(),
                    option: Some((seq % 2) as u16),
                },
            };
            sheet.made.push(change.clone());
            sheet.waiting.push(change);
        }
    }

    /// Sends up to 5 waiting changes; Ok(false) when the server did not answer.
    async fn send(&self, base: &str, in_flight: &AtomicUsize) -> Result<bool, Failure> {
        let sending: Vec<SheetChange> = {
            let mut sheet = lock(&self.sheet);
            let batch: Vec<SheetChange> = sheet.waiting.iter().take(5).cloned().collect();
            for change in &batch {
                *sheet.sends.entry(change.change_id.clone()).or_default() += 1;
            }
            batch
        };
        if sending.is_empty() {
            return Ok(true);
        }
        in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = self
            .http
            .post(format!("{base}/api/council/sync"))
            .header("origin", base)
            .json(&serde_json::json!({ "changes": sending }))
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        in_flight.fetch_sub(1, Ordering::SeqCst);
        let Ok(response) = answer else {
            return Ok(false);
        };
        if response.status() != 200 {
            return Ok(false);
        }
        let Ok(receipt) = response.json::<serde_json::Value>().await else {
            return Ok(false);
        };
        let stored: BTreeSet<String> = receipt["stored"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|id| id.as_str().map(str::to_string))
            .collect();
        if stored.len() != sending.len() {
            return Err(format!("changes refused: {receipt}").into());
        }
        let mut sheet = lock(&self.sheet);
        sheet.waiting.retain(|c| !stored.contains(&c.change_id));
        sheet.acknowledged.extend(stored);
        Ok(true)
    }

    fn waiting(&self) -> usize {
        lock(&self.sheet).waiting.len()
    }
}

async fn until(what: &str, deadline: Duration, test: impl Fn() -> bool) -> Result<(), Failure> {
    let started = Instant::now();
    while !test() {
        if started.elapsed() > deadline {
            return Err(format!("{what}: not within {deadline:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// The tablets of a drill, signed in to one round, and what they were told.
pub struct Drill {
    db: app::db::Db,
    round_id: String,
    product: String,
    codes: Vec<CriterionCode>,
    tablets: Vec<Arc<Tablet>>,
    in_flight: Arc<AtomicUsize>,
    rng: sao_scoring::corpus::Rng,
    pub report: Report,
}

impl Drill {
    /// A scoring round in the database at `url` with `options.tablets` members,
    /// each signed in through `base`.
    pub async fn new(url: &str, base: &str, options: &Options) -> Result<Drill, Failure> {
        let db = app::db::Db::connect(url).await?;
        let (round_id, product, members) =
            council::scoring_round(&db, options.tablets, "drill").await?;
        let tablets: Vec<Arc<Tablet>> = council::log_in_all(base, &members)
            .await?
            .into_iter()
            .map(|(http, member_id)| {
                Arc::new(Tablet {
                    http,
                    member_id,
                    sheet: Mutex::default(),
                })
            })
            .collect();
        let codes: Vec<CriterionCode> = app::rules_catalog::product_set("qd-26-2026", 7)
            .ok_or("set 7")?
            .criteria()
            .map(|(_, _, c)| c.code.clone())
            .collect();
        Ok(Drill {
            db,
            round_id,
            product,
            codes,
            tablets,
            in_flight: Arc::new(AtomicUsize::new(0)),
            rng: sao_scoring::corpus::Rng::new(options.seed),
            report: Report::default(),
        })
    }

    /// The product the round scores.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// One cycle: the tablets make `per_cycle` changes each and sync them through
    /// `base` without pause; at a random moment with requests in flight, `kill`
    /// runs (it kills a server, and may start it again); the tablets stop making
    /// changes and retry until nothing waits.
    pub async fn cycle<F, K>(
        &mut self,
        base: &str,
        per_cycle: usize,
        kill: K,
    ) -> Result<(), Failure>
    where
        K: FnOnce() -> F,
        F: std::future::Future<Output = Result<(), Failure>>,
    {
        let (product, codes) = (&self.product, &self.codes);
        for tablet in &self.tablets {
            tablet.make(product, codes, per_cycle);
        }
        let stop = Arc::new(AtomicBool::new(false));
        // Until the kill the tablets keep scoring; after it they only retry.
        let making = Arc::new(AtomicBool::new(true));
        let mut tasks = Vec::new();
        for tablet in &self.tablets {
            let (tablet, stop, making, in_flight, base) = (
                tablet.clone(),
                stop.clone(),
                making.clone(),
                self.in_flight.clone(),
                base.to_string(),
            );
            let (product, codes) = (product.clone(), codes.clone());
            tasks.push(tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    if making.load(Ordering::SeqCst) && tablet.waiting() < 5 {
                        tablet.make(&product, &codes, 5);
                    }
                    let answered = tablet
                        .send(&base, &in_flight)
                        .await
                        .map_err(|e| e.to_string())?;
                    if !answered || tablet.waiting() == 0 {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
                Ok::<_, String>(())
            }));
        }
        // A random moment, then the kill while at least one request is in flight.
        tokio::time::sleep(Duration::from_millis(50 + self.rng.below(400))).await;
        let in_flight = self.in_flight.clone();
        until("a request in flight", Duration::from_secs(10), || {
            in_flight.load(Ordering::SeqCst) > 0
        })
        .await?;
        making.store(false, Ordering::SeqCst);
        self.report
            .in_flight_at_kills
            .push(self.in_flight.load(Ordering::SeqCst));
        kill().await?;
        let all = self.tablets.clone();
        until(
            "the tablets' retries",
            Duration::from_secs(120),
            move || all.iter().all(|t| t.waiting() == 0),
        )
        .await?;
        stop.store(true, Ordering::SeqCst);
        for task in tasks {
            task.await??;
        }
        self.report.cycles += 1;
        Ok(())
    }

    /// Each tablet hands its sheet in through `base` (the hand-ins make the
    /// round's chain); the servers may then stop. Then what is stored is
    /// counted against what was acknowledged, and the chain is verified.
    pub async fn hand_in(&self, base: &str) -> Result<(), Failure> {
        for tablet in &self.tablets {
            let submit = {
                let mut sheet = lock(&tablet.sheet);
                let seq = sheet.made.len() as u64 + 1;
                let mut all = sheet.made.clone();
                all.push(SheetChange {
                    change_id: format!("{}-submit", tablet.member_id),
                    member_id: tablet.member_id.clone(),
                    product_id: self.product.clone(),
                    stamp: Stamp {
                        device_ms: app::db::now_ms(),
                        device_id: format!("tablet-{}", tablet.member_id),
                        seq,
                    },
                    edit: SheetEdit::Submit {
                        digest: String::new(),
                    },
                });
                hand_in_digests(&mut all);
                let submit = all.pop().ok_or("no hand-in")?;
                sheet.made.push(submit.clone());
                sheet.waiting.push(submit.clone());
                submit
            };
            if !tablet.send(base, &self.in_flight).await? || tablet.waiting() != 0 {
                return Err(format!("the hand-in {} was not kept", submit.change_id).into());
            }
        }
        Ok(())
    }

    /// Counts what is stored against what was acknowledged and verifies the chain.
    pub async fn count(mut self) -> Result<Report, Failure> {
        let db = &self.db;
        let report = &mut self.report;
        for tablet in &self.tablets {
            let (acknowledged, sends, made) = {
                let sheet = lock(&tablet.sheet);
                (
                    sheet.acknowledged.clone(),
                    sheet.sends.clone(),
                    sheet.made.clone(),
                )
            };
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT change_id, COUNT(*) FROM sheet_changes WHERE member_id = $1 GROUP BY change_id",
            )
            .bind(&tablet.member_id)
            .fetch_all(db.pool())
            .await?;
            let stored: BTreeMap<String, i64> = rows.into_iter().collect();
            report.acknowledged += acknowledged.len();
            report.stored += stored.len();
            report.doubled += stored.values().filter(|n| **n > 1).count();
            report.lost += acknowledged
                .iter()
                .filter(|id| !stored.contains_key(*id))
                .count();
            report.retried += sends.values().filter(|n| **n > 1).count();
            let kept = app::db::sheets::sheet(db, &tablet.member_id, &self.product)
                .await?
                .ok_or("no stored sheet")?;
            if kept != SheetState::replay(&made) {
                return Err(format!(
                    "{}'s stored sheet is not the replay of its changes",
                    tablet.member_id
                )
                .into());
            }
        }
        match app::db::sheets::verify_chain(db, &self.round_id).await? {
            Ok((length, _)) => report.chain_length = length,
            Err(difference) => {
                return Err(format!("the chain does not verify: {difference}").into())
            }
        }
        self.db.close().await;
        Ok(self.report)
    }
}

/// Runs the drill over the database at `url` (made fresh, data under `dir`):
/// one server, killed and started again on its port each cycle.
pub async fn run(bin: &str, url: &str, dir: &Path, options: &Options) -> Result<Report, Failure> {
    // The first start picks its own port; every restart comes back on it.
    let (server, base) = start_sao(bin, url, dir).await?;
    let port: u16 = base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("no port in {base}"))?;
    let mut drill = Drill::new(url, &base, options).await?;
    let server = Arc::new(Mutex::new(server));
    for _cycle in 0..options.cycles {
        let server = server.clone();
        drill
            .cycle(&base, options.per_cycle, || async move {
                let pid = lock(&server).id();
                let killed = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status()?;
                if !killed.success() {
                    return Err("kill -KILL failed".into());
                }
                let _ = lock(&server).wait();
                let restarted = start_sao_on(bin, url, dir, port).await?;
                *lock(&server) = restarted;
                Ok(())
            })
            .await?;
    }
    drill.hand_in(&base).await?;
    {
        let mut server = lock(&server);
        let _ = server.kill();
        let _ = server.wait();
    }
    drill.count().await
}

/// `start_sao` again on `port`: a restart after a kill comes back where the tablets are.
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
