//! The walk (issue 14): every demo role's pages on the release build, at a
//! phone's 360×740 and a tablet's 820×1180 — each page hydrates, fits the width
//! (no sideways scrolling) and is saved as a screenshot under
//! `target/browser/walk/` to be looked at. Then once more in English (issue 15):
//! what the page shows holds no Vietnamese but the data's own words (names,
//! addresses, places, what people typed) and the decision's rule text.
use crate::support::browser::{
    assert_fits_width, demo, eval, open_browser, screenshot, wait_for, wait_settled,
};
use crate::support::TempDir;
use app::db::demo::DEMO_PASSWORD;
use fantoccini::Client;
use serde_json::json;

/// A page to walk: a fixed path, the first link on the last page whose address
/// starts with a prefix, or the last page's address with more after it.
enum Page {
    Path(&'static str),
    FirstLink(&'static str),
    Append(&'static str),
}

/// (width, height, language): Vietnamese at both sizes, English on the phone.
const PASSES: [(u32, u32, &str); 3] = [(360, 740, "vi"), (820, 1180, "vi"), (360, 740, "en")];

fn walks() -> Vec<(&'static str, Option<&'static str>, Vec<Page>)> {
    use Page::{Append, FirstLink, Path};
    vec![
        (
            "public",
            None,
            vec![
                Path("/"),
                Path("/tu-danh-gia"),
                Path("/bo-tieu-chi"),
                Path("/dang-ky"),
            ],
        ),
        (
            "producer",
            Some("+84900000005"),
            vec![Path("/producer"), FirstLink("/ho-so/"), Append("/mau-02")],
        ),
        (
            "commune",
            Some("+84900000003"),
            vec![Path("/xa"), Path("/xa/so-theo-doi")],
        ),
        (
            "office",
            Some("+84900000004"),
            vec![
                Path("/van-phong"),
                Path("/van-phong/dot/demo-dot-tiep-theo"),
                Path("/van-phong/dot/demo-dot-2-2026"),
                Path("/van-phong/dot/demo-dot-nam-truoc"),
            ],
        ),
        (
            "ministry",
            Some("+84900000012"),
            vec![Path("/van-phong"), Path("/van-phong/giay-chung-nhan")],
        ),
        (
            "member",
            Some("+84900000007"),
            vec![Path("/cham-diem"), FirstLink("/cham-diem/")],
        ),
        (
            "chair",
            Some("+84900000006"),
            vec![
                Path("/hoi-dong/demo-dot-2-2026"),
                Path("/hoi-dong/demo-dot-nam-truoc"),
            ],
        ),
        (
            "admin",
            Some("+84900000002"),
            vec![
                Path("/admin"),
                Path("/admin/nguoi-dung"),
                Path("/admin/nhat-ky"),
            ],
        ),
    ]
}

async fn sign_in(client: &Client, base: &str, phone: &str) {
    crate::support::browser::log_in_as(client, base, phone, DEMO_PASSWORD).await;
}

/// A file name for the page: "/van-phong/dot/x" → "van-phong-dot-x".
fn slug(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "home".into()
    } else {
        trimmed.replace('/', "-")
    }
}

#[tokio::test]
async fn every_roles_pages_fit_a_phone_and_a_tablet() {
    let Some(demo) = demo("sao-walk").await else {
        return;
    };
    let (base, driver_url) = (demo.base.clone(), demo.driver_url.clone());
    let data_words = crate::english::data_words(&demo.workdir.0.join("data/sao.db")).await;
    let mut walked = 0;
    let mut vietnamese: Vec<String> = Vec::new();
    for (role, phone, pages) in walks() {
        for (width, height, lang) in PASSES {
            let profile = TempDir::new(&format!("chromium-walk-{role}-{width}-{lang}"));
            let client = open_browser(&driver_url, width, height, &profile.0).await;
            if lang == "en" {
                crate::english::choose_english(&client, &base).await;
            }
            if let Some(phone) = phone {
                sign_in(&client, &base, phone).await;
            }
            let (mut previous, mut previous_name) = (String::new(), String::new());
            for page in &pages {
                // Screenshots keep one name whatever the demo's ids are.
                let name = match page {
                    Page::Path(path) => slug(path),
                    Page::FirstLink(prefix) => format!("{}-first", slug(prefix)),
                    Page::Append(more) => format!("{previous_name}-{}", slug(more)),
                };
                let path = match page {
                    Page::Path(path) => path.to_string(),
                    Page::Append(more) => format!("{previous}{more}"),
                    Page::FirstLink(prefix) => {
                        let found = eval(
                            &client,
                            &format!(
                                "const a = [...document.querySelectorAll('a[href^=\"{prefix}\"]')]; \
                                 return a.length ? a[0].getAttribute('href') : null;"
                            ),
                        )
                        .await;
                        let href = found.as_str().unwrap_or_else(|| {
                            panic!("{role}: no link to {prefix}… on {previous}")
                        });
                        href.to_string()
                    }
                };
                client
                    .goto(&format!("{base}{path}"))
                    .await
                    .unwrap_or_else(|e| panic!("{role} {path}: {e}"));
                wait_for(&client, "body[data-hydrated='true']", &path).await;
                // Let the page's data arrive (its Suspense resolves).
                wait_settled(
                    &client,
                    "document.querySelector('h1')",
                    &format!("{role} {path} at {width}"),
                )
                .await;
                assert_eq!(
                    eval(&client, "return !!document.querySelector('h1')").await,
                    json!(true),
                    "{role} {path} at {width}: no heading"
                );
                assert_fits_width(&client, &format!("{role} {path} at {width} px")).await;
                if lang == "en" {
                    for left in crate::english::vietnamese_left(&client, &data_words).await {
                        vietnamese.push(format!("{role} {path}: {left}"));
                    }
                    screenshot(&client, &format!("walk/{role}-{name}-en-{width}x{height}")).await;
                } else {
                    screenshot(&client, &format!("walk/{role}-{name}-{width}x{height}")).await;
                }
                walked += 1;
                previous = path;
                previous_name = name;
            }
            client.close().await.expect("close browser");
        }
    }
    println!(
        "walked {walked} pages at 360x740 and 820x1180, and in English at 360x740; \
         screenshots in target/browser/walk/"
    );
    assert!(
        vietnamese.is_empty(),
        "Vietnamese on English pages, outside the data's own words:\n{}",
        vietnamese.join("\n")
    );
}
