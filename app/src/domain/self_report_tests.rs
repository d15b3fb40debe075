//! Unit tests of `domain::self_report`.
use super::*;
use crate::domain::subject::fields_of;

fn complete() -> SelfReportForm {
    SelfReportForm {
        representative_title: "Giám đốc".into(),
        phone: "0912345678".into(),
        samples: "3".into(),
        product_description: "Củ sâm tươi 3–5 năm tuổi".into(),
        history: "Thành lập năm 2020.\n\nMở rộng vùng trồng năm 2023.".into(),
        organisation: "Ban giám đốc, tổ sản xuất".into(),
        markets: "Siêu thị trong tỉnh".into(),
        revenue: "1.250.000.000".into(),
        profit: "-20.000.000".into(),
        plan: "Mở rộng 5 ha".into(),
        ip_titles: vec![IpTitle::Patent, IpTitle::Trademark, IpTitle::Patent],
        ..SelfReportForm::default()
    }
}

#[test]
fn a_complete_report_misses_nothing_and_keeps_its_paragraphs() {
    let report = complete().parse().expect("parses");
    assert_eq!(report.missing(), vec![]);
    assert_eq!(report.revenue, Some(1_250_000_000));
    assert_eq!(report.profit, Some(-20_000_000));
    assert_eq!(report.ip_titles, vec![IpTitle::Trademark, IpTitle::Patent]);
    assert_eq!(
        report.history,
        "Thành lập năm 2020.\n\nMở rộng vùng trồng năm 2023."
    );
}

#[test]
fn a_draft_may_be_partial_but_is_not_complete() {
    let draft = SelfReportForm::default().parse().expect("an empty draft");
    let missing = fields_of(&draft.missing());
    assert_eq!(
        missing,
        vec![
            "representative_title",
            "phone",
            "samples",
            "product_description",
            "history",
            "organisation",
            "markets",
            "revenue",
            "plan"
        ]
    );
}

#[test]
fn refusals_name_their_fields_in_the_forms_order() {
    let form = SelfReportForm {
        revenue: "-5".into(),
        phone: "12".into(),
        samples: "nhiều".into(),
        plan: "x".repeat(LONG_MAX + 1),
        ..complete()
    };
    let fields = fields_of(&form.parse().expect_err("refused"));
    assert_eq!(fields, vec!["phone", "samples", "revenue", "plan"]);
}

#[test]
fn sums_are_written_with_dots_between_thousands() {
    assert_eq!(format_money(1_250_000_000), "1.250.000.000");
    assert_eq!(format_money(-20_000), "-20.000");
    assert_eq!(format_money(999), "999");
    assert_eq!(
        parse_money("revenue", "1 250 000", false),
        Ok(Some(1_250_000))
    );
    assert!(parse_money("revenue", "1e9", false).is_err());
}
