//! The chair's decisions while the round scores: a member asked to score
//! again, a flagged knock-out confirmed or dismissed.
use crate::db;
use crate::error::AppError;
use crate::error::Refusal;

pub async fn request_rescore(asked: crate::api::council::RescoreAsked) -> Result<(), AppError> {
    use crate::domain::sheet_sync::{SheetChange, SheetEdit, Stamp};
    let (db, authorized) = crate::service::request().await?;
    crate::auth::guards::chaired_scoring_round(&db, &authorized, &asked.round_id).await?;
    let reason = crate::domain::subject::clean_text(&asked.reason);
    if reason.is_empty() {
        return Err(AppError::invalid("reason", Refusal::RescoreReasonRequired));
    }
    let in_round = db::councils::members(&db, &asked.round_id)
        .await?
        .iter()
        .any(|m| m.id == asked.member_id);
    let mut tx = db.begin().await?;
    crate::auth::guards::lock_scoring(&mut tx, &asked.round_id).await?;
    let held = db::sheets::changes_of(&mut tx, &asked.member_id, &asked.product_id).await?;
    let submitted = crate::domain::sheet_sync::SheetState::replay(&held).submitted;
    let (true, Some(submitted)) = (in_round, submitted) else {
        return Err(AppError::invalid("member_id", Refusal::MemberNotSubmitted));
    };
    // Stamped after the hand-in it reopens, whatever the tablet's clock said.
    let after_submit = submitted
        .device_ms
        .checked_add(1)
        .ok_or_else(|| AppError::internal(&"a hand-in stamped at the end of time"))?;
    let change = SheetChange {
        change_id: uuid::Uuid::now_v7().to_string(),
        member_id: asked.member_id.clone(),
        product_id: asked.product_id.clone(),
        stamp: Stamp {
            device_ms: db::now_ms().max(after_submit),
            device_id: "server".into(),
            seq: 0,
        },
        edit: SheetEdit::Reopen { reason },
    };
    if !db::sheets::insert_change(&mut tx, &asked.round_id, &change).await? {
        return Err(AppError::internal(&"a fresh change id was taken"));
    }
    super::replay_and_chain(
        &mut tx,
        &asked.round_id,
        &asked.member_id,
        &asked.product_id,
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new(
            "request_rescore",
            "sheet",
            &format!("{}/{}", asked.member_id, asked.product_id),
        )
        .after(db::audit::digest(&change.edit)),
    )
    .await?;
    Ok(())
}

pub async fn decide_knockout(
    decision: crate::api::council::KnockoutDecision,
) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    crate::auth::guards::chaired_scoring_round(&db, &authorized, &decision.round_id).await?;
    let conflicted = db::councils::conflicts(&db, &decision.round_id).await?;
    let flagged = db::sheets::of_round(&db, &decision.round_id)
        .await?
        .into_iter()
        .filter(|(member, product, _)| {
            *product == decision.product_id
                && !conflicted.contains(&(member.clone(), product.clone()))
        })
        .any(|(_, _, sheet)| {
            sheet.submitted.is_some() && sheet.flagged_knockouts().contains(&decision.criterion)
        });
    if !flagged {
        return Err(AppError::invalid("criterion", Refusal::NoKnockoutProposed));
    }
    let decided_by = authorized.user()?.user_id.clone();
    let mut tx = db.begin().await?;
    crate::auth::guards::lock_scoring(&mut tx, &decision.round_id).await?;
    db::sheet_decisions::decide_knockout(
        &mut tx,
        &decision.round_id,
        &decision.product_id,
        &decision.criterion,
        decision.confirmed,
        &decided_by,
    )
    .await?;
    crate::db::audit::commit(
        tx,
        &authorized.actor(),
        crate::db::audit::Change::new(
            if decision.confirmed {
                "confirm_knockout"
            } else {
                "dismiss_knockout"
            },
            "product",
            &decision.product_id,
        )
        .after(db::audit::digest(&(
            &decision.round_id,
            &decision.criterion,
            decision.confirmed,
        ))),
    )
    .await?;
    Ok(())
}
