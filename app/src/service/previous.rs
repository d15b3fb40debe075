//! The result an upgrade or re-evaluation dossier follows (issue 16): found
//! from the certificate the dossier names (Mẫu 01), read from what was stored
//! at that evaluation's seal — the counted members' sheets — never recomputed.
use crate::db::{self, Db};
use crate::domain::dossier::{ProductKind, ProductRow};
use crate::domain::previous_result::{criterion_means, PreviousResult};
use crate::domain::round_result::CellState;
use crate::error::AppError;

/// The previous result of `product`, if it names a certificate Sao knows (an
/// imported one carries its stars only).
pub async fn of_product(db: &Db, product: &ProductRow) -> Result<Option<PreviousResult>, AppError> {
    let code = product.previous_certificate.trim();
    if product.kind == ProductKind::FirstTime || code.is_empty() {
        return Ok(None);
    }
    let Some(certificate) = db::certificates::by_code(db, code).await? else {
        return Ok(None);
    };
    let mut previous = PreviousResult {
        certificate: certificate.code.clone(),
        stars: u8::try_from(certificate.stars).unwrap_or(0),
        mean: String::new(),
        criteria: Vec::new(),
        changes: product.changes.clone(),
    };
    let (Some(evaluated), Some(round_id)) = (
        certificate.product_id.as_deref(),
        db::certificates::round_of(db, code).await?,
    ) else {
        return Ok(Some(previous));
    };
    let rows = crate::service::seal::stored_rows(db, &round_id).await?;
    let Some(row) = rows.iter().find(|r| r.product_id == evaluated) else {
        return Ok(Some(previous));
    };
    let counted: Vec<&str> = row
        .cells
        .iter()
        .filter(|cell| cell.state == CellState::Submitted)
        .map(|cell| cell.member_id.as_str())
        .collect();
    let sheets = db::sheets::of_round(db, &round_id).await?;
    let sheets: Vec<_> = sheets
        .iter()
        .filter(|(member, product, _)| product == evaluated && counted.contains(&member.as_str()))
        .map(|(_, _, sheet)| sheet)
        .collect();
    if let Some(card) = crate::rules_catalog::product_set(&row.rule_set, row.product_set) {
        previous.criteria = criterion_means(card, &sheets);
    }
    previous.mean = row
        .outcome
        .as_ref()
        .map(|o| o.mean.clone())
        .unwrap_or_default();
    Ok(Some(previous))
}

/// The previous results of a round's products, for its chair and its office.
pub async fn of_round(round_id: String) -> Result<Vec<(String, PreviousResult)>, AppError> {
    let (db, requester) = crate::service::request().await?;
    crate::auth::guards::chaired_round(&db, &requester, &round_id).await?;
    let mut found = Vec::new();
    for product_id in db::rounds::dossiers(&db, &round_id).await? {
        let Some(product) = db::producers::product(&db, &product_id).await? else {
            continue;
        };
        if let Some(previous) = of_product(&db, &product).await? {
            found.push((product_id, previous));
        }
    }
    Ok(found)
}
