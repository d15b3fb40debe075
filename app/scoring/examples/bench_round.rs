//! Benchmark: one provincial round of 500 products × 9 members through the
//! scoring model (validate and score every sheet, then each council's result).
//! Usage: cargo run --release -p sao-scoring --example bench_round
#[path = "support/rules_dir.rs"]
mod rules_dir;

use sao_scoring::council::{CouncilInput, MemberSheet};
use sao_scoring::{Answers, OptionIndex};
use std::collections::BTreeSet;
use std::time::Instant;

const PRODUCTS: usize = 500;
const MEMBERS: usize = 9;
const REPEATS: usize = 5;

fn main() {
    let sets = rules_dir::scorecards();
    let profile = rules_dir::profile("qd-26-2026");

    // Deterministic sheets: each member picks one of the three best options, varying by member.
    let round: Vec<(usize, Vec<MemberSheet>)> = (0..PRODUCTS)
        .map(|product| {
            let set = product % sets.len();
            let sheets = (0..MEMBERS)
                .map(|member| {
                    let mut answers = Answers::default();
                    for (i, (_, _, c)) in sets[set].criteria().enumerate() {
                        let pick = c
                            .option_count()
                            .saturating_sub(1 + (member + i + product) % 3);
                        answers
                            .0
                            .insert(c.code.clone(), Some(OptionIndex(pick as u16)));
                    }
                    MemberSheet {
                        answers,
                        conflict: false,
                        knockouts: vec![],
                    }
                })
                .collect();
            (set, sheets)
        })
        .collect();

    let none = BTreeSet::new();
    let mut best = f64::MAX;
    let mut recognised = 0;
    for _ in 0..REPEATS {
        let started = Instant::now();
        recognised = 0;
        for (set, sheets) in &round {
            let result = CouncilInput {
                scorecard: &sets[*set],
                profile: &profile,
                level: "province",
                sheets,
                members: Some(MEMBERS as u32),
                chair: Some(0),
                confirmed_knockouts: &none,
            }
            .evaluate()
            .expect("evaluate");
            recognised += usize::from(
                result
                    .outcome
                    .and_then(|o| o.star)
                    .is_some_and(|s| s.get() >= 3),
            );
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "round of {PRODUCTS} products × {MEMBERS} members ({} sheets): best of {REPEATS} runs {:.1} ms, {:.1} µs per sheet; {recognised} products at 3★ or more",
        PRODUCTS * MEMBERS,
        best * 1000.0,
        best * 1e6 / (PRODUCTS * MEMBERS) as f64
    );
}
