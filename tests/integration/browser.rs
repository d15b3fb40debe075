//! The release build in Debian's headless Chromium, at phone and tablet sizes.
use crate::support::browser::*;
use crate::support::{release_build_or_skip, TempDir, TestDb};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

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

    let path = screenshot(&client, &format!("home-{width}x{height}")).await;

    // Back to Vietnamese, then a client-side navigation to a role page.
    click(&client, "button.lang[lang='vi']", "Vietnamese button").await;
    click(&client, "a[href='/tu-danh-gia']", "self-assessment link").await;
    wait_for_heading(&client, "Tự đánh giá thử").await;
    assert_eq!(eval(&client, "return window.__saoMarker").await, json!(42));

    client.close().await.expect("close browser");
    path
}

#[tokio::test]
async fn the_release_build_renders_hydrates_and_switches_language_on_phone_and_tablet() {
    let Some((bin, _site)) = release_build_or_skip() else {
        return;
    };
    // Arrange
    let workdir = TempDir::new("sao-release");
    let (_sao, base) = start_sao(&bin, &workdir.0, &["--demo", "--data-dir", "data"]).await;
    let health = wait_until_healthy(&base).await;
    assert_eq!(health["engine"], "sqlite");
    assert!(
        workdir.0.join("data/sao.db").is_file(),
        "database not created under data/"
    );
    let (_driver, driver_url) = start_chromedriver().await;

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
    let (mut sao, base) = start_sao(&bin, &workdir.0, &["--database-url", &test_db.url]).await;

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

/// The criterion codes of product set 7, in scorecard order.
pub(crate) fn set_7_criteria() -> Vec<String> {
    app::rules_catalog::product_set("qd-26-2026", 7)
        .expect("set 7")
        .criteria()
        .map(|(_, _, criterion)| criterion.code.to_string())
        .collect()
}

/// What `sao score` makes of a set-7 sheet (criteria `codes`) with `choices`
/// ticked and the rest unanswered.
fn sao_score(codes: &[String], choices: &[(String, usize)]) -> serde_json::Value {
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
    let scored = sao_server::cli::score(&args, &json!([sheet]).to_string()).expect("sao score");
    serde_json::from_str(&scored).expect("json")
}

/// Ticks `choices` (criterion code, option index) on `/tu-danh-gia` and reads the total and star.
async fn tick_and_read(client: &Client, choices: &[(String, usize)]) -> (String, String) {
    for (code, index) in choices {
        // A DOM click (the sticky summary may cover the radio at 360 px).
        dom_click(client, &format!("input[name='c-{code}'][value='{index}']")).await;
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
    // Arrange: Sao, Chromium at phone size, product set 7, the first eight criteria ticked.
    let Some((mut run, client)) = release_in_browser("try", 360, 740).await else {
        return;
    };
    let base = run.base.clone();
    let page = format!("{base}/tu-danh-gia?bo=7");
    let codes = set_7_criteria();
    let choices: Vec<(String, usize)> = codes.iter().take(8).map(|c| (c.clone(), 1)).collect();

    open_hydrated(&client, &page).await;
    wait_for_sheet(
        &client,
        "the self-assessment's lazily loaded code never ran",
    )
    .await;
    assert_fits_width(&client, "horizontal scrolling on /tu-danh-gia at 360 px").await;
    // Count once the page has settled: a late fetch of the page's own (service
    // worker, lazy code) must not be taken for one made by a tick.
    let mut requests_before = json!(-1);
    loop {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let now = eval(
            &client,
            "return performance.getEntriesByType('resource').length",
        )
        .await;
        if now == requests_before {
            break;
        }
        requests_before = now;
    }

    // Act: tick, read; then the same sheet through `sao score`.
    let (total, star) = tick_and_read(&client, &choices[..1]).await;
    assert_ne!(total, "0", "the first tick changes the total");
    let (total, star_after) = tick_and_read(&client, &choices[1..]).await;
    let requests_after = eval(
        &client,
        "return performance.getEntriesByType('resource').length",
    )
    .await;
    let expected = sao_score(&codes, &choices);

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
    let controlled = service_worker_controls(&client).await;
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
    let _ = run.sao.0.kill();
    let _ = run.sao.0.wait();
    client.goto(&page).await.expect("open offline");
    wait_for(
        &client,
        "body[data-hydrated='true']",
        "hydrated offline from the service worker's cache",
    )
    .await;
    wait_for_sheet(&client, "the self-assessment's code did not load offline").await;
    let (offline_total, _) = tick_and_read(&client, &choices).await;
    assert_eq!(offline_total, total, "offline result differs");
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "the server was still up"
    );

    let path = screenshot(&client, "tu-danh-gia-360x740").await;
    println!("screenshot tu-danh-gia 360x740: {}", path.display());
    client.close().await.expect("close");
}

/// The code step of sign-up: the code is read from the release's outbox (the
/// phone's SMS) and typed in; the page must fit 360 px.
async fn enter_sign_up_code(client: &Client, workdir: &std::path::Path, phone: &str) {
    wait_for(client, "#field-code", "the code step").await;
    assert_fits_width(client, "/dang-ky/ma at 360 px").await;
    let db = app::db::Db::connect(&format!("sqlite:{}", workdir.join("data/sao.db").display()))
        .await
        .expect("the release's database");
    let code = crate::sms::sign_up_code(&db, phone, 1).await;
    db.close().await;
    type_into(client, "#field-code", &code).await;
}

#[tokio::test]
async fn a_producer_signs_up_with_0912_345_678_and_logs_back_in_with_plus84_on_a_phone() {
    // Arrange: the release build on SQLite, Chromium at 360×740.
    let Some((run, client)) = release_in_browser("signup", 360, 740).await else {
        return;
    };
    let base = run.base.clone();
    let password = "ca-phe-dak-glei";

    // Act 1: sign up. A wrong number is refused beside the field by the shared Rust
    // check running in the browser (only the WASM can show it before submitting).
    open_hydrated(&client, &format!("{base}/dang-ky")).await;
    assert_fits_width(&client, "/dang-ky at 360 px").await;
    type_into(&client, "#field-phone", "012 345").await;
    click(&client, "#field-display_name", "name field").await;
    wait_for_text(&client, "#field-phone-error", "10 chữ số").await;
    screenshot(&client, "signup-refused-360x740").await;
    type_into(&client, "#field-phone", "0912 345 678").await;
    type_into(&client, "#field-display_name", "Hà Thị Mai").await;
    // A common password is refused beside the field; corrected, one tap on the
    // button signs up: nothing moves between leaving the field and the tap.
    type_into(&client, "#field-password", "12345678").await;
    click(&client, "#field-display_name", "name field").await;
    wait_for_text(&client, "#field-password-error", "phổ biến").await;
    let button_top =
        "return Math.round(document.querySelector('#sign-up-submit').getBoundingClientRect().top)";
    let before = eval(&client, button_top).await;
    type_into(&client, "#field-password", password).await;
    click(&client, "#sign-up-submit", "sign-up button").await;
    enter_sign_up_code(&client, &run.workdir.0, "+84912345678").await;
    assert!(before.as_i64().is_some(), "the button's place was read");
    screenshot(&client, "signup-code-360x740").await;
    click(&client, "#sign-up-code-submit", "confirm code").await;
    wait_for(&client, "#desk", "the desk after sign-up").await;
    click(&client, "#account-link", "the account link").await;
    wait_for(&client, "#account-id", "the account page").await;
    let first_id = text_of(&client, "#account-id").await;
    let stored_phone = text_of(&client, "#account-phone").await;
    assert_fits_width(&client, "/tai-khoan at 360 px").await;
    let after_signup = screenshot(&client, "signup-account-360x740").await;

    // Act 2: log out, then log in with the number written another way.
    click(&client, "#log-out", "log-out button").await;
    wait_for_text(&client, "#account-link", "Đăng nhập").await;
    click(&client, "#account-link", "log-in link").await;
    wait_for(&client, "#log-in-form", "the log-in page").await;
    submit_log_in(&client, "+84912345678", password).await;
    click(&client, "#account-link", "the account link").await;
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

#[tokio::test]
async fn a_producer_builds_and_submits_a_dossier_on_slow_4g_at_360_px() {
    // Arrange: the release build, Chromium at 360×740 throttled to slow 4G, two files.
    let Some((run, client)) = release_in_browser("dossier", 360, 740).await else {
        return;
    };
    let base = run.base.clone();
    throttle_to_slow_4g(&client, &run.chromium.driver_url).await;
    let pdf_path = run.workdir.0.join("giay-chung-nhan-attp.pdf");
    let mut pdf = b"%PDF-1.4\n% Sao test\n".to_vec();
    pdf.extend((0..300_000_u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(&pdf_path, &pdf).expect("pdf");
    let photo_path = run.workdir.0.join("anh-san-pham.png");
    std::fs::write(
        &photo_path,
        crate::support::files::photo(800, 600, image::ImageFormat::Png),
    )
    .expect("png");
    let mut shots = Vec::new();

    // 1. From the home page (the only typed address), sign up.
    open_hydrated(&client, &base).await;
    click(&client, "#home-sign-up", "the home page's sign-up").await;
    wait_for(&client, "#field-phone", "the sign-up form").await;
    type_into(&client, "#field-phone", "0913 111 222").await;
    type_into(&client, "#field-display_name", "Y Bơ").await;
    type_into(&client, "#field-password", "sam-ngoc-linh-2026").await;
    click(&client, "#sign-up-submit", "sign-up button").await;
    enter_sign_up_code(&client, &run.workdir.0, "+84913111222").await;
    click(&client, "#sign-up-code-submit", "confirm code").await;
    wait_for(&client, "#desk", "the desk").await;
    shots.push(screenshot(&client, "dossier-1-signed-up-360x740").await);

    // 2. Subject profile, from the desk: a wrong tax code is refused beside the field first.
    click(
        &client,
        ".desk-card[data-kind='Producer'] a",
        "the producer's desk card",
    )
    .await;
    wait_for(&client, "#new-subject", "the producer page").await;
    click(&client, "#new-subject", "new subject").await;
    wait_for(&client, "#subject-form", "subject form").await;
    for (id, text) in [
        ("#field-name", "HTX Sâm Ngọc Linh Đắk Glei"),
        ("#field-registration_number", "6101234567"),
        ("#field-tax_code", "12"),
        ("#field-address", "Thôn Đắk Ven"),
        ("#field-representative", "Y Bơ"),
        ("#field-workers_total", "15"),
        ("#field-workers_local", "12"),
        ("#field-value_chain_contracts", "3"),
    ] {
        type_into(&client, id, text).await;
    }
    choose(&client, "#field-registration_date", "2020-03-15").await;
    // The commune by province and part of its name, typed without diacritics.
    wait_for(
        &client,
        "#field-province option[value='51']",
        "the provinces",
    )
    .await;
    choose(&client, "#field-province", "51").await;
    type_into(&client, "#commune-search", "dak plo").await;
    wait_for(
        &client,
        ".commune-option[data-code='23344']",
        "Xã Đăk Plô among the matches",
    )
    .await;
    click(&client, ".commune-option[data-code='23344']", "Xã Đăk Plô").await;
    wait_for_text(&client, "#commune-chosen", "Đăk Plô").await;
    for name in [
        "representative_woman",
        "representative_ethnic_minority",
        "channel_supermarket",
        "channel_e_commerce",
    ] {
        click(&client, &format!("input[name='{name}']"), name).await;
    }
    click(&client, "#subject-submit", "save subject").await;
    wait_for_text(&client, "#field-tax_code-error", "10 hoặc 13 chữ số").await;
    type_into(&client, "#field-tax_code", "6101234567").await;
    assert_fits_width(&client, "subject form at 360 px").await;
    shots.push(screenshot(&client, "dossier-2-subject-360x740").await);
    click(&client, "#subject-submit", "save subject").await;
    wait_for(
        &client,
        "#new-product",
        "the producer page with the new subject",
    )
    .await;

    // 3. Register a product in set 7.
    click(&client, "#new-product", "register a product").await;
    wait_for(&client, "#product-form", "product form").await;
    type_into(&client, "#field-name", "Sâm Ngọc Linh củ tươi").await;
    choose(&client, "#field-product_set", "7").await;
    shots.push(screenshot(&client, "dossier-3-product-360x740").await);
    click(&client, "#product-submit", "register").await;
    wait_for_sheet(&client, "the dossier's self-assessment").await;
    let dossier_url = client.current_url().await.expect("url").to_string();

    // 4. Tick the whole self-assessment: total and star follow every tick.
    let codes = set_7_criteria();
    let mut ticked: Vec<(String, usize)> = Vec::new();
    let mut last = (String::new(), String::new());
    for code in &codes {
        ticked.push((code.clone(), 0));
        let (total, star) = tick_and_read(&client, &ticked[ticked.len() - 1..]).await;
        let expected = sao_score(&codes, &ticked);
        assert_eq!(
            total,
            expected["totals"][0].to_string(),
            "total after ticking {code}"
        );
        let expected_star = expected["star"].as_u64().unwrap_or(0).to_string();
        assert_eq!(star, expected_star, "star after ticking {code}");
        last = (total, star);
    }
    wait_for(
        &client,
        "#save-state[data-state='saved']",
        "the draft reached the server",
    )
    .await;
    shots.push(screenshot(&client, "dossier-4-self-assessment-360x740").await);

    // 5. Upload a PDF and a photo (chunks, progress bar), each listed once stored.
    choose(&client, "#upload-slot", "food_safety").await;
    choose_file(&client, "#upload-file", &pdf_path).await;
    wait_for(
        &client,
        "#evidence-list li[data-stored='true']",
        "the PDF stored",
    )
    .await;
    // The page reloaded after the upload: wait until its code runs again.
    wait_for_sheet(&client, "the dossier after the reload").await;
    choose(&client, "#upload-slot", "product_photo").await;
    choose_file(&client, "#upload-file", &photo_path).await;
    wait_for_within(
        &client,
        "#evidence-list li:nth-child(2)[data-stored='true']",
        "the photo stored",
        60,
    )
    .await;
    shots.push(screenshot(&client, "dossier-5-evidence-360x740").await);

    // Evidence for three criteria, attached beside each criterion of the self-assessment.
    for (index, code) in codes.iter().take(3).enumerate() {
        wait_for_sheet(&client, "the dossier").await;
        let suffix = code.replace('.', "-");
        dom_click(
            &client,
            &format!(".criterion-evidence[data-criterion='{code}'] details.attach summary"),
        )
        .await;
        choose_file(&client, &format!("#upload-file-c-{suffix}"), &pdf_path).await;
        wait_for_within(
            &client,
            &format!(".criterion-evidence[data-criterion='{code}'] li[data-stored='true']"),
            &format!("evidence {} for {code}", index + 1),
            60,
        )
        .await;
    }
    shots.push(screenshot(&client, "producer/evidence-per-criterion-360x740").await);

    // 6. Mẫu 01 and Mẫu 02 in words: a sum typed wrong is refused beside its
    // field in the browser, then the whole report is saved.
    wait_for_sheet(&client, "the dossier").await;
    assert_eq!(
        eval(
            &client,
            "return document.querySelector('#report-link').dataset.missing"
        )
        .await,
        json!("9"),
        "nine lines of Mẫu 01/02 to write"
    );
    click(&client, "#report-link a", "Mẫu 01/02").await;
    wait_for(&client, "#report-form", "the report form").await;
    wait_for(&client, "body[data-hydrated='true']", "hydrated").await;
    for (id, text) in [
        ("#field-representative_title", "Giám đốc"),
        ("#field-phone", "0913111222"),
        ("#field-samples", "3"),
        ("#field-representative_ethnicity", "Xơ Đăng"),
        (
            "#field-product_description",
            "Củ sâm tươi 5 năm tuổi, hộp 100 g.",
        ),
        (
            "#field-history",
            "Thành lập năm 2020 từ tổ hợp tác trồng sâm.",
        ),
        (
            "#field-organisation",
            "Ban giám đốc, tổ sản xuất, tổ tiêu thụ.",
        ),
        (
            "#field-markets",
            "Siêu thị trong tỉnh, sàn thương mại điện tử.",
        ),
        ("#field-revenue", "1,2 tỷ"),
        ("#field-plan", "Mở rộng vùng trồng thêm 5 ha."),
    ] {
        type_into(&client, id, text).await;
    }
    click(
        &client,
        "input[name='business_registration']",
        "business registration",
    )
    .await;
    click(&client, "input[name='ip_trademark']", "trademark").await;
    dom_click(&client, "#report-save").await;
    wait_for_text(&client, "#field-revenue-error", "Nhập số tiền").await;
    type_into(&client, "#field-revenue", "1.250.000.000").await;
    dom_click(&client, "#report-save").await;
    wait_for(&client, "#report-saved:not([hidden])", "the report saved").await;
    wait_for(&client, "#report-missing[hidden]", "nothing missing").await;
    assert_fits_width(&client, "the report at 360 px").await;
    shots.push(screenshot(&client, "producer/report-360x740").await);
    click(&client, "#back-to-dossier", "back to the dossier").await;

    // 7. Submit: the dossier is frozen as version 1.
    wait_for_sheet(&client, "the dossier after reload").await;
    wait_for(
        &client,
        "#report-link[data-missing='0']",
        "Mẫu 01/02 complete",
    )
    .await;
    assert_eq!(
        text_of(&client, "#try-total").await,
        last.0,
        "the draft survived the reloads"
    );
    // A DOM click: the running total's bar covers the bottom of a 360 px screen.
    dom_click(&client, "#submit-dossier").await;
    wait_for(
        &client,
        "#dossier-state[data-state='submitted']",
        "the submitted state",
    )
    .await;
    assert_fits_width(&client, "dossier at 360 px").await;
    shots.push(screenshot(&client, "dossier-6-submitted-360x740").await);

    println!(
        "producer journey at 360x740 on slow 4G, from / by clicks: {} criteria ticked (total {}, {} stars), 2 documents and 3 criteria's evidence, Mẫu 01/02 written, submitted {dossier_url}",
        codes.len(),
        last.0,
        last.1
    );
    for shot in shots {
        println!("screenshot {}", shot.display());
    }
    client.close().await.expect("close browser");
}

#[tokio::test]
async fn the_commune_reviews_on_a_phone_and_the_office_assigns_the_dossier_on_a_desktop() {
    // Arrange: the release build with its demo officials; a producer submits a dossier.
    let Some(demo) = crate::support::browser::demo("sao-officials").await else {
        return;
    };
    let base = demo.base.clone();
    let db = app::db::Db::connect(&format!(
        "sqlite:{}",
        demo.workdir.0.join("data/sao.db").display()
    ))
    .await
    .expect("the release's database");
    let (producer, _, product) = crate::support::dossier::producer_with_product_through(
        crate::support::Client::new(&base),
        &db,
        "+84912000777",
    )
    .await;
    let submitted = producer.call_on("producer/submit", &product).await;
    assert_eq!(submitted.body, "1");
    let mut shots = Vec::new();

    // Commune officer, 360×740: the queue, receipt, the checklist and Mẫu 03.
    let (_p, phone) = demo.as_on("+84900000003", "/xa", PHONE).await;
    let item = format!("#commune-queue li[data-product='{product}']");
    wait_for(&phone, &item, "the dossier in the commune's queue").await;
    wait_for_text(&phone, &item, "còn 15 ngày làm việc").await;
    assert_fits_width(&phone, "/xa at 360 px").await;
    shots.push(screenshot(&phone, "commune-1-queue-360x740").await);
    mark_page(&phone).await;
    click(&phone, &format!("{item} button[type='submit']"), "receive").await;
    wait_for(
        &phone,
        &format!("{item}[data-state='commune_review']"),
        "received",
    )
    .await;
    assert_no_reload(&phone, "receipt").await;

    click(&phone, &format!("{item} a"), "the dossier's link").await;
    wait_for(&phone, "#checklist", "the review page").await;
    eval(
        &phone,
        "document.querySelectorAll('#checklist input[type=checkbox]').forEach(e => e.click()); return null",
    )
    .await;
    for (code, _) in app::domain::commune_review::CONTENTS {
        choose(&phone, &format!("#option-{code}"), "0").await;
    }
    dom_click(&phone, "#commune-save").await;
    wait_for(&phone, "#commune-saved", "the saved assessment").await;
    wait_for(&phone, "#commune-report", "the Mẫu 03 link").await;
    assert_no_reload(&phone, "the review").await;
    assert_fits_width(&phone, "/xa/ho-so at 360 px").await;
    shots.push(screenshot(&phone, "commune-2-review-360x740").await);
    dom_click(&phone, "#commune-forward").await;
    let started = Instant::now();
    loop {
        let dossier = producer.call_on("producer/dossier", &product).await.json();
        if dossier["product"]["state"] == "OfficeReview" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never forwarded: {dossier}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Forwarded, the dossier stays in the commune's register: back to the queue,
    // the register, found by part of its producer's name typed without diacritics.
    click(&phone, "#back-to-queue", "back to the queue").await;
    click(&phone, "#register-link", "the commune's register").await;
    wait_for(&phone, "#register li", "the register").await;
    type_into(&phone, "#register-search", "sam ngoc linh").await;
    wait_for(
        &phone,
        &format!("#register li[data-product='{product}'][data-state='office_review']"),
        "the forwarded dossier in the register",
    )
    .await;
    assert_no_reload(&phone, "the register").await;
    assert_fits_width(&phone, "/xa/so-theo-doi at 360 px").await;
    shots.push(screenshot(&phone, "commune/3-register-360x740").await);
    phone.close().await.expect("close");

    // OCOP office, 1280×800: intake, a round opened, the dossier assigned, a council member.
    let (_p, desk) = demo.as_on("+84900000004", "/van-phong", DESKTOP).await;
    let intake = format!("#office-queue li[data-product='{product}']");
    wait_for(&desk, &intake, "the dossier at the office").await;
    shots.push(screenshot(&desk, "office-1-intake-1280x800").await);
    mark_page(&desk).await;
    // The demo's round takes proposals until its cut-off: the dossier goes in.
    assign_to_round(&desk, &product, app::db::demo_office::DEMO_NEXT_ROUND).await;
    assert_no_reload(&desk, "the office's forms").await;
    assert_fits_width(&desk, "/van-phong at 1280 px").await;
    shots.push(screenshot(&desk, "office-2-round-1280x800").await);
    desk.close().await.expect("close");

    let dossier = producer.call_on("producer/dossier", &product).await.json();
    assert_eq!(dossier["product"]["state"], "InRound");
    println!(
        "officials in Chromium: commune queue and review at 360x740, office intake and assignment at 1280x800"
    );
    for shot in shots {
        println!("screenshot {}", shot.display());
    }
}

#[tokio::test]
async fn a_member_scores_three_products_offline_on_a_tablet_and_every_change_reaches_the_server_once(
) {
    // Arrange: a round in scoring with three products and one member (set up
    // in-process on a SQLite file), then the release build serving that file.
    let Some((bin, test_db, server)) = release_over_sqlite().await else {
        return;
    };
    let round = crate::support::round::scoring_round(&server, 3, 1, "qd-26-2026").await;
    let member_id = round.members[0].0.clone();
    let db = server.stop();
    let (_workdir, _sao, base) = serve_release_on(&bin, &test_db.url, "sao-tablet").await;
    let (chromium, tablet) = open_chromium("tablet", 820, 1180).await;
    let codes = set_7_criteria();

    // Online: log in and open the list (nothing else).
    log_in_as(
        &tablet,
        &base,
        &round.phones[0],
        crate::support::TEST_PASSWORD,
    )
    .await;
    tablet
        .goto(&format!("{base}/cham-diem"))
        .await
        .expect("open /cham-diem");
    wait_for(
        &tablet,
        "#my-products li:nth-child(3)",
        "three products listed",
    )
    .await;
    // Opening the list downloads the session packet: each sheet page, scorecard,
    // dossier and file, without opening the sheets.
    let packet_script = format!(
        "const done = arguments[0]; const ids = {ids}; \
         const check = () => Promise.all(ids.map(id => caches.match('/cham-diem/' + id))).then(pages => {{ \
           const dossiers = ids.filter(id => localStorage.getItem('sao.council.dossier.' + id)).length; \
           if (pages.every(Boolean) && dossiers === ids.length) done(true); else setTimeout(check, 250); }}); \
         check();",
        ids = json!(round.products)
    );
    let packet = tablet
        .execute_async(&packet_script, vec![])
        .await
        .expect("the session packet on the tablet");
    assert_eq!(packet, json!(true));
    let controlled = service_worker_controls(&tablet).await;
    assert_eq!(
        controlled,
        json!(true),
        "the service worker controls the page"
    );

    // Act: network off; score and hand in all three; reload; network on.
    set_offline(&tablet, &chromium.driver_url, true).await;
    let mut totals = Vec::new();
    let mut noted: Option<String> = None;
    for product in &round.products {
        open_sheet(
            &tablet,
            &format!("{base}/cham-diem/{product}"),
            "the sheet offline",
        )
        .await;
        wait_for(&tablet, "#dossier", "the dossier kept on the tablet").await;
        let choices: Vec<(String, usize)> = codes.iter().map(|c| (c.clone(), 0)).collect();
        let (total, _) = tick_and_read(&tablet, &choices).await;
        totals.push(total);
        if noted.is_none() {
            // A note and a knock-out flag on the first criterion of the first product.
            let criterion = eval(&tablet, NOTE_AND_FLAG).await;
            noted = criterion.as_str().map(str::to_string);
        }
        dom_click(&tablet, "#submit-sheet").await;
    }
    let noted = noted.expect("a note and a flag were made");
    let expected_waiting = 3 * (codes.len() + 1) + 2;
    tablet.refresh().await.expect("reload offline");
    wait_for_sheet(&tablet, "the sheet after an offline reload").await;
    wait_for(
        &tablet,
        &format!("#waiting[data-waiting='{expected_waiting}']"),
        "the waiting counter after the reload",
    )
    .await;
    let shot = screenshot(&tablet, "tablet-offline-820x1180").await;
    let reloaded_total = text_of(&tablet, "#try-total").await;
    // Still offline: the first sheet keeps its note and flag; the list shows progress.
    open_sheet(
        &tablet,
        &format!("{base}/cham-diem/{}", round.products[0]),
        "the first sheet",
    )
    .await;
    let kept_note = eval(
        &tablet,
        &format!("const d = document.querySelector(\"details.note[data-criterion='{noted}']\"); return [d.querySelector('textarea').value, d.querySelector('input.knockout-flag').checked];"),
    )
    .await;
    assert_eq!(
        kept_note,
        json!(["Nguyên liệu tại chỗ", true]),
        "note and flag after an offline reload"
    );
    tablet
        .goto(&format!("{base}/cham-diem"))
        .await
        .expect("the list offline");
    wait_for(
        &tablet,
        "#my-products li:nth-child(3) .progress[data-state='submitted']",
        "each product's progress on the tablet",
    )
    .await;
    let submitted_shown = eval(&tablet, "return document.querySelectorAll(\"#my-products .progress[data-state='submitted']\").length;").await;
    assert_eq!(submitted_shown, json!(3));
    // Landscape: the same list and a sheet without sideways scrolling.
    open_sheet(
        &tablet,
        &format!("{base}/cham-diem/{}", round.products[1]),
        "the sheet in landscape",
    )
    .await;
    // After the page loads: chromedriver's own emulation applies at each navigation.
    set_viewport(&tablet, &chromium.driver_url, 1180, 820).await;
    let viewport = eval(&tablet, "return [window.innerWidth, window.innerHeight];").await;
    assert_eq!(
        viewport,
        json!([1180, 820]),
        "the tablet turned to landscape"
    );
    let landscape = screenshot(&tablet, "tablet-landscape-1180x820").await;
    let fits = eval(
        &tablet,
        "return document.documentElement.scrollWidth <= window.innerWidth;",
    )
    .await;
    assert_eq!(fits, json!(true), "no sideways scroll in landscape");
    set_offline(&tablet, &chromium.driver_url, false).await;
    wait_for_within(
        &tablet,
        "#waiting[data-waiting='0']",
        "every change sent once the network is back",
        60,
    )
    .await;

    // Assert: each change kept exactly once; the server's results are the model's.
    assert_eq!(reloaded_total, totals[2], "the sheet survived the reload");
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sheet_changes WHERE member_id = $1")
        .bind(&member_id)
        .fetch_one(db.pool())
        .await
        .expect("count");
    assert_eq!(kept as usize, expected_waiting);
    let first = app::db::sheets::sheet(&db, &member_id, &round.products[0])
        .await
        .expect("sheet")
        .expect("stored");
    assert_eq!(first.notes[&noted].value, "Nguyên liệu tại chỗ");
    assert_eq!(first.flagged_knockouts(), vec![noted.clone()]);
    for (product, shown) in round.products.iter().zip(&totals) {
        let sheet = app::db::sheets::sheet(&db, &member_id, product)
            .await
            .expect("sheet")
            .expect("stored");
        assert!(sheet.submitted.is_some());
        assert_eq!(
            set_7_total(&sheet).to_string(),
            *shown,
            "server total = tablet total"
        );
    }
    // The chair asks for the open sheet again: the tablet hears of it without a reload.
    let chair = crate::support::Client::new(&base);
    chair
        .log_in(&round.phones[0], crate::support::TEST_PASSWORD)
        .await;
    let rescore = (member_id.as_str(), round.products[1].as_str());
    crate::support::round::request_rescore(
        &chair,
        &round.round_id,
        rescore,
        "Xem lại tiêu chí 1.2",
    )
    .await;
    wait_for_within(
        &tablet,
        "#rescore-asked",
        "the open sheet hears of the re-score request",
        60,
    )
    .await;
    let reopened = eval(
        &tablet,
        "return [document.querySelector('#rescore-asked').textContent.includes('Xem lại tiêu chí 1.2'), document.querySelector('#submit-sheet').disabled];",
    )
    .await;
    assert_eq!(
        reopened,
        json!([true, false]),
        "the reason shown, the sheet open again"
    );
    println!(
        "tablet 820x1180 offline: 3 products scored and handed in with the network off (a note and a knock-out flag on {noted}), {expected_waiting} changes waiting after a reload, all kept once when back online; the open sheet heard of a re-score request without a reload; screenshots {} and {}",
        shot.display(),
        landscape.display()
    );
    tablet.close().await.expect("close");
    test_db.cleanup(db).await;
}

/// Opens the first criterion's note, writes a note and flags a knock-out; the
/// criterion's code.
const NOTE_AND_FLAG: &str = "const d = document.querySelector('details.note'); d.open = true; \
    const t = d.querySelector('textarea'); t.value = 'Nguyên liệu tại chỗ'; \
    t.dispatchEvent(new Event('change', { bubbles: true })); \
    d.querySelector('input.knockout-flag').click(); return d.dataset.criterion;";

/// Keys the paper sheet of `pair` ("member|product") on `/nhap-phieu/{round}`
/// with `choices`; the outcome the page shows.
async fn key_paper_sheet_in(
    official: &Client,
    base: &str,
    round_id: &str,
    pair: &str,
    choices: &[(String, usize)],
) -> String {
    official
        .goto(&format!("{base}/nhap-phieu/{round_id}"))
        .await
        .expect("open /nhap-phieu");
    wait_for(
        official,
        &format!("#paper-pair option[value='{pair}']"),
        "the member's missing sheet offered",
    )
    .await;
    wait_for(official, "body[data-hydrated='true']", "hydrated").await;
    let chosen = eval(
        official,
        &format!("const s = document.querySelector('#paper-pair'); s.value = '{pair}'; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;"),
    )
    .await;
    assert_eq!(chosen, json!(pair));
    wait_for_sheet(official, "the scorecard to key").await;
    tick_and_read(official, choices).await;
    dom_click(official, "#key-paper").await;
    wait_for(
        official,
        "#paper-outcome:not(:empty)",
        "the keying's outcome",
    )
    .await;
    text_of(official, "#paper-outcome").await
}

/// A stored set-7 sheet's total as the shared model computes it.
fn set_7_total(sheet: &app::domain::sheet_sync::SheetState) -> u32 {
    let answers = sao_scoring::Answers(
        sheet
            .choices()
            .into_iter()
            .map(|(c, o)| {
                (
                    sao_scoring::CriterionCode::parse(&c).expect("code"),
                    o.map(sao_scoring::OptionIndex),
                )
            })
            .collect(),
    );
    let card = app::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
    sao_scoring::ScoredSheet::score(card, &answers)
        .expect("a whole sheet")
        .total
}

#[tokio::test]
async fn two_officials_key_a_paper_sheet_in_the_browser_and_it_counts_when_they_agree() {
    // Arrange: a round in scoring with one product and one member, two officials
    // of the province's office; the release build serving that database.
    let Some((bin, test_db, server)) = release_over_sqlite().await else {
        return;
    };
    let round = crate::support::round::scoring_round(&server, 1, 1, "qd-26-2026").await;
    let (member_id, product) = (round.members[0].0.clone(), round.products[0].clone());
    let officials = [crate::support::fresh_phone(), crate::support::fresh_phone()];
    for phone in &officials {
        crate::support::create_user(
            &server.db,
            phone,
            &[crate::support::people::office_grant(51)],
        )
        .await;
    }
    let db = server.stop();
    let (_workdir, _sao, base) = serve_release_on(&bin, &test_db.url, "sao-paper").await;
    let (_driver, driver_url) = start_chromedriver().await;
    let pair = format!("{member_id}|{product}");
    let paper: Vec<(String, usize)> = set_7_criteria().into_iter().map(|c| (c, 0)).collect();
    let mut misread = paper.clone();
    misread[2].1 = 1;

    // Act: the first official keys the sheet; the second misreads one box, then
    // corrects it.
    let (first_profile, second_profile) = (
        TempDir::new("chromium-paper-1"),
        TempDir::new("chromium-paper-2"),
    );
    let first = open_browser(&driver_url, 1280, 800, &first_profile.0).await;
    log_in_as(&first, &base, &officials[0], crate::support::TEST_PASSWORD).await;
    let waiting = key_paper_sheet_in(&first, &base, &round.round_id, &pair, &paper).await;
    // The first official watches the round's console meanwhile.
    first
        .goto(&format!("{base}/hoi-dong/{}", round.round_id))
        .await
        .expect("open the console");
    wait_for(
        &first,
        "#console td[data-state='not_started']",
        "the missing sheet on the console",
    )
    .await;
    wait_for(&first, "body[data-hydrated='true']", "hydrated").await;
    let second = open_browser(&driver_url, 1280, 800, &second_profile.0).await;
    log_in_as(&second, &base, &officials[1], crate::support::TEST_PASSWORD).await;
    let mismatch = key_paper_sheet_in(&second, &base, &round.round_id, &pair, &misread).await;
    let counted = key_paper_sheet_in(&second, &base, &round.round_id, &pair, &paper).await;
    let shot = screenshot(&second, "paper-keying-1280x800").await;
    wait_for_within(
        &first,
        "#console td[data-state='submitted']",
        "the console updates by itself once the keyed sheet counts",
        40,
    )
    .await;

    // Assert
    assert!(waiting.contains("cán bộ khác"), "{waiting}");
    let misread_code = &paper[2].0;
    assert!(
        mismatch.contains(&format!("tiêu chí: {misread_code}")),
        "the mismatch names {misread_code}: {mismatch}"
    );
    let sheet = app::db::sheets::sheet(&db, &member_id, &product)
        .await
        .expect("sheet")
        .expect("the keyed sheet counts");
    assert!(sheet.submitted.is_some());
    let total = set_7_total(&sheet);
    assert!(counted.ends_with(&total.to_string()), "{counted} / {total}");
    println!(
        "paper keying at 1280x800: first keying waits, a misread {misread_code} is named, the agreeing keying counts with total {total} and the open console shows it without a reload; screenshot {}",
        shot.display()
    );
    first.close().await.expect("close");
    second.close().await.expect("close");
    test_db.cleanup(db).await;
}
