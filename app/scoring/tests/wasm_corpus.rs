//! The WASM build evaluates the same corpus as the native build and must print
//! the very same bytes. README's test command runs the native example first and
//! passes its output here as `SAO_CORPUS_NATIVE` (a file path, read at compile time).
#![cfg(target_arch = "wasm32")] // this test is the WASM half of the comparison

use sao_scoring::{corpus, Profile, RuleSetId, Scorecard};
use wasm_bindgen_test::wasm_bindgen_test;

const NATIVE: &str = include_str!(env!("SAO_CORPUS_NATIVE"));

macro_rules! sets {
    ($($n:literal)*) => {
        [$((concat!("set-", $n, ".json"), include_str!(concat!("../../rules/qd-26-2026/set-", $n, ".json")))),*]
    };
}

#[wasm_bindgen_test]
fn wasm_results_equal_native_results_byte_for_byte() {
    let id = RuleSetId::parse("qd-26-2026").expect("id");
    let files = sets!("01" "02" "03" "04" "05" "06" "07" "08" "09" "10" "11" "12" "13"
                      "14" "15" "16" "17" "18" "19" "20" "21" "22" "23" "24" "25" "26");
    let sets: Vec<Scorecard> = files
        .iter()
        .map(|(file, text)| Scorecard::parse(file, text, &id).expect("valid"))
        .collect();
    let profiles: Vec<Profile> = [
        (
            "qd-26-2026.json",
            include_str!("../../rules/profiles/qd-26-2026.json"),
        ),
        (
            "qd-148-2023.json",
            include_str!("../../rules/profiles/qd-148-2023.json"),
        ),
    ]
    .iter()
    .map(|(file, text)| Profile::parse(file, text).expect("valid profile"))
    .collect();

    let wasm = corpus::run(&sets, &profiles, 2026, 10_000);

    if let Some(at) = wasm.bytes().zip(NATIVE.bytes()).position(|(a, b)| a != b) {
        let line = wasm[..at].matches('\n').count() + 1;
        panic!("WASM and native differ at byte {at} (line {line})");
    }
    assert_eq!(
        wasm.len(),
        NATIVE.len(),
        "WASM and native outputs differ in length"
    );
    wasm_bindgen_test::console_log!(
        "native = WASM: {} councils, {} bytes identical",
        wasm.lines().count(),
        wasm.len()
    );
}
