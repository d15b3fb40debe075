//! `sao rules` and `sao score` over the 26 shipped scorecards.
use sao_server::cli;
use sao_server::config::{RulesAction, ScoreArgs};
use serde_json::{json, Value};

/// `sao score --set <set>` with every other option at its default.
pub(crate) fn args(set: u32) -> ScoreArgs {
    ScoreArgs {
        rules: "qd-26-2026".into(),
        product_set: set,
        members: None,
        chair: None,
        profile: None,
        level: None,
        confirmed_knockouts: vec![],
        input: None,
    }
}

/// Criterion codes of a set with each one's option count, in the decision's order.
fn criteria(set: u32) -> Vec<(String, usize)> {
    let text = app::rules_catalog::raw_file("qd-26-2026", &format!("set-{set:02}.json"))
        .expect("set file");
    let data: Value = serde_json::from_str(text).expect("json");
    let mut out = Vec::new();
    for part in data["parts"].as_array().expect("parts") {
        for group in part["groups"].as_array().expect("groups") {
            for criterion in group["criteria"].as_array().expect("criteria") {
                let options: usize = criterion["cases"]
                    .as_array()
                    .expect("cases")
                    .iter()
                    .map(|c| c["options"].as_array().map_or(0, Vec::len))
                    .sum();
                out.push((
                    criterion["code"].as_str().expect("code").to_string(),
                    options,
                ));
            }
        }
    }
    out
}

/// A member sheet choosing, for every criterion, the option `pick(count)`.
fn sheet(set: u32, pick: impl Fn(usize) -> Option<usize>) -> Value {
    let map: serde_json::Map<String, Value> = criteria(set)
        .into_iter()
        .map(|(code, count)| (code, json!(pick(count))))
        .collect();
    Value::Object(map)
}

fn score(args: &ScoreArgs, sheets: &Value) -> Result<Value, String> {
    cli::score(args, &sheets.to_string())
        .map(|out| serde_json::from_str(&out).expect("output is JSON"))
}

#[test]
fn rules_list_shows_26_product_sets_number_first() {
    let out = cli::rules(&RulesAction::List).expect("list");

    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 26);
    for (index, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("{}\t", index + 1)), "{line}");
    }
    assert!(lines[25].contains("Dịch vụ du lịch cộng đồng"));
}

#[test]
fn rules_show_prints_the_decision_text() {
    let out = cli::rules(&RulesAction::Show {
        rule_set: "qd-26-2026".into(),
        number: 1,
    })
    .expect("show");

    assert!(out.starts_with("1. Bộ sản phẩm: Rau, củ, quả, hạt tươi\n"));
    assert!(out.contains("Phần A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG (40 điểm)"));
    assert!(out.contains("    1.1. Nguồn gốc sản phẩm (3)"));
    assert!(out.contains("□ Sản phẩm được trồng trên địa bàn cấp xã từ 75% đến 100% — 3 điểm"));
    assert!(out.contains("***** — 3 điểm"), "star markers are shown");
    let missing = cli::rules(&RulesAction::Show {
        rule_set: "qd-26-2026".into(),
        number: 27,
    });
    assert!(missing
        .expect_err("27")
        .contains("không có bộ sản phẩm số 27"));
}

#[test]
fn top_sheets_earn_five_stars_and_go_to_the_ministry() {
    let sheets = json!([
        sheet(7, |n| Some(n - 1)),
        sheet(7, |n| Some(n - 1)),
        sheet(7, |n| Some(n - 1))
    ]);

    let result = score(&args(7), &sheets).expect("score");

    assert_eq!(result["totals"], json!([100, 100, 100]));
    assert_eq!(result["mean"], "100.00");
    assert_eq!(result["band"], 5);
    assert_eq!(result["star"], 5);
    assert_eq!(
        result["next_step"],
        json!({"action": "forward", "to": "central"})
    );
}

#[test]
fn empty_sheets_earn_one_star_and_no_certificate() {
    let sheets = json!([sheet(12, |_| None)]);

    let result = score(&args(12), &sheets).expect("score");

    assert_eq!(result["totals"], json!([0]));
    assert_eq!(result["band"], 1);
    assert_eq!(result["next_step"], json!({"action": "no_certificate"}));
    assert!(!result["failed_minimums"]["3"]
        .as_array()
        .expect("list")
        .is_empty());
}

#[test]
fn below_quorum_there_is_no_result_and_the_missing_sheets_are_counted() {
    let mut scoring = args(1);
    scoring.members = Some(9);
    scoring.chair = Some(0);
    let sheets = json!([sheet(1, |n| Some(n - 1)), sheet(1, |n| Some(n - 1))]);

    let result = score(&scoring, &sheets).expect("score");

    assert_eq!(result["quorum"]["required"], 7);
    assert_eq!(result["quorum"]["missing"], 5);
    assert_eq!(result["quorum"]["met"], false);
    assert_eq!(result["mean"], Value::Null);
    assert_eq!(result["star"], Value::Null);
}

#[test]
fn a_bad_sheet_names_the_member_and_the_criterion() {
    let good = sheet(3, |n| Some(n - 1));
    let mut bad = good.clone();
    bad["2.2"] = json!(99);
    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("1.3");

    let out_of_range = score(&args(3), &json!([good.clone(), bad])).expect_err("refused");
    let unanswered = score(&args(3), &json!([missing, good])).expect_err("refused");
    let duplicate = cli::score(&args(3), r#"[{"1.1": 0, "1.1": 1}]"#).expect_err("refused");

    assert!(
        out_of_range
            .starts_with("phiếu của thành viên 1: tiêu chí 2.2: phương án 99 không tồn tại"),
        "{out_of_range}"
    );
    assert_eq!(
        unanswered,
        "phiếu của thành viên 0: tiêu chí 1.3 chưa được chấm"
    );
    assert!(
        duplicate.contains("phiếu của thành viên 0: tiêu chí 1.1 được trả lời hai lần"),
        "{duplicate}"
    );
}

#[test]
fn the_three_tier_profile_forwards_from_the_district() {
    let mut scoring = args(5);
    scoring.profile = Some("qd-148-2023".into());
    let sheets = json!([sheet(5, |n| Some(n - 1))]);

    let district = score(&scoring, &sheets).expect("score");
    scoring.level = Some("province".into());
    let province = score(&scoring, &sheets).expect("score");

    assert_eq!(district["level"], "district");
    assert_eq!(
        district["next_step"],
        json!({"action": "forward", "to": "province"})
    );
    assert_eq!(
        province["next_step"],
        json!({"action": "forward", "to": "central"})
    );
}

#[test]
fn a_confirmed_knockout_disqualifies_from_the_command_line() {
    let mut scoring = args(2);
    scoring.confirmed_knockouts = vec!["1.1".into()];
    let mut flagged = sheet(2, |n| Some(n - 1));
    flagged["knockouts"] = json!(["1.1"]);

    let result = score(&scoring, &json!([flagged])).expect("score");

    assert_eq!(result["disqualified"], true);
    assert_eq!(result["star"], Value::Null);
    assert_eq!(result["flags"]["knockouts_flagged"], json!(["1.1"]));
}

#[test]
fn an_imported_rule_set_passes_the_same_checks_or_is_refused_naming_file_and_line() {
    let dir = crate::support::TempDir::new("rules-import");
    for n in [1, 2] {
        let name = format!("set-{n:02}.json");
        let text = app::rules_catalog::raw_file("qd-26-2026", &name).expect("set");
        std::fs::write(dir.0.join(&name), text).expect("write");
    }

    let accepted = cli::rules(&RulesAction::Check {
        rule_set: "qd-26-2026".into(),
        dir: dir.0.clone(),
    });
    let broken = app::rules_catalog::raw_file("qd-26-2026", "set-02.json")
        .expect("set")
        .replacen("\"points\": 1,", "\"points\": 9,", 1);
    std::fs::write(dir.0.join("set-02.json"), broken).expect("write");
    let refused = cli::rules(&RulesAction::Check {
        rule_set: "qd-26-2026".into(),
        dir: dir.0.clone(),
    });

    assert_eq!(
        accepted.expect("valid"),
        "qd-26-2026: 2 bộ sản phẩm hợp lệ\n"
    );
    let error = refused.expect_err("refused");
    assert!(error.contains("set-02.json:"), "{error}");
    assert!(error.contains("vượt tối đa"), "{error}");
}

/// A sheet of set 1 adding up to exactly `total` (set 1 has enough 1-point options for any total).
fn sheet_totalling(total: u32) -> Value {
    let text = app::rules_catalog::raw_file("qd-26-2026", "set-01.json").expect("set 1");
    let data: Value = serde_json::from_str(text).expect("json");
    let mut left = total;
    let mut map = serde_json::Map::new();
    for part in data["parts"].as_array().expect("parts") {
        for group in part["groups"].as_array().expect("groups") {
            for criterion in group["criteria"].as_array().expect("criteria") {
                let options: Vec<u32> = criterion["cases"]
                    .as_array()
                    .expect("cases")
                    .iter()
                    .flat_map(|c| c["options"].as_array().cloned().unwrap_or_default())
                    .map(|o| o["points"].as_u64().expect("points") as u32)
                    .collect();
                let best = options
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| **p <= left)
                    .max_by_key(|(_, p)| **p);
                let choice = best.map(|(index, points)| {
                    left -= points;
                    index
                });
                map.insert(
                    criterion["code"].as_str().expect("code").to_string(),
                    json!(choice),
                );
            }
        }
    }
    assert_eq!(left, 0, "set 1 cannot total {total}");
    Value::Object(map)
}

#[test]
fn band_edges_through_sao_score_with_one_to_nine_members() {
    for n in 1..=9u32 {
        for (edge, below, at) in [(30, 1, 2), (50, 2, 3), (70, 3, 4), (90, 4, 5)] {
            let run = |sum: u32| {
                let sheets: Vec<Value> = (0..n)
                    .map(|i| sheet_totalling(sum / n + u32::from(i < sum % n)))
                    .collect();
                score(&args(1), &Value::Array(sheets)).expect("score")
            };

            let just_below = run(edge * n - 1);
            let exactly = run(edge * n);

            assert_eq!(just_below["band"], below, "n={n}, sum={}", edge * n - 1);
            assert_eq!(exactly["band"], at, "n={n}, sum={}", edge * n);
            assert_eq!(exactly["mean"], format!("{edge}.00"));
        }
    }
}
