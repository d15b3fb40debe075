//! The release build in Debian's headless Chromium, at phone and tablet sizes.
use crate::support::{
    free_port, release_build, release_required, workspace_target, TempDir, TestDb,
};
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

/// Home page at one size: renders, hydrates, switches language without a reload.
async fn check_home(driver: &str, base: &str, width: u32, height: u32) -> std::path::PathBuf {
    let profile = TempDir::new("chromium");
    let client = open_browser(driver, width, height, &profile.0).await;

    client.goto(base).await.expect("open home");
    assert_eq!(text_of(&client, "h1").await, "Sao — phần mềm OCOP");
    // Only the WASM sets this attribute: its presence proves hydration of the release build.
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("body[data-hydrated='true']"))
        .await
        .expect("the page never hydrated");
    assert_eq!(
        eval(&client, "return window.innerWidth").await,
        json!(width)
    );
    assert_eq!(
        eval(
            &client,
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        .await,
        json!(true),
        "horizontal scrolling at {width}px"
    );

    // A marker survives only if the switch happens in the page, not by a reload.
    eval(&client, "window.__saoMarker = 42; return null").await;
    client
        .find(Locator::Css("button.lang[lang='en']"))
        .await
        .expect("English button")
        .click()
        .await
        .expect("click English");
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//h1[text()='Sao — OCOP software']"))
        .await
        .expect("English heading");
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
    client
        .find(Locator::Css("button.lang[lang='vi']"))
        .await
        .expect("Vietnamese button")
        .click()
        .await
        .expect("click Vietnamese");
    client
        .find(Locator::Css("a[href='/council']"))
        .await
        .expect("link")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//h1[text()='Dành cho thành viên Hội đồng']",
        ))
        .await
        .expect("council page");
    assert_eq!(eval(&client, "return window.__saoMarker").await, json!(42));

    client.close().await.expect("close browser");
    path.canonicalize().unwrap_or(path)
}

#[tokio::test]
async fn the_release_build_renders_hydrates_and_switches_language_on_phone_and_tablet() {
    let Some((bin, _site)) = release_build() else {
        assert!(
            !release_required(),
            "SAO_RELEASE_BIN / SAO_SITE_ROOT not set"
        );
        eprintln!("skipped: no release build (README's test command builds it)");
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
    let Some((bin, _site)) = release_build() else {
        assert!(
            !release_required(),
            "SAO_RELEASE_BIN / SAO_SITE_ROOT not set"
        );
        eprintln!("skipped: no release build (README's test command builds it)");
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
