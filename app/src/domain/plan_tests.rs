use super::*;

fn facts() -> Facts {
    Facts {
        new_three_star: 4,
        new_four_star: 1,
        subjects: 10,
        with_value_chain: 3,
        cooperatives: 2,
        smes: 1,
        in_modern_channels: 5,
        showcase_points: 0,
    }
}

#[test]
fn each_kind_against_the_seed_plan_met_or_missed() {
    use TargetKind as K;
    // (kind, target, expected progress)
    let table = [
        (
            K::NewThreeStar,
            10,
            Progress::Count {
                done: 4,
                target: 10,
                met: false,
            },
        ),
        (
            K::NewThreeStar,
            4,
            Progress::Count {
                done: 4,
                target: 4,
                met: true,
            },
        ),
        (
            K::NewFourStar,
            1,
            Progress::Count {
                done: 1,
                target: 1,
                met: true,
            },
        ),
        (
            K::ShowcasePoints,
            1,
            Progress::Count {
                done: 0,
                target: 1,
                met: false,
            },
        ),
        (
            K::ShowcasePoints,
            0,
            Progress::Count {
                done: 0,
                target: 0,
                met: true,
            },
        ),
        // 3 of 10 is exactly 30 %: met; 31 % is not.
        (
            K::ValueChainShare,
            30,
            Progress::Share {
                part: 3,
                whole: 10,
                target: 30,
                met: true,
            },
        ),
        (
            K::ValueChainShare,
            31,
            Progress::Share {
                part: 3,
                whole: 10,
                target: 31,
                met: false,
            },
        ),
        (
            K::CooperativeShare,
            40,
            Progress::Share {
                part: 2,
                whole: 10,
                target: 40,
                met: false,
            },
        ),
        (
            K::SmeShare,
            10,
            Progress::Share {
                part: 1,
                whole: 10,
                target: 10,
                met: true,
            },
        ),
        (
            K::ModernChannelShare,
            50,
            Progress::Share {
                part: 5,
                whole: 10,
                target: 50,
                met: true,
            },
        ),
    ];
    for (kind, target, expected) in table {
        assert_eq!(
            progress(kind, target, &facts()),
            expected,
            "{kind:?} {target}"
        );
        assert_eq!(progress(kind, target, &facts()).met(), expected.met());
    }
}

#[test]
fn a_share_of_no_subjects_is_not_zero_percent_and_not_met() {
    let none = Facts::default();
    for kind in TargetKind::ALL.into_iter().filter(|k| k.is_share()) {
        let shown = progress(kind, 30, &none);
        assert_eq!(shown, Progress::NoSubjects { target: 30 });
        assert!(!shown.met());
        assert_eq!(shown.permille(), 0);
    }
    // Even a 0 % target is not "met" by nobody: there is nothing to measure.
    assert!(!progress(TargetKind::SmeShare, 0, &none).met());
}

#[test]
fn the_bar_fills_in_thousandths_of_the_target_and_stops_at_full() {
    assert_eq!(
        progress(TargetKind::NewThreeStar, 10, &facts()).permille(),
        400
    );
    assert_eq!(
        progress(TargetKind::NewFourStar, 1, &facts()).permille(),
        1000
    );
    // 2 of 10 subjects against 40 %: 20/40 = half the bar.
    assert_eq!(
        progress(TargetKind::CooperativeShare, 40, &facts()).permille(),
        500
    );
    // Beyond the target the bar is full, not longer.
    assert_eq!(progress(TargetKind::SmeShare, 5, &facts()).permille(), 1000);
    // A target of 0 is full at once.
    assert_eq!(
        progress(TargetKind::ShowcasePoints, 0, &facts()).permille(),
        1000
    );
}

#[test]
fn targets_and_scopes_are_read_or_refused() {
    assert_eq!(
        check_target("sme_share", " 10 "),
        Ok((TargetKind::SmeShare, 10))
    );
    assert_eq!(
        check_target("new_three_star", "250"),
        Ok((TargetKind::NewThreeStar, 250))
    );
    assert_eq!(
        check_target("sme_share", "101"),
        Err(("value", Refusal::TargetTooLarge { max: 100 }))
    );
    assert_eq!(
        check_target("sme_share", "-1").map_err(|e| e.0),
        Err("value")
    );
    assert_eq!(
        check_target("sme_share", "1.5").map_err(|e| e.0),
        Err("value")
    );
    assert_eq!(check_target("stars", "1").map_err(|e| e.0), Err("kind"));
    for kind in TargetKind::ALL {
        assert_eq!(TargetKind::parse(kind.as_str()), Some(kind));
    }
    for scope in [
        PlanScope::Province(51),
        PlanScope::Commune(23344),
        PlanScope::District("demo-dak-glei".into()),
        PlanScope::National,
    ] {
        assert_eq!(PlanScope::parse(&scope.stored()), Ok(scope));
    }
    for bad in [
        "province:x",
        "commune:-3",
        "district:",
        "district:a b",
        "tinh:51",
        "national:1",
        "51",
        "",
    ] {
        assert!(PlanScope::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_report_period_is_a_year_or_a_half() {
    let first = ReportPeriod::parse("2025-1").expect("first half");
    assert_eq!(
        (first.days().0.iso(), first.days().1.iso()),
        ("2025-01-01".to_string(), "2025-06-30".to_string())
    );
    let second = ReportPeriod::parse("2025-2").expect("second half");
    assert_eq!(second.days().0.iso(), "2025-07-01");
    let year = ReportPeriod::parse(" 2025 ").expect("year");
    assert_eq!(
        (year.days().0.iso(), year.days().1.iso()),
        ("2025-01-01".into(), "2025-12-31".into())
    );
    assert_eq!(year.code(), "2025");
    assert_eq!(second.code(), "2025-2");
    for bad in ["2025-3", "1999", "25", "2025-", "x", ""] {
        assert!(ReportPeriod::parse(bad).is_err(), "{bad}");
    }
}
