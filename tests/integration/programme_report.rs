//! Issue 17: the programme's yearly and six-monthly report for a scope, as
//! XLSX (read back with calamine: real numbers and dates, equal to the
//! database's counts) and as PDF (read back with pdftotext: the same numbers),
//! for the office of the scope's province or the commune's officer only, and
//! the whole country's for the ministry's office.
use crate::support::dated::{certify, Certified};
use crate::support::people::{office_grant, office_hanoi_and_officer, official};
use crate::support::{create_user, for_each_engine, pdf_text, TestServer};
use calamine::{Data, Reader, Xlsx};

async fn count(server: &TestServer, sql: &str) -> f64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(server.db.pool())
        .await
        .expect(sql);
    n as f64
}

/// Column B of the sheet's row whose column A is `label`.
fn value_of(range: &calamine::Range<Data>, label: &str) -> Data {
    range
        .rows()
        .find(|row| row.first().is_some_and(|cell| *cell == label))
        .and_then(|row| row.get(1).cloned())
        .unwrap_or_else(|| panic!("no row {label}"))
}

#[tokio::test]
async fn the_yearly_report_as_xlsx_and_pdf_carries_the_databases_counts() {
    for_each_engine(|server| async move {
        // Arrange: commune 23344 in 2024 — two recognised (one revoked in
        // September), one older still in force, one whose validity ends in June;
        // one inspection; two targets.
        let data = [
            Certified { commune: 23344, kind: "cooperative", value_chain: true, channels: &["supermarket"], stars: 4, issued: "2024-03-01", revoked: None },
            Certified { commune: 23344, kind: "household", value_chain: false, channels: &[], stars: 3, issued: "2024-06-01", revoked: Some("2024-09-01") },
            Certified { commune: 23344, kind: "small_enterprise", value_chain: false, channels: &["e_commerce"], stars: 3, issued: "2023-05-01", revoked: None },
            Certified { commune: 23344, kind: "cooperative", value_chain: false, channels: &[], stars: 3, issued: "2021-06-01", revoked: None },
            Certified { commune: 23341, kind: "cooperative", value_chain: false, channels: &[], stars: 5, issued: "2024-02-01", revoked: None },
        ];
        for (index, certified) in data.into_iter().enumerate() {
            certify(&server, index, certified).await;
        }
        let inspector = create_user(&server.db, &crate::support::fresh_phone(), &[office_grant(51)]).await;
        sqlx::query(
            "INSERT INTO inspections (id, certificate_code, kind, inspected_on, mark_use, findings, outcome, \
             inspector_id, recorded_ms) VALUES ('report-inspection-1', 'PLAN-0', 'periodic', '2024-10-02', \
             'proper', '[]', 'kept', $1, 0)",
        )
        .bind(&inspector)
        .execute(server.db.pool())
        .await
        .expect("inspection");
        let office = official(&server, office_grant(51)).await;
        for (kind, value) in [("new_three_star", "3"), ("cooperative_share", "50")] {
            let set = office
                .call("plan/set_target", &[("year", "2024"), ("scope", "commune:23344"), ("kind", kind), ("value", value)])
                .await;
            assert_eq!(set.status, 200, "{}", set.body);
        }
        let query = "scope=commune:23344&period=2024";

        // Act: the spreadsheet.
        let (status, kind, bytes) = office.get_bytes(&format!("/bao-cao/bao-cao.xlsx?{query}")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(kind.contains("spreadsheetml"), "{kind}");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX calamine opens");
        assert_eq!(book.sheet_names(), vec!["Tong hop", "Cong nhan", "Chi tieu", "Chu the"]);

        // Assert: the numbers are numbers, equal to what the database holds.
        let summary = book.worksheet_range("Tong hop").expect("summary");
        let recognised = count(&server, "SELECT COUNT(*) FROM certificates c JOIN products p ON p.id = c.product_id \
             JOIN subjects s ON s.id = p.subject_id WHERE s.commune_code = 23344 AND c.source = 'recognised' \
             AND c.issued_on BETWEEN '2024-01-01' AND '2024-12-31'").await;
        assert_eq!(recognised, 2.0);
        assert_eq!(value_of(&summary, "Sản phẩm được công nhận"), Data::Float(recognised));
        let revoked = count(&server, "SELECT COUNT(*) FROM certificates WHERE revoked_on BETWEEN '2024-01-01' AND '2024-12-31' AND code LIKE 'PLAN-%'").await;
        assert_eq!(value_of(&summary, "Giấy chứng nhận bị thu hồi"), Data::Float(revoked));
        assert_eq!(value_of(&summary, "Giấy chứng nhận hết hiệu lực"), Data::Float(1.0));
        assert_eq!(value_of(&summary, "Lượt kiểm tra sau chứng nhận"), Data::Float(1.0));
        assert_eq!(value_of(&summary, "Chủ thể OCOP cuối kỳ"), Data::Float(2.0));
        assert_eq!(value_of(&summary, "Sản phẩm được Hội đồng đánh giá"), Data::Float(0.0));
        assert!(
            matches!(value_of(&summary, "Từ ngày"), Data::DateTime(_)),
            "dates are dates: {:?}",
            value_of(&summary, "Từ ngày")
        );
        let sectors = book.worksheet_range("Cong nhan").expect("sectors");
        let total = sectors.rows().next_back().expect("the total row").to_vec();
        assert_eq!(total[2], Data::Float(1.0), "one 4★");
        assert_eq!(total[4], Data::Float(2.0), "two in all");
        let targets = book.worksheet_range("Chi tieu").expect("targets");
        let rows: Vec<Vec<Data>> = targets.rows().skip(1).map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().any(|r| r[1] == Data::Float(3.0) && r[2] == Data::Float(2.0) && r[3] == Data::Bool(false)));
        assert!(rows.iter().any(|r| r[1] == Data::Float(50.0) && r[2] == Data::Float(50.0) && r[3] == Data::Bool(true)));

        // The PDF says the same.
        let (status, kind, pdf) = office.get_bytes(&format!("/bao-cao/bao-cao.pdf?{query}")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(kind, "application/pdf");
        let text = pdf_text(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Năm 2024"), "{flat}");
        assert!(flat.contains("Giấy chứng nhận bị thu hồi 1"), "{flat}");
        assert!(flat.contains("Lượt kiểm tra, giám sát sau chứng nhận 1"), "{flat}");
        assert!(flat.contains("Tổng cộng 1 1 0 2"), "{flat}");

        // Both recognitions fall in the first half; the revocation does not.
        let (_, _, half) = office.get_bytes("/bao-cao/bao-cao.xlsx?scope=commune:23344&period=2024-1").await;
        let mut half: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(half)).expect("xlsx");
        let half = half.worksheet_range("Tong hop").expect("summary");
        assert_eq!(value_of(&half, "Sản phẩm được công nhận"), Data::Float(2.0));
        assert_eq!(value_of(&half, "Giấy chứng nhận bị thu hồi"), Data::Float(0.0));

        // The ministry's report of the whole country counts every commune's.
        let ministry = crate::support::levels::ministry_of(&server).await;
        let (status, _, national) = ministry.get_bytes("/bao-cao/bao-cao.xlsx?scope=national&period=2024").await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&national));
        let mut national: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(national)).expect("xlsx");
        let national = national.worksheet_range("Tong hop").expect("summary");
        let everywhere = count(&server, "SELECT COUNT(*) FROM certificates WHERE source = 'recognised' \
             AND issued_on BETWEEN '2024-01-01' AND '2024-12-31'").await;
        assert_eq!(everywhere, 3.0);
        assert_eq!(value_of(&national, "Sản phẩm được công nhận"), Data::Float(everywhere));
        assert_eq!(value_of(&national, "Chủ thể OCOP cuối kỳ"), Data::Float(3.0));
        let (status, _, pdf) = ministry.get_bytes("/bao-cao/bao-cao.pdf?scope=national&period=2024").await;
        assert_eq!(status, 200);
        assert!(pdf_text(&pdf).contains("Toàn quốc"));
    })
    .await;
}

#[tokio::test]
async fn a_report_is_refused_outside_ones_area_and_for_bad_periods() {
    for_each_engine(|server| async move {
        let (office, hanoi, officer) = office_hanoi_and_officer(&server).await;
        let public = server.client();
        let cases: [(&crate::support::Client, &str, u16); 13] = [
            // The whole country is the ministry's report only.
            (&office, "scope=national&period=2024", 403),
            (&officer, "scope=national&period=2024", 403),
            (&public, "scope=national&period=2024", 401),
            (&office, "scope=national:51&period=2024", 422),
            (&hanoi, "scope=commune:23344&period=2024", 403),
            (&hanoi, "scope=province:51&period=2024", 403),
            (&officer, "scope=commune:23341&period=2024", 403),
            (&officer, "scope=province:51&period=2024", 403),
            (&public, "scope=commune:23344&period=2024", 401),
            (&office, "scope=commune:23344&period=2024-3", 422),
            (&office, "scope=commune:23344&period=1999", 422),
            (&office, "scope=tinh:51&period=2024", 422),
            (&office, "scope=commune:99999999&period=2024", 404),
        ];
        for (client, query, status) in cases {
            let (got, _, body) = client
                .get_bytes(&format!("/bao-cao/bao-cao.xlsx?{query}"))
                .await;
            assert_eq!(got, status, "{query}: {}", String::from_utf8_lossy(&body));
        }
        // The commune's own officer may; another file name is not a report.
        let (got, _, _) = officer
            .get_bytes("/bao-cao/bao-cao.xlsx?scope=commune:23344&period=2024")
            .await;
        assert_eq!(got, 200);
        let (got, _, _) = office
            .get_bytes("/bao-cao/bao-cao.exe?scope=commune:23344&period=2024")
            .await;
        assert_eq!(got, 404);
    })
    .await;
}
