//! Prints the native build's corpus results (compared with the WASM build's by tests/wasm_corpus.rs).
//! Usage: cargo run -p sao-scoring --example corpus > corpus-native.txt
use sao_scoring::{corpus, Profile, RuleSetId, Scorecard};

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
    let id = RuleSetId::parse("qd-26-2026").expect("id");
    let sets: Vec<Scorecard> = (1..=26)
        .map(|n| {
            let file = format!("{root}/qd-26-2026/set-{n:02}.json");
            let text = std::fs::read_to_string(&file).expect("rule file");
            Scorecard::parse(&file, &text, &id).expect("valid scorecard")
        })
        .collect();
    let profiles: Vec<Profile> = ["qd-26-2026", "qd-148-2023"]
        .iter()
        .map(|p| {
            let file = format!("{root}/profiles/{p}.json");
            Profile::parse(&file, &std::fs::read_to_string(&file).expect("profile"))
                .expect("valid profile")
        })
        .collect();
    print!("{}", corpus::run(&sets, &profiles, 2026, 10_000));
}
