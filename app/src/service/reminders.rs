//! Re-evaluation reminders (Điều 7.6a, issue 16): on the day the window opens
//! and 30 days before it closes, each certified product's producers get an SMS
//! through the outbox, once; the server's background work asks daily, and a
//! server that was down on the day sends it when it is back (until the close).
use crate::db::{self, Db};
use crate::domain::date::CalendarDate;
use crate::domain::refusal::Sms;
use crate::error::AppError;

/// Queues the reminders due on `today`; how many SMS were queued.
pub async fn send_due(db: &Db, today: CalendarDate) -> Result<usize, AppError> {
    let mut queued = 0;
    for stored in db::aftercare::certificates_to_remind(db, &today.iso()).await? {
        let (validity, revoked_on) = crate::service::certificates::dates_of(&stored)?;
        let due = validity.reminders_due(revoked_on, today);
        let Some(product_id) = stored.product_id.as_deref().filter(|_| !due.is_empty()) else {
            continue;
        };
        let scope = crate::auth::guards::scope_of_product(db, product_id).await?;
        let phones = db::commune::member_phones(db, &scope.subject_id).await?;
        let (opens, closes) = validity.window();
        let body = Sms::SmsReevaluation {
            product: stored.product_name.clone(),
            code: stored.code.clone(),
            opens: opens.day_month_year(),
            closes: closes.day_month_year(),
        }
        .body();
        let mut tx = db.begin().await?;
        let mut fresh = false;
        for which in due {
            fresh |=
                db::aftercare::note_reminder(&mut tx, &stored.code, which, &today.iso()).await?;
        }
        // Both reminders due at once (the server was down): one message says it.
        if fresh {
            for phone in &phones {
                db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
                queued += 1;
            }
        }
        db::commit(tx).await?;
    }
    Ok(queued)
}
