//! Issue 16: product codes. The commune's serial of the year is taken under
//! concurrency on both engines: 200 recognitions at once give 1..=200.
use crate::support::each_engine;
use app::db::certificates;
use sao_server::open_database;

#[tokio::test]
async fn two_hundred_concurrent_codes_in_one_commune_are_distinct_and_consecutive() {
    for test_db in each_engine().await {
        // Arrange: a migrated database; one commune, one year.
        let db = open_database(&test_db.url, false).await.expect("open");
        let (province, commune, year) = (62, 23344, 2027);

        // Act: 200 transactions at once, each taking a code and committing.
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.expect("begin");
                    let code = certificates::next_code(&mut tx, province, commune, year)
                        .await
                        .expect("a code");
                    tx.commit().await.expect("commit");
                    code
                })
            })
            .collect();
        let mut serials = Vec::new();
        for task in tasks {
            let code = task.await.expect("task");
            assert_eq!((code.province, code.commune, code.year), (62, 23344, 2027));
            serials.push(code.serial);
        }

        // Assert: every serial once, 1 to 200; another commune and year start at 1,
        // and a rolled-back transaction gives its serial back.
        serials.sort_unstable();
        assert_eq!(
            serials,
            (1..=200).collect::<Vec<u32>>(),
            "{}",
            test_db.engine
        );
        let mut tx = db.begin().await.expect("begin");
        let other = certificates::next_code(&mut tx, province, 23347, year)
            .await
            .expect("code");
        assert_eq!(other.to_string(), "62-23347-001-2027");
        let next_year = certificates::next_code(&mut tx, province, commune, 2028)
            .await
            .expect("code");
        assert_eq!(next_year.serial, 1);
        let rolled_back = certificates::next_code(&mut tx, province, commune, year)
            .await
            .expect("code");
        assert_eq!(rolled_back.serial, 201);
        tx.rollback().await.expect("rollback");
        let mut tx = db.begin().await.expect("begin");
        let again = certificates::next_code(&mut tx, province, commune, year)
            .await
            .expect("code");
        tx.commit().await.expect("commit");
        assert_eq!(again.to_string(), "62-23344-201-2027", "{}", test_db.engine);
        test_db.cleanup(db).await;
    }
}

const OLD_LIST: &str = "code,product_name,subject_name,stars,issued_on,valid_until\n\
    62-23344-001-2024,\"Mật ong Đắk Glei, 500 ml\",HTX Ngọc Linh,4,2024-02-29,\n\
    KT-OLD-17,Cà phê Xốp Konia,Hộ Nguyễn Văn A,3,2021-06-01,2024-06-01\n\
    62-23344-002-2025,Sâm dây Ngọc Linh,HTX Ngọc Linh,3,2025-05-01,\n";

#[tokio::test]
async fn old_certificates_import_all_or_nothing_and_their_page_says_where_they_stand() {
    for test_db in each_engine().await {
        // Arrange: a server; a list with one bad line (stars 6 on line 3).
        let server = crate::support::TestServer::start(&test_db.url, false, None).await;
        let bad = OLD_LIST.replace(",3,2021-06-01", ",6,2021-06-01");
        let refused = app::service::certificates::import(&server.db, 62, &bad).await;
        assert!(
            matches!(
                &refused,
                Err(app::service::certificates::ImportError::Line {
                    line: 3,
                    refusal: app::domain::refusal::Refusal::CertificateStarsInvalid
                })
            ),
            "{refused:?}"
        );
        let elsewhere = app::service::certificates::import(&server.db, 51, OLD_LIST).await;
        assert!(
            matches!(
                &elsewhere,
                Err(app::service::certificates::ImportError::Line { line: 2, .. })
            ),
            "a code of province 62 in province 51's list: {elsewhere:?}"
        );
        let page = server.page("/xac-minh/62-23344-001-2024").await;
        assert!(
            page.contains("data-status=\"unknown\""),
            "nothing was added: {page}"
        );

        // Act: the good list; then the same again (every code taken: nothing added).
        let added = app::service::certificates::import(&server.db, 62, OLD_LIST).await;
        assert!(matches!(added, Ok(3)), "{added:?}");
        let again = app::service::certificates::import(&server.db, 62, OLD_LIST).await;
        assert!(
            matches!(
                &again,
                Err(app::service::certificates::ImportError::Line { line: 2, .. })
            ),
            "{again:?}"
        );
        let mut tx = server.db.begin().await.expect("begin");
        assert!(
            app::db::certificates::revoke(&mut tx, "62-23344-002-2025", "2026-01-10", "d")
                .await
                .expect("revoke")
        );
        tx.commit().await.expect("commit");

        // Assert: valid through 28/02/2027 (36 months from 29 February), expired,
        // revoked, unknown; the audit trail has the import once.
        let valid = server.get("/xac-minh/62-23344-001-2024").await;
        assert_eq!(valid.status().as_u16(), 200);
        let valid = valid.text().await.expect("page");
        assert!(valid.contains("data-status=\"valid\""), "{valid}");
        for shown in [
            "Mật ong Đắk Glei, 500 ml",
            "HTX Ngọc Linh",
            "★★★★",
            "29/02/2024",
            "28/02/2027",
        ] {
            assert!(valid.contains(shown), "{shown} on the page: {valid}");
        }
        let expired = server.page("/xac-minh/KT-OLD-17").await;
        assert!(expired.contains("data-status=\"expired\""), "{expired}");
        let revoked = server.page("/xac-minh/62-23344-002-2025").await;
        assert!(revoked.contains("data-status=\"revoked\""), "{revoked}");
        assert!(revoked.contains("10/01/2026"), "{revoked}");
        for unknown in ["/xac-minh/62-23344-999-2024", "/xac-minh/%3Cscript%3E"] {
            let page = server.page(unknown).await;
            assert!(
                page.contains("data-status=\"unknown\""),
                "{unknown}: {page}"
            );
        }
        let rows = app::db::audit::list(&server.db, None).await.expect("audit");
        assert_eq!(
            rows.iter()
                .filter(|r| r.action == "import_certificates")
                .count(),
            1,
            "{}",
            test_db.engine
        );
        test_db.cleanup(server.stop()).await;
    }
}
