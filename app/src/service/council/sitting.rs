//! The chair turns a written-opinion round into a meeting (Điều 7.6 d): once,
//! before the seal, with the reason the minutes print.
use crate::db;
use crate::domain::sitting::{ask_meeting as check, MeetingAsked};
use crate::error::{AppError, Thing};

pub async fn ask_meeting(round_id: String, reason: String) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::chaired_round(&db, &authorized, &round_id).await?;
    let reason =
        check(round.sitting, round.state, &reason).map_err(|m| AppError::invalid("reason", m))?;
    let asked = MeetingAsked {
        reason,
        asked_ms: db::now_ms(),
    };
    let asked_by = authorized.user()?.user_id.clone();
    let mut tx = db.begin().await?;
    if !db::rounds::ask_meeting(&mut tx, &round_id, &asked, &asked_by).await? {
        drop(tx);
        // Another request or the seal got there first: say which.
        let now = db::rounds::get(&db, &round_id)
            .await?
            .ok_or(AppError::NotFound(Thing::Round))?;
        let refusal = check(now.sitting, now.state, &asked.reason)
            .err()
            .ok_or_else(|| AppError::internal(&"a written round refused a meeting"))?;
        return Err(AppError::invalid("reason", refusal));
    }
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("ask_meeting", "round", &round_id).after(db::audit::digest(&asked)),
    )
    .await?;
    Ok(())
}
