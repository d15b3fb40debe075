//! Accounts, links and requests that hold against a hostile client (issue 13),
//! each attack sent over HTTP to the release build on each engine, asserting the
//! refusal and that nothing was stored: a squatted number, parallel wrong logins,
//! a forged X-Forwarded-For, a flood of password checks, SMS flooding.
use crate::sms::{sign_up_code, sms_to};
use crate::support::browser::{start_sao, wait_until_healthy, Running};
use crate::support::people::invite_officer;
use crate::support::{create_user, each_engine, fresh_phone, Client, TestDb, TEST_PASSWORD};
use app::auth::{Grant, Role, Scope};
use app::db::Db;

/// The release build on `test_db` (migrated by the release itself), with `args`;
/// None when the test is skipped for want of a release build.
pub(crate) async fn release_on(
    test_db: &TestDb,
    args: &[&str],
) -> Option<(Running, String, Db, crate::support::TempDir)> {
    let (bin, _site) = crate::support::release_build_or_skip()?;
    let workdir = crate::support::TempDir::new("sao-hostile-accounts");
    let mut all = vec!["--database-url", test_db.url.as_str(), "--data-dir", "data"];
    all.extend_from_slice(args);
    let (running, base) = start_sao(&bin, &workdir.0, &all).await;
    wait_until_healthy(&base).await;
    let db = Db::connect(&test_db.url)
        .await
        .expect("the release's database");
    Some((running, base, db, workdir))
}

fn admin_of(province: i64) -> Grant {
    Grant {
        role: Role::Admin,
        scope: Scope::Province(province),
    }
}

async fn users_with_phone(db: &Db, phone: &str) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE phone = $1")
        .bind(phone)
        .fetch_one(db.pool())
        .await
        .expect("count");
    count
}

async fn roles_of(db: &Db, phone: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT g.role FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.phone = $1 ORDER BY g.role",
    )
    .bind(phone)
    .fetch_all(db.pool())
    .await
    .expect("roles");
    rows.into_iter().map(|(role,)| role).collect()
}

/// The link token in the newest SMS to `phone` containing `path`.
fn token_in(bodies: &[String], path: &str) -> String {
    bodies
        .iter()
        .rev()
        .find(|body| body.contains(path))
        .and_then(|body| body.split("ma=").nth(1))
        .and_then(|rest| rest.split([' ', ')']).next())
        .unwrap_or_else(|| panic!("no {path} link in {bodies:?}"))
        .to_string()
}

#[tokio::test]
async fn a_squatted_number_never_becomes_an_account_and_a_role_reaches_only_the_numbers_holder() {
    for test_db in each_engine().await {
        let Some((_sao, base, db, _dir)) = release_on(&test_db, &[]).await else {
            return;
        };
        let admin = fresh_phone();
        create_user(&db, &admin, &[admin_of(51)]).await;
        let official = fresh_phone();
        let attacker = Client::new(&base);

        // Act 1: the attacker signs up with the official's number and guesses codes.
        let started = attacker
            .call(
                "account/sign_up",
                &[
                    ("phone", &official),
                    ("display_name", "Kẻ giả"),
                    ("password", "mat-khau-ke-gia"),
                ],
            )
            .await;
        let real = sign_up_code(&db, &official, 1).await;
        let wrong = format!(
            "{:06}",
            (real.parse::<u32>().expect("digits") + 1) % 1_000_000
        );
        let guess = [("phone", official.as_str()), ("code", wrong.as_str())];
        let guesses = futures::future::join_all(
            (0..5).map(|_| attacker.call("account/confirm_sign_up", &guess)),
        )
        .await;
        let late_right = attacker
            .call(
                "account/confirm_sign_up",
                &[("phone", &official), ("code", &real)],
            )
            .await;

        // Assert 1: every guess refused; after five tries even the right code is.
        assert_eq!(started.status, 200, "{}", started.body);
        assert!(guesses.iter().all(|g| g.status == 422), "{guesses:?}");
        assert_eq!(late_right.status, 422, "{}", late_right.body);
        assert_eq!(
            users_with_phone(&db, &official).await,
            0,
            "no account was made"
        );

        // Act 2: the admin invites the number: a new account, link to the number.
        let admin_client = Client::new(&base);
        admin_client.log_in(&admin, TEST_PASSWORD).await;
        let invited = invite_officer(&admin_client, &official, "Cán bộ xã").await;
        assert_eq!(invited.status, 200, "{}", invited.body);
        assert!(invited.json()["link"]
            .as_str()
            .is_some_and(|l| l.contains("/loi-moi?ma=")));

        // Act 3: a number that has an account (a producer's): the role is offered.
        let producer = fresh_phone();
        create_user(
            &db,
            &producer,
            &[Grant {
                role: Role::Producer,
                scope: Scope::Everywhere,
            }],
        )
        .await;
        let offered = invite_officer(&admin_client, &producer, "Cán bộ xã").await;
        let roles_before = roles_of(&db, &producer).await;
        let token = token_in(&sms_to(&db, &producer, 1).await, "/nhan-vai-tro");
        let other = fresh_phone();
        create_user(&db, &other, &[]).await;
        let thief = Client::new(&base);
        thief.log_in(&other, TEST_PASSWORD).await;
        let stolen = thief
            .call("account/accept_role", &[("token", &token)])
            .await;
        let holder = Client::new(&base);
        let anonymous = holder
            .call("account/accept_role", &[("token", &token)])
            .await;
        holder.log_in(&producer, TEST_PASSWORD).await;
        let accepted = holder
            .call("account/accept_role", &[("token", &token)])
            .await;
        let again = holder
            .call("account/accept_role", &[("token", &token)])
            .await;
        let overview = holder.call("account/overview", &[]).await;

        // Assert 3: the admin never holds the link; only the holder's account takes it.
        assert_eq!(offered.status, 200, "{}", offered.body);
        assert_eq!(offered.json()["link"], serde_json::Value::Null);
        assert_eq!(roles_before, vec!["producer".to_string()]);
        assert_eq!(
            stolen.status, 422,
            "another account's link: {}",
            stolen.body
        );
        assert_eq!(roles_of(&db, &other).await, Vec::<String>::new());
        assert_eq!(anonymous.status, 401, "{}", anonymous.body);
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        assert_eq!(again.status, 422, "a used link: {}", again.body);
        assert_eq!(
            roles_of(&db, &producer).await,
            vec!["commune_officer".to_string(), "producer".to_string()]
        );
        let roles: Vec<String> = overview.json()["principal"]["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .map(|g| g["role"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(
            roles.contains(&"CommuneOfficer".to_string()),
            "the session carries it: {roles:?}"
        );

        // Act 4: signing up with a registered number gets the same reply.
        let registered = Client::new(&base)
            .call(
                "account/sign_up",
                &[
                    ("phone", &producer),
                    ("display_name", "Ai đó"),
                    ("password", "mat-khau-ai-do"),
                ],
            )
            .await;
        assert_eq!(registered.status, 200, "{}", registered.body);
        assert_eq!(registered.body, format!("\"{producer}\""));
        let told = sms_to(&db, &producer, 2).await;
        assert!(
            told.last()
                .is_some_and(|sms| sms.contains("đã có tài khoản")),
            "{told:?}"
        );
        println!(
            "squatted number on {}: 5 parallel guesses and the late right code refused, no account; \
             invite made a new account; a registered number got an offer only its holder took",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

async fn throttle_count(db: &Db, key: &str) -> i64 {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT failures FROM login_throttle WHERE throttle_key = $1")
            .bind(key)
            .fetch_optional(db.pool())
            .await
            .expect("throttle row");
    row.map_or(0, |(count,)| count)
}

#[tokio::test]
async fn thirty_parallel_wrong_logins_are_counted_exactly_and_spare_the_next_account() {
    for test_db in each_engine().await {
        let Some((_sao, base, db, _dir)) = release_on(&test_db, &[]).await else {
            return;
        };
        let (victim, neighbour) = (fresh_phone(), fresh_phone());
        create_user(&db, &victim, &[]).await;
        create_user(&db, &neighbour, &[]).await;

        // Act: 30 wrong passwords at once from one address, then the right one.
        let clients: Vec<Client> = (0..30).map(|_| Client::new(&base)).collect();
        let wrong_form = [
            ("phone", victim.as_str()),
            ("password", "doan-bua-mat-khau"),
        ];
        let answers = futures::future::join_all(
            clients
                .iter()
                .map(|client| client.call("account/log_in", &wrong_form)),
        )
        .await;
        let right = Client::new(&base).try_log_in(&victim, TEST_PASSWORD).await;
        let next_account = Client::new(&base)
            .try_log_in(&neighbour, TEST_PASSWORD)
            .await;

        // Assert: every wrong answer counted once; the victim waits; the neighbour does not.
        let wrong = answers.iter().filter(|a| a.status == 401).count() as i64;
        let refused = answers
            .iter()
            .filter(|a| a.status == 429 || a.status == 503)
            .count() as i64;
        assert_eq!(wrong + refused, 30, "{answers:?}");
        assert!(wrong >= 10, "{wrong} checked before the lock");
        assert_eq!(
            throttle_count(&db, &format!("login:{victim}@127.0.0.1")).await,
            wrong
        );
        assert_eq!(throttle_count(&db, "addr:127.0.0.1").await, wrong);
        assert_eq!(right.status, 429, "{}", right.body);
        assert_eq!(next_account.status, 200, "{}", next_account.body);
        println!(
            "30 parallel wrong logins on {}: {wrong} checked and counted exactly, {refused} refused; \
             the account waits, another account from the same address signs in",
            test_db.engine
        );
        test_db.cleanup(db).await;
    }
}

/// Ten wrong logins for `phone`, each claiming to come from `forwarded(i)`.
async fn wrong_logins(base: &str, phone: &str, forwarded: impl Fn(usize) -> String) {
    for i in 0..10 {
        let status = Client::new(base)
            .http
            .post(format!("{base}/api/account/log_in"))
            .header("origin", base)
            .header("x-forwarded-for", forwarded(i))
            .form(&[("phone", phone), ("password", "doan-bua-mat-khau")])
            .send()
            .await
            .expect("login")
            .status();
        assert_eq!(status, 401);
    }
}

async fn log_in_from(base: &str, phone: &str, forwarded: &str) -> u16 {
    Client::new(base)
        .http
        .post(format!("{base}/api/account/log_in"))
        .header("origin", base)
        .header("x-forwarded-for", forwarded)
        .form(&[("phone", phone), ("password", TEST_PASSWORD)])
        .send()
        .await
        .expect("login")
        .status()
        .as_u16()
}

#[tokio::test]
async fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
    for test_db in each_engine().await {
        // Without --trusted-proxy: a client rotating the header is still one address.
        let Some((sao, base, db, dir)) = release_on(&test_db, &[]).await else {
            return;
        };
        let phone = fresh_phone();
        create_user(&db, &phone, &[]).await;
        wrong_logins(&base, &phone, |i| format!("203.0.113.{i}")).await;
        let rotated = log_in_from(&base, &phone, "203.0.113.99").await;
        drop((sao, dir));

        // Behind a trusted proxy: the forwarded address is the client; one client's
        // mistakes do not lock out another behind the same proxy.
        let (_sao, base, db2, _dir) = release_on(&test_db, &["--trusted-proxy", "127.0.0.1/32"])
            .await
            .expect("release");
        let phone = fresh_phone();
        create_user(&db2, &phone, &[]).await;
        wrong_logins(&base, &phone, |_| "198.51.100.7".to_string()).await;
        let same_client = log_in_from(&base, &phone, "198.51.100.7").await;
        let other_client = log_in_from(&base, &phone, "198.51.100.8").await;
        let keyed = throttle_count(&db2, &format!("login:{phone}@198.51.100.7")).await;
        let on_proxy = throttle_count(&db2, &format!("login:{phone}@127.0.0.1")).await;

        assert_eq!(
            rotated, 429,
            "a forged header from an untrusted peer changes nothing"
        );
        assert_eq!(same_client, 429);
        assert_eq!(other_client, 200);
        assert_eq!(
            (keyed, on_proxy),
            (10, 0),
            "counted under the client, not the proxy"
        );
        db2.close().await;
        test_db.cleanup(db).await;
    }
}

#[tokio::test]
async fn password_checks_past_the_gate_get_503_with_retry_after_never_a_crash() {
    let test_db = TestDb::sqlite();
    let Some((_sao, base, db, _dir)) = release_on(&test_db, &["--password-hash-queue", "0"]).await
    else {
        return;
    };
    let phones: Vec<String> = (0..24).map(|_| fresh_phone()).collect();
    let clients: Vec<Client> = phones.iter().map(|_| Client::new(&base)).collect();
    let answers = futures::future::join_all(clients.iter().zip(&phones).map(|(client, phone)| {
        let request = client
            .http
            .post(format!("{base}/api/account/log_in"))
            .header("origin", &base)
            .form(&[("phone", phone.as_str()), ("password", "doan-bua-mat-khau")]);
        async move {
            let response = request.send().await.expect("login");
            (
                response.status().as_u16(),
                response.headers().get("retry-after").is_some(),
            )
        }
    }))
    .await;
    let busy = answers.iter().filter(|(status, _)| *status == 503).count();
    assert!(
        busy > 0,
        "24 at once past a gate of one per core: {answers:?}"
    );
    assert!(
        answers
            .iter()
            .all(|(status, retry)| *status == 401 || (*status == 503 && *retry)),
        "{answers:?}"
    );
    println!(
        "24 parallel password checks, no queue: {busy} answered 503 with Retry-After, the rest 401"
    );
    test_db.cleanup(db).await;
}

#[tokio::test]
async fn sms_requests_are_throttled_per_number_and_the_reply_never_says_who_is_registered() {
    for test_db in each_engine().await {
        let Some((_sao, base, db, _dir)) = release_on(&test_db, &[]).await else {
            return;
        };
        let (known, unknown) = (fresh_phone(), fresh_phone());
        create_user(&db, &known, &[]).await;
        let anyone = Client::new(&base);
        let mut statuses = Vec::new();
        for phone in [&known, &unknown] {
            for _ in 0..4 {
                let answer = anyone
                    .call("account/request_password_reset", &[("phone", phone)])
                    .await;
                statuses.push((answer.status, answer.body));
            }
        }
        let sent = sms_to(&db, &known, 3).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let sent_after = sms_to(&db, &known, 3).await;
        let to_unknown = sms_to(&db, &unknown, 0).await;

        let expected: Vec<u16> = vec![200, 200, 200, 429, 200, 200, 200, 429];
        assert_eq!(
            statuses.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            expected,
            "{statuses:?}"
        );
        assert_eq!(
            statuses[0].1, statuses[4].1,
            "the same reply for a registered number"
        );
        assert_eq!(sent.len(), 3);
        assert_eq!(sent_after.len(), 3, "the fourth request sent nothing");
        assert!(to_unknown.is_empty());
        // Only the newest link works: one live token per account and purpose.
        let (live,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM one_time_tokens WHERE used_ms IS NULL AND purpose = 'password_reset'",
        )
        .fetch_one(db.pool())
        .await
        .expect("tokens");
        assert_eq!(live, 1);
        test_db.cleanup(db).await;
    }
}
