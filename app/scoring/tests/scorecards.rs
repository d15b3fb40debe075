//! The committed rule data of QĐ 26/2026: all 26 scorecards load and hold every invariant.
#![cfg(not(target_arch = "wasm32"))] // native-only: proptest and the file system
use sao_scoring::{RuleSet, RuleSetId, Stars};

fn load() -> RuleSet {
    let dir = format!("{}/../rules/qd-26-2026", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("rules dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with("set-") && name.ends_with(".json"))
        .map(|name| {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("read");
            (name, text)
        })
        .collect();
    files.sort();
    let id = RuleSetId::parse("qd-26-2026").expect("id");
    RuleSet::load(&id, files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn all_26_product_sets_load_with_every_invariant() {
    let rules = load();

    assert_eq!(rules.product_sets.len(), 26);
    let numbers: Vec<u8> = rules.product_sets.keys().map(|n| n.get()).collect();
    assert_eq!(numbers, (1..=26).collect::<Vec<u8>>());
    let criteria: usize = rules
        .product_sets
        .values()
        .map(|s| s.criteria().count())
        .sum();
    let options: usize = rules
        .product_sets
        .values()
        .flat_map(|s| s.criteria().map(|(_, _, c)| c.option_count()))
        .sum();
    assert_eq!((criteria, options), (787, 2579));
    for set in rules.product_sets.values() {
        let parts: Vec<(&str, u32)> = set.parts.iter().map(|p| (p.code.as_str(), p.max)).collect();
        assert_eq!(
            parts,
            [("A", 40), ("B", 25), ("C", 35)],
            "set {}",
            set.number
        );
    }
}

#[test]
fn the_decision_text_is_kept_with_diacritics() {
    let rules = load();
    let first = rules.product_sets.values().next().expect("set 1");

    assert_eq!(first.name, "Rau, củ, quả, hạt tươi");
    let (_, group, criterion) = first.criteria().next().expect("1.1");
    assert_eq!(group.name, "TỔ CHỨC SẢN XUẤT");
    assert_eq!(criterion.name, "Nguồn gốc sản phẩm");
    assert_eq!(criterion.minimum_for(Stars::FIVE), None);
    let value_added = first.criterion(&"1.3".parse_code()).expect("1.3");
    assert_eq!(value_added.minimum_for(Stars::FIVE), Some(3));
    assert_eq!(value_added.minimum_for(Stars::FOUR), None);
}

#[test]
fn errata_are_listed() {
    let rules = load();
    let errata: Vec<String> = rules
        .product_sets
        .values()
        .flat_map(|s| {
            s.errata.iter().map(move |e| {
                format!(
                    "set {:>2}, line {}: {}: {} → {}",
                    s.number, e.source_line, e.place, e.source_says, e.data_holds
                )
            })
        })
        .collect();
    println!("errata ({}):", errata.len());
    for line in &errata {
        println!("  {line}");
    }
    assert_eq!(errata.len(), 58);
}

trait ParseCode {
    fn parse_code(&self) -> sao_scoring::CriterionCode;
}

impl ParseCode for str {
    fn parse_code(&self) -> sao_scoring::CriterionCode {
        sao_scoring::CriterionCode::parse(self).expect("code")
    }
}

#[test]
fn every_product_set_sits_once_in_phu_luc_i_under_its_sector_and_group() {
    let rules = load();
    let path = format!(
        "{}/../rules/qd-26-2026/classification.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let classification: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("classification"))
            .expect("json");
    let sectors = classification["sectors"].as_array().expect("sectors");
    let mut seen = Vec::new();

    for sector in sectors {
        for group in sector["groups"].as_array().expect("groups") {
            for number in group["product_sets"].as_array().expect("sets") {
                let number = number.as_u64().expect("number") as u32;
                let set = rules
                    .product_set(sao_scoring::ProductSetNumber::new(number).expect("number"))
                    .expect("set exists");
                assert_eq!(
                    set.sector,
                    sector["name"].as_str().expect("name"),
                    "set {number}"
                );
                assert_eq!(
                    set.group,
                    group["name"].as_str().expect("name"),
                    "set {number}"
                );
                seen.push(number);
            }
        }
    }

    assert_eq!(sectors.len(), 6);
    assert_eq!(
        sectors
            .iter()
            .map(|s| s["groups"].as_array().map_or(0, Vec::len))
            .sum::<usize>(),
        17
    );
    seen.sort();
    assert_eq!(seen, (1..=26).collect::<Vec<u32>>());
}
