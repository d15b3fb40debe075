//! Scopes and quotas against a hostile client (issue 13), over HTTP against the
//! release build on each engine: another province's audit trail, quotas under
//! parallel requests, two chunks for one offset, abandoned uploads.
use crate::hostile_accounts::release_on;
use crate::support::dossier::{pdf_bytes, register_product, start};
use crate::support::{create_user, each_engine, fresh_phone, Client, TEST_PASSWORD};
use app::auth::{Grant, Role, Scope};

fn grant(role: Role, scope: Scope) -> Grant {
    Grant { role, scope }
}

#[tokio::test]
async fn an_admin_reads_only_their_provinces_audit_trail_in_the_list_and_the_csv() {
    for test_db in each_engine().await {
        let Some((_sao, base, db, _dir)) = release_on(&test_db, &[]).await else {
            return;
        };
        // Arrange: an official in each of Quảng Ngãi (51) and Hà Nội (1) signs in;
        // a stranger fails to sign in with a number nobody has.
        let (admin51, super_admin) = (fresh_phone(), fresh_phone());
        create_user(&db, &admin51, &[grant(Role::Admin, Scope::Province(51))]).await;
        create_user(
            &db,
            &super_admin,
            &[grant(Role::SuperAdmin, Scope::Everywhere)],
        )
        .await;
        let (staff51, staff1) = (fresh_phone(), fresh_phone());
        let id51 = create_user(
            &db,
            &staff51,
            &[grant(Role::OfficeStaff, Scope::Province(51))],
        )
        .await;
        let id1 = create_user(
            &db,
            &staff1,
            &[grant(Role::OfficeStaff, Scope::Province(1))],
        )
        .await;
        Client::new(&base).log_in(&staff51, TEST_PASSWORD).await;
        Client::new(&base).log_in(&staff1, TEST_PASSWORD).await;
        let stranger = fresh_phone();
        let failed = Client::new(&base)
            .try_log_in(&stranger, "doan-bua-mat-khau")
            .await;
        assert_eq!(failed.status, 401);

        // Act
        let admin = Client::new(&base);
        admin.log_in(&admin51, TEST_PASSWORD).await;
        let list = admin.call("audit/list", &[]).await;
        let csv = admin.get("/quan-tri/nhat-ky.csv").await;
        let asked_for_other = admin.call("audit/list", &[("actor", &id1)]).await;
        let root = Client::new(&base);
        root.log_in(&super_admin, TEST_PASSWORD).await;
        let everything = root.get("/quan-tri/nhat-ky.csv").await;

        // Assert: the province's own people only; the super admin sees all.
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains(&id51), "{}", list.body);
        assert!(
            !list.body.contains(&id1),
            "another province's official: {}",
            list.body
        );
        assert!(
            !list.body.contains(&stranger),
            "failed logins of unknown numbers: {}",
            list.body
        );
        assert_eq!(asked_for_other.status, 200);
        assert_eq!(asked_for_other.json(), serde_json::json!([]));
        assert_eq!(csv.status, 200);
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv.body.contains(&id51) && !csv.body.contains(&id1) && !csv.body.contains(&stranger)
        );
        assert!(everything.body.contains(&id51) && everything.body.contains(&id1));
        assert!(everything.body.contains(&stranger));
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn quotas_hold_under_parallel_requests_and_two_chunks_for_one_offset_get_409() {
    for test_db in each_engine().await {
        let Some((_sao, base, db, dir)) = release_on(
            &test_db,
            &["--quota-products", "2", "--quota-megabytes", "1"],
        )
        .await
        else {
            return;
        };
        let phone = fresh_phone();
        let (producer, subject, first) =
            crate::support::dossier::producer_with_product_through(Client::new(&base), &db, &phone)
                .await;

        // Act 1: the second product fits; two more at once: both refused.
        let second = register_product(&producer, &subject, "Sâm Ngọc Linh khô", 7).await;
        let form = |name: &str| {
            serde_json::json!({ "form": { "subject_id": subject, "name": name,
                "product_set": "7", "kind": "first_time", "previous_certificate": "", "changes": "" } })
        };
        let (third_form, fourth_form) = (form("Thứ ba"), form("Thứ tư"));
        let (third, fourth) = tokio::join!(
            producer.call_json("producer/register_product", &third_form),
            producer.call_json("producer/register_product", &fourth_form)
        );
        let (products,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM products WHERE subject_id = $1")
                .bind(&subject)
                .fetch_one(db.pool())
                .await
                .expect("count");
        assert_eq!(
            (third.status, fourth.status),
            (422, 422),
            "{} / {}",
            third.body,
            fourth.body
        );
        assert!(third.said().contains("2 sản phẩm"), "{}", third.body);
        assert_eq!(products, 2);

        // Act 2: two 600 KB uploads at once against a 1 MB quota: one is reserved.
        let size = 600 * 1024;
        let (a, b) = tokio::join!(
            start(&producer, &first, "food_safety", "a.pdf", size),
            start(&producer, &second, "food_safety", "b.pdf", size)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 422], "{} / {}", a.body, b.body);
        let upload = if a.status == 200 { &a } else { &b };
        let id = upload.json()["id"].as_str().expect("id").to_string();

        // Act 3: two different chunks for offset 0 at the same moment.
        let (x, y) = (pdf_bytes(256 * 1024), vec![b'y'; 256 * 1024]);
        let at_zero = format!("/tai-lieu/{id}?offset=0");
        let (one, two) = tokio::join!(
            producer.put_bytes(&at_zero, x.clone()),
            producer.put_bytes(&at_zero, y)
        );
        let mut chunk_statuses = [one.status, two.status];
        chunk_statuses.sort_unstable();
        let status = producer.get(&format!("/tai-lieu/{id}")).await;
        let partial = find_part(&dir.0.join("data"), &id).expect("the partial file");
        assert_eq!(chunk_statuses, [200, 409], "{} / {}", one.body, two.body);
        assert_eq!(status.json()["received"], 256 * 1024);
        assert_eq!(partial.len(), 256 * 1024, "one chunk on disk, not two");
        assert!(partial == x || partial.iter().all(|byte| *byte == b'y'));

        // Act 4: the upload is abandoned for two days; `sao gc` removes it and gives
        // the bytes back, so the other upload now fits.
        sqlx::query("UPDATE evidence SET updated_ms = updated_ms - 172800000 WHERE id = $1")
            .bind(&id)
            .execute(db.pool())
            .await
            .expect("age the upload");
        let (bin, _) = crate::support::release_build().expect("release");
        let gc = std::process::Command::new(bin)
            .current_dir(&dir.0)
            .args(["gc", "--database-url", &test_db.url, "--data-dir", "data"])
            .output()
            .expect("sao gc");
        let printed = String::from_utf8_lossy(&gc.stdout).to_string();
        let after = start(&producer, &second, "food_safety", "b.pdf", size).await;
        assert!(
            gc.status.success(),
            "{printed} {}",
            String::from_utf8_lossy(&gc.stderr)
        );
        assert!(printed.contains("removed 1 abandoned upload"), "{printed}");
        assert!(
            find_part(&dir.0.join("data"), &id).is_err(),
            "the partial file went"
        );
        assert_eq!(
            after.status, 200,
            "the quota was given back: {}",
            after.body
        );
        println!(
            "quotas on {}: 2 products then two parallel refused; two 600 KB uploads against 1 MB: one reserved; \
             two chunks at offset 0: 200 and 409, one chunk on disk; sao gc gave the bytes back",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

/// The partial file of upload `id` somewhere under `root`.
pub(crate) fn find_part(root: &std::path::Path, id: &str) -> std::io::Result<Vec<u8>> {
    let name = format!("{id}.part");
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == name.as_str()) {
                return std::fs::read(path);
            }
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::NotFound, name))
}
