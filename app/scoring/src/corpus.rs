//! A deterministic corpus of councils and sheets over every product set, used to
//! prove that the native and the WebAssembly builds give byte-identical results.
use crate::council::{CouncilInput, MemberSheet};
use crate::ids::{CriterionCode, OptionIndex};
use crate::profile::Profile;
use crate::rules::Scorecard;
use crate::sheet::Answers;
use std::collections::BTreeSet;
use std::fmt::Write;

/// xorshift64*: tiny, deterministic, the same on every target (also the
/// generator of the benchmark, fuzz and drill commands).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is taken as 1: xorshift stays at 0).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn draw(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// In 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.draw() % n.max(1)
    }

    /// In (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.draw() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
}

fn random_sheet(set: &Scorecard, rng: &mut Rng) -> MemberSheet {
    let mut answers = Answers::default();
    for (_, _, criterion) in set.criteria() {
        let choice = if rng.below(10) == 0 {
            None
        } else {
            Some(OptionIndex(
                rng.below(criterion.option_count() as u64) as u16
            ))
        };
        answers.0.insert(criterion.code.clone(), choice);
    }
    let knockouts = if rng.below(50) == 0 {
        set.criteria()
            .next()
            .map(|(_, _, c)| vec![c.code.clone()])
            .unwrap_or_default()
    } else {
        vec![]
    };
    MemberSheet {
        answers,
        conflict: rng.below(20) == 0,
        knockouts,
    }
}

/// A sheet whose total is as close to `target` as the scorecard allows (boundary cases).
fn sheet_near(set: &Scorecard, target: u32) -> MemberSheet {
    let mut left = target;
    let mut answers = Answers::default();
    for (_, _, criterion) in set.criteria() {
        let best = criterion
            .options()
            .enumerate()
            .filter(|(_, o)| o.points <= left)
            .max_by_key(|(_, o)| o.points);
        let choice = best.map(|(index, option)| {
            left -= option.points;
            OptionIndex(index as u16)
        });
        answers.0.insert(criterion.code.clone(), choice);
    }
    MemberSheet {
        answers,
        conflict: false,
        knockouts: vec![],
    }
}

/// One council: product set index, sheets, council size, confirmed knock-outs.
type Case = (
    usize,
    Vec<MemberSheet>,
    Option<u32>,
    BTreeSet<CriterionCode>,
);

/// Evaluates at least `min_sheets` generated sheets (plus boundary cases) and
/// returns one JSON line per council: the input's shape and the full result.
pub fn run(sets: &[Scorecard], profiles: &[Profile], seed: u64, min_sheets: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    let none = BTreeSet::new();
    let mut cases: Vec<Case> = Vec::new();
    for (index, set) in sets.iter().enumerate() {
        for boundary in [29, 30, 49, 50, 69, 70, 89, 90] {
            for n in 1..=3u32 {
                let sheets = (0..n).map(|i| sheet_near(set, boundary + i % 2)).collect();
                cases.push((index, sheets, None, none.clone()));
            }
        }
    }
    let mut sheets_made = 0;
    while sheets_made < min_sheets {
        let index = rng.below(sets.len() as u64) as usize;
        let members = 1 + rng.below(9) as usize;
        let sheets: Vec<MemberSheet> = (0..members)
            .map(|_| random_sheet(&sets[index], &mut rng))
            .collect();
        sheets_made += members;
        let council = (rng.below(3) > 0).then(|| members as u32 + rng.below(2) as u32);
        let confirmed = if rng.below(40) == 0 {
            sheets
                .iter()
                .flat_map(|s| s.knockouts.iter().cloned())
                .collect()
        } else {
            BTreeSet::new()
        };
        cases.push((index, sheets, council, confirmed));
    }
    for (case, (index, sheets, members, confirmed)) in cases.iter().enumerate() {
        let profile = &profiles[case % profiles.len()];
        let level = &profile.levels[case % profile.levels.len()].code;
        let input = CouncilInput {
            scorecard: &sets[*index],
            profile,
            level,
            sheets,
            members: *members,
            chair: members.map(|_| 0),
            confirmed_knockouts: confirmed,
        };
        let result = match input.evaluate() {
            Ok(result) => serde_json::to_string(&result).unwrap_or_else(|e| format!("\"{e}\"")),
            Err(error) => format!("{{\"error\":{:?}}}", error.to_string()),
        };
        let _ = writeln!(
            out,
            "{case}\t{}\t{}\t{result}",
            sets[*index].number, profile.id
        );
    }
    out
}
