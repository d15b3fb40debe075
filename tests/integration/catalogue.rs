//! Issue 17: the public catalogue over HTTP on each engine, from the demo data —
//! search without diacritics, filters, product pages, the sitemap, and what a
//! hostile or careless visitor sends (bad filters, huge text, broken bytes,
//! unknown codes), answered with a message and never a 5xx.
use crate::support::{for_each_engine_with_demo, TestServer};

/// The codes of the products a catalogue page lists, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("data-code=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

async fn page(server: &TestServer, path: &str) -> (u16, String) {
    let response = server.get(path).await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn anyone_finds_certified_products_without_diacritics_and_by_filter() {
    for_each_engine_with_demo(|server| async move {
        // Every product in force: the expired and the revoked are left out, the
        // imported one is in; the highest stars first; no script at all.
        let (status, all) = page(&server, "/san-pham").await;
        assert_eq!(status, 200, "{all}");
        let codes = listed(&all);
        assert_eq!(codes.len(), 7, "{codes:?}");
        assert!(codes.contains(&"QN-2023-014".to_string()));
        assert!(!all.contains("Rượu cần Đăk Môn"), "expired is not listed");
        assert!(!all.contains("Măng khô Đăk Pék"), "revoked is not listed");
        assert!(all.contains("data-stars=\"5\""));
        assert!(!all.contains("<script"), "the catalogue sends no script");
        assert!(all.contains("data-count=\"7\""));

        // Words typed without diacritics, in any case.
        let (_, tea) = page(&server, "/san-pham?q=CHE+day").await;
        assert_eq!(listed(&tea).len(), 1);
        assert!(tea.contains("Chè dây Đăk Pék"));
        let (_, by_commune_name) = page(&server, "/san-pham?q=dak+mon").await;
        assert!(by_commune_name.contains("Cà phê Arabica Đăk Môn"));
        let (_, nothing) = page(&server, "/san-pham?q=sau+rieng").await;
        assert!(nothing.contains("id=\"catalogue-none\""));

        // Filters: stars, commune, product set, province; together with words.
        let (_, three) = page(&server, "/san-pham?sao=3").await;
        assert_eq!(listed(&three).len(), 3, "{:?}", listed(&three));
        let (_, commune) = page(&server, "/san-pham?xa=23341").await;
        assert_eq!(listed(&commune).len(), 1, "one in force at Đăk Pék");
        let (_, set) = page(&server, "/san-pham?bo=20").await;
        assert_eq!(listed(&set).len(), 1);
        let (_, province) = page(&server, "/san-pham?tinh=51").await;
        assert_eq!(listed(&province).len(), 7);
        let (_, elsewhere) = page(&server, "/san-pham?tinh=1").await;
        assert!(listed(&elsewhere).is_empty());
        let (_, both) = page(&server, "/san-pham?q=ca+phe&sao=4&xa=23374").await;
        assert_eq!(listed(&both).len(), 1);
        assert!(
            both.contains("<option value=\"23374\" selected"),
            "the choice stays chosen"
        );

        // A product's page: short address redirects to the readable one.
        let code = listed(&tea)[0].clone();
        let short = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(format!("{}/san-pham/{code}", server.base))
            .send()
            .await
            .expect("short address");
        assert_eq!(short.status().as_u16(), 308);
        let location = short.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert_eq!(location, format!("/san-pham/{code}/che-day-dak-pek"));
        let (status, product) = page(&server, &location).await;
        assert_eq!(status, 200);
        assert!(product.contains("data-status=\"valid\""), "{product}");
        assert!(product.contains("HTX Nông nghiệp Đăk Pék"));
        assert!(product.contains(&format!("href=\"/xac-minh/{code}\"")));
        assert!(product.contains("id=\"product-channels\""));
        assert!(!product.contains("<script"));

        // The revoked product's page stays and says so.
        let (_, sitemap) = page(&server, "/sitemap.xml").await;
        let revoked = sitemap
            .lines()
            .find(|l| l.contains("mang-kho-dak-pek"))
            .and_then(|l| l.split("<loc>").nth(1))
            .and_then(|l| l.split("</loc>").next())
            .expect("the revoked product in the sitemap")
            .replace(&server.base, "");
        let (status, gone) = page(&server, &revoked).await;
        assert_eq!(status, 200);
        assert!(gone.contains("data-status=\"revoked\""));
        // Home, catalogue, the province, its six communes with products, nine products.
        assert_eq!(sitemap.matches("/san-pham/xa/").count(), 6, "{sitemap}");
        assert_eq!(sitemap.matches("<loc>").count(), 2 + 1 + 6 + 9, "{sitemap}");
        assert!(sitemap.contains(&format!("<loc>{}/san-pham</loc>", server.base)));

        // English when the visitor chose it.
        let english = server
            .page_with("/san-pham", &[("cookie", "i18n_pref_locale=en")])
            .await;
        assert!(english.contains("Certified OCOP products"));
        assert!(english.contains("<html lang=\"en\""));
    })
    .await;
}

#[tokio::test]
async fn bad_filters_are_refused_beside_the_form_and_unknown_codes_are_404() {
    for_each_engine_with_demo(|server| async move {
        let huge = "a".repeat(5_000);
        let cases = [
            ("/san-pham?sao=7", "sao"),
            ("/san-pham?sao=-3", "sao"),
            ("/san-pham?xa=abc", "xa"),
            ("/san-pham?tinh=99999999999999999999999", "tinh"),
            ("/san-pham?trang=0", "trang"),
            ("/san-pham?bo=1e3", "bo"),
        ];
        for (path, field) in cases {
            let (status, html) = page(&server, path).await;
            assert_eq!(status, 400, "{path}");
            assert!(
                html.contains(&format!("data-field=\"{field}\"")),
                "{path}: the message names {field}"
            );
            assert!(html.contains("role=\"alert\""));
            assert!(!html.contains("<script"));
        }
        let (status, html) = page(&server, &format!("/san-pham?q={huge}")).await;
        assert_eq!(status, 400);
        assert!(html.contains("data-field=\"q\""));
        assert!(html.contains("100"), "the limit is said");
        // Broken UTF-8 and markup in the words: read loosely, escaped when shown.
        let (status, html) = page(
            &server,
            "/san-pham?q=%FF%FE%3Cscript%3Ealert(1)%3C/script%3E",
        )
        .await;
        assert_eq!(status, 200);
        assert!(!html.contains("<script>alert(1)"), "escaped");
        assert!(html.contains("&lt;script&gt;"));
        // LIKE's wildcards typed as words are taken literally: they match nothing.
        for wildcard in ["%25", "_", "%5C", "%25%25+_"] {
            let (status, html) = page(&server, &format!("/san-pham?q={wildcard}")).await;
            assert_eq!(status, 200);
            assert!(listed(&html).is_empty(), "{wildcard} matched products");
        }
        // A page past the end shows the last one.
        let (status, html) = page(&server, "/san-pham?trang=9999").await;
        assert_eq!(status, 200);
        assert_eq!(listed(&html).len(), 7);
        // Unknown and malformed codes.
        for path in [
            "/san-pham/51-99999-001-2020/khong-co",
            "/san-pham/%3Cb%3E/x",
            &format!("/san-pham/{}/x", "9".repeat(300)),
            "/san-pham/51-99999-001-2020",
        ] {
            let (status, html) = page(&server, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("id=\"product-unknown\""), "{path}");
        }
        // The sitemap's addresses use the configured origin, never a forged Host.
        let forged = server
            .page_with("/sitemap.xml", &[("host", "evil.example")])
            .await;
        assert!(!forged.contains("evil.example"));
    })
    .await;
}

#[tokio::test]
async fn a_province_and_a_commune_have_readable_pages_of_their_products_and_points() {
    for_each_engine_with_demo(|server| async move {
        let no_redirect = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let location = |path: &'static str| {
            let client = no_redirect.clone();
            let base = server.base.clone();
            async move {
                let answer = client
                    .get(format!("{base}{path}"))
                    .send()
                    .await
                    .expect("short address");
                assert_eq!(answer.status().as_u16(), 308, "{path}");
                answer.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_string()
            }
        };
        // The province: its products in force (the imported one too), by stars,
        // its communes with how many, its points and its fair; no script.
        let province = location("/san-pham/tinh/51").await;
        assert_eq!(province, "/san-pham/tinh/51/quang-ngai");
        let (status, body) = page(&server, &province).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("data-total=\"7\""), "{body}");
        assert!(
            body.contains(
                "7 sản phẩm còn hiệu lực: 3 sản phẩm 3 sao, 3 sản phẩm 4 sao, 1 sản phẩm 5 sao."
            ),
            "{body}"
        );
        assert!(body.contains("data-commune=\"23341\""), "{body}");
        assert!(body.contains("Điểm giới thiệu và bán sản phẩm OCOP Đăk Plô"));
        assert!(body.contains("id=\"place-fairs\""));
        assert!(body.contains("href=\"/san-pham?tinh=51\""));
        assert!(!body.contains("<script"));

        // A commune: the revoked product is not among its products.
        let commune = location("/san-pham/xa/23341").await;
        assert_eq!(commune, "/san-pham/xa/23341/xa-dak-pek");
        let (status, body) = page(&server, &commune).await;
        assert_eq!(status, 200);
        assert!(body.contains("data-total=\"1\""), "{body}");
        assert!(
            body.contains("1 sản phẩm còn hiệu lực: 1 sản phẩm 3 sao."),
            "only the stars it has: {body}"
        );
        assert_eq!(listed(&body).len(), 1);
        assert!(!body.contains("Măng khô"), "revoked: {body}");
        assert!(body.contains("href=\"/san-pham/tinh/51/quang-ngai\""));

        // A product's page links its commune's and province's pages.
        let (_, product) = page(&server, "/san-pham?xa=23341").await;
        let code = listed(&product)[0].clone();
        let (_, product) = page(&server, &format!("/san-pham/{code}/x")).await;
        assert!(
            product.contains("href=\"/san-pham/xa/23341/xa-dak-pek\""),
            "{product}"
        );
        assert!(product.contains("href=\"/san-pham/tinh/51/quang-ngai\""));

        // No such place, or no place at all: 404, with the catalogue's page.
        for path in [
            "/san-pham/tinh/99",
            "/san-pham/xa/abc",
            "/san-pham/xa/99999999/x",
            "/san-pham/huyen/1/x",
            "/san-pham/tinh/%3Cb%3E/x",
        ] {
            let (status, body) = page(&server, path).await;
            assert_eq!(status, 404, "{path}: {body}");
            assert!(body.contains("id=\"product-unknown\""), "{path}");
        }
        // The sitemap names the province and its communes with products.
        let (_, sitemap) = page(&server, "/sitemap.xml").await;
        assert!(sitemap.contains("/san-pham/tinh/51/quang-ngai</loc>"));
        assert!(sitemap.contains("/san-pham/xa/23341/xa-dak-pek</loc>"));
    })
    .await;
}
