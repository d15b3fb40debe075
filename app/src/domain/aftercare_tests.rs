use super::*;

fn d(text: &str) -> CalendarDate {
    CalendarDate::parse(text).expect("a test date")
}

fn finding(criterion: &str, note: &str) -> Finding {
    Finding {
        criterion: criterion.into(),
        note: note.into(),
    }
}

#[test]
fn codes_parse_only_their_own_spelling() {
    for ground in RevocationGround::ALL {
        assert_eq!(RevocationGround::parse(ground.code()), Some(*ground));
    }
    for text in ["", "f", "đ", "A", "propose"] {
        assert_eq!(RevocationGround::parse(text), None, "{text:?}");
    }
    assert_eq!(
        InspectionOutcome::parse("propose_revocation"),
        Some(InspectionOutcome::ProposeRevocation)
    );
    assert_eq!(InspectionKind::parse("quarterly"), None);
}

#[test]
fn an_inspection_lies_between_the_issue_and_today_and_a_warning_names_a_finding() {
    let (issued, today) = (d("2026-06-01"), d("2026-12-06"));
    let criteria = vec!["1.1".to_string(), "2.3".to_string()];
    let one = || vec![finding("2.3", "Nhãn thiếu hạn dùng")];
    // (day, outcome, findings, refused field)
    let table: Vec<(&str, &str, Vec<Finding>, Option<&str>)> = vec![
        ("2026-05-31", "kept", vec![], Some("inspected_on")),
        ("2026-06-01", "kept", vec![], None),
        ("2026-12-06", "kept", vec![], None),
        ("2026-12-07", "kept", vec![], Some("inspected_on")),
        ("2026-09-01", "warning", vec![], Some("findings")),
        ("2026-09-01", "warning", one(), None),
        ("2026-09-01", "propose_revocation", one(), None),
        ("2026-09-01", "propose_revocation", vec![], Some("findings")),
        (
            "2026-09-01",
            "warning",
            vec![finding("9.9", "x")],
            Some("findings"),
        ),
        (
            "2026-09-01",
            "warning",
            vec![finding("1.1", "  ")],
            Some("findings"),
        ),
        ("2026-09-01", "closed", one(), Some("outcome")),
    ];
    for (day, outcome, findings, refused) in table {
        let got = InspectionForm::parse(
            "periodic", day, "proper", findings, outcome, &criteria, issued, today,
        );
        assert_eq!(
            got.err().map(|(field, _)| field),
            refused,
            "{day} {outcome}"
        );
    }
}

/// A signed decision on `ground` found on `found`, signed on `signed`.
fn text(ground: &str, detail: &str, found: &str, signed: &str) -> RevocationText {
    RevocationText {
        ground: ground.into(),
        detail: detail.into(),
        found_on: found.into(),
        number: "15/QĐ-UBND".into(),
        signed_on: signed.into(),
        signer: "Chủ tịch".into(),
    }
}

#[test]
fn revocation_is_the_provinces_for_3_and_4_stars_only_and_once() {
    let (issued, today) = (d("2026-06-01"), d("2026-12-06"));
    let by = |stars, office, status| {
        RevocationForm::parse(
            &text(
                "b",
                "Không còn đáp ứng tiêu chí 2.3",
                "2026-11-30",
                "2026-12-05",
            ),
            (stars, office),
            status,
            issued,
            today,
        )
    };
    let (province, ministry) = (Office::Province(51), Office::Ministry);
    let parse = |stars, status| by(stars, province, status);
    assert!(parse(4, CertificateStatus::Valid).is_ok());
    assert!(parse(3, CertificateStatus::Valid).is_ok());
    assert_eq!(
        parse(5, CertificateStatus::Valid).err().map(|e| e.1),
        Some(Refusal::RevocationByMinistry)
    );
    // Điều 8.2b: the ministry revokes 5★, and only 5★.
    assert!(by(5, ministry, CertificateStatus::Valid).is_ok());
    assert_eq!(
        by(4, ministry, CertificateStatus::Valid).err().map(|e| e.1),
        Some(Refusal::RevocationByProvince)
    );
    for status in [CertificateStatus::Revoked, CertificateStatus::Expired] {
        assert_eq!(
            parse(4, status).err().map(|e| e.0),
            Some("code"),
            "{status:?}"
        );
    }
}

#[test]
fn the_signing_follows_the_finding_and_15_days_make_it_late_not_refused() {
    let (issued, today) = (d("2026-01-10"), d("2026-12-06"));
    // (finding, signing, refused field, late)
    let table = [
        ("2026-01-09", "2026-02-01", Some("found_on"), false),
        ("2026-12-07", "2026-12-07", Some("found_on"), false),
        ("2026-11-01", "2026-10-31", Some("signed_on"), false),
        ("2026-11-01", "2026-12-07", Some("signed_on"), false),
        ("2026-11-01", "2026-11-01", None, false),
        ("2026-11-01", "2026-11-16", None, false),
        ("2026-11-01", "2026-11-17", None, true),
        ("2026-12-06", "2026-12-06", None, false),
    ];
    for (found, signed, refused, late) in table {
        let got = RevocationForm::parse(
            &text(
                "dd",
                "Cơ sở ngừng sản xuất (UBND xã xác nhận)",
                found,
                signed,
            ),
            (4, Office::Province(51)),
            CertificateStatus::Valid,
            issued,
            today,
        );
        match (&got, refused) {
            (Err((field, _)), Some(expected)) => assert_eq!(*field, expected, "{found} {signed}"),
            (Ok(form), None) => {
                assert_eq!(form.late(), late, "{found} {signed}");
                assert_eq!(form.ground, RevocationGround::DD);
            }
            _ => panic!("{found} {signed}: {got:?}"),
        }
    }
}

#[test]
fn an_offline_inspection_names_itself_with_a_plain_id() {
    let table = [
        ("tablet-0a1b2c3d4e5f6a7b-00ff00ff00ff00ff", true),
        ("0123456789abcdef", true),
        ("0123456789abcde", false),
        (&"a".repeat(80), true),
        (&"a".repeat(81), false),
        ("tablet-0a1b2c3d/../../etc", false),
        ("tablet-0a1b2c3d 4e5f6a7b", false),
        ("tablet-0a1b2c3đ4e5f6a7b", false),
        ("", false),
    ];
    for (id, ok) in table {
        assert_eq!(inspection_id_ok(id), ok, "{id:?}");
    }
}
