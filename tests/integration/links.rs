//! Every link a demo role can reach from `/` answers 200 (issue 14): no
//! placeholder, no 404, no page that fails. Pages are rendered on the server, so
//! following the links in their HTML is following what a person can click.
use crate::support::for_each_engine_with_demo;
use app::db::demo::DEMO_PASSWORD;
use std::collections::{BTreeSet, VecDeque};

/// The same-origin paths `html` links to (`href="/…"`), without fragments.
fn links_in(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| {
            href.split('#')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&")
        })
        .filter(|href| !href.is_empty())
        .collect()
}

/// Static files the shell links on every page (the browser tests load them).
fn is_asset(path: &str) -> bool {
    ["/pkg/", "/icons/", "/manifest.webmanifest", "/sw.js"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

#[tokio::test]
async fn every_link_each_demo_role_reaches_from_home_answers_200() {
    for_each_engine_with_demo(|server| async move {
        let roles = [
            None,
            Some("+84900000001"),
            Some("+84900000002"),
            Some("+84900000003"),
            Some("+84900000004"),
            Some("+84900000005"),
            Some("+84900000006"),
            Some("+84900000007"),
        ];
        let mut failures = Vec::new();
        let mut visited_total = 0;
        for phone in roles {
            let client = server.client();
            if let Some(phone) = phone {
                client.log_in(phone, DEMO_PASSWORD).await;
            }
            let mut seen = BTreeSet::from(["/".to_string()]);
            let mut queue = VecDeque::from(["/".to_string()]);
            while let Some(path) = queue.pop_front() {
                if is_asset(&path) {
                    continue;
                }
                assert!(seen.len() < 400, "{phone:?}: more than 400 links, a loop?");
                // One retry: under the whole suite's load a page may be slow once.
                let url = format!("{}{path}", server.base);
                let response = match client.http.get(&url).send().await {
                    Ok(response) => response,
                    Err(_) => client.http.get(&url).send().await.expect("get"),
                };
                let status = response.status();
                visited_total += 1;
                if status.is_redirection() {
                    let location = response.headers()["location"]
                        .to_str()
                        .unwrap_or_default()
                        .to_string();
                    if seen.insert(location.clone()) {
                        queue.push_back(location);
                    }
                    continue;
                }
                if status != 200 {
                    failures.push(format!("{phone:?} {path}: {status}"));
                    continue;
                }
                let is_html = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("text/html"));
                if !is_html {
                    continue;
                }
                let html = response.text().await.expect("html");
                if html.contains("đang được xây dựng") || html.contains("Không tìm thấy trang")
                {
                    failures.push(format!("{phone:?} {path}: a placeholder page"));
                }
                for link in links_in(&html) {
                    // The same page with other query values (?tinh=1 … ?tinh=96):
                    // three of them stand for the rest.
                    let page = link.split('?').next().unwrap_or_default().to_string();
                    let variants = seen
                        .iter()
                        .filter(|s| s.starts_with(&format!("{page}?")))
                        .count();
                    if link.contains('?') && variants >= 3 {
                        continue;
                    }
                    if seen.insert(link.clone()) {
                        queue.push_back(link);
                    }
                }
            }
            println!("links: {phone:?} reached {} paths from /", seen.len());
        }
        assert!(
            failures.is_empty(),
            "links that do not answer 200:\n{}",
            failures.join("\n")
        );
        assert!(
            visited_total > 40,
            "the crawl reached only {visited_total} paths"
        );
    })
    .await;
}
