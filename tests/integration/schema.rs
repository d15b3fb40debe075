//! One data layer, two engines: the migrations of `migrations/sqlite` and
//! `migrations/postgres` must build the same schema. Both are applied to fresh
//! databases and compared: tables, columns and whether each may be NULL, the
//! indexes created by name, and which changes a trigger guards on which table
//! (PostgreSQL names one trigger for several events where SQLite needs one each,
//! so triggers are compared by what they guard, not by name).
use crate::support::TestDb;
use sqlx::Row;
use std::collections::BTreeSet;

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// (table, column, nullable)
    columns: BTreeSet<(String, String, bool)>,
    indexes: BTreeSet<String>,
    /// (table, INSERT | UPDATE | DELETE)
    guarded: BTreeSet<(String, String)>,
}

async fn sqlite_schema(db: &app::db::Db) -> Schema {
    let mut schema = Schema::default();
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(db.pool())
    .await
    .expect("tables");
    for table in tables {
        let table: String = table.get(0);
        let columns = sqlx::query(&format!(
            "SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')"
        ))
        .fetch_all(db.pool())
        .await
        .expect("columns");
        for column in columns {
            let (name, not_null, pk): (String, i64, i64) =
                (column.get(0), column.get(1), column.get(2));
            // A primary key is NOT NULL on PostgreSQL whatever the column says.
            schema
                .columns
                .insert((table.clone(), name, not_null == 0 && pk == 0));
        }
    }
    let indexes =
        sqlx::query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .fetch_all(db.pool())
            .await
            .expect("indexes");
    schema.indexes = indexes.iter().map(|row| row.get::<String, _>(0)).collect();
    let triggers = sqlx::query("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(db.pool())
        .await
        .expect("triggers");
    for trigger in triggers {
        let sql: String = trigger.get(0);
        let words: Vec<String> = sql
            .split_whitespace()
            .map(|w| w.to_ascii_uppercase())
            .collect();
        let before = words.iter().position(|w| w == "BEFORE" || w == "AFTER");
        let on = words.iter().position(|w| w == "ON");
        if let (Some(before), Some(on)) = (before, on) {
            let event = words.get(before + 1).cloned().unwrap_or_default();
            let table = words
                .get(on + 1)
                .cloned()
                .unwrap_or_default()
                .to_lowercase();
            schema.guarded.insert((table, event));
        }
    }
    schema
}

async fn postgres_schema(db: &app::db::Db) -> Schema {
    let mut schema = Schema::default();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public'",
    )
    .fetch_all(db.pool())
    .await
    .expect("columns");
    for column in columns {
        let (table, name, nullable): (String, String, String) =
            (column.get(0), column.get(1), column.get(2));
        schema.columns.insert((table, name, nullable == "YES"));
    }
    // Indexes made by CREATE INDEX, not those behind a key or UNIQUE constraint.
    let indexes = sqlx::query(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT IN (SELECT conname FROM pg_constraint)",
    )
    .fetch_all(db.pool())
    .await
    .expect("indexes");
    schema.indexes = indexes.iter().map(|row| row.get::<String, _>(0)).collect();
    let triggers = sqlx::query(
        "SELECT event_object_table::text, event_manipulation::text FROM information_schema.triggers \
         WHERE trigger_schema = 'public'",
    )
    .fetch_all(db.pool())
    .await
    .expect("triggers");
    schema.guarded = triggers
        .iter()
        .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
        .collect();
    schema
}

/// What one side has and the other lacks, for the failure message.
fn difference<T: Ord + Clone + std::fmt::Debug>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> String {
    format!(
        "only on SQLite: {:?}; only on PostgreSQL: {:?}",
        a.difference(b).collect::<Vec<_>>(),
        b.difference(a).collect::<Vec<_>>()
    )
}

#[tokio::test]
async fn both_engines_migrate_to_the_same_tables_columns_indexes_and_guards() {
    let Ok(admin_url) = std::env::var("SAO_TEST_POSTGRES_URL") else {
        eprintln!("SAO_TEST_POSTGRES_URL is not set: the schemas were not compared");
        return;
    };
    let (sqlite_db, postgres_db) = (TestDb::sqlite(), TestDb::postgres(&admin_url).await);
    let sqlite = sao_server::open_database(&sqlite_db.url, false)
        .await
        .expect("SQLite");
    let postgres = sao_server::open_database(&postgres_db.url, false)
        .await
        .expect("PostgreSQL");
    let (left, right) = (
        sqlite_schema(&sqlite).await,
        postgres_schema(&postgres).await,
    );
    assert!(left.columns.len() > 100, "{} columns", left.columns.len());
    assert!(!left.guarded.is_empty(), "the sealed round's triggers");
    assert!(
        left.columns == right.columns,
        "columns: {}",
        difference(&left.columns, &right.columns)
    );
    assert!(
        left.indexes == right.indexes,
        "indexes: {}",
        difference(&left.indexes, &right.indexes)
    );
    assert!(
        left.guarded == right.guarded,
        "triggers: {}",
        difference(&left.guarded, &right.guarded)
    );
    sqlite_db.cleanup(sqlite).await;
    postgres_db.cleanup(postgres).await;
}

#[tokio::test]
async fn a_stored_state_no_enum_knows_is_refused_not_read_as_a_default() {
    for test_db in crate::support::each_engine().await {
        let db = sao_server::open_database(&test_db.url, true)
            .await
            .expect("demo database");
        let round = app::db::demo_office::DEMO_NEXT_ROUND;
        let (product,): (String,) = sqlx::query_as("SELECT id FROM products ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await
            .expect("a demo product");
        for sql in [
            "UPDATE rounds SET state = 'paused' WHERE id = $1",
            "UPDATE products SET state = 'archived' WHERE id = $1",
        ] {
            let id = if sql.contains("rounds") {
                round
            } else {
                product.as_str()
            };
            sqlx::query(sql)
                .bind(id)
                .execute(db.pool())
                .await
                .expect("a hand-made change");
        }
        let round_read = app::db::rounds::get(&db, round).await;
        let product_read = app::db::producers::product(&db, &product).await;
        assert!(
            matches!(&round_read, Err(app::db::DbError::Decode { column: "rounds.state", value }) if value == "paused"),
            "{}: {round_read:?}",
            test_db.engine
        );
        assert!(
            matches!(&product_read, Err(app::db::DbError::Decode { column: "products.state", value }) if value == "archived"),
            "{}: {product_read:?}",
            test_db.engine
        );
        let scoring_round = app::db::demo_council::DEMO_ROUND;
        sqlx::query("UPDATE council_members SET position = 'observer' WHERE round_id = $1")
            .bind(scoring_round)
            .execute(db.pool())
            .await
            .expect("a hand-made seat");
        let seats = app::db::councils::members(&db, scoring_round).await;
        assert!(
            matches!(&seats, Err(app::db::DbError::Decode { column: "council_members.position", value }) if value == "observer"),
            "{}: {seats:?}",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn a_test_that_panics_leaves_no_postgres_database_behind() {
    let Ok(admin) = std::env::var("SAO_TEST_POSTGRES_URL") else {
        eprintln!("SAO_TEST_POSTGRES_URL is not set: nothing to leave behind");
        return;
    };
    let test_db = TestDb::postgres(&admin).await;
    let name = test_db
        .postgres_name()
        .expect("a PostgreSQL database")
        .to_string();
    let panicked = tokio::spawn(async move {
        let _owned = test_db;
        panic!("a test fails before its cleanup");
    })
    .await;
    assert!(panicked.is_err(), "the task panicked");
    let (left,): (i64,) = {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("admin");
        sqlx::query_as("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .expect("count")
    };
    assert_eq!(left, 0, "{name} was left behind");
}
