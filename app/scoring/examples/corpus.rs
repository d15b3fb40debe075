//! Prints the native build's corpus results (compared with the WASM build's by tests/wasm_corpus.rs).
//! Usage: cargo run -p sao-scoring --example corpus > corpus-native.txt
#[path = "support/rules_dir.rs"]
mod rules_dir;

use sao_scoring::corpus;

fn main() {
    let sets = rules_dir::scorecards();
    let profiles = [
        rules_dir::profile("qd-26-2026"),
        rules_dir::profile("qd-148-2023"),
    ];
    print!("{}", corpus::run(&sets, &profiles, 2026, 10_000));
}
