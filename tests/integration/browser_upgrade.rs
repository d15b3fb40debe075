//! An upgrade under a council's tablet (issue 18): a tablet that went offline
//! with release N keeps scoring offline after release N+1 is deployed, syncs
//! when it is back, then moves to N+1's code without losing a waiting change; a
//! fresh tablet set up while N+1 is served gets a working service worker.
//!
//! Release N is the release build. N+1 is the same binary beside a hash file and
//! a site of its own in which every hashed file (script, WASM, style, split
//! loader and manifest, each role's chunks) has a new name, as a new release's
//! have; N's names answer 404 from it. Both serve behind one public address, a
//! relay (as a load balancer would stand in front): "offline" cuts the relay as
//! well as switching Chromium's network off, since Chromium's switch does not
//! reach the service worker's own fetches.
use crate::browser::set_7_criteria;
use crate::support::browser::{
    demo_page_as, dom_click, eval, open_browser, poll_page, screenshot, set_offline,
    start_chromedriver, start_sao, wait_for, wait_for_within, wait_until_healthy, Relay, Running,
    TABLET,
};
use crate::support::{release_build_or_skip, TempDir};
use fantoccini::Client;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Member 1 of the demo council (a partly scored sheet on the first product),
/// and member 2, whose tablet is set up during the upgrade.
const MEMBER: (&str, &str) = ("+84900000007", "demo-seat-07");
const FRESH_MEMBER: (&str, &str) = ("+84900000008", "demo-seat-08");
/// The member's list with its three products; nothing waiting on the tablet.
const LISTED: &str = "#my-products li:nth-child(3)";
const NONE_WAITING: &str = "#waiting[data-waiting='0']";

/// A release: its binary (beside its hash file) and the first load's script.
struct Release {
    bin: PathBuf,
    script: String,
}

/// The first load's script of the release whose hash file is `hashes`.
fn script_of(hashes: &str) -> String {
    let js = hashes
        .lines()
        .find_map(|line| line.trim().strip_prefix("js:"))
        .expect("the script's hash");
    format!("/pkg/sao.{}.js", js.trim())
}

/// `bytes` with each old hash replaced by its new one (the same length: a WASM stays valid).
fn renamed(bytes: &[u8], hashes: &[(String, String)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (old, new) in hashes {
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let mut at = 0;
        while let Some(found) = out[at..].windows(old.len()).position(|w| w == old) {
            out[at + found..at + found + old.len()].copy_from_slice(new);
            at += found + old.len();
        }
    }
    out
}

/// Release N+1 in `dir`, as a new build lays it out: N's binary (a hard link:
/// it reads what lies beside it), and N's site with every hashed file of `pkg/`
/// under a new hash, every mention of the old one (the hash file, the scripts,
/// the WASM, the split manifest) changed with it. Compressed twins are dropped:
/// the server compresses as it goes.
fn next_release(n: &Release, site: &Path, dir: &Path) -> Release {
    let bin = dir.join("sao");
    if std::fs::hard_link(&n.bin, &bin).is_err() {
        std::fs::copy(&n.bin, &bin).expect("copy the binary");
    }
    let copied = std::process::Command::new("cp")
        .arg("-R")
        .arg(site)
        .arg(dir.join("site"))
        .status();
    assert!(copied.is_ok_and(|s| s.success()), "copy the site");
    let pkg = dir.join("site/pkg");
    let names: Vec<String> = std::fs::read_dir(&pkg)
        .expect("pkg")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    let hashes: Vec<(String, String)> = names
        .iter()
        .filter_map(|name| {
            // cargo-leptos names hashed files `<name>.<hash>.<ext>`.
            let parts: Vec<&str> = name.split('.').collect();
            (parts.len() >= 3 && parts[1].len() >= 16).then_some(parts[1])
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|hash| {
            let first = if hash.starts_with('n') { "m" } else { "n" };
            (hash.to_string(), format!("{first}{}", &hash[1..]))
        })
        .collect();
    for name in &names {
        let path = pkg.join(name);
        let bytes = std::fs::read(&path).expect("read");
        std::fs::remove_file(&path).expect("remove");
        if !name.ends_with(".br") && !name.ends_with(".gz") {
            let new_name = String::from_utf8(renamed(name.as_bytes(), &hashes)).expect("a name");
            std::fs::write(pkg.join(new_name), renamed(&bytes, &hashes)).expect("write");
        }
    }
    let hash_file = std::fs::read(n.bin.with_file_name("hash.txt")).expect("N's hash.txt");
    let next_hashes = renamed(&hash_file, &hashes);
    std::fs::write(dir.join("hash.txt"), &next_hashes).expect("N+1's hash.txt");
    Release {
        bin,
        script: script_of(&String::from_utf8(next_hashes).expect("text")),
    }
}

/// The page's first-load script (the address its HTML names).
const PAGE_SCRIPT: &str = "const l = [...document.querySelectorAll('link[rel=modulepreload]')] \
    .map(l => new URL(l.href).pathname).find(p => p.startsWith('/pkg/sao.')); return l || null;";

/// Waits until a service worker controls the page and the only cache of the
/// site is `cache` (the one its worker's script names).
async fn controlled_by(client: &Client, cache: &str, what: &str) {
    let probe = format!(
        "caches.keys().then(keys => ({{ keys, controlled: !!navigator.serviceWorker.controller, \
           ok: !!navigator.serviceWorker.controller && keys.filter(k => k.startsWith('sao-')).join() === {cache:?} }}))"
    );
    poll_page(client, &probe, 60, what).await;
}

/// The cache a release's service worker keeps (named on the first line of its `/sw.js`).
async fn cache_of(base: &str) -> String {
    let script = reqwest::get(format!("{base}/sw.js")).await.expect("sw.js");
    let script = script.text().await.expect("sw.js text");
    let first = script.lines().next().unwrap_or_default();
    let name = first.split('\'').nth(1).expect("the cache's name");
    name.to_string()
}

/// What of the session packet the tablet holds: its sheet pages in the
/// worker's cache, its dossiers in storage (`ok` once it is all there).
async fn packet(client: &Client, products: &[String], seconds: u64) -> Value {
    let probe = format!(
        "Promise.all({ids}.map(id => caches.match('/cham-diem/' + id))).then(pages => {{ \
           const held = {{ pages: pages.filter(Boolean).length, \
             dossiers: {ids}.filter(id => localStorage.getItem('sao.council.dossier.' + id)).length }}; \
           return {{ ...held, ok: held.pages === {n} && held.dossiers === {n} }}; }})",
        ids = json!(products),
        n = products.len()
    );
    poll_page(client, &probe, seconds, "the session packet on the tablet").await
}

/// A tablet: its browser behind the relay, and its network switch.
struct Tablet<'a> {
    client: Client,
    driver: &'a str,
    net: &'a Relay,
}

impl<'a> Tablet<'a> {
    /// Opens Chromium at a tablet's size with the profile at `profile`.
    async fn open(driver: &'a str, net: &'a Relay, profile: &Path) -> Tablet<'a> {
        let client = open_browser(driver, TABLET.0, TABLET.1, profile).await;
        Tablet {
            client,
            driver,
            net,
        }
    }

    /// Waits for `css` on the page.
    async fn wait(&self, css: &str, what: &str) {
        wait_for(&self.client, css, what).await;
    }

    /// Opens a product's sheet, hydrated and ready, running `script` (a release's).
    async fn sheet(&self, product: &str, script: &str, what: &str) {
        let url = format!("{}/cham-diem/{product}", self.net.base);
        let opened = self.client.goto(&url).await;
        opened.unwrap_or_else(|e| panic!("{what}: {e}"));
        self.wait("body[data-hydrated='true']", what).await;
        self.wait("form.sheet[data-ready='true']", what).await;
        let running = eval(&self.client, PAGE_SCRIPT).await;
        assert_eq!(running, json!(script), "{what}");
    }

    /// Ticks the second option of criterion `code`; waits until `waiting` changes wait.
    async fn tick(&self, code: &str, waiting: usize) {
        dom_click(&self.client, &format!("input[name='c-{code}'][value='1']")).await;
        let css = format!("#waiting[data-waiting='{waiting}']");
        self.wait(&css, "the tick waiting on the tablet").await;
    }

    /// The ids of the changes waiting on the tablet.
    async fn waiting(&self) -> Vec<String> {
        let ids = "return JSON.parse(localStorage.getItem('sao.council.waiting') || '[]') \
                   .map(c => c.change_id);";
        serde_json::from_value(eval(&self.client, ids).await).expect("ids")
    }

    /// Waits until nothing waits on the tablet (the page's loop sent it all).
    async fn sent(&self, what: &str) {
        wait_for_within(&self.client, NONE_WAITING, what, 60).await;
    }

    /// Switches the network off (`None`) or on to a release: Chromium's and the relay.
    async fn network(&self, to: Option<&str>) {
        self.net.to(to);
        set_offline(&self.client, self.driver, to.is_none()).await;
    }
}

/// The ids of the changes stored for a council seat.
async fn stored(db: &app::db::Db, seat: &str) -> Vec<String> {
    let query = "SELECT change_id FROM sheet_changes WHERE member_id = $1";
    let rows: Vec<(String,)> = sqlx::query_as(query)
        .bind(seat)
        .fetch_all(db.pool())
        .await
        .expect("changes");
    rows.into_iter().map(|(id,)| id).collect()
}

/// The member's stored answer to criterion `code` of `product`.
async fn answer(db: &app::db::Db, member: &str, product: &str, code: &str) -> Option<u16> {
    let sheet = app::db::sheets::sheet(db, member, product)
        .await
        .expect("sheet")
        .expect("a stored sheet");
    sheet.choices().get(code).copied().flatten()
}

/// Stops a release as a deployment does (SIGTERM), within 30 s.
async fn stop(mut sao: Running) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &sao.0.id().to_string()])
        .status();
    let started = Instant::now();
    while matches!(sao.0.try_wait(), Ok(None)) && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_offline_across_an_upgrade_keeps_scoring_syncs_and_moves_to_the_new_release() {
    // Arrange: release N (the demo) behind the relay; release N+1 made beside it.
    let Some((bin, site)) = release_build_or_skip() else {
        return;
    };
    let hashes = std::fs::read_to_string(bin.with_file_name("hash.txt")).expect("N's hash.txt");
    let n = Release {
        script: script_of(&hashes),
        bin,
    };
    let next_dir = TempDir::new("sao-next-release");
    let next = next_release(&n, &site, &next_dir.0);
    let net = Relay::start().await;
    let (n_dir, n1_dir) = (
        TempDir::new("sao-upgrade-n"),
        TempDir::new("sao-upgrade-n1"),
    );
    let data = n_dir.0.join("data").display().to_string();
    let args = ["--demo", "--data-dir", &data, "--public-url", &net.base];
    let (sao_n, base_n) = start_sao(&n.bin, &n_dir.0, &args).await;
    wait_until_healthy(&base_n).await;
    net.to(Some(&base_n));
    let cache_n = cache_of(&base_n).await;
    let db = app::db::Db::connect(&format!("sqlite:{data}/sao.db"))
        .await
        .expect("the release's database");
    let codes = set_7_criteria();
    let (driver, driver_url) = start_chromedriver().await;
    let profile = TempDir::new("chromium-upgrade");
    let tablet = Tablet::open(&driver_url, &net, &profile.0).await;
    // On N: the list (the session packet), the worker in control, a sheet.
    demo_page_as(&tablet.client, &net.base, MEMBER.0, "/cham-diem").await;
    tablet.wait(LISTED, "three products").await;
    let ids = "return [...document.querySelectorAll('#my-products a[href^=\"/cham-diem/\"]')] \
               .map(a => a.getAttribute('href').slice('/cham-diem/'.length));";
    let products: Vec<String> =
        serde_json::from_value(eval(&tablet.client, ids).await).expect("ids");
    let (p0, p2) = (&products[0], &products[2]);
    let (n_js, n1_js) = (&n.script, &next.script);
    packet(&tablet.client, &products, 60).await;
    controlled_by(&tablet.client, &cache_n, "N's worker controls the page").await;
    tablet.sheet(p0, n_js, "N's sheet").await;
    tablet.wait(NONE_WAITING, "nothing waiting").await;

    // Act 1: offline, two ticks; meanwhile N stops and N+1 starts on the same database.
    tablet.network(None).await;
    tablet.tick(&codes[3], 1).await;
    tablet.tick(&codes[4], 2).await;
    stop(sao_n).await;
    let (_sao_n1, base_n1) = start_sao(&next.bin, &n1_dir.0, &args).await;
    wait_until_healthy(&base_n1).await;
    let cache_n1 = cache_of(&base_n1).await;
    let home = reqwest::get(format!("{base_n1}/"))
        .await
        .expect("N+1's home");
    let home = home.text().await.expect("home");
    let mut statuses = Vec::new();
    for script in [&n.script, &next.script] {
        let answer = reqwest::get(format!("{base_n1}{script}")).await;
        statuses.push(answer.expect("a script from N+1").status().as_u16());
    }
    // Still offline: the sheet reloads from the tablet (N's code) and keeps
    // scoring; another product's sheet too.
    tablet.sheet(p0, n_js, "offline on N").await;
    tablet.wait("#waiting[data-waiting='2']", "two kept").await;
    tablet.tick(&codes[5], 3).await;
    tablet.sheet(p2, n_js, "another offline").await;
    tablet.tick(&codes[0], 4).await;
    let offline_shot = screenshot(&tablet.client, "upgrade/offline-n1-deployed-820x1180").await;
    let offline_ids = tablet.waiting().await;

    // Act 2: back online, N's page sends what waits.
    tablet.network(Some(&base_n1)).await;
    tablet.sent("every offline change sent").await;
    let synced_by = eval(&tablet.client, PAGE_SCRIPT).await;

    // Act 3: a change waits offline; back online, the tablet opens a sheet:
    // N+1's page, N+1's worker; the change is sent.
    tablet.network(None).await;
    tablet.tick(&codes[1], 1).await;
    let waiting_at_move = tablet.waiting().await;
    tablet.network(Some(&base_n1)).await;
    tablet.sheet(p0, n1_js, "N+1's sheet").await;
    controlled_by(&tablet.client, &cache_n1, "N+1's worker takes over").await;
    tablet.sent("the change waiting, sent by N+1").await;
    let ticked = format!(
        "return {codes}.map(c => document.querySelector(`input[name='c-${{c}}'][value='1']`).checked);",
        codes = json!(&codes[3..6])
    );
    let shown = eval(&tablet.client, &ticked).await;
    let moved_shot = screenshot(&tablet.client, "upgrade/moved-to-n1-820x1180").await;
    let held_after_move = packet(&tablet.client, &products, 0).await;

    // Act 4: a fresh tablet set up while N+1 is served: its worker takes
    // control; its sheet works offline.
    let fresh_profile = TempDir::new("chromium-upgrade-fresh");
    let fresh = Tablet::open(&driver_url, &net, &fresh_profile.0).await;
    demo_page_as(&fresh.client, &net.base, FRESH_MEMBER.0, "/cham-diem").await;
    packet(&fresh.client, &products, 60).await;
    controlled_by(&fresh.client, &cache_n1, "the fresh tablet's worker").await;
    fresh.network(None).await;
    fresh.sheet(p0, n1_js, "fresh, offline").await;
    fresh.tick(&codes[0], 1).await;
    let fresh_ids = fresh.waiting().await;
    let fresh_shot = screenshot(&fresh.client, "upgrade/fresh-tablet-offline-820x1180").await;
    fresh.network(Some(&base_n1)).await;
    fresh.sent("the fresh tablet's change sent").await;
    fresh.client.close().await.expect("close");

    // Assert: N+1 is other code (N's names gone from it); every change stored once.
    assert_ne!(n.script, next.script);
    assert!(home.contains(&next.script) && !home.contains(&n.script));
    assert_eq!(statuses, [404, 200], "N's script from N+1, N+1's");
    assert_ne!(cache_n, cache_n1, "N+1's worker is another worker");
    assert_eq!(synced_by, json!(n.script), "sent from N's page");
    // Made offline (4), waiting at the move (1), on the fresh tablet (1).
    let counts = [&offline_ids, &waiting_at_move, &fresh_ids].map(Vec::len);
    assert_eq!(counts, [4, 1, 1]);
    let made = [offline_ids, waiting_at_move].concat();
    let kept = stored(&db, MEMBER.1).await;
    assert!(made.iter().all(|id| kept.contains(id)), "{kept:?}");
    // The demo's three and each one made: none twice.
    assert_eq!(kept.len(), 3 + made.len(), "{kept:?}");
    assert_eq!(stored(&db, FRESH_MEMBER.1).await, fresh_ids);
    assert_eq!(shown, json!([true, true, true]), "N+1's sheet, ticked");
    let mut answers = Vec::new();
    for (member, product, code) in [(MEMBER, 0, 3), (MEMBER, 0, 4), (MEMBER, 0, 5)]
        .into_iter()
        .chain([(MEMBER, 2, 0), (MEMBER, 2, 1), (FRESH_MEMBER, 0, 0)])
    {
        answers.push(answer(&db, member.1, &products[product], &codes[code]).await);
    }
    assert_eq!(answers, [Some(1); 6], "the answers stored");
    println!(
        "upgrade under a tablet 820x1180: offline on N ({}) while N+1 ({}) was deployed, 4 changes scored offline and stored once; the one waiting at the move sent by N+1's code; a fresh tablet's worker controls its page and its sheet works offline; screenshots {} {} {}",
        n.script,
        next.script,
        offline_shot.display(),
        moved_shot.display(),
        fresh_shot.display()
    );

    // Assert, then: the upgraded tablet still opens its other sheets offline
    // (the session packet N's worker kept outlives N+1's worker taking over).
    assert_eq!(
        held_after_move["pages"],
        json!(products.len()),
        "after N+1's worker took over, the tablet's cache lost the sheet pages of its session packet: {held_after_move}"
    );
    tablet.network(None).await;
    tablet.sheet(p2, n1_js, "N+1, offline").await;
    tablet.tick(&codes[2], 1).await;
    let on_n1 = tablet.waiting().await;
    tablet.network(Some(&base_n1)).await;
    tablet.sent("sent from N+1").await;
    let kept = stored(&db, MEMBER.1).await;
    assert!(
        on_n1.iter().all(|id| kept.contains(id)),
        "scored offline on N+1"
    );
    tablet.client.close().await.expect("close");
    drop(driver);
    db.close().await;
}
