//! Messages meant for SMS or e-mail: written as rows in the transaction that decides
//! to send them, delivered afterwards by a transport (the log by default).
use super::{now_ms, Db, DbError};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub state: String,
}

/// SMS to a phone number in E.164 form.
pub const SMS: &str = "sms";

/// Queues a message on `conn` (the caller's transaction); returns its id.
pub async fn enqueue(
    conn: &mut AnyConnection,
    channel: &str,
    recipient: &str,
    body: &str,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO outbox (id, created_ms, channel, recipient, body, state, attempts) \
         VALUES ($1, $2, $3, $4, $5, 'pending', 0)",
    )
    .bind(&id)
    .bind(now_ms())
    .bind(channel)
    .bind(recipient)
    .bind(body)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Delivers messages; a real SMS or e-mail gateway implements this.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    async fn send(&self, message: &OutboxMessage) -> Result<(), String>;
}

/// The default transport: writes each message to the server log.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogTransport;

#[async_trait::async_trait]
impl Transport for LogTransport {
    async fn send(&self, message: &OutboxMessage) -> Result<(), String> {
        tracing::info!(
            channel = %message.channel,
            recipient = %message.recipient,
            body = %redacted(&message.body),
            "outbox message"
        );
        Ok(())
    }
}

/// A message as the log may show it: links and codes (a live reset or invite
/// link, a one-time code) are replaced, so the log never holds a credential.
pub fn redacted(body: &str) -> String {
    body.split(' ')
        .map(|word| {
            let digits = word.chars().filter(char::is_ascii_digit).count();
            if word.contains("://") || word.contains("ma=") {
                "[link hidden]".to_string()
            } else if digits >= 4 && digits * 2 >= word.chars().count() {
                "[code hidden]".to_string()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long a claim to send a message holds before another process may take it.
const CLAIM_MS: i64 = 10 * 60 * 1000;

/// Sends every pending message once; returns how many were sent.
/// Several `sao` processes may deliver at once: each message is first claimed
/// (`pending` → `sending`, one conditional statement), so only one process sends
/// it. A claim left by a process that died is given back after `CLAIM_MS`.
pub async fn deliver_pending(db: &Db, transport: &dyn Transport) -> Result<usize, DbError> {
    sqlx::query("UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND sent_ms < $1")
        .bind(now_ms() - CLAIM_MS)
        .execute(db.pool())
        .await?;
    let pending = messages(db, Some("pending"), None).await?;
    let mut sent = 0;
    for message in pending {
        let claimed = sqlx::query(
            "UPDATE outbox SET state = 'sending', sent_ms = $2 WHERE id = $1 AND state = 'pending'",
        )
        .bind(&message.id)
        .bind(now_ms())
        .execute(db.pool())
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let outcome = transport.send(&message).await;
        let (state, error) = match &outcome {
            Ok(()) => ("sent", None),
            Err(error) => ("pending", Some(error.clone())),
        };
        sqlx::query(
            "UPDATE outbox SET state = $1, attempts = attempts + 1, sent_ms = $2, last_error = $3 \
             WHERE id = $4",
        )
        .bind(state)
        .bind(outcome.is_ok().then(now_ms))
        .bind(error)
        .bind(&message.id)
        .execute(db.pool())
        .await?;
        sent += usize::from(outcome.is_ok());
    }
    Ok(sent)
}

/// Messages, oldest first, optionally in one state or to one recipient.
pub async fn messages(
    db: &Db,
    state: Option<&str>,
    recipient: Option<&str>,
) -> Result<Vec<OutboxMessage>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, channel, recipient, body, state FROM outbox \
         WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR recipient = $2) \
         ORDER BY created_ms, id",
    )
    .bind(state)
    .bind(recipient)
    .fetch_all(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_log_never_shows_a_link_or_a_code() {
        let body = "Sao OCOP: đặt lại mật khẩu tại https://sao.example/dat-lai-mat-khau?ma=abc123 (hiệu lực 60 phút). Mã: 482913";
        let shown = super::redacted(body);
        assert!(
            !shown.contains("abc123") && !shown.contains("482913"),
            "{shown}"
        );
        assert!(shown.contains("hiệu lực 60 phút"), "{shown}");
    }
}
