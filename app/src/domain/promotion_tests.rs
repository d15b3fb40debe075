use super::*;

fn today() -> CalendarDate {
    CalendarDate::parse("2026-12-06").expect("date")
}

/// A point as the form sends it.
fn typed_point(
    commune: &str,
    name: &str,
    address: &str,
    kind: &str,
    opened_on: &str,
) -> NewSalesPoint {
    NewSalesPoint {
        commune: commune.into(),
        name: name.into(),
        address: address.into(),
        kind: kind.into(),
        opened_on: opened_on.into(),
    }
}

fn point(commune: &str, name: &str, kind: &str, opened: &str) -> Result<PointForm, FieldError> {
    PointForm::parse(&typed_point(commune, name, "Thôn 1", kind, opened), today())
}

/// A fair as the form sends it, checked.
fn fair_of(
    name: &str,
    place: &str,
    starts_on: &str,
    ends_on: &str,
) -> Result<FairForm, FieldError> {
    let typed = NewFair {
        name: name.into(),
        place: place.into(),
        starts_on: starts_on.into(),
        ends_on: ends_on.into(),
    };
    FairForm::parse(&typed, today())
}

#[test]
fn a_point_is_read_and_each_bad_field_refused_by_name() {
    let form = point(" 23344 ", "  Điểm OCOP Đăk Glei ", "showcase", "2026-03-01").expect("valid");
    assert_eq!(form.commune, 23344);
    assert_eq!(form.name, "Điểm OCOP Đăk Glei");
    assert_eq!(form.kind, PointKind::Showcase);
    let cases: [(&str, &str, &str, &str, &str, Refusal); 7] = [
        (
            "",
            "A",
            "shop",
            "2026-03-01",
            "commune",
            Refusal::ChooseCommune,
        ),
        (
            "-5",
            "A",
            "shop",
            "2026-03-01",
            "commune",
            Refusal::ChooseCommune,
        ),
        (
            "23344",
            " ",
            "shop",
            "2026-03-01",
            "name",
            Refusal::Required {
                what: "point_name".into(),
            },
        ),
        (
            "23344",
            "A",
            "kiosk",
            "2026-03-01",
            "kind",
            Refusal::Required {
                what: "point_kind".into(),
            },
        ),
        (
            "23344",
            "A",
            "shop",
            "2026-02-30",
            "opened_on",
            Refusal::DateInvalid,
        ),
        (
            "23344",
            "A",
            "shop",
            "2026-12-07",
            "opened_on",
            Refusal::DateAfterToday {
                today: "06/12/2026".into(),
            },
        ),
        (
            "23344",
            &"a".repeat(201),
            "shop",
            "2026-03-01",
            "name",
            Refusal::TooLong { max: 200 },
        ),
    ];
    for (commune, name, kind, opened, field, refusal) in cases {
        assert_eq!(
            point(commune, name, kind, opened),
            Err((field, refusal)),
            "{commune} {name} {kind} {opened}"
        );
    }
    // The limit counts letters, not bytes: 200 Vietnamese letters pass.
    assert!(point("23344", &"đ".repeat(200), "shop", "2026-12-06").is_ok());
    assert_eq!(
        PointForm::parse(
            &typed_point("23344", "A", "", "shop", "2026-03-01"),
            today()
        ),
        Err((
            "address",
            Refusal::Required {
                what: "address".into()
            }
        ))
    );
}

#[test]
fn a_fair_ends_on_or_after_its_start_and_has_begun() {
    let fair = |starts: &str, ends: &str| fair_of("Hội chợ OCOP", "Kon Tum", starts, ends);
    assert!(fair("2026-11-20", "2026-11-20").is_ok());
    assert!(fair("2026-12-05", "2026-12-09").is_ok(), "a fair under way");
    assert_eq!(
        fair("2026-11-20", "2026-11-19"),
        Err(("ends_on", Refusal::EndsBeforeStarts))
    );
    assert_eq!(
        fair("2026-12-07", "2026-12-09"),
        Err((
            "starts_on",
            Refusal::DateAfterToday {
                today: "06/12/2026".into()
            }
        ))
    );
    assert_eq!(
        fair_of("", "Kon Tum", "2026-11-20", "2026-11-21"),
        Err((
            "name",
            Refusal::Required {
                what: "fair_name".into()
            }
        ))
    );
    assert_eq!(
        fair_of("Hội chợ", "", "2026-11-20", "2026-11-21"),
        Err((
            "place",
            Refusal::Required {
                what: "fair_place".into()
            }
        ))
    );
}

#[test]
fn a_showing_is_a_point_or_a_fair_with_a_plain_id() {
    assert_eq!(
        Showing::parse("point:0190-ab"),
        Ok(Showing::Point("0190-ab".into()))
    );
    assert_eq!(Showing::parse(" fair:x1 "), Ok(Showing::Fair("x1".into())));
    assert_eq!(
        Showing::parse("fair:x1").map(|s| s.stored()),
        Ok("fair:x1".into())
    );
    for bad in [
        "",
        "point",
        "point:",
        "shop:1",
        "point:a b",
        "point:1'--",
        &format!("fair:{}", "a".repeat(65)),
    ] {
        assert_eq!(
            Showing::parse(bad),
            Err(("target", Refusal::FormInvalid)),
            "{bad}"
        );
    }
    for kind in PointKind::ALL {
        assert_eq!(PointKind::parse(kind.as_str()), Some(kind));
    }
}
