use crate::support::{each_engine, started_twice_with_demo};
use app::db::audit;
use sao_server::open_database;

#[tokio::test]
async fn every_change_leaves_exactly_one_audit_row_and_none_when_nothing_changes() {
    for test_db in each_engine().await {
        // Act: a first start (units + demo), then a second start that changes nothing.
        let db = started_twice_with_demo(&test_db.url).await;

        // Assert
        let rows = audit::list(&db, None).await.expect("audit rows");
        let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            // The demo's last-year round is sealed once, as its chair would.
            ["load_admin_units", "load_demo_data", "seal_round"],
            "{}",
            test_db.engine
        );
        assert!(rows.iter().all(|r| r.actor == audit::SYSTEM_ACTOR));
        assert_eq!(
            audit::list(&db, Some("someone else"))
                .await
                .expect("filtered")
                .len(),
            0
        );
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn the_audit_table_refuses_update_and_delete_on_each_engine() {
    for test_db in each_engine().await {
        // Arrange
        let db = open_database(&test_db.url, false).await.expect("open");

        // Act
        let update = sqlx::query("UPDATE audit_log SET actor = $1")
            .bind("forger")
            .execute(db.pool())
            .await;
        let delete = sqlx::query("DELETE FROM audit_log")
            .execute(db.pool())
            .await;

        // Assert
        for (what, result) in [("UPDATE", update), ("DELETE", delete)] {
            let error = result.expect_err(what).to_string();
            assert!(
                error.contains("append-only"),
                "{}: {what} gave {error}",
                test_db.engine
            );
        }
        let rows = audit::list(&db, None).await.expect("rows");
        assert_eq!(rows.len(), 1, "{}", test_db.engine);
        assert_eq!(rows[0].actor, audit::SYSTEM_ACTOR);
        test_db.cleanup(db).await;
    }
}
