//! Text messages as the tests read them: the outbox, polled (SMS are written after
//! the reply, so a lookup's timing tells nothing), and sign-up with its code.
use crate::support::{Answer, Client};
use app::db::Db;
use std::time::{Duration, Instant};

/// Every SMS to `phone` so far, waiting up to five seconds for at least `count`.
pub async fn sms_to(db: &Db, phone: &str, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let bodies: Vec<String> = app::db::outbox::messages(db, None, Some(phone))
            .await
            .expect("outbox")
            .into_iter()
            .map(|message| message.body)
            .collect();
        if bodies.len() >= count || started.elapsed() > Duration::from_secs(5) {
            return bodies;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The six digits of the newest sign-up code sent to `phone`.
pub async fn sign_up_code(db: &Db, phone: &str, nth: usize) -> String {
    let bodies = sms_to(db, phone, nth).await;
    let body = bodies
        .iter()
        .rev()
        .find(|body| body.contains("mã xác nhận"))
        .unwrap_or_else(|| panic!("no sign-up code to {phone}: {bodies:?}"));
    body.split_whitespace()
        .find(|word| word.len() == 6 && word.chars().all(|c| c.is_ascii_digit()))
        .expect("six digits")
        .to_string()
}

/// The international form the server keeps (`0912 345 678` → `+84912345678`).
pub fn normalised(phone: &str) -> String {
    app::domain::phone::PhoneNumber::parse(phone)
        .expect("a valid phone")
        .as_str()
        .to_string()
}

/// Signs up through both steps, reading the code from the outbox; the answer of
/// the second step (the signed-in principal).
pub async fn sign_up_proven(
    client: &Client,
    db: &Db,
    phone: &str,
    name: &str,
    password: &str,
) -> Answer {
    let number = normalised(phone);
    let before = app::db::outbox::messages(db, None, Some(&number))
        .await
        .expect("outbox")
        .len();
    let started = client
        .call(
            "account/sign_up",
            &[
                ("phone", phone),
                ("display_name", name),
                ("password", password),
            ],
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    let code = sign_up_code(db, &number, before + 1).await;
    client
        .call(
            "account/confirm_sign_up",
            &[("phone", &number), ("code", &code)],
        )
        .await
}
