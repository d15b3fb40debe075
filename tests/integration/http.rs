use crate::support::{for_each_engine, for_each_engine_with_demo, TempDir, TestDb, TestServer};
use sao_server::Health;

#[tokio::test]
async fn the_home_page_is_complete_html_before_hydration_on_each_engine() {
    for_each_engine_with_demo(|server| async move {
        // Arrange

        // Act
        let response = server.get("/").await;

        // Assert
        assert_eq!(response.status(), 200, "{}", server.engine);
        let html = response.text().await.expect("body");
        assert!(html.contains("<html lang=\"vi\""), "{}", server.engine);
        assert!(html.contains("<h1>Sao — phần mềm OCOP</h1>"));
        for link in [
            "href=\"/dang-ky\"",
            "href=\"/tu-danh-gia\"",
            "href=\"/bo-tieu-chi\"",
            "class=\"role-text\"",
        ] {
            assert!(html.contains(link), "missing {link}");
        }
        // The units come from the database and are in place, not in a streamed template.
        assert!(
            html.contains("<p id=\"units-summary\">34<!> tỉnh, thành phố; <!>3.321<!> xã"),
            "{}: {html}",
            server.engine
        );
    })
    .await;
}

#[tokio::test]
async fn healthz_reports_version_engine_and_migration_level() {
    for_each_engine(|server| async move {
        let health: Health = server.get("/healthz").await.json().await.expect("json");

        assert_eq!(health.status, "ok");
        assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(health.engine, server.engine);
        assert_eq!(health.migration_level, 20261206000024);
    })
    .await;
}

#[tokio::test]
async fn english_is_chosen_by_cookie_not_by_the_browser_language() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;

    let browser_english = server
        .page_with("/", &[("accept-language", "en-US,en;q=0.9")])
        .await;
    let chosen_english = server
        .page_with("/", &[("cookie", "i18n_pref_locale=en")])
        .await;

    assert!(browser_english.contains("<html lang=\"vi\""));
    assert!(chosen_english.contains("<html lang=\"en\""));
    assert!(chosen_english.contains("<h1>Sao — OCOP software</h1>"));
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn the_admin_page_lists_every_province() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;

    let html = server.page("/admin").await;

    assert_eq!(html.matches("<li><span class=\"code\">").count(), 34);
    assert!(html.contains("Quảng Ngãi"));
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn an_unknown_address_answers_404_in_vietnamese() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;

    let response = server.get("/khong-co-trang-nay").await;

    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("Không tìm thấy trang"));
    test_db.cleanup(server.stop()).await;
}

/// A site directory like cargo-leptos's, with precompressed twins.
fn fake_site() -> TempDir {
    let dir = TempDir::new("site");
    let pkg = dir.0.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    let wasm = vec![b'a'; 4096];
    std::fs::write(pkg.join("sao.Cqai8RTnkJIsfkzg4Goerw.wasm"), &wasm).expect("wasm");
    std::fs::write(pkg.join("sao.Cqai8RTnkJIsfkzg4Goerw.wasm.br"), b"br-bytes").expect("br");
    std::fs::write(pkg.join("sao.Cqai8RTnkJIsfkzg4Goerw.wasm.gz"), b"gz-bytes").expect("gz");
    std::fs::write(dir.0.join("manifest.webmanifest"), "{\"name\":\"Sao\"}").expect("manifest");
    // A split chunk (a lazy route's code): kept when its page loads it, not precached.
    std::fs::write(pkg.join("sao_producer.Dk3lq0a9VbXw2Zt1.wasm"), &wasm).expect("chunk");
    dir
}

#[tokio::test]
async fn hashed_assets_are_served_compressed_and_cached_for_a_year() {
    // Arrange
    let site = fake_site();
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, Some(&site.0)).await;
    let path = "/pkg/sao.Cqai8RTnkJIsfkzg4Goerw.wasm";

    // Act
    let brotli = server
        .get_with(path, &[("accept-encoding", "br, gzip")])
        .await;
    let gzip = server.get_with(path, &[("accept-encoding", "gzip")]).await;
    let plain = server.get(path).await;
    let manifest = server.get("/manifest.webmanifest").await;

    // Assert
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(
        brotli.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(brotli.headers()["vary"]
        .to_str()
        .unwrap_or("")
        .contains("accept-encoding"));
    assert_eq!(brotli.bytes().await.expect("body").as_ref(), b"br-bytes");
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(plain.headers().get("content-encoding"), None);
    assert_eq!(plain.bytes().await.expect("body").len(), 4096);
    assert_eq!(manifest.headers()["cache-control"], "no-cache");
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn pages_are_compressed_on_the_fly() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;

    let response = server.get_with("/", &[("accept-encoding", "br")]).await;

    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn the_service_worker_precaches_the_shipped_assets() {
    let site = fake_site();
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, Some(&site.0)).await;

    let response = server.get("/sw.js").await;

    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/javascript"));
    let script = response.text().await.expect("body");
    assert!(
        script.contains("\"/pkg/sao.Cqai8RTnkJIsfkzg4Goerw.wasm\""),
        "{script}"
    );
    assert!(!script.contains(".wasm.br"), "{script}");
    assert!(
        !script.contains("sao_producer."),
        "a role's chunk is not precached: {script}"
    );
    assert!(script.contains("keep(cache, PRECACHE)"));

    // The site is replaced under the running server (an upgrade): the next
    // worker lists the new files, never the ones that are gone.
    let pkg = site.0.join("pkg");
    std::fs::remove_file(pkg.join("sao.Cqai8RTnkJIsfkzg4Goerw.wasm")).expect("remove");
    std::fs::write(pkg.join("sao.N3wRe1ea5eHashXyz.wasm"), b"new").expect("new wasm");
    let script = server.page("/sw.js").await;
    assert!(
        script.contains("\"/pkg/sao.N3wRe1ea5eHashXyz.wasm\""),
        "{script}"
    );
    assert!(!script.contains("Cqai8RTnkJIsfkzg4Goerw"), "{script}");
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn a_cross_origin_state_change_is_refused_with_403() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/anything", server.base);
    let host = server.base.trim_start_matches("http://").to_string();

    let foreign = client
        .post(&url)
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("post");
    let anonymous = client.post(&url).send().await.expect("post");
    let own = client
        .post(&url)
        .header("origin", format!("http://{host}"))
        .send()
        .await
        .expect("post");

    assert_eq!(foreign.status(), 403);
    assert!(foreign
        .text()
        .await
        .expect("body")
        .contains("chỉ chấp nhận thao tác từ chính trang Sao"));
    assert_eq!(anonymous.status(), 403, "no Origin and no Referer");
    assert_ne!(own.status(), 403, "the app's own origin passes the check");
    test_db.cleanup(server.stop()).await;
}

#[tokio::test]
async fn every_response_carries_security_headers_and_pages_a_nonce_policy() {
    let test_db = TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;

    let page = server.get("/").await;
    let health = server.get("/healthz").await;

    for response in [&page, &health] {
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["referrer-policy"], "same-origin");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_string();
    let html = page.text().await.expect("body");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("nonce in policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the policy's nonce"
    );
    // Leptos leaves an empty `<script></script>`; anything with content must carry the nonce.
    let unsigned = html
        .split("<script>")
        .skip(1)
        .filter(|rest| !rest.starts_with("</script>"))
        .count();
    assert_eq!(unsigned, 0, "an inline script without the nonce");
    test_db.cleanup(server.stop()).await;
}
