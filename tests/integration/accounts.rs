//! Accounts over HTTP on each engine: sign-up with any usual phone form, login
//! throttling that survives a restart, session renewal, logging out everywhere,
//! invitations and password resets through the outbox.
use crate::support::people::signed_in_with;
use crate::support::{
    audit_rows, create_user, each_engine, for_each_engine, fresh_phone, session_set_cookie, Client,
    TestServer, TEST_PASSWORD,
};
use app::auth::session::AuthSettings;

#[tokio::test]
async fn a_producer_signs_up_with_spaces_and_logs_in_with_plus84() {
    for_each_engine(|server| async move {
        // Arrange
        let client = server.client();
        // Act
        let signed_up = crate::sms::sign_up_proven(
            &client,
            &server.db,
            "0912 345 678",
            "  Y   Bơ ",
            TEST_PASSWORD,
        )
        .await;
        let logged_out = client.call("account/log_out", &[]).await;
        let after_logout = client.call("account/current_user", &[]).await;
        let logged_in = client.try_log_in("+84912345678", TEST_PASSWORD).await;
        let twice = Client::new(&server.base)
            .call(
                "account/sign_up",
                &[
                    ("phone", "0912.345.678"),
                    ("display_name", "Người khác"),
                    ("password", TEST_PASSWORD),
                ],
            )
            .await;
        let told = crate::sms::sms_to(&server.db, "+84912345678", 2).await;
        // Assert
        assert_eq!(signed_up.status, 200, "{}", signed_up.body);
        let principal: app::auth::Principal = signed_up.parse();
        assert_eq!(principal.phone, "+84912345678");
        assert_eq!(principal.display_name, "Y Bơ");
        assert_eq!(logged_out.status, 200, "{}", logged_out.body);
        assert_eq!(after_logout.json(), serde_json::Value::Null);
        assert_eq!(logged_in.status, 200, "{}", logged_in.body);
        assert_eq!(
            logged_in.parse::<app::auth::Principal>().user_id,
            principal.user_id
        );
        // A second sign-up gets the same reply; only the number's holder is told.
        assert_eq!(twice.status, 200, "{}", twice.body);
        assert_eq!(twice.body, "\"+84912345678\"");
        assert!(
            told.last()
                .is_some_and(|sms| sms.contains("đã có tài khoản")),
            "{told:?}"
        );
        let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(server.db.pool())
            .await
            .expect("count");
        assert_eq!(users, 1);
    })
    .await;
}

#[tokio::test]
async fn refused_input_gets_a_vietnamese_message_and_saves_nothing() {
    for_each_engine(|server| async move {
        let client = server.client();
        let before = audit_rows(&server.db).await;
        let cases = [
            ("012 345", TEST_PASSWORD, "phone", "10 chữ số"),
            ("0912345679", "12345678", "password", "phổ biến"),
            ("0912345679", "ngắn", "password", "ít nhất 8"),
        ];
        for (phone, password, field, words) in cases {
            let answer = client
                .call(
                    "account/sign_up",
                    &[
                        ("phone", phone),
                        ("display_name", "Chủ thể"),
                        ("password", password),
                    ],
                )
                .await;
            assert_eq!(answer.status, 422, "{phone}/{password}: {}", answer.body);
            let refused: app::error::AppError =
                serde_json::from_str(&answer.body).expect("an AppError");
            let app::error::AppError::Invalid {
                field: refused_field,
                refusal,
            } = refused
            else {
                panic!("not a field's refusal: {}", answer.body);
            };
            assert_eq!(refused_field, field, "{}", answer.body);
            let shown = app::domain::refusal::Said::text(&refusal, app::domain::refusal::Lang::Vi);
            assert!(shown.contains(words), "{shown}");
        }
        let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(server.db.pool())
            .await
            .expect("count");
        assert_eq!(users, 0);
        assert_eq!(audit_rows(&server.db).await, before);
    })
    .await;
}

#[tokio::test]
async fn the_eleventh_login_waits_even_with_the_right_password_and_after_a_restart() {
    for test_db in each_engine().await {
        // Arrange: default settings (10 failures in 15 minutes, 15 minutes' wait).
        let server = TestServer::start(&test_db.url, false, None).await;
        let phone = fresh_phone();
        create_user(&server.db, &phone, &[]).await;
        let client = server.client();
        // Act
        let mut statuses = Vec::new();
        for _ in 0..10 {
            let answer = client.try_log_in(&phone, "sai-mat-khau-roi").await;
            statuses.push(answer.status);
        }
        let eleventh = client.try_log_in(&phone, TEST_PASSWORD).await;
        let db = server.stop();
        db.close().await;
        let restarted = TestServer::start(&test_db.url, false, None).await;
        let after_restart = restarted.client().try_log_in(&phone, TEST_PASSWORD).await;
        // Assert
        assert_eq!(statuses, vec![401; 10]);
        for answer in [&eleventh, &after_restart] {
            assert_eq!(answer.status, 429, "{}", answer.body);
            let wait = answer.wait_minutes();
            assert!(matches!(wait, Some(14 | 15)), "{}", answer.body);
            assert!(answer.body.contains("TooManyAttempts"), "{}", answer.body);
        }
        eprintln!(
            "throttle on {}: 10 failures refused with 401, 11th (right password) 429 \"wait {} min\", still 429 after restart",
            test_db.engine,
            eleventh.wait_minutes().unwrap_or_default()
        );
        let db = restarted.stop();
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn the_limit_and_wait_follow_the_settings() {
    let test_db = crate::support::TestDb::sqlite();
    let settings = AuthSettings {
        throttle: app::db::throttle::ThrottleSettings {
            max_failures: 3,
            window_ms: 60_000,
            lockout_ms: 120_000,
            address_max_failures: 100,
        },
        ..AuthSettings::default()
    };
    let server = TestServer::start_with(&test_db.url, false, None, settings).await;
    let phone = fresh_phone();
    create_user(&server.db, &phone, &[]).await;
    let client = server.client();
    for _ in 0..3 {
        client.try_log_in(&phone, "sai-mat-khau-roi").await;
    }
    let fourth = client.try_log_in(&phone, TEST_PASSWORD).await;
    assert_eq!(fourth.status, 429, "{}", fourth.body);
    assert_eq!(fourth.wait_minutes(), Some(2));
    let db = server.stop();
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_the_old_one_is_dead() {
    let test_db = crate::support::TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let phone = fresh_phone();
    create_user(&server.db, &phone, &[]).await;
    let http = reqwest::Client::new();
    let log_in = |cookie: Option<String>| {
        let mut request = http
            .post(format!("{}/api/account/log_in", server.base))
            .header("origin", &server.base)
            .form(&[("phone", phone.as_str()), ("password", TEST_PASSWORD)]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    // Act: log in, then log in again carrying the first session.
    let first = log_in(None).await.expect("first login");
    let first_cookie = session_set_cookie(&first).expect("a session cookie");
    let first_pair = first_cookie.split(';').next().unwrap_or("").to_string();
    let second = log_in(Some(first_pair.clone()))
        .await
        .expect("second login");
    let second_cookie = session_set_cookie(&second).expect("a new session cookie");
    let old_session_user = http
        .post(format!("{}/api/account/current_user", server.base))
        .header("origin", &server.base)
        .header("cookie", &first_pair)
        .send()
        .await
        .expect("current user")
        .text()
        .await
        .expect("body");
    // Assert
    assert_ne!(first_pair, second_cookie.split(';').next().unwrap_or(""));
    let attributes = first_cookie.to_ascii_lowercase();
    assert!(attributes.contains("httponly"), "{first_cookie}");
    assert!(attributes.contains("samesite=lax"), "{first_cookie}");
    assert!(!attributes.contains("secure"), "http here: {first_cookie}");
    assert_eq!(old_session_user, "null");
    let db = server.stop();
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn logging_out_everywhere_ends_the_other_devices_sessions() {
    for_each_engine(|server| async move {
        let (phone, phone_device) = signed_in_with(&server, &[]).await;
        let tablet = server.client();
        tablet.log_in(&phone, TEST_PASSWORD).await;
        let overview = tablet.call("account/overview", &[]).await;
        assert_eq!(
            overview
                .parse::<app::api::account::AccountSummary>()
                .live_sessions,
            2,
            "{}",
            overview.body
        );

        let answer = phone_device.call("account/log_out_everywhere", &[]).await;

        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(tablet.call("account/overview", &[]).await.status, 401);
        assert_eq!(phone_device.call("account/overview", &[]).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn an_invited_official_sets_a_password_from_the_outbox_link() {
    for_each_engine(|server| async move {
        // Arrange: an admin of Quảng Ngãi.
        let admin = crate::support::people::admin_grant(51);
        let admin_client = crate::support::people::official(&server, admin).await;
        // Act: invite, read the SMS in the outbox, follow it.
        let invited =
            crate::support::people::invite_officer(&admin_client, "0987 654 321", "A Lềnh").await;
        let (link, token) = crate::support::people::invitation_link(&invited);
        let messages = app::db::outbox::messages(&server.db, None, Some("+84987654321"))
            .await
            .expect("outbox");
        let official = server.client();
        let before_password = official.try_log_in("0987654321", TEST_PASSWORD).await;
        let accepted = official
            .call(
                "account/accept_invitation",
                &[("token", &token), ("password", TEST_PASSWORD)],
            )
            .await;
        let again = server
            .client()
            .call(
                "account/accept_invitation",
                &[("token", &token), ("password", TEST_PASSWORD)],
            )
            .await;
        let delivered =
            app::db::outbox::deliver_pending(&server.db, &app::db::outbox::LogTransport)
                .await
                .expect("deliver");
        // Assert
        assert_eq!(messages.len(), 1);
        assert!(messages[0].body.contains(&link), "{}", messages[0].body);
        assert_eq!(before_password.status, 401);
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        assert_eq!(
            accepted.parse::<app::auth::Principal>().grants[0].role,
            app::auth::Role::CommuneOfficer
        );
        assert_eq!(again.status, 422, "a link works once: {}", again.body);
        assert_eq!(delivered, 1);
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_goes_through_the_outbox_and_ends_old_sessions() {
    for_each_engine(|server| async move {
        let (phone, old_device) = signed_in_with(&server, &[]).await;
        let anyone = server.client();

        let unknown = anyone
            .call(
                "account/request_password_reset",
                &[("phone", "0911 111 111")],
            )
            .await;
        let known = anyone
            .call("account/request_password_reset", &[("phone", &phone)])
            .await;
        let messages = crate::sms::sms_to(&server.db, &phone, 1).await;
        let token = newest_reset_token(&server, &phone, 1).await;
        let reset = anyone
            .call(
                "account/reset_password",
                &[("token", &token), ("password", "mat-khau-moi-2026")],
            )
            .await;

        assert_eq!(
            (unknown.status, unknown.body.as_str()),
            (known.status, known.body.as_str())
        );
        assert_eq!(messages.len(), 1);
        assert_eq!(reset.status, 200, "{}", reset.body);
        assert_eq!(old_device.call("account/overview", &[]).await.status, 401);
        let fresh = server.client();
        fresh.log_in(&phone, "mat-khau-moi-2026").await;
    })
    .await;
}

#[tokio::test]
async fn the_audit_csv_lists_what_the_page_lists() {
    let test_db = crate::support::TestDb::sqlite();
    let server = TestServer::start(&test_db.url, false, None).await;
    let phone = fresh_phone();
    let super_admin = app::auth::Grant {
        role: app::auth::Role::SuperAdmin,
        scope: app::auth::Scope::Everywhere,
    };
    let admin_id = create_user(&server.db, &phone, &[super_admin]).await;
    let client = server.client();
    client.log_in(&phone, TEST_PASSWORD).await;

    let page = client.call("audit/list", &[("actor", &admin_id)]).await;
    let csv = client
        .get(&format!("{}?actor={admin_id}", sao_server::AUDIT_CSV_PATH))
        .await;

    assert_eq!(page.status, 200, "{}", page.body);
    let rows = page.json().as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(rows, 1, "the login: {}", page.body);
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 1 + rows, "{}", csv.body);
    assert!(csv.body.contains(",log_in,"), "{}", csv.body);
    let bad_date = client.call("audit/list", &[("from", "29/11/2026")]).await;
    assert_eq!(bad_date.status, 422, "{}", bad_date.body);
    let db = server.stop();
    test_db.cleanup(db).await;
}

/// The reset link in the newest SMS to `phone`.
/// The token of the newest reset link to `phone`, once `count` SMS have arrived.
async fn newest_reset_token(server: &TestServer, phone: &str, count: usize) -> String {
    crate::sms::sms_to(&server.db, phone, count).await;
    let messages = app::db::outbox::messages(&server.db, None, Some(phone))
        .await
        .expect("outbox");
    messages
        .iter()
        .max_by_key(|m| m.id.clone())
        .and_then(|m| m.body.split("ma=").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_new_reset_link_revokes_the_older_and_one_link_is_used_once_under_a_race() {
    for_each_engine(|server| async move {
        // Arrange: two reset requests for one account.
        let phone = fresh_phone();
        create_user(&server.db, &phone, &[]).await;
        let anyone = server.client();
        let ask = [("phone", phone.as_str())];
        let mut tokens = Vec::new();
        for count in 1..=2 {
            let asked = anyone.call("account/request_password_reset", &ask).await;
            assert_eq!(asked.status, 200, "{}", asked.body);
            tokens.push(newest_reset_token(&server, &phone, count).await);
        }
        let [first, second] = <[String; 2]>::try_from(tokens).expect("two links");
        assert_ne!(first, second);

        // Act: the older link; then the newer one twice at the same moment.
        let old = anyone
            .call(
                "account/reset_password",
                &[("token", &first), ("password", "mat-khau-cu-2026")],
            )
            .await;
        let form = [
            ("token", second.as_str()),
            ("password", "mat-khau-moi-2026"),
        ];
        let (a, b) = (server.client(), server.client());
        let (one, two) = tokio::join!(
            a.call("account/reset_password", &form),
            b.call("account/reset_password", &form)
        );

        // Assert
        assert_eq!(old.status, 422, "a revoked link: {}", old.body);
        let mut statuses = [one.status, two.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 422], "{} / {}", one.body, two.body);
        println!(
            "reset tokens on {}: the older link refused, one of two concurrent uses wins",
            server.engine
        );
    })
    .await;
}
