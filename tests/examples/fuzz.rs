//! Issue 19: byte fuzzing on stable Rust (cargo-fuzz needs nightly, which
//! cannot be installed here). Each target starts from real inputs (the 26
//! product-set files, a member's sheet, a sync batch, the first bytes of real
//! uploads, phone numbers as people type them), mutates them (byte flips,
//! insertions, deletions, duplicated runs, JSON-ish tokens, overlong numbers,
//! lone surrogates) and feeds each to the parser under `catch_unwind`. A panic
//! is a crash: its input is written to `target/fuzz-crashes/` and the run fails
//! (exit 1); it then becomes a regression test.
//!
//! ```text
//! cargo run -p sao-tests --example fuzz -- [--seconds 60] [--target NAME] [--seed N]
//! ```
//! `--seconds` is shared by the targets run. Prints one line per target:
//! executions, executions per second, distinct outcomes, crashes.
use app::domain::sheet_judge::{judge, StampWindow};
use app::domain::sheet_sync::{SheetChange, SheetState};
use sao_scoring::ids::RuleSetId;
use sao_scoring::Scorecard;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// The shared generator, taking `usize` bounds here.
struct Rng(sao_scoring::corpus::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.draw()
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
}

const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"true",
    b"-1",
    b"0",
    b"99999999999999999999999999",
    b"1e309",
    b"-0.0",
    b"\\ud800",
    b"\\u0000",
    b"\"\"",
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xf0\x9f\x92\xa9",
    b"+84",
    b"0",
    b"\n",
    b" ",
    b"NaN",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => bytes.insert(at, rng.next() as u8),
            2 if at < bytes.len() => {
                let end = (at + 1 + rng.below(32)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if at < bytes.len() => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                let run = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, run);
            }
            4 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Values a JSON leaf is replaced with: edges of every type the parsers read.
fn interesting(rng: &mut Rng) -> serde_json::Value {
    use serde_json::json;
    match rng.below(16) {
        0 => json!(null),
        1 => json!(true),
        2 => json!(-1),
        3 => json!(0),
        4 => json!(i64::MAX),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(1e308),
        8 => json!(""),
        9 => json!("x".repeat(3000)),
        10 => json!(["1.1", "99.99", "0.0", "1.1.1", "-1.1"][rng.below(5)]),
        11 => json!("\u{0}\u{202e}"),
        12 => json!(["answer", "note", "knockout", "submit", "reopen", "Answer"][rng.below(6)]),
        13 => json!(rng.next() as i64),
        14 => json!([]),
        _ => json!({}),
    }
}

/// Changes one node of `value` chosen by a random walk: a leaf replaced, a
/// key removed, an element removed or doubled.
fn mutate_json(rng: &mut Rng, value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len()))
                .cloned()
                .unwrap_or_default();
            match rng.below(5) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(key, interesting(rng));
                }
                _ => {
                    if let Some(child) = map.get_mut(&key) {
                        mutate_json(rng, child);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            match rng.below(5) {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.insert(rng.below(items.len() + 1), copy);
                }
                _ => mutate_json(rng, &mut items[i]),
            }
        }
        leaf => *leaf = interesting(rng),
    }
}

/// A mutant of `seed`: for JSON, half the time at the level of its values.
fn mutant(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    if rng.below(2) == 0 {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(seed) {
            for _ in 0..1 + rng.below(4) {
                mutate_json(rng, &mut value);
            }
            return value.to_string().into_bytes();
        }
    }
    mutate(rng, seed)
}

/// One target: its seeds and what it runs on an input (the outcome's name).
struct Target {
    name: &'static str,
    seeds: Vec<Vec<u8>>,
    run: fn(&[u8]) -> String,
}

fn rule_file(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let id = RuleSetId::parse("qd-26-2026").expect("id");
    match Scorecard::parse("set.json", &text, &id) {
        Ok(card) => format!("ok {}", card.criteria().count()),
        Err(error) => format!("refused line {}", error.line.min(3)),
    }
}

fn member_sheet(input: &[u8]) -> String {
    match serde_json::from_slice::<Vec<SheetChange>>(input) {
        Ok(changes) => {
            let sheet = SheetState::replay(&changes);
            let card = app::rules_catalog::product_set("qd-26-2026", 7);
            let refused = changes
                .iter()
                .filter(|c| app::domain::sheet_check::check(c, card).is_some())
                .count();
            format!("ok {} {}", sheet.choices().len().min(3), refused.min(2))
        }
        Err(_) => "refused".into(),
    }
}

fn sync_batch(input: &[u8]) -> String {
    // As the server function reads its argument: {"changes": [...]}.
    let batch = serde_json::from_slice::<serde_json::Value>(input).and_then(|value| {
        serde_json::from_value::<Vec<SheetChange>>(
            value.get("changes").cloned().unwrap_or_default(),
        )
    });
    match batch {
        Ok(changes) => {
            let window = StampWindow::new(0, 2_000_000_000_000);
            let mut held: Vec<SheetChange> = Vec::new();
            let mut kept = 0;
            for change in &changes {
                let verdict = judge(&held, change, &window);
                if verdict.is_ok() {
                    held.push(change.clone());
                    kept += 1;
                }
                // The fast path must agree with the full replay wherever it answers.
                let sheet = SheetState::replay(&held[..held.len().saturating_sub(1)]);
                let _ = app::domain::sheet_judge::judge_following(&sheet, change, &window);
            }
            format!("ok {}", kept.min(3))
        }
        Err(_) => "refused".into(),
    }
}

fn upload_head(input: &[u8]) -> String {
    let kind = app::domain::evidence::sniff(input);
    let size = u64::from_le_bytes(
        input
            .iter()
            .copied()
            .chain([0; 8])
            .take(8)
            .collect::<Vec<_>>()
            .try_into()
            .unwrap_or([0; 8]),
    );
    let fits = app::domain::evidence::check_size(size, size.wrapping_mul(3)).is_ok();
    format!("{kind:?} {fits}")
}

fn phone(input: &[u8]) -> String {
    match app::domain::phone::PhoneNumber::parse(&String::from_utf8_lossy(input)) {
        Ok(number) => {
            // What is accepted parses again to itself.
            let again = app::domain::phone::PhoneNumber::parse(number.as_str());
            assert_eq!(again.as_ref().map(|n| n.as_str()), Ok(number.as_str()));
            "ok".into()
        }
        Err(error) => format!("refused {error:?}").chars().take(40).collect(),
    }
}

fn targets() -> Vec<Target> {
    let rule_seeds: Vec<Vec<u8>> = (1..=26)
        .filter_map(|n| app::rules_catalog::raw_file("qd-26-2026", &format!("set-{n:02}.json")))
        .map(|text| text.as_bytes().to_vec())
        .collect();
    let member = "0190000000000000000000000000000a";
    let product = "0190000000000000000000000000000b";
    let change = |i: u64, edit: &str| {
        format!(
            r#"{{"change_id":"c-{i}","member_id":"{member}","product_id":"{product}","stamp":{{"device_ms":{},"device_id":"tablet-1","seq":{i}}},{edit}}}"#,
            1_700_000_000_000_u64 + i
        )
    };
    let sheet = format!(
        "[{},{},{},{}]",
        change(1, r#""edit":"answer","criterion":"1.1","option":2"#),
        change(2, r#""edit":"note","criterion":"1.1","text":"ghi chú""#),
        change(3, r#""edit":"knockout","criterion":"1.2","flagged":true"#),
        change(4, r#""edit":"submit","digest":"""#)
    );
    vec![
        Target {
            name: "rule-file",
            seeds: rule_seeds,
            run: rule_file,
        },
        Target {
            name: "member-sheet",
            seeds: vec![sheet.clone().into_bytes(), b"[]".to_vec()],
            run: member_sheet,
        },
        Target {
            name: "sync-batch",
            seeds: vec![format!("{{\"changes\":{sheet}}}").into_bytes()],
            run: sync_batch,
        },
        Target {
            name: "upload-chunk",
            seeds: vec![
                b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec(),
                b"\x89PNG\r\n\x1a\n\x00\x00".to_vec(),
                b"%PDF-1.7\n%\xe2\xe3".to_vec(),
                b"RIFF\x00\x00\x00\x00WEBPVP8 ".to_vec(),
            ],
            run: upload_head,
        },
        Target {
            name: "phone",
            seeds: [
                "0987 654 321",
                "+84 987.654.321",
                "(+84)987-654-321",
                "098765432１",
                "84987654321",
            ]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect(),
            run: phone,
        },
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seconds: u64 = value("--seconds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let only = value("--target");
    let seed: u64 = value("--seed")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let chosen: Vec<Target> = targets()
        .into_iter()
        .filter(|t| only.as_deref().is_none_or(|name| name == t.name))
        .collect();
    if chosen.is_empty() {
        eprintln!("no such target; targets: rule-file member-sheet sync-batch upload-chunk phone");
        std::process::exit(2);
    }
    // Panics are caught and counted, not printed at each one.
    std::panic::set_hook(Box::new(|_| {}));
    let share = Duration::from_secs(seconds) / chosen.len() as u32;
    let crash_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-crashes");
    let mut crashed = false;
    println!(
        "fuzz: seed {seed}, {seconds} s over {} targets",
        chosen.len()
    );
    for target in &chosen {
        assert!(!target.seeds.is_empty(), "{}: no seeds", target.name);
        let mut rng = Rng(sao_scoring::corpus::Rng::new(seed));
        let started = Instant::now();
        let (mut runs, mut crashes) = (0_u64, 0_u64);
        let mut outcomes = BTreeSet::new();
        while started.elapsed() < share {
            let base = &target.seeds[rng.below(target.seeds.len())];
            let input = if runs % 16 == 0 {
                base.clone()
            } else {
                mutant(&mut rng, base)
            };
            runs += 1;
            match std::panic::catch_unwind(|| (target.run)(&input)) {
                Ok(outcome) => {
                    outcomes.insert(outcome);
                }
                Err(_) => {
                    crashes += 1;
                    let _ = std::fs::create_dir_all(&crash_dir);
                    let file = crash_dir.join(format!("{}-{runs}.bin", target.name));
                    let _ = std::fs::write(&file, &input);
                    eprintln!(
                        "CRASH in {}: input saved to {}",
                        target.name,
                        file.display()
                    );
                }
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "FUZZ {}: {runs} runs in {secs:.0} s ({:.0}/s), {} distinct outcomes, {crashes} crashes",
            target.name,
            runs as f64 / secs,
            outcomes.len()
        );
        crashed |= crashes > 0;
    }
    if crashed {
        std::process::exit(1);
    }
}
