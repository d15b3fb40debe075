use crate::support::{each_engine, started_twice_with_demo};
use app::db::{admin_units, demo, Db};
use sao_server::open_database;

/// Every province and commune of the official list, once.
async fn assert_all_units(db: &Db, engine: &str) {
    let counts = admin_units::summary(db).await.expect("summary");
    assert_eq!((counts.provinces, counts.communes), (34, 3321), "{engine}");
}

#[tokio::test]
async fn administrative_units_load_on_first_start_and_are_queryable() {
    for test_db in each_engine().await {
        // Act
        let db = open_database(&test_db.url, false).await.expect("open");

        // Assert
        assert_all_units(&db, test_db.engine).await;
        let provinces = admin_units::provinces(&db).await.expect("provinces");
        assert_eq!(provinces.len(), 34);
        assert_eq!(provinces.iter().map(|p| p.communes).sum::<i64>(), 3321);
        let quang_ngai = provinces
            .iter()
            .find(|p| p.code == 51)
            .expect("province 51");
        assert_eq!(quang_ngai.name, "Quảng Ngãi");
        let communes = admin_units::communes_of(&db, 51).await.expect("communes");
        assert!(communes
            .iter()
            .any(|(code, name)| *code == 23344 && name == "Xã Đăk Plô"));
        assert!(db.migration_level().await.expect("level") >= 20261129000001);
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_second_start_keeps_one_copy_of_the_units() {
    for test_db in each_engine().await {
        // Arrange + Act: a first start, then a second one.
        let db = started_twice_with_demo(&test_db.url).await;

        // Assert
        assert_all_units(&db, test_db.engine).await;
        let district = demo::district_communes(&db, demo::DEMO_DISTRICT_NAME)
            .await
            .expect("demo");
        assert_eq!(district.len(), 5, "{}", test_db.engine);
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn demo_data_groups_the_former_dak_glei_district() {
    for test_db in each_engine().await {
        let db = open_database(&test_db.url, true).await.expect("open");

        let names = demo::district_communes(&db, demo::DEMO_DISTRICT_NAME)
            .await
            .expect("demo");

        assert_eq!(
            names,
            [
                "Xã Ngọc Linh",
                "Xã Xốp",
                "Xã Đăk Môn",
                "Xã Đăk Plô",
                "Xã Đăk Pék"
            ],
            "{}",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_failed_load_leaves_nothing_half_saved() {
    for test_db in each_engine().await {
        // Arrange: migrated but empty tables, and a list whose last row repeats a commune code.
        let db = Db::connect(&test_db.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let mut records = admin_units::parse_csv(admin_units::OFFICIAL_CSV).expect("parse");
        let duplicate = records[0].clone();
        records.push(duplicate);

        // Act
        let result = admin_units::load(&db, &records).await;

        // Assert
        assert!(
            result.is_err(),
            "{}: duplicate code accepted",
            test_db.engine
        );
        let counts = admin_units::summary(&db).await.expect("summary");
        assert_eq!(
            (counts.provinces, counts.communes),
            (0, 0),
            "{}",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

#[test]
fn a_bad_row_is_refused_with_its_line_in_vietnamese() {
    let csv = "province_code,province_name,province_type,commune_code,commune_name,commune_type\n\
               1,Thành phố Hà Nội,thành phố trung ương,70,Phường Hoàn Kiếm,phường\n\
               1,Thành phố Hà Nội,thành phố trung ương,abc,Phường Cửa Nam,phường\n";

    let error = admin_units::parse_csv(csv)
        .expect_err("bad code accepted")
        .to_string();

    assert!(error.contains("line 3"), "{error}");
    assert!(error.contains("commune_code \"abc\""), "{error}");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused() {
    let error = Db::connect("mysql://localhost/sao")
        .await
        .expect_err("accepted mysql");
    assert!(error.to_string().contains("not supported"), "{error}");
}
