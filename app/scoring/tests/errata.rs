//! The loader refuses a blank points cell or two equal options that no erratum
//! names, and an erratum that names what is not there; the committed data
//! agrees with every points cell of the decision's printed text.
#![cfg(not(target_arch = "wasm32"))] // native-only: the file system
use sao_scoring::errata::ErratumKind;
use sao_scoring::{RuleSetId, Scorecard};
use serde_json::Value;

fn rules_dir() -> String {
    format!("{}/../rules", env!("CARGO_MANIFEST_DIR"))
}

fn set_json(number: u32) -> Value {
    let path = format!("{}/qd-26-2026/set-{number:02}.json", rules_dir());
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn parse(value: &Value) -> Result<Scorecard, sao_scoring::RuleError> {
    let text = serde_json::to_string_pretty(value).expect("json");
    Scorecard::parse(
        "set.json",
        &text,
        &RuleSetId::parse("qd-26-2026").expect("id"),
    )
}

fn without_errata(mut value: Value, kind: &str, criterion: &str) -> Value {
    let errata = value["errata"].as_array_mut().expect("errata");
    let before = errata.len();
    errata.retain(|e| !(e["kind"] == kind && e["criterion"] == criterion));
    assert_eq!(
        errata.len() + 1,
        before,
        "one {kind} erratum on {criterion}"
    );
    value
}

#[test]
fn set_7_loads_with_its_errata() {
    let card = parse(&set_json(7)).expect("set 7 loads");
    let kinds: Vec<ErratumKind> = card.errata.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&ErratumKind::BlankPoints));
    assert!(kinds.contains(&ErratumKind::EqualPoints));
}

#[test]
fn a_blank_points_cell_no_erratum_names_is_refused() {
    let value = without_errata(set_json(7), "blank_points", "1.2");
    let error = parse(&value).expect_err("refused");
    assert!(
        error.rule.contains("1.2") && error.rule.contains("để trống"),
        "{error}"
    );
    assert!(error.line > 1, "{error}");
}

#[test]
fn equal_points_no_erratum_names_are_refused() {
    let value = without_errata(set_json(7), "equal_points", "3.1");
    let error = parse(&value).expect_err("refused");
    assert!(
        error.rule.contains("3.1") && error.rule.contains("cùng số điểm"),
        "{error}"
    );

    // Set 1 has no equal options: making two equal is refused too.
    let mut one = set_json(1);
    let options = &mut one["parts"][0]["groups"][0]["criteria"][0]["cases"][0]["options"];
    let first = options[1]["points"].clone();
    options[2]["points"] = first;
    assert!(parse(&one).is_err(), "equal points slipped in");
}

/// Set 1 with one more erratum, parsed: the refusal's rule text.
fn refusal_with(erratum: &Value) -> String {
    let mut value = set_json(1);
    let errata = value["errata"].as_array_mut().expect("errata");
    errata.push(erratum.clone());
    parse(&value).expect_err("refused").rule
}

#[test]
fn an_erratum_naming_a_fault_that_is_not_there_is_refused() {
    let mut erratum = set_json(7)["errata"]
        .as_array()
        .expect("errata")
        .iter()
        .find(|e| e["kind"] == "blank_points")
        .expect("set 7's blank erratum")
        .clone();
    // Set 1's 1.2 prints its 0: a blank_points erratum on it names nothing.
    let rule = refusal_with(&erratum);
    assert!(rule.contains("không có"), "{rule}");

    // An erratum on a criterion the set lacks.
    erratum["criterion"] = Value::from("9.9");
    let rule = refusal_with(&erratum);
    assert!(rule.contains("9.9"), "{rule}");

    // A criterion-kind erratum that names no criterion.
    erratum.as_object_mut().expect("object").remove("criterion");
    let rule = refusal_with(&erratum);
    assert!(rule.contains("phải ghi tiêu chí"), "{rule}");

    // An unknown kind does not decode.
    erratum["kind"] = Value::from("misc");
    erratum["criterion"] = Value::from("1.2");
    let rule = refusal_with(&erratum);
    assert!(rule.contains("misc"), "{rule}");
}

/// The points cell printed after an option: the line after the first `|` that
/// follows the option's text (None: the cell is blank).
fn printed_cell(source: &[&str], option_line: u32) -> Option<u32> {
    let start = option_line as usize - 1;
    let bar = (start..source.len())
        .find(|&i| source[i].trim() == "|")
        .expect("a cell after the option");
    let cell = source[bar + 1].trim();
    (cell != "|").then(|| {
        cell.parse()
            .unwrap_or_else(|_| panic!("line {}: {cell}", bar + 2))
    })
}

#[test]
fn every_points_cell_agrees_with_the_printed_decision_or_an_erratum_names_it() {
    let text = std::fs::read_to_string(format!("{}/source/qd-26-2026-QD-TTg.txt", rules_dir()))
        .expect("the decision's text");
    let source: Vec<&str> = text.lines().collect();
    let (mut checked, mut blank, mut corrected) = (0, 0, 0);
    for number in 1..=26 {
        let card = parse(&set_json(number)).expect("loads");
        for (_, _, criterion) in card.criteria() {
            let corrects = card.errata.iter().any(|e| {
                e.criterion.as_ref() == Some(&criterion.code)
                    && matches!(e.kind, ErratumKind::Points | ErratumKind::MissingOptions)
            });
            for option in criterion.options() {
                checked += 1;
                let place = format!(
                    "set {number}, {}, line {}",
                    criterion.code, option.source_line
                );
                match printed_cell(&source, option.source_line) {
                    None => {
                        assert!(
                            option.blank,
                            "{place}: blank in the decision, not marked blank"
                        );
                        blank += 1;
                    }
                    Some(points) if points != option.points => {
                        assert!(
                            corrects,
                            "{place}: printed {points}, data {}",
                            option.points
                        );
                        corrected += 1;
                    }
                    Some(_) => assert!(!option.blank, "{place}: marked blank, printed"),
                }
            }
        }
    }
    println!("{checked} options checked, {blank} blank, {corrected} corrected by errata");
    assert_eq!((checked, blank, corrected), (2579, 4, 24));
}
