//! A council member's own view: the products they score in their rounds.
//! (The scoring sheets themselves come with the council's tablet work.)
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
    error::with_status,
};

/// One product a member scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProduct {
    pub round_id: String,
    pub round_name: String,
    pub product_id: String,
    pub product_name: String,
}

/// The products assigned to the signed-in member, without those they are conflicted on.
#[server(endpoint = "council/products")]
pub async fn council_products() -> Result<Vec<MemberProduct>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            Ok(db::rounds::products_for_member(&db, &user_id)
                .await?
                .into_iter()
                .map(
                    |(round_id, round_name, product_id, product_name)| MemberProduct {
                        round_id,
                        round_name,
                        product_id,
                        product_name,
                    },
                )
                .collect())
        }
        .await,
    )
}

/// What the server did with a batch of changes from a tablet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReceipt {
    /// Changes the server holds (new, or already held from an earlier send): the
    /// tablet may forget them.
    pub stored: Vec<String>,
    /// Changes refused, with the reason (shown to the member; not retried).
    pub refused: Vec<(String, String)>,
}

/// At most this many changes per request (a tablet sends the rest next).
pub const SYNC_BATCH_LIMIT: usize = 500;

/// Takes a batch of sheet changes from a member's tablet. Each change is kept
/// once (by its id), each touched sheet is replayed from all its changes, and a
/// sheet just handed in is appended to the round's hash chain — all in one
/// transaction, so an acknowledged change is never lost.
#[server(endpoint = "council/sync", input = leptos::server_fn::codec::Json)]
pub async fn council_sync(
    changes: Vec<crate::domain::sheet_sync::SheetChange>,
) -> Result<SyncReceipt, AppError> {
    with_status(
        async move {
            use crate::domain::round::RoundState;
            use std::collections::BTreeSet;
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            if changes.len() > SYNC_BATCH_LIMIT {
                return Err(AppError::invalid(
                    "changes",
                    format!("Mỗi lần gửi tối đa {SYNC_BATCH_LIMIT} thay đổi."),
                ));
            }
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            let rights = db::rounds::scoring_rights(&db, &user_id).await?;
            let mut receipt = SyncReceipt::default();
            let mut touched = BTreeSet::new();
            let mut tx = db.begin().await?;
            for change in &changes {
                let right = rights
                    .iter()
                    .find(|r| r.member_id == change.member_id && r.product_id == change.product_id);
                let refusal = match right {
                    None => Some("Bạn không chấm sản phẩm này (chưa được phân công hoặc có xung đột lợi ích).".to_string()),
                    Some(right) if !matches!(right.round_state, RoundState::Scoring | RoundState::Deliberation) => {
                        Some("Đợt đánh giá không ở giai đoạn chấm điểm.".to_string())
                    }
                    Some(right) => edit_refusal(right, change),
                };
                match (refusal, right) {
                    (Some(reason), _) => receipt.refused.push((change.change_id.clone(), reason)),
                    (None, Some(right)) => {
                        db::sheets::insert_change(&mut tx, &right.round_id, change).await?;
                        touched.insert((right.round_id.clone(), change.member_id.clone(), change.product_id.clone()));
                        receipt.stored.push(change.change_id.clone());
                    }
                    (None, None) => {}
                }
            }
            for (round_id, member_id, product_id) in &touched {
                let all = db::sheets::changes_of(&mut tx, member_id, product_id).await?;
                let sheet = crate::domain::sheet_sync::SheetState::replay(&all);
                db::sheets::save_sheet(&mut tx, round_id, member_id, product_id, &sheet).await?;
                let chained = db::sheets::version_count(&mut tx, member_id, product_id).await?;
                if sheet.submitted.is_some() && chained == 0 {
                    let content = serde_json::to_string(&sheet).map_err(|e| AppError::internal(&e))?;
                    db::sheets::append_version(&mut tx, round_id, member_id, product_id, &content).await?;
                }
            }
            if !receipt.stored.is_empty() {
                crate::api::producer::ssr::audit_change(
                    &mut tx,
                    &authorized.actor(),
                    "council_sync",
                    "council_member",
                    &user_id,
                    db::audit::digest(&receipt.stored),
                )
                .await?;
            }
            db::commit(tx).await?;
            Ok(receipt)
        }
        .await,
    )
}

/// Why a change cannot be kept, judged against the product's scorecard.
#[cfg(feature = "ssr")]
fn edit_refusal(
    right: &db::rounds::ScoringRight,
    change: &crate::domain::sheet_sync::SheetChange,
) -> Option<String> {
    use crate::domain::sheet_sync::SheetEdit;
    if change.change_id.is_empty()
        || change.change_id.len() > 64
        || change.stamp.device_id.len() > 64
    {
        return Some("Mã thay đổi không hợp lệ.".into());
    }
    let Some(scorecard) = u32::try_from(right.product_set)
        .ok()
        .and_then(|set| crate::rules_catalog::product_set(&right.rule_set, set))
    else {
        return Some("Không tìm thấy bộ tiêu chí của sản phẩm.".into());
    };
    let criterion = |code: &str| {
        sao_scoring::CriterionCode::parse(code)
            .ok()
            .and_then(|code| scorecard.criterion(&code).cloned())
    };
    match &change.edit {
        SheetEdit::Answer {
            criterion: code,
            option,
        } => match criterion(code) {
            None => Some(format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
            Some(found) if option.is_some_and(|o| usize::from(o) >= found.option_count()) => {
                Some(format!("Tiêu chí {code} không có phương án này."))
            }
            Some(_) => None,
        },
        SheetEdit::Note {
            criterion: code,
            text,
        } => match criterion(code) {
            None => Some(format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
            Some(_) if text.chars().count() > 2000 => Some("Ghi chú dài quá 2.000 ký tự.".into()),
            Some(_) => None,
        },
        SheetEdit::Knockout {
            criterion: code, ..
        } => criterion(code)
            .is_none()
            .then(|| format!("Tiêu chí {code} không có trong bộ tiêu chí.")),
        SheetEdit::Submit => None,
    }
}
