//! The English pass of the walk: what a page shows, less the data's own words
//! (every text the demo database holds, and the decision's rule text), must
//! hold no Vietnamese letter.
use crate::support::browser::{click, eval, wait_for};
use fantoccini::Client;
use sqlx::Row;
use std::path::Path;

/// Vietnamese letters (and đ): what an English page must not show of its own.
pub fn is_vietnamese(c: char) -> bool {
    matches!(c, 'đ' | 'Đ')
        || ('\u{00C0}'..='\u{024F}').contains(&c)
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

fn strings_of(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings_of(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings_of(v, out)),
        _ => {}
    }
}

fn push_text(text: &str, out: &mut Vec<String>) {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            strings_of(&value, out)
        }
        _ => out.push(text.to_string()),
    }
}

/// Every Vietnamese text the database and the rule files hold, longest first.
pub async fn data_words(database: &Path) -> Vec<String> {
    let db = app::db::Db::connect(&format!("sqlite:{}?mode=ro", database.display()))
        .await
        .expect("open the walk's database");
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
    )
    .fetch_all(db.pool())
    .await
    .expect("list tables");
    let mut words = Vec::new();
    for (table,) in tables {
        let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
            .fetch_all(db.pool())
            .await
            .expect("read a table");
        for row in rows {
            for index in 0..row.len() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(index) {
                    push_text(&text, &mut words);
                }
            }
        }
    }
    let rules = crate::support::files::repo_path("app/rules");
    for file in crate::support::files::files_with(&rules, "json") {
        let text = std::fs::read_to_string(&file).expect("read a rule file");
        push_text(&text, &mut words);
    }
    // The decisions' numbers ("26/2026/QĐ-TTg") are names the rule text gives,
    // quoted by pages in either language.
    let numbers: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .filter(|token| token.contains("/QĐ-"))
        .map(|token| {
            token
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '-')
                .to_string()
        })
        .collect();
    words.extend(numbers);
    let mut words: Vec<String> = words
        .into_iter()
        .map(|w| w.trim().to_string())
        .filter(|w| w.chars().any(is_vietnamese))
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    words
}

/// Chooses English as a person does: the language switch on the home page
/// (leptos_i18n keeps the choice in its cookie for the next pages).
pub async fn choose_english(client: &Client, base: &str) {
    client.goto(base).await.expect("open the site");
    wait_for(client, "body[data-hydrated='true']", "home before English").await;
    click(client, "button.lang[lang='en']", "the English button").await;
    wait_for(client, "html[lang='en']", "the page in English").await;
}

/// The Vietnamese the page shows besides the data's words (elements marked
/// `lang="vi"`, such as the language switch's "Tiếng Việt", left out).
pub async fn vietnamese_left(client: &Client, data_words: &[String]) -> Vec<String> {
    let shown = eval(
        client,
        "const body = document.body.cloneNode(true); \
         body.querySelectorAll('[lang=vi], script, style, template').forEach(e => e.remove()); \
         document.documentElement.appendChild(body); \
         const text = body.innerText; body.remove(); return text;",
    )
    .await;
    let mut text = shown.as_str().unwrap_or("").to_string();
    for word in data_words {
        if text.contains(word.as_str()) {
            text = text.replace(word.as_str(), " ");
        }
    }
    text.lines()
        .filter(|line| line.chars().any(is_vietnamese))
        .map(|line| line.trim().to_string())
        .collect()
}
