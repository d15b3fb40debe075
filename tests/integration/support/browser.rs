//! WebDriver and process helpers for the browser tests: start the release
//! `sao` and ChromeDriver, open Chromium at a size, find, click, type, wait,
//! throttle the network, take screenshots.
use crate::support::{free_port, workspace_target, TempDir};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test ends, even on panic. One started in a
/// process group of its own (`in_own_group`) goes with its whole group: the
/// Chromium a ChromeDriver started does not outlive a failed test.
pub(crate) struct Running(pub(crate) Child);

/// A command that starts its process as the leader of a new process group.
pub(crate) fn in_own_group(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    command.process_group(0)
}

impl Drop for Running {
    fn drop(&mut self) {
        // The group first (no-op for a child in its parent's group: no group
        // has its pid then), then the child itself.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the release `sao` from a scratch working directory, proving it finds
/// its site alone. It binds port 0 and the address comes from its own log line,
/// so no other process can take the port between a pick and the bind.
pub(crate) async fn start_sao(bin: &Path, workdir: &Path, args: &[&str]) -> (Running, String) {
    let log_path = workdir.join("sao.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let child = Command::new(bin)
        .current_dir(workdir)
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env_remove("SAO_SITE_ROOT")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start sao");
    let mut running = Running(child);
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(base) = listening_address(&text) {
            return (running, base);
        }
        if let Ok(Some(status)) = running.0.try_wait() {
            panic!("sao ended ({status}) before it listened:\n{text}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "sao never said where it listens:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `http://…` of sao's "listening on http://127.0.0.1:PORT (…)" log line.
fn listening_address(log: &str) -> Option<String> {
    log.lines()
        .find_map(|line| line.split_once("listening on ").map(|(_, rest)| rest))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string)
}

pub(crate) async fn wait_until_healthy(base: &str) -> serde_json::Value {
    let started = Instant::now();
    loop {
        if let Ok(response) = reqwest::get(format!("{base}/healthz")).await {
            if response.status() == 200 {
                return response.json().await.expect("health json");
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "sao did not start at {base}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn start_chromedriver() -> (Running, String) {
    let (driver, port) = on_a_free_port("chromedriver", "/status", |port| {
        in_own_group(&mut Command::new("/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/bin/chromedriver (apt-get install chromium-driver)")
    })
    .await;
    (driver, format!("http://127.0.0.1:{port}"))
}

/// Starts a server on a port picked free, and waits until `ready` answers 200
/// there while the process still runs. If it ends first (another process took
/// the port between the pick and its bind), it tries again on another port.
pub(crate) async fn on_a_free_port(
    what: &str,
    ready: &str,
    mut spawn: impl FnMut(u16) -> Child,
) -> (Running, u16) {
    for _attempt in 0..5 {
        let port = free_port();
        let mut running = Running(spawn(port));
        let started = Instant::now();
        loop {
            if let Ok(Some(_)) = running.0.try_wait() {
                break; // it could not bind: another port
            }
            let answered = reqwest::get(format!("http://127.0.0.1:{port}{ready}"))
                .await
                .is_ok_and(|r| r.status() == 200);
            if answered && matches!(running.0.try_wait(), Ok(None)) {
                return (running, port);
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{what} did not answer on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    panic!("{what} could not bind five free ports in a row")
}

pub(crate) async fn open_browser(driver: &str, width: u32, height: u32, profile: &Path) -> Client {
    open_browser_with(driver, width, height, profile, &[]).await
}

/// `open_browser` with more switches for Chromium (e.g. its network log).
pub(crate) async fn open_browser_with(
    driver: &str,
    width: u32,
    height: u32,
    profile: &Path,
    more: &[String],
) -> Client {
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--window-size={},{}", width.max(500), height));
    args.extend(more.iter().cloned());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": args,
            // Headless windows are at least 500 px wide: the viewport is emulated instead.
            "mobileEmulation": {
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true, "mobile": true }
            }
        }),
    );
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(driver)
            .await
        {
            Ok(client) => return client,
            Err(error) if started.elapsed() < Duration::from_secs(20) => {
                eprintln!("waiting for chromedriver: {error}");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(error) => panic!("chromedriver did not answer: {error}"),
        }
    }
}

pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

pub(crate) async fn eval(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.expect(script)
}

/// Waits for `css` to appear (e.g. a marker only the WASM sets), failing with `what`.
pub(crate) async fn wait_for(client: &Client, css: &str, what: &str) {
    wait_for_within(client, css, what, 30).await;
}

/// The same with a longer wait (what a background loop does in its own time).
pub(crate) async fn wait_for_within(client: &Client, css: &str, what: &str, seconds: u64) {
    let waited = client
        .wait()
        .at_most(Duration::from_secs(seconds))
        .for_element(Locator::Css(css))
        .await;
    if let Err(error) = waited {
        // What the page showed instead: its address, alerts and text.
        let seen = client
            .execute(
                "return [location.href, document.body ? document.body.dataset.hydrated : null, \
                 [...document.querySelectorAll('[role=alert]')].map(e => e.textContent).join(' | '), \
                 document.body ? document.body.innerText.slice(0, 300) : '', \
                 performance.getEntriesByType('resource').slice(-10).map(e => e.name.replace(location.origin, '') + ' ' + Math.round(e.startTime) + '+' + Math.round(e.duration) + 'ms ' + e.transferSize + 'B'), \
                 Math.round(performance.now()), navigator.serviceWorker && navigator.serviceWorker.controller ? 'controlled' : 'not controlled', \
                 window.__saoErrors || []]",
                vec![],
            )
            .await
            .unwrap_or_default();
        panic!("{what}: {error} ({css}); the page: {seen}");
    }
}

/// Waits for the scorecard's code to run (`form.sheet[data-ready]`), failing with `what`.
pub(crate) async fn wait_for_sheet(client: &Client, what: &str) {
    wait_for(client, "form.sheet[data-ready='true']", what).await;
}

/// Opens `url` and waits for its scorecard's code to run, failing with `what`.
pub(crate) async fn open_sheet(client: &Client, url: &str, what: &str) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url} ({what}): {e}"));
    wait_for_sheet(client, what).await;
}

/// Opens `url` and waits until the page is hydrated.
pub(crate) async fn open_hydrated(client: &Client, url: &str) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    wait_for(client, "body[data-hydrated='true']", "hydrated").await;
}

/// Whether a service worker controls the page, half a second after it is ready.
pub(crate) async fn service_worker_controls(client: &Client) -> serde_json::Value {
    client
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(() => setTimeout(() => done(!!navigator.serviceWorker.controller), 500));",
            vec![],
        )
        .await
        .expect("service worker")
}

/// Chooses the file at `path` in the file input at `css`.
pub(crate) async fn choose_file(client: &Client, css: &str, path: &Path) {
    let input = client.find(Locator::Css(css)).await.expect(css);
    input
        .send_keys(&path.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("choose {} in {css}: {e}", path.display()));
}

/// Clicks the element at `css`, failing with `what`.
pub(crate) async fn click(client: &Client, css: &str, what: &str) {
    let element = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {what}: {e}"));
}

/// Waits until the page's `<h1>` reads `text` (after a client-side change).
pub(crate) async fn wait_for_heading(client: &Client, text: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&format!("//h1[text()='{text}']")))
        .await
        .unwrap_or_else(|e| panic!("heading \"{text}\": {e}"));
}

/// A page must fit the screen: no sideways scrolling on a 360 px phone.
pub(crate) async fn assert_fits_width(client: &Client, page: &str) {
    let fits = eval(
        client,
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    assert_eq!(fits, json!(true), "horizontal scrolling on {page}");
}

/// Saves a screenshot under `target/browser/` and returns its path.
pub(crate) async fn screenshot(client: &Client, name: &str) -> std::path::PathBuf {
    let dir = workspace_target().join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("screenshot dir");
    }
    std::fs::write(&path, client.screenshot().await.expect("screenshot")).expect("write png");
    path.canonicalize().unwrap_or(path)
}

/// Types into the input at `css`.
pub(crate) async fn type_into(client: &Client, css: &str, text: &str) {
    let input = client.find(Locator::Css(css)).await.expect(css);
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

/// Waits until the element at `css` contains `text`.
pub(crate) async fn wait_for_text(client: &Client, css: &str, text: &str) {
    let started = Instant::now();
    loop {
        let found = eval(
            client,
            &format!(
                "var e = document.querySelector({css:?}); return e ? e.textContent : null",
                css = css
            ),
        )
        .await;
        if found.as_str().is_some_and(|t| t.contains(text)) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{css} never showed \"{text}\" (last: {found})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sets Chromium's network conditions through chromedriver (DevTools emulation).
pub(crate) async fn network_conditions(
    client: &Client,
    driver: &str,
    conditions: serde_json::Value,
) {
    chromium_command(
        client,
        driver,
        "chromium/network_conditions",
        json!({ "network_conditions": conditions }),
    )
    .await;
}

/// Sends one of chromedriver's Chromium-only commands for this session.
pub(crate) async fn chromium_command(
    client: &Client,
    driver: &str,
    command: &str,
    body: serde_json::Value,
) {
    let session = client
        .session_id()
        .await
        .expect("session id")
        .expect("a session");
    let answer = reqwest::Client::new()
        .post(format!("{driver}/session/{session}/{command}"))
        .json(&body)
        .send()
        .await
        .expect("chromedriver");
    assert!(
        answer.status().is_success(),
        "chromedriver refused {command}: {}",
        answer.text().await.unwrap_or_default()
    );
}

/// Emulates a touch screen of `width` × `height` (e.g. a tablet turned to landscape).
pub(crate) async fn set_viewport(client: &Client, driver: &str, width: u32, height: u32) {
    let metrics = json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": true } });
    chromium_command(client, driver, "goog/cdp/execute", metrics).await;
}

/// Chromium's "Slow 4G" (DevTools presets): ~560 ms latency, ~180 KB/s down, ~84 KB/s up.
pub(crate) async fn throttle_to_slow_4g(client: &Client, driver: &str) {
    let slow_4g = json!({
        "offline": false, "latency": 562, "download_throughput": 180_000, "upload_throughput": 84_000
    });
    network_conditions(client, driver, slow_4g).await;
}

/// Sets a form control's value as a person would, firing `change`.
pub(crate) async fn choose(client: &Client, css: &str, value: &str) {
    let done = eval(
        client,
        &format!(
            "const e = document.querySelector({css:?}); if (!e) return false; e.value = {value:?}; \
             e.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        ),
    )
    .await;
    assert_eq!(done, json!(true), "{css} not found");
}

/// Logs in through the page (the WASM checks the fields first).
/// Signs in as a demo account and opens `path`, hydrated.
pub(crate) async fn demo_page_as(client: &Client, base: &str, phone: &str, path: &str) {
    log_in_as(client, base, phone, app::db::demo::DEMO_PASSWORD).await;
    client
        .goto(&format!("{base}{path}"))
        .await
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
    wait_for(client, "body[data-hydrated='true']", "hydrated").await;
    capture_errors(client).await;
}

/// Keeps what the page logs as an error (a WASM panic among them) in
/// `window.__saoErrors`, which a failed wait prints.
pub(crate) async fn capture_errors(client: &Client) {
    eval(
        client,
        "window.__saoErrors = window.__saoErrors || []; \
         if (!window.__saoErrorsHooked) { window.__saoErrorsHooked = true; \
           const original = console.error; \
           console.error = (...args) => { window.__saoErrors.push(args.map(String).join(' ').slice(0, 500)); original(...args); }; \
           window.addEventListener('error', (e) => window.__saoErrors.push('error: ' + e.message)); \
           window.addEventListener('unhandledrejection', (e) => window.__saoErrors.push('rejection: ' + e.reason)); } \
         return true;",
    )
    .await;
}

pub(crate) async fn log_in_as(client: &Client, base: &str, phone: &str, password: &str) {
    client
        .goto(&format!("{base}/dang-nhap"))
        .await
        .expect("open /dang-nhap");
    wait_for(client, "body[data-hydrated='true']", "hydrated").await;
    submit_log_in(client, phone, password).await;
}

/// On the log-in form: types `phone` and `password`, submits, and waits for the desk.
pub(crate) async fn submit_log_in(client: &Client, phone: &str, password: &str) {
    type_into(client, "#field-phone", phone).await;
    type_into(client, "#field-password", password).await;
    click(client, "#log-in-submit", "log-in button").await;
    wait_for(client, "#desk", "the desk after log-in").await;
}

/// Clicks through the DOM (for controls inside closed `<details>` or under a sticky bar).
pub(crate) async fn dom_click(client: &Client, css: &str) {
    let clicked = eval(
        client,
        &format!("const e = document.querySelector({css:?}); if (!e) return false; e.click(); return true;"),
    )
    .await;
    assert_eq!(clicked, json!(true), "{css} not found");
}

/// Waits until `script` (a JavaScript expression) is true in the page, within 20 s.
pub(crate) async fn wait_until(client: &Client, script: &str, what: &str) {
    let started = Instant::now();
    while eval(client, &format!("return !!({script})")).await != json!(true) {
        assert!(started.elapsed() < Duration::from_secs(20), "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Marks the page (`window.__saoMarker`) for `assert_no_reload`.
pub(crate) async fn mark_page(client: &Client) {
    eval(client, "window.__saoMarker = 7; return null").await;
}

/// At the office's intake, assigns the dossier of `product` to `round`, and
/// waits until it leaves the intake.
pub(crate) async fn assign_to_round(desk: &Client, product: &str, round: &str) {
    let intake = format!("#office-queue li[data-product='{product}']");
    choose(desk, &format!("{intake} select[name='round_id']"), round).await;
    dom_click(desk, &format!("{intake} button.assign")).await;
    wait_for(
        desk,
        &format!("#office-queue:not(:has(li[data-product='{product}']))"),
        "the dossier leaves the intake",
    )
    .await;
}

/// Fails unless the page kept `window.__saoMarker`: the change happened in the
/// hydrated page (the WASM), not by a server round-trip and reload.
pub(crate) async fn assert_no_reload(client: &Client, what: &str) {
    assert_eq!(
        eval(client, "return window.__saoMarker").await,
        json!(7),
        "{what}: the page reloaded"
    );
}

/// Switches Chromium's network off or on (DevTools network emulation).
pub(crate) async fn set_offline(client: &Client, driver: &str, offline: bool) {
    let conditions = json!({
        "offline": offline, "latency": 0, "download_throughput": 10_000_000, "upload_throughput": 10_000_000
    });
    network_conditions(client, driver, conditions).await;
}

/// The release build serving the database at `url` (set up in-process first),
/// answering once healthy: its working directory, process and base address.
pub(crate) async fn serve_release_on(
    bin: &Path,
    url: &str,
    label: &str,
) -> (TempDir, Running, String) {
    let workdir = TempDir::new(label);
    let (sao, base) = start_sao(
        bin,
        &workdir.0,
        &["--database-url", url, "--data-dir", "data"],
    )
    .await;
    wait_until_healthy(&base).await;
    (workdir, sao, base)
}

/// ChromeDriver with a Chromium profile of its own; the profile goes first when
/// it drops, as the tests' own locals did.
pub(crate) struct Chromium {
    _profile: TempDir,
    _driver: Running,
    pub(crate) driver_url: String,
}

/// Starts ChromeDriver and opens Chromium at `width`×`height` with a profile of
/// its own ("chromium-{label}").
pub(crate) async fn open_chromium(label: &str, width: u32, height: u32) -> (Chromium, Client) {
    let (driver, driver_url) = start_chromedriver().await;
    let profile = TempDir::new(&format!("chromium-{label}"));
    let client = open_browser(&driver_url, width, height, &profile.0).await;
    let chromium = Chromium {
        _profile: profile,
        _driver: driver,
        driver_url,
    };
    (chromium, client)
}

/// For a browser test over data set up in-process: the release binary, a SQLite
/// database, and an in-process server over it (stopped before the release build
/// serves the file); `None` when the test is skipped for want of a release build.
pub(crate) async fn release_over_sqlite() -> Option<(
    std::path::PathBuf,
    crate::support::TestDb,
    crate::support::TestServer,
)> {
    let (bin, _site) = crate::support::release_build_or_skip()?;
    let test_db = crate::support::TestDb::sqlite();
    let server = crate::support::TestServer::start(&test_db.url, false, None).await;
    Some((bin, test_db, server))
}

/// The release build serving a fresh data directory, and Chromium; its fields
/// drop in the order the tests' own locals did (profile first).
pub(crate) struct InBrowser {
    pub(crate) chromium: Chromium,
    pub(crate) sao: Running,
    pub(crate) base: String,
    pub(crate) workdir: TempDir,
}

/// Starts the release build ("sao-{label}") and ChromeDriver, and opens Chromium
/// at `width`×`height` with a profile of its own ("chromium-{label}"); `None`
/// when the test is skipped for want of a release build.
pub(crate) async fn release_in_browser(
    label: &str,
    width: u32,
    height: u32,
) -> Option<(InBrowser, Client)> {
    release_serving(label, (width, height), &["--data-dir", "data"]).await
}

/// The same over the demo data.
pub(crate) async fn demo_in_browser(
    label: &str,
    width: u32,
    height: u32,
) -> Option<(InBrowser, Client)> {
    release_serving(label, (width, height), &["--demo", "--data-dir", "data"]).await
}

async fn release_serving(
    label: &str,
    (width, height): (u32, u32),
    args: &[&str],
) -> Option<(InBrowser, Client)> {
    let (bin, _site) = crate::support::release_build_or_skip()?;
    let workdir = TempDir::new(&format!("sao-{label}"));
    let (sao, base) = start_sao(&bin, &workdir.0, args).await;
    wait_until_healthy(&base).await;
    let (chromium, client) = open_chromium(label, width, height).await;
    let run = InBrowser {
        chromium,
        sao,
        base,
        workdir,
    };
    Some((run, client))
}

/// The release build serving the demo data (its work folder "{name}"), its
/// address, and a browser driver; `None` when the test is skipped for want of a
/// release build.
pub(crate) struct Demo {
    pub(crate) workdir: TempDir,
    _sao: Running,
    pub(crate) base: String,
    _driver: Running,
    pub(crate) driver_url: String,
}

/// Screen sizes the walks use: a cheap phone, a council's tablet, a desk.
pub(crate) const PHONE: (u32, u32) = (360, 740);
pub(crate) const TABLET: (u32, u32) = (820, 1180);
pub(crate) const DESKTOP: (u32, u32) = (1280, 800);

impl Demo {
    /// A fresh Chromium at `width`×`height` (a profile of its own, kept while the
    /// returned directory lives), signed in as the demo account `phone`, on
    /// `path`, hydrated.
    pub(crate) async fn as_on(
        &self,
        phone: &str,
        path: &str,
        (width, height): (u32, u32),
    ) -> (TempDir, Client) {
        let profile = TempDir::new("chromium");
        let client = open_browser(&self.driver_url, width, height, &profile.0).await;
        demo_page_as(&client, &self.base, phone, path).await;
        (profile, client)
    }
}

pub(crate) async fn demo(name: &str) -> Option<Demo> {
    let (bin, _site) = crate::support::release_build_or_skip()?;
    let workdir = TempDir::new(name);
    let (sao, base) = start_sao(&bin, &workdir.0, &["--demo", "--data-dir", "data"]).await;
    wait_until_healthy(&base).await;
    let (driver, driver_url) = start_chromedriver().await;
    Some(Demo {
        workdir,
        _sao: sao,
        base,
        _driver: driver,
        driver_url,
    })
}

/// Waits until `ready` (a script expression) holds and the page's text is the
/// same on two looks 250 ms apart (its data arrived, its Suspense resolved),
/// within 30 s: a wait by condition where a fixed sleep used to guess.
pub(crate) async fn wait_settled(client: &Client, ready: &str, what: &str) {
    let script = format!(
        "return (document.readyState === 'complete' && document.body && ({ready})) \
           ? document.body.innerText : null"
    );
    let started = Instant::now();
    let mut last = json!(null);
    loop {
        let now = eval(client, &script).await;
        if !now.is_null() && now == last {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what}: the page never settled"
        );
        last = now;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A site's one public address relayed to whichever server serves it now (as
/// a load balancer stands in front of a deployment). Cut, it drops every
/// connection and refuses new ones: a real network cut, which Chromium's
/// offline switch is not for a service worker's own fetches.
pub(crate) struct Relay {
    pub(crate) base: String,
    upstream: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    cuts: tokio::sync::watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    pub(crate) async fn start() -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("relay");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let upstream = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
        let (cuts, _) = tokio::sync::watch::channel(0_u64);
        let (to, cut) = (upstream.clone(), cuts.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = to.lock().expect("upstream").clone();
                let mut cut = cut.subscribe();
                tokio::spawn(async move {
                    let Some(target) = target else { return };
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Relay {
            base,
            upstream,
            cuts,
            task,
        }
    }

    /// Relays to `base` (a server's own `http://…`), or nowhere (cut); either
    /// way the connections open now are dropped.
    pub(crate) fn to(&self, base: Option<&str>) {
        *self.upstream.lock().expect("upstream") =
            base.map(|b| b.trim_start_matches("http://").to_string());
        self.cuts.send_modify(|n| *n += 1);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Asks the page `probe` (an expression giving a promise of `{ ok, … }`) every
/// 250 ms until it is ok, within `seconds` (0: once); its answer.
pub(crate) async fn poll_page(
    client: &Client,
    probe: &str,
    seconds: u64,
    what: &str,
) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let script = format!(
            "const done = arguments[0]; Promise.resolve().then(() => {probe}) \
             .then(done, (e) => done({{ ok: false, error: String(e) }}));"
        );
        let answer = client.execute_async(&script, vec![]).await.expect(what);
        if answer["ok"] == json!(true) || seconds == 0 {
            return answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(seconds),
            "{what}: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
