//! The release build in Debian's headless Chromium, at phone and tablet sizes.
use crate::support::{free_port, release_build_or_skip, workspace_target, TempDir, TestDb};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test ends, even on panic.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the release `sao` from a scratch working directory, proving it finds its site alone.
fn start_sao(bin: &Path, workdir: &Path, args: &[&str]) -> (Running, String) {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let log = std::fs::File::create(workdir.join("sao.log")).expect("log file");
    let child = Command::new(bin)
        .current_dir(workdir)
        .args(["--addr", &addr])
        .args(args)
        .env_remove("SAO_SITE_ROOT")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start sao");
    (Running(child), format!("http://{addr}"))
}

async fn wait_until_healthy(base: &str) -> serde_json::Value {
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

fn start_chromedriver() -> (Running, String) {
    let port = free_port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start /usr/bin/chromedriver (apt-get install chromium-driver)");
    (Running(child), format!("http://127.0.0.1:{port}"))
}

async fn open_browser(driver: &str, width: u32, height: u32, profile: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={},{}", width.max(500), height),
            ],
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

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

async fn eval(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.expect(script)
}

/// Waits for `css` to appear (e.g. a marker only the WASM sets), failing with `what`.
async fn wait_for(client: &Client, css: &str, what: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// Clicks the element at `css`, failing with `what`.
async fn click(client: &Client, css: &str, what: &str) {
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
async fn wait_for_heading(client: &Client, text: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&format!("//h1[text()='{text}']")))
        .await
        .unwrap_or_else(|e| panic!("heading \"{text}\": {e}"));
}

/// A page must fit the screen: no sideways scrolling on a 360 px phone.
async fn assert_fits_width(client: &Client, page: &str) {
    let fits = eval(
        client,
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    assert_eq!(fits, json!(true), "horizontal scrolling on {page}");
}

/// Home page at one size: renders, hydrates, switches language without a reload.
async fn check_home(driver: &str, base: &str, width: u32, height: u32) -> std::path::PathBuf {
    let profile = TempDir::new("chromium");
    let client = open_browser(driver, width, height, &profile.0).await;

    client.goto(base).await.expect("open home");
    assert_eq!(text_of(&client, "h1").await, "Sao — phần mềm OCOP");
    // Only the WASM sets this attribute: its presence proves hydration of the release build.
    wait_for(
        &client,
        "body[data-hydrated='true']",
        "the page never hydrated",
    )
    .await;
    assert_eq!(
        eval(&client, "return window.innerWidth").await,
        json!(width)
    );
    assert_fits_width(&client, &format!("horizontal scrolling at {width}px")).await;

    // A marker survives only if the switch happens in the page, not by a reload.
    eval(&client, "window.__saoMarker = 42; return null").await;
    click(&client, "button.lang[lang='en']", "English button").await;
    wait_for_heading(&client, "Sao — OCOP software").await;
    assert_eq!(eval(&client, "return window.__saoMarker").await, json!(42));
    assert_eq!(
        eval(&client, "return document.documentElement.lang").await,
        json!("en")
    );
    assert!(text_of(&client, "#units-summary")
        .await
        .starts_with("34 provinces and cities; 3,321 communes"));

    let dir = workspace_target().join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("home-{width}x{height}.png"));
    std::fs::write(&path, client.screenshot().await.expect("screenshot")).expect("write png");

    // Back to Vietnamese, then a client-side navigation to a role page.
    click(&client, "button.lang[lang='vi']", "Vietnamese button").await;
    click(&client, "a[href='/council']", "council link").await;
    wait_for_heading(&client, "Dành cho thành viên Hội đồng").await;
    assert_eq!(eval(&client, "return window.__saoMarker").await, json!(42));

    client.close().await.expect("close browser");
    path.canonicalize().unwrap_or(path)
}

#[tokio::test]
async fn the_release_build_renders_hydrates_and_switches_language_on_phone_and_tablet() {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    // Arrange
    let workdir = TempDir::new("sao-release");
    let (_sao, base) = start_sao(&bin, &workdir.0, &["--demo", "--data-dir", "data"]);
    let health = wait_until_healthy(&base).await;
    assert_eq!(health["engine"], "sqlite");
    assert!(
        workdir.0.join("data/sao.db").is_file(),
        "database not created under data/"
    );
    let (_driver, driver_url) = start_chromedriver();

    // Act + Assert, phone then tablet
    for (width, height) in [(360, 740), (820, 1180)] {
        let screenshot = check_home(&driver_url, &base, width, height).await;
        println!("screenshot {width}x{height}: {}", screenshot.display());
    }
}

#[tokio::test]
async fn the_release_binary_serves_postgres_and_stops_gracefully_on_sigterm() {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    let test_db = match std::env::var("SAO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => TestDb::postgres(&url).await,
        _ => {
            eprintln!("SAO_TEST_POSTGRES_URL is not set: release binary checked on SQLite only");
            TestDb::sqlite()
        }
    };
    let workdir = TempDir::new("sao-release-pg");
    let (mut sao, base) = start_sao(&bin, &workdir.0, &["--database-url", &test_db.url]);

    let health = wait_until_healthy(&base).await;
    let html = reqwest::get(format!("{base}/"))
        .await
        .expect("home")
        .text()
        .await
        .expect("body");
    let stopped = Command::new("kill")
        .args(["-TERM", &sao.0.id().to_string()])
        .status()
        .expect("kill -TERM");
    let exit = sao.0.wait().expect("wait for sao");

    assert_eq!(health["engine"], test_db.engine);
    assert!(html.contains("34<!> tỉnh, thành phố"), "{html}");
    assert!(stopped.success());
    assert!(exit.success(), "sao exited with {exit} on SIGTERM");
    let log = std::fs::read_to_string(workdir.0.join("sao.log")).expect("log");
    assert!(log.contains("stopped"), "{log}");
    assert!(
        log.contains("path=\"/healthz\" status=200"),
        "one line per request: {log}"
    );
    let db = app::db::Db::connect(&test_db.url).await.expect("reconnect");
    test_db.cleanup(db).await;
}

/// Ticks `choices` (criterion code, option index) on `/tu-danh-gia` and reads the total and star.
async fn tick_and_read(client: &Client, choices: &[(String, usize)]) -> (String, String) {
    for (code, index) in choices {
        // A DOM click (the sticky summary may cover the radio at 360 px).
        let css = format!("input[name='c-{code}'][value='{index}']");
        let clicked = eval(client, &format!("const e = document.querySelector(\"{css}\"); if (!e) return false; e.click(); return true;")).await;
        assert_eq!(clicked, json!(true), "{css} not found");
    }
    let total = text_of(client, "#try-total").await;
    let star = client
        .find(Locator::Css("#try-star"))
        .await
        .expect("star")
        .attr("data-stars")
        .await
        .expect("attr")
        .unwrap_or_default();
    (total, star)
}

#[tokio::test]
async fn self_assessment_computes_in_the_browser_agrees_with_sao_score_and_works_offline() {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    // Arrange: Sao, Chromium at phone size, product set 7, the first eight criteria ticked.
    let workdir = TempDir::new("sao-try");
    let (mut sao, base) = start_sao(&bin, &workdir.0, &["--data-dir", "data"]);
    wait_until_healthy(&base).await;
    let (_driver, driver_url) = start_chromedriver();
    let profile = TempDir::new("chromium-try");
    let client = open_browser(&driver_url, 360, 740, &profile.0).await;
    let page = format!("{base}/tu-danh-gia?bo=7");
    let text = app::rules_catalog::raw_file("qd-26-2026", "set-07.json").expect("set 7");
    let data: serde_json::Value = serde_json::from_str(text).expect("json");
    let codes: Vec<String> = data["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["groups"].as_array().cloned().unwrap_or_default())
        .flat_map(|g| g["criteria"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["code"].as_str().map(str::to_string))
        .collect();
    let choices: Vec<(String, usize)> = codes.iter().take(8).map(|c| (c.clone(), 1)).collect();

    client.goto(&page).await.expect("open /tu-danh-gia");
    wait_for(&client, "body[data-hydrated='true']", "hydrated").await;
    wait_for(
        &client,
        "form.sheet[data-ready='true']",
        "the self-assessment's lazily loaded code never ran",
    )
    .await;
    assert_fits_width(&client, "horizontal scrolling on /tu-danh-gia at 360 px").await;
    let requests_before = eval(
        &client,
        "return performance.getEntriesByType('resource').length",
    )
    .await;

    // Act: tick, read; then the same sheet through `sao score`.
    let (total, star) = tick_and_read(&client, &choices[..1]).await;
    assert_ne!(total, "0", "the first tick changes the total");
    let (total, star_after) = tick_and_read(&client, &choices[1..]).await;
    let requests_after = eval(
        &client,
        "return performance.getEntriesByType('resource').length",
    )
    .await;
    let sheet: serde_json::Map<String, serde_json::Value> = codes
        .iter()
        .map(|code| {
            let choice = choices
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, i)| json!(i))
                .unwrap_or(json!(null));
            (code.clone(), choice)
        })
        .collect();
    let args = crate::scoring_cli::args(7);
    let expected: serde_json::Value = serde_json::from_str(
        &sao_server::cli::score(&args, &json!([sheet]).to_string()).expect("sao score"),
    )
    .expect("json");

    // Assert: the browser computed alone, and agrees with the server's model.
    assert_eq!(
        requests_before, requests_after,
        "ticking made network requests"
    );
    assert_eq!(total, expected["totals"][0].to_string());
    assert_eq!(star_after, expected["star"].to_string());
    let _ = star;

    // Offline: once the service worker controls the page and has kept it, stop the server.
    eval(&client, "return null").await;
    let controlled = client
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(() => setTimeout(() => done(!!navigator.serviceWorker.controller), 500));",
            vec![],
        )
        .await
        .expect("service worker");
    assert_eq!(
        controlled,
        json!(true),
        "the service worker does not control the page"
    );
    client
        .goto(&page)
        .await
        .expect("reload while online (kept by the service worker)");
    wait_for(&client, "body[data-hydrated='true']", "hydrated again").await;
    let _ = sao.0.kill();
    let _ = sao.0.wait();
    client.goto(&page).await.expect("open offline");
    wait_for(
        &client,
        "body[data-hydrated='true']",
        "hydrated offline from the service worker's cache",
    )
    .await;
    wait_for(
        &client,
        "form.sheet[data-ready='true']",
        "the self-assessment's code did not load offline",
    )
    .await;
    let (offline_total, _) = tick_and_read(&client, &choices).await;
    assert_eq!(offline_total, total, "offline result differs");
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "the server was still up"
    );

    let dir = workspace_target().join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join("tu-danh-gia-360x740.png");
    std::fs::write(&path, client.screenshot().await.expect("screenshot")).expect("write png");
    println!(
        "screenshot tu-danh-gia 360x740: {}",
        path.canonicalize().unwrap_or(path).display()
    );
    client.close().await.expect("close");
}

/// Saves a screenshot under `target/browser/` and returns its path.
async fn screenshot(client: &Client, name: &str) -> std::path::PathBuf {
    let dir = workspace_target().join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, client.screenshot().await.expect("screenshot")).expect("write png");
    path.canonicalize().unwrap_or(path)
}

/// Types into the input at `css`.
async fn type_into(client: &Client, css: &str, text: &str) {
    let input = client.find(Locator::Css(css)).await.expect(css);
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

/// Waits until the element at `css` contains `text`.
async fn wait_for_text(client: &Client, css: &str, text: &str) {
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

#[tokio::test]
async fn a_producer_signs_up_with_0912_345_678_and_logs_back_in_with_plus84_on_a_phone() {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    // Arrange: the release build on SQLite, Chromium at 360×740.
    let workdir = TempDir::new("sao-signup");
    let (_sao, base) = start_sao(&bin, &workdir.0, &["--data-dir", "data"]);
    wait_until_healthy(&base).await;
    let (_driver, driver_url) = start_chromedriver();
    let profile = TempDir::new("chromium-signup");
    let client = open_browser(&driver_url, 360, 740, &profile.0).await;
    let password = "ca-phe-dak-glei";

    // Act 1: sign up. A wrong number is refused beside the field by the shared Rust
    // check running in the browser (only the WASM can show it before submitting).
    client
        .goto(&format!("{base}/dang-ky"))
        .await
        .expect("open /dang-ky");
    wait_for(&client, "body[data-hydrated='true']", "hydrated").await;
    assert_fits_width(&client, "/dang-ky at 360 px").await;
    type_into(&client, "#field-phone", "012 345").await;
    click(&client, "#field-display_name", "name field").await;
    wait_for_text(&client, "#field-phone-error", "10 chữ số").await;
    screenshot(&client, "signup-refused-360x740").await;
    type_into(&client, "#field-phone", "0912 345 678").await;
    type_into(&client, "#field-display_name", "Hà Thị Mai").await;
    type_into(&client, "#field-password", password).await;
    click(&client, "#sign-up-submit", "sign-up button").await;
    wait_for(&client, "#account-id", "the account page after sign-up").await;
    let first_id = text_of(&client, "#account-id").await;
    let stored_phone = text_of(&client, "#account-phone").await;
    assert_fits_width(&client, "/tai-khoan at 360 px").await;
    let after_signup = screenshot(&client, "signup-account-360x740").await;

    // Act 2: log out, then log in with the number written another way.
    click(&client, "#log-out", "log-out button").await;
    wait_for_text(&client, "#account-link", "Đăng nhập").await;
    click(&client, "#account-link", "log-in link").await;
    wait_for(&client, "#log-in-form", "the log-in page").await;
    type_into(&client, "#field-phone", "+84912345678").await;
    type_into(&client, "#field-password", password).await;
    click(&client, "#log-in-submit", "log-in button").await;
    wait_for(&client, "#account-id", "the account page after log-in").await;
    let second_id = text_of(&client, "#account-id").await;
    let after_login = screenshot(&client, "login-account-360x740").await;

    // Assert: one account, stored in one form, whatever way the number was typed.
    assert_eq!(stored_phone, "+84912345678");
    assert!(!first_id.is_empty());
    assert_eq!(first_id, second_id, "log-in reached a different account");
    assert_eq!(text_of(&client, "#account-link").await, "Hà Thị Mai");
    println!(
        "sign-up/log-in at 360x740: same account {first_id}; screenshots {} and {}",
        after_signup.display(),
        after_login.display()
    );
    client.close().await.expect("close browser");
}
