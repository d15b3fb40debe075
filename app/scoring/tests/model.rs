//! Table and property tests of the scoring model on a synthetic scorecard whose
//! option index equals its points, so any total from 0 to 100 can be built.
#![cfg(not(target_arch = "wasm32"))] // native-only: proptest and the file system
use proptest::prelude::*;
use sao_scoring::council::{band, CouncilInput, MemberSheet};
use sao_scoring::{
    Answers, CriterionCode, NextStep, OptionIndex, Profile, RuleSetId, Scorecard, Stars,
};
use serde_json::json;
use std::collections::BTreeSet;

/// Criterion code and max; 1.1 marks 5 points ***, 8 points ****.
const CRITERIA: [(&str, &str, u32); 11] = [
    ("A", "1.1", 10),
    ("A", "1.2", 10),
    ("A", "1.3", 10),
    ("A", "1.4", 10),
    ("B", "2.1", 10),
    ("B", "2.2", 10),
    ("B", "2.3", 5),
    ("C", "3.1", 10),
    ("C", "3.2", 10),
    ("C", "3.3", 10),
    ("C", "3.4", 5),
];

fn scorecard() -> Scorecard {
    let criterion = |code: &str, max: u32| {
        let options: Vec<_> = (0..=max)
            .map(|p| {
                let stars = match (code, p) {
                    ("1.1", 5) => json!(3),
                    ("1.1", 8) => json!(4),
                    _ => json!(null),
                };
                json!({"text": format!("{p} điểm"), "points": p, "stars": stars, "source_line": 1})
            })
            .collect();
        json!({"code": code, "name": code, "max": max, "source_line": 1, "notes": [], "knockouts": [],
               "condition": null, "cases": [{"label": null, "title": null, "options": options}]})
    };
    let part = |code: &str, group: &str| {
        let criteria: Vec<_> = CRITERIA
            .iter()
            .filter(|c| c.0 == code)
            .map(|c| criterion(c.1, c.2))
            .collect();
        let max: u32 = CRITERIA.iter().filter(|c| c.0 == code).map(|c| c.2).sum();
        json!({"code": code, "name": code, "max": max, "source_line": 1,
               "groups": [{"code": group, "name": group, "max": max, "source_line": 1, "criteria": criteria}]})
    };
    let text = serde_json::to_string_pretty(&json!({
        "rule_set": "test", "number": 1, "name": "Thử", "sector": "s", "group": "g", "ministry": "m",
        "source_line": 1, "rejection_rules": [], "errata": [],
        "parts": [part("A", "1"), part("B", "2"), part("C", "3")]
    }))
    .expect("json");
    Scorecard::parse("test.json", &text, &RuleSetId::parse("test").expect("id"))
        .expect("valid scorecard")
}

fn profile(id: &str) -> Profile {
    let path = format!("{}/../rules/profiles/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("profile file");
    Profile::parse(&path, &text).expect("valid profile")
}

/// A sheet totalling `total` with `first` points on 1.1 (the starred criterion).
fn sheet_with(total: u32, first: u32) -> MemberSheet {
    assert!(first <= 10 && first <= total && total <= 100);
    let mut left = total - first;
    let mut answers = Answers::default();
    for (_, code, max) in CRITERIA {
        let points = if code == "1.1" { first } else { left.min(max) };
        if code != "1.1" {
            left -= points;
        }
        answers.0.insert(
            CriterionCode::parse(code).expect("code"),
            Some(OptionIndex(points as u16)),
        );
    }
    assert_eq!(left, 0, "total {total} with 1.1 = {first} cannot be built");
    MemberSheet {
        answers,
        conflict: false,
        knockouts: vec![],
    }
}

fn sheet(total: u32) -> MemberSheet {
    sheet_with(total, total.min(10))
}

/// Totals for n members adding up to `sum`, as even as possible.
fn spread(sum: u32, n: u32) -> Vec<u32> {
    (0..n).map(|i| sum / n + u32::from(i < sum % n)).collect()
}

fn evaluate(sheets: &[MemberSheet], level: &str, profile_id: &str) -> sao_scoring::CouncilResult {
    let card = scorecard();
    let profile = profile(profile_id);
    let none = BTreeSet::new();
    CouncilInput {
        scorecard: &card,
        profile: &profile,
        level,
        sheets,
        members: None,
        chair: None,
        confirmed_knockouts: &none,
    }
    .evaluate()
    .expect("evaluate")
}

#[test]
fn band_edges_hold_exactly_for_one_to_nine_members() {
    for n in 1..=9u32 {
        for (edge, below, at) in [(30, 1, 2), (50, 2, 3), (70, 3, 4), (90, 4, 5)] {
            let just_below = spread(edge * n - 1, n);
            let exactly = spread(edge * n, n);
            let sheets_below: Vec<_> = just_below.iter().map(|t| sheet(*t)).collect();
            let sheets_at: Vec<_> = exactly.iter().map(|t| sheet(*t)).collect();

            let below_result = evaluate(&sheets_below, "province", "qd-26-2026")
                .outcome
                .expect("outcome");
            let at_result = evaluate(&sheets_at, "province", "qd-26-2026")
                .outcome
                .expect("outcome");

            assert_eq!(below_result.band.get(), below, "n={n} sum={}", edge * n - 1);
            assert_eq!(at_result.band.get(), at, "n={n} sum={}", edge * n);
            assert_eq!(band(u64::from(edge * n - 1), u64::from(n)).get(), below);
            assert_eq!(at_result.mean, format!("{edge}.00"));
            if n > 1 {
                assert_ne!(
                    below_result.mean,
                    format!("{}.00", edge - 1),
                    "fractional mean for n={n}"
                );
            }
        }
    }
}

#[test]
fn a_minimum_can_fail_at_four_stars_and_hold_at_three() {
    // 75 points each, but criterion 1.1 (4★ needs 8) has only 6.
    let sheets = [sheet_with(75, 6), sheet_with(75, 6), sheet_with(75, 6)];

    let outcome = evaluate(&sheets, "province", "qd-26-2026")
        .outcome
        .expect("outcome");

    assert_eq!(outcome.band, Stars::FOUR);
    assert_eq!(
        outcome.failed_minimums[&4],
        vec![CriterionCode::parse("1.1").expect("code")]
    );
    assert!(outcome.failed_minimums[&3].is_empty());
    assert_eq!(outcome.star, Some(Stars::THREE));
    assert_eq!(
        outcome.next_step,
        NextStep::Recognise {
            level: "province".into(),
            stars: Stars::THREE
        }
    );
}

#[test]
fn minimums_use_the_criterion_mean_by_default() {
    // 1.1: 10 + 6 + 8 = 24 ≥ 8·3: the 4★ minimum holds on the mean though one member gave 6.
    let sheets = [sheet_with(75, 10), sheet_with(75, 6), sheet_with(75, 8)];

    let outcome = evaluate(&sheets, "province", "qd-26-2026")
        .outcome
        .expect("outcome");

    assert!(outcome.failed_minimums[&4].is_empty());
    assert_eq!(outcome.star, Some(Stars::FOUR));
}

#[test]
fn a_confirmed_knockout_disqualifies() {
    let card = scorecard();
    let profile = profile("qd-26-2026");
    let mut sheets = vec![sheet(80), sheet(80), sheet(80)];
    sheets[1]
        .knockouts
        .push(CriterionCode::parse("1.2").expect("code"));
    let none = BTreeSet::new();
    let confirmed: BTreeSet<_> = [CriterionCode::parse("1.2").expect("code")].into();
    let input = |confirmed| CouncilInput {
        scorecard: &card,
        profile: &profile,
        level: "province",
        sheets: &sheets,
        members: None,
        chair: None,
        confirmed_knockouts: confirmed,
    };

    let flagged_only = input(&none).evaluate().expect("evaluate");
    let knocked_out = input(&confirmed).evaluate().expect("evaluate");

    assert_eq!(
        flagged_only.flags.knockouts_flagged,
        vec![CriterionCode::parse("1.2").expect("code")]
    );
    assert_eq!(
        flagged_only.outcome.expect("outcome").star,
        Some(Stars::FOUR)
    );
    let outcome = knocked_out.outcome.expect("outcome");
    assert!(outcome.disqualified);
    assert_eq!(outcome.star, None);
    assert_eq!(outcome.next_step, NextStep::NoCertificate);
}

#[test]
fn quorum_is_three_quarters_of_members_without_conflict_and_needs_the_chair() {
    let card = scorecard();
    let profile = profile("qd-26-2026");
    let none = BTreeSet::new();
    let run = |sheets: &[MemberSheet], members: u32, chair: Option<usize>| {
        CouncilInput {
            scorecard: &card,
            profile: &profile,
            level: "province",
            sheets,
            members: Some(members),
            chair,
            confirmed_knockouts: &none,
        }
        .evaluate()
        .expect("evaluate")
    };
    let five: Vec<_> = (0..5).map(|_| sheet(72)).collect();
    let six: Vec<_> = (0..6).map(|_| sheet(72)).collect();
    let mut six_chair_conflicted = six.clone();
    six_chair_conflicted[0].conflict = true;

    let missed = run(&five, 8, Some(0));
    let met = run(&six, 8, Some(0));
    let without_chair = run(&six, 8, None);
    let chair_conflicted = run(&six_chair_conflicted, 7, Some(0));

    let check = missed.quorum.expect("checked");
    assert_eq!(
        (check.required, check.counted, check.missing, check.met),
        (6, 5, 1, false)
    );
    assert!(missed.outcome.is_none(), "no result below quorum");
    assert!(met.quorum.expect("checked").met);
    assert!(met.outcome.is_some());
    assert!(
        !without_chair.quorum.expect("checked").met,
        "the chair's sheet is required"
    );
    // 7 members, chair conflicted: 6 eligible, ⌈4.5⌉ = 5 required, 5 counted, chair excused.
    let check = chair_conflicted.quorum.expect("checked");
    assert_eq!(
        (check.eligible, check.required, check.counted, check.met),
        (6, 5, 5, true)
    );
}

#[test]
fn divergence_and_near_boundary_are_flagged() {
    let result = evaluate(&[sheet(60), sheet(71), sheet(76)], "province", "qd-26-2026");
    assert_eq!(result.flags.divergent_totals, Some(16));
    // 207/3 = 69.00 sits in [69, 70).
    assert_eq!(result.flags.near_boundary, Some(70));
    let calm = evaluate(&[sheet(60), sheet(70)], "province", "qd-26-2026");
    assert_eq!(
        calm.flags.divergent_totals, None,
        "10 apart is not more than 10"
    );
    assert_eq!(calm.flags.near_boundary, None);
    // 1.1: 10 vs 6 is four options apart.
    let apart = evaluate(
        &[sheet_with(75, 10), sheet_with(75, 6)],
        "province",
        "qd-26-2026",
    );
    assert!(apart
        .flags
        .divergent_criteria
        .contains(&CriterionCode::parse("1.1").expect("code")));
}

#[test]
fn each_profile_gives_the_next_step() {
    let step = |total: u32, first: u32, level: &str, profile: &str| {
        evaluate(&[sheet_with(total, first)], level, profile)
            .outcome
            .expect("outcome")
            .next_step
    };
    let recognise = |level: &str, stars| NextStep::Recognise {
        level: level.into(),
        stars,
    };
    let forward = |to: &str| NextStep::Forward { to: to.into() };
    let back = |to: &str| NextStep::Return { to: to.into() };

    let (district, province, central) = ("district", "province", "central");
    let (qd26, qd148) = ("qd-26-2026", "qd-148-2023");
    // (total, criterion 1.1's score, level, profile, next step, why)
    #[rustfmt::skip]
    let table = [
        // QĐ 26/2026: the province recognises 3★/4★ and forwards ≥ 90; the centre returns < 90.
        (92, 10, province, qd26, forward(central), ""),
        (92, 6, province, qd26, forward(central), "failed 5★ minimums travel as warnings"),
        (75, 10, province, qd26, recognise(province, Stars::FOUR), ""),
        (55, 10, province, qd26, recognise(province, Stars::THREE), ""),
        (45, 10, province, qd26, NextStep::NoCertificate, ""),
        (95, 10, central, qd26, recognise(central, Stars::FIVE), ""),
        (95, 6, central, qd26, back(province), "5★ minimum failed at the centre"),
        (85, 10, central, qd26, back(province), ""),
        // QĐ 148 three-tier: district 3★, ≥ 70 to the province; provincial < 70 back to the district.
        (65, 10, district, qd148, recognise(district, Stars::THREE), ""),
        (72, 10, district, qd148, forward(province), ""),
        (65, 10, province, qd148, back(district), ""),
        (75, 10, province, qd148, recognise(province, Stars::FOUR), ""),
        (75, 6, province, qd148, back(district), "3★ belongs to the district"),
        (91, 10, province, qd148, forward(central), ""),
        (91, 10, central, qd148, recognise(central, Stars::FIVE), ""),
    ];
    for (total, first, level, profile, expected, why) in table {
        assert_eq!(
            step(total, first, level, profile),
            expected,
            "{total} ({first} on 1.1) at {level} under {profile}: {why}"
        );
    }
}

#[test]
fn a_bad_sheet_names_the_criterion() {
    let card = scorecard();
    let mut missing = sheet(50).answers;
    missing
        .0
        .remove(&CriterionCode::parse("2.2").expect("code"));
    let mut out_of_range = sheet(50).answers;
    out_of_range.0.insert(
        CriterionCode::parse("2.3").expect("code"),
        Some(OptionIndex(9)),
    );
    let mut unknown = sheet(50).answers;
    unknown
        .0
        .insert(CriterionCode::parse("9.9").expect("code"), None);

    let errors: Vec<String> = [missing, out_of_range, unknown]
        .iter()
        .map(|a| {
            sao_scoring::ScoredSheet::score(&card, a)
                .expect_err("refused")
                .to_string()
        })
        .collect();

    assert_eq!(errors[0], "tiêu chí 2.2 chưa được chấm");
    assert!(
        errors[1].starts_with("tiêu chí 2.3: phương án 9 không tồn tại"),
        "{}",
        errors[1]
    );
    assert_eq!(errors[2], "tiêu chí 9.9 không có trong bộ tiêu chí");
    let duplicate =
        serde_json::from_str::<Answers>(r#"{"1.1": 1, "1.1": 2}"#).expect_err("duplicate");
    assert!(duplicate
        .to_string()
        .contains("tiêu chí 1.1 được trả lời hai lần"));
}

#[test]
fn a_broken_scorecard_is_refused_with_file_line_and_rule() {
    let card = scorecard();
    let mut text = serde_json::to_string_pretty(&card).expect("json");
    // Make 2.3's maximum disagree with its options.
    text = text.replacen("\"max\": 5,", "\"max\": 6,", 1);

    let error = Scorecard::parse("bad.json", &text, &RuleSetId::parse("test").expect("id"))
        .expect_err("refused");

    assert_eq!(error.file, "bad.json");
    assert!(error.line > 1);
    assert!(error.rule.contains("điểm tối đa"), "{error}");
}

fn arbitrary_sheet() -> impl Strategy<Value = MemberSheet> {
    proptest::collection::vec(proptest::option::weighted(0.9, 0u16..=10), CRITERIA.len()).prop_map(
        |choices| {
            let mut answers = Answers::default();
            for ((_, code, max), choice) in CRITERIA.iter().zip(choices) {
                let choice = choice.map(|c| OptionIndex(c.min(*max as u16)));
                answers
                    .0
                    .insert(CriterionCode::parse(code).expect("code"), choice);
            }
            MemberSheet {
                answers,
                conflict: false,
                knockouts: vec![],
            }
        },
    )
}

proptest! {
    #[test]
    fn totals_stay_within_zero_and_one_hundred(sheet in arbitrary_sheet()) {
        let scored = sao_scoring::ScoredSheet::score(&scorecard(), &sheet.answers).expect("valid");
        prop_assert!(scored.total <= 100);
        prop_assert_eq!(scored.total, scored.parts.iter().map(|p| p.1).sum::<u32>());
    }

    #[test]
    fn raising_one_option_never_lowers_the_total_or_the_star(
        sheets in proptest::collection::vec(arbitrary_sheet(), 1..6),
        member in 0usize..6,
        criterion in 0usize..CRITERIA.len(),
    ) {
        let member = member % sheets.len();
        let (_, code, max) = CRITERIA[criterion];
        let code = CriterionCode::parse(code).expect("code");
        let mut raised = sheets.clone();
        let current = raised[member].answers.0[&code].map(|o| o.0 + 1).unwrap_or(0);
        raised[member].answers.0.insert(code, Some(OptionIndex(current.min(max as u16))));

        let before = evaluate(&sheets, "province", "qd-26-2026");
        let after = evaluate(&raised, "province", "qd-26-2026");

        prop_assert!(after.totals[member] >= before.totals[member]);
        let (b, a) = (before.outcome.expect("outcome"), after.outcome.expect("outcome"));
        prop_assert!(a.star >= b.star);
        prop_assert!(a.band >= b.band);
    }

    #[test]
    fn permuting_members_never_changes_the_outcome(
        sheets in proptest::collection::vec(arbitrary_sheet(), 1..8),
        rotation in 0usize..8,
    ) {
        let mut rotated = sheets.clone();
        rotated.rotate_left(rotation % sheets.len());

        let a = evaluate(&sheets, "province", "qd-26-2026");
        let b = evaluate(&rotated, "province", "qd-26-2026");

        prop_assert_eq!(a.outcome, b.outcome);
        prop_assert_eq!(a.flags, b.flags);
    }
}
