//! The decision's periods as tables: each row a date in, the date out.
use super::*;

fn d(text: &str) -> CalendarDate {
    CalendarDate::parse(text).expect("a test date")
}

#[test]
fn thirty_six_months_end_on_the_same_day_or_the_months_last() {
    // (issued, valid through)
    let table = [
        ("2026-03-15", "2029-03-15"),
        ("2026-01-31", "2029-01-31"),
        ("2026-08-31", "2029-08-31"),
        ("2026-12-31", "2029-12-31"),
        ("2026-01-01", "2029-01-01"),
        // 29 February: the last year has none, so the 28th.
        ("2028-02-29", "2031-02-28"),
        ("2024-02-29", "2027-02-28"),
        // …and into a leap year: the 29th exists only then.
        ("2029-02-28", "2032-02-28"),
        ("2025-02-28", "2028-02-28"),
        // A month of 31 into a month of 30 (36 months keep the month).
        ("2026-05-31", "2029-05-31"),
    ];
    for (issued, until) in table {
        let validity = Validity::from_issue(d(issued));
        assert_eq!(validity.valid_until, d(until), "issued {issued}");
        assert!(
            validity.valid_on(d(issued)),
            "valid on its issue day {issued}"
        );
        assert!(validity.valid_on(d(until)), "valid on its last day {until}");
        assert!(
            !validity.valid_on(add_days(d(until), 1)),
            "not the day after {until}"
        );
        assert!(
            !validity.valid_on(add_days(d(issued), -1)),
            "not before {issued}"
        );
    }
}

#[test]
fn months_that_lack_the_day_end_on_their_last_day() {
    let table = [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-10-31", 2, "2026-12-31"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-12-31", 14, "2028-02-29"),
        ("2026-05-20", 0, "2026-05-20"),
    ];
    for (from, months, to) in table {
        assert_eq!(
            add_months(d(from), months),
            d(to),
            "{from} + {months} months"
        );
    }
}

#[test]
fn the_window_is_180_to_120_days_before_expiry_edges_included() {
    // Valid through 2029-03-15: 180 days before is 2028-09-16, 120 days 2028-11-15.
    let validity = Validity::from_issue(d("2026-03-15"));
    assert_eq!(validity.window(), (d("2028-09-16"), d("2028-11-15")));
    let table = [
        ("2028-09-15", WindowPosition::Before),
        ("2028-09-16", WindowPosition::Open),
        ("2028-10-20", WindowPosition::Open),
        ("2028-11-15", WindowPosition::Open),
        ("2028-11-16", WindowPosition::After),
        ("2029-03-15", WindowPosition::After),
    ];
    for (day, position) in table {
        assert_eq!(validity.window_position(d(day)), position, "{day}");
        assert_eq!(
            validity.check_filing(d(day)).is_ok(),
            position == WindowPosition::Open,
            "{day}"
        );
    }
    // Across 29 February: valid through 2031-02-28; 180 days before is 2030-09-01.
    let leap = Validity::from_issue(d("2028-02-29"));
    assert_eq!(leap.window(), (d("2030-09-01"), d("2030-10-31")));
}

#[test]
fn a_filing_outside_the_window_is_refused_with_its_dates() {
    let validity = Validity::from_issue(d("2026-03-15"));
    assert_eq!(
        validity.check_filing(d("2028-11-16")),
        Err(Refusal::ReevaluationOutsideWindow {
            opens: "16/09/2028".into(),
            closes: "15/11/2028".into(),
        })
    );
}

#[test]
fn reminders_fall_on_the_opening_and_thirty_days_before_the_close() {
    let validity = Validity::from_issue(d("2026-03-15"));
    assert_eq!(validity.reminders(), [d("2028-09-16"), d("2028-10-16")]);
}

#[test]
fn calendar_day_periods_count_from_the_day_after() {
    // (from, due) for re-evaluation (45 days), revocation (15 days), late grace (180).
    let reevaluation = [
        ("2026-06-01", "2026-07-16"),
        ("2026-12-20", "2027-02-03"),
        ("2028-01-31", "2028-03-16"),
    ];
    for (from, due) in reevaluation {
        assert_eq!(reevaluation_due(d(from)), d(due), "45 days from {from}");
    }
    let revocation = [
        ("2026-06-01", "2026-06-16"),
        ("2026-12-25", "2027-01-09"),
        ("2028-02-20", "2028-03-06"),
        ("2027-02-20", "2027-03-07"),
    ];
    for (from, due) in revocation {
        assert_eq!(revocation_due(d(from)), d(due), "15 days from {from}");
    }
    let validity = Validity::from_issue(d("2026-03-15"));
    assert_eq!(validity.late_grace_until(), d("2029-09-11"));
}

#[test]
fn product_codes_print_and_read_back_one_way() {
    // (province, commune, serial, year) and how it prints: Quảng Ngãi's, Hà Nội's.
    for ((province, commune, serial, year), printed) in [
        ((62, 23344, 7, 2026), "62-23344-007-2026"),
        ((1, 70, 1234, 2027), "01-00070-1234-2027"),
    ] {
        let code = ProductCode {
            province,
            commune,
            serial,
            year,
        };
        assert_eq!(code.to_string(), printed);
        assert_eq!(ProductCode::parse(printed), Ok(code));
    }
    for bad in [
        "",
        "62-23344-7-2026",
        "62-23344-0007-2026",
        "62-23344-000-2026",
        "6-23344-007-2026",
        "62-2334-007-2026",
        "62-23344-007-26",
        "62-23344-007",
        "62-23344-007-2026-1",
        "62-23344-00a-2026",
        "+2-23344-007-2026",
    ] {
        assert_eq!(
            ProductCode::parse(bad),
            Err(Refusal::ProductCodeInvalid),
            "{bad:?}"
        );
    }
}

#[test]
fn the_status_follows_the_dates_and_a_revocation_from_its_day() {
    let validity = Validity::from_issue(d("2026-03-15"));
    let revoked = Some(d("2027-06-01"));
    let table = [
        ("2026-03-14", None, CertificateStatus::NotYetValid),
        ("2026-03-15", None, CertificateStatus::Valid),
        ("2029-03-15", None, CertificateStatus::Valid),
        ("2029-03-16", None, CertificateStatus::Expired),
        ("2027-05-31", revoked, CertificateStatus::Valid),
        ("2027-06-01", revoked, CertificateStatus::Revoked),
        ("2030-01-01", revoked, CertificateStatus::Revoked),
    ];
    for (today, revoked_on, status) in table {
        assert_eq!(
            CertificateStatus::on(&validity, revoked_on, d(today)),
            status,
            "{today} {revoked_on:?}"
        );
    }
}

#[test]
fn reminders_are_due_from_their_day_until_the_window_closes_and_never_once_revoked() {
    let validity = Validity::from_issue(d("2026-03-15"));
    let closes = validity.window().1;
    let after_close = add_days(closes, 1).iso();
    let closes = closes.iso();
    let revoked = Some(d("2028-10-01"));
    let table: [(&str, Option<CalendarDate>, Vec<u8>); 8] = [
        ("2028-09-15", None, vec![]),
        ("2028-09-16", None, vec![0]),
        ("2028-10-15", None, vec![0]),
        ("2028-10-16", None, vec![0, 1]),
        (closes.as_str(), None, vec![0, 1]),
        (after_close.as_str(), None, vec![]),
        ("2028-09-30", revoked, vec![0]),
        ("2028-10-01", revoked, vec![]),
    ];
    for (today, revoked_on, due) in table {
        assert_eq!(
            validity.reminders_due(revoked_on, d(today)),
            due,
            "{today} {revoked_on:?}"
        );
    }
}
