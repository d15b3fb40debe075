//! The paper fallback: two officials key a member's paper sheet; it counts
//! when both keyings agree.
use crate::api::council::PaperOutcome;
use crate::db;
use crate::error::AppError;
use crate::error::{Refusal, Thing};

pub async fn key_paper_sheet(
    paper: crate::api::council::PaperKeyed,
) -> Result<PaperOutcome, AppError> {
    use crate::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &paper.round_id).await?;
    crate::auth::guards::ensure_scoring(round.state)?;
    if !crate::auth::guards::member_scores(
        &db,
        &paper.round_id,
        &paper.member_id,
        &paper.product_id,
    )
    .await?
    {
        return Err(AppError::invalid(
            "member_id",
            Refusal::MemberNotScoringProduct,
        ));
    }
    let product = db::producers::product(&db, &paper.product_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Product))?;
    let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
        .ok_or_else(|| AppError::internal(&"no scorecard"))?;
    let mut parsed = std::collections::BTreeMap::new();
    for (code, option) in &paper.answers {
        let code = sao_scoring::CriterionCode::parse(code).map_err(|_| {
            AppError::invalid(
                "answers",
                Refusal::CriterionUnknown {
                    code: code.chars().take(16).collect(),
                },
            )
        })?;
        parsed.insert(code, option.map(sao_scoring::OptionIndex));
    }
    let total = sao_scoring::ScoredSheet::score(scorecard, &sao_scoring::Answers(parsed.clone()))
        .map_err(|e| AppError::invalid("answers", e))?
        .total;
    let official = authorized.user()?.user_id.clone();
    let keyed = serde_json::to_string(&paper.answers).map_err(|e| AppError::internal(&e))?;
    let mut tx = db.begin().await?;
    crate::auth::guards::lock_scoring(&mut tx, &paper.round_id).await?;
    let held = db::sheets::changes_of(&mut tx, &paper.member_id, &paper.product_id).await?;
    let sheet = SheetState::replay(&held);
    if sheet.handed_in().is_some() {
        return Err(AppError::invalid(
            "member_id",
            Refusal::MemberAlreadySubmitted,
        ));
    }
    // Keyings pair up within one version of the sheet (a re-score starts anew).
    let generation = i64::from(sheet.versions);
    db::sheet_decisions::save_paper_entry(
        &mut tx,
        &paper.round_id,
        &paper.member_id,
        &paper.product_id,
        &official,
        &keyed,
        generation,
    )
    .await?;
    crate::db::audit::write(
        &mut tx,
        &authorized.actor(),
        crate::db::audit::Change::new(
            "key_paper_sheet",
            "sheet",
            &format!("{}/{}", paper.member_id, paper.product_id),
        )
        .after(db::audit::digest(&paper.answers)),
    )
    .await?;
    let other = db::sheet_decisions::other_paper_entries(
        &mut tx,
        &paper.member_id,
        &paper.product_id,
        &official,
        generation,
    )
    .await?
    .into_iter()
    .next();
    let outcome = match other {
        None => PaperOutcome::Waiting,
        Some((_, theirs)) => {
            let theirs: std::collections::BTreeMap<String, Option<u16>> =
                serde_json::from_str(&theirs).map_err(|e| AppError::internal(&e))?;
            let differing: Vec<&str> = scorecard
                .criteria()
                .map(|(_, _, c)| c.code.as_str())
                .filter(|code| paper.answers.get(*code) != theirs.get(*code))
                .collect();
            if !differing.is_empty() {
                // Keep this keying: whoever keyed wrong keys again.
                db::commit(tx).await?;
                return Err(AppError::invalid(
                    "answers",
                    Refusal::PaperMismatch {
                        criteria: differing.join(", "),
                    },
                ));
            }
            // Stamped after everything the sheet holds, with ids the server makes.
            let last = held.iter().map(|c| c.stamp.device_ms).max().unwrap_or(0);
            let start = last
                .checked_add(1)
                .ok_or_else(|| AppError::internal(&"a sheet stamped at the end of time"))?
                .max(db::now_ms());
            let mut keyed_changes: Vec<SheetChange> = parsed
                .iter()
                .map(|(criterion, option)| SheetEdit::Answer {
                    criterion: criterion.clone(),
                    option: option.map(|o| o.0),
                })
                .chain(std::iter::once(SheetEdit::Submit {
                    digest: String::new(),
                }))
                .enumerate()
                .map(|(seq, edit)| SheetChange {
                    change_id: uuid::Uuid::now_v7().to_string(),
                    member_id: paper.member_id.clone(),
                    product_id: paper.product_id.clone(),
                    stamp: Stamp {
                        device_ms: start.saturating_add(i64::try_from(seq).unwrap_or(0)),
                        device_id: "paper".into(),
                        seq: seq as u64,
                    },
                    edit,
                })
                .collect();
            let mut whole: Vec<SheetChange> = held
                .iter()
                .cloned()
                .chain(keyed_changes.iter().cloned())
                .collect();
            crate::domain::sheet_sync::hand_in_digests(&mut whole);
            keyed_changes = whole.split_off(held.len());
            for change in &keyed_changes {
                if !db::sheets::insert_change(&mut tx, &paper.round_id, change).await? {
                    return Err(AppError::internal(&"a fresh change id was taken"));
                }
            }
            let counted = super::replay_and_chain(
                &mut tx,
                &paper.round_id,
                &paper.member_id,
                &paper.product_id,
            )
            .await?;
            if counted.submitted.is_none() {
                return Err(AppError::internal(&"the keyed paper sheet did not count"));
            }
            PaperOutcome::Counted { total }
        }
    };
    db::commit(tx).await?;
    Ok(outcome)
}
