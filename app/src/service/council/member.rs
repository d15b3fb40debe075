//! A council member's own view: the products they score and the dossier they
//! read beside each sheet.
use crate::api::council::{CommuneNote, DossierDocument, MemberDossier, MemberProduct};
use crate::auth::policy::{Action, Target};
use crate::auth::session::authorize;
use crate::db;
use crate::error::AppError;

pub async fn products() -> Result<Vec<MemberProduct>, AppError> {
    let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
    let user_id = authorized.user()?.user_id.clone();
    let db = db::from_context()?;
    let mut conn = db.pool().acquire().await.map_err(db::DbError::from)?;
    let mut products = Vec::new();
    for row in db::councils::products_for_member(&db, &user_id).await? {
        let changes = db::sheets::changes_of(&mut conn, &row.member_id, &row.product_id).await?;
        let sheet =
            (!changes.is_empty()).then(|| crate::domain::sheet_sync::SheetState::replay(&changes));
        let reopens = changes
            .into_iter()
            .filter(|c| matches!(c.edit, crate::domain::sheet_sync::SheetEdit::Reopen { .. }))
            .collect();
        products.push(MemberProduct {
            round_id: row.round_id,
            round_name: row.round_name,
            product_id: row.product_id,
            product_name: row.product_name,
            member_id: row.member_id,
            rule_set: row.rule_set,
            product_set: u32::try_from(row.product_set).unwrap_or(0),
            state: crate::domain::sheet_progress::SheetProgress::of(sheet.as_ref()),
            reopens,
        });
    }
    Ok(products)
}

pub async fn dossier(product_id: String) -> Result<MemberDossier, AppError> {
    let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
    let user_id = authorized.user()?.user_id.clone();
    let db = db::from_context()?;
    if !crate::auth::guards::scores_product(&db, &user_id, &product_id).await? {
        return Err(AppError::Forbidden);
    }
    let (self_assessment, _) = db::producers::self_assessment(&db, &product_id).await?;
    let documents = db::evidence::of_product(&db, &product_id)
        .await?
        .into_iter()
        .filter(|row| row.state == db::evidence::STORED)
        .map(|row| DossierDocument {
            path: format!("/tai-lieu/{}/tep", row.id),
            advisory: crate::domain::evidence::is_advisory_slot(&row.slot),
            slot: row.slot,
            file_name: row.file_name,
            content_type: row.content_type.unwrap_or_default(),
        })
        .collect();
    let report = crate::service::reports::commune_report(&db, &product_id).await?;
    let commune_report_path = report
        .as_ref()
        .map(|_| crate::api::commune::COMMUNE_REPORT_PATH.replace("{id}", &product_id));
    let commune = report
        .map(|r| r.contents)
        .unwrap_or_default()
        .into_iter()
        .map(|c| CommuneNote {
            criterion: c.criterion,
            title: c.title,
            option: c.option,
            agrees: c.agrees,
            comment: c.comment,
        })
        .collect();
    let previous = match db::producers::product(&db, &product_id).await? {
        Some(product) => crate::service::previous::of_product(&db, &product).await?,
        None => None,
    };
    Ok(MemberDossier {
        product_id,
        self_assessment,
        documents,
        commune,
        commune_report_path,
        previous,
    })
}
