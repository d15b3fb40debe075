//! Trade promotion (issue 17; the seed plan's section III.5): the office of a
//! province records its showcase and sales points and its fairs, and which
//! certified products are shown at each; the public product page then says
//! where to buy it. A point or fair of another province is not the office's
//! to change (403), and a revoked or expired product is not promoted (422).
use crate::auth::guards;
use crate::auth::session::Authorized;
use crate::db::{self, audit, Db};
use crate::domain::certificate::CertificateStatus;
use crate::domain::certificate_record::check_code;
use crate::domain::date::CalendarDate;
use crate::domain::plan::PlanScope;
use crate::domain::promotion::{FairForm, PointForm, PromotionDesk, Showing};
use crate::error::{AppError, Refusal, Thing};

async fn office() -> Result<(Authorized, i64, Db), AppError> {
    let authorized = crate::auth::session::requester().await?;
    let province = guards::province_office(&authorized)?;
    Ok((authorized, province, db::from_context()?))
}

fn today() -> CalendarDate {
    CalendarDate::of_ms_vietnam(db::now_ms())
}

fn field((field, refusal): (&'static str, Refusal)) -> AppError {
    AppError::invalid(field, refusal)
}

/// The office's points, fairs and communes.
pub async fn desk() -> Result<PromotionDesk, AppError> {
    let (_, province, db) = office().await?;
    Ok(PromotionDesk {
        points: db::promotion::points_of(&db, province).await?,
        fairs: db::promotion::fairs_of(&db, province).await?,
        communes: db::admin_units::communes_of(&db, province).await?,
    })
}

/// Records a showcase or sales point in a commune of the office's province.
pub async fn add_point(point: crate::api::promotion::NewSalesPoint) -> Result<(), AppError> {
    let (authorized, province, db) = office().await?;
    let point = PointForm::parse(&point, today()).map_err(field)?;
    match guards::scope_province(&db, &PlanScope::Commune(point.commune)).await? {
        None => return Err(AppError::invalid("commune", Refusal::CommuneCodeUnknown)),
        Some(other) if other != province => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin().await?;
    db::promotion::add_point(&mut tx, &id, &point).await?;
    audit::commit(
        tx,
        &authorized.actor(),
        audit::Change::new("add_sales_point", "sales_point", &id).after(audit::digest(&(
            point.commune,
            &point.name,
            &point.address,
            point.kind.as_str(),
            point.opened_on.iso(),
        ))),
    )
    .await?;
    Ok(())
}

/// Records a fair or exhibition of the office's province.
pub async fn add_fair(fair: crate::api::promotion::NewFair) -> Result<(), AppError> {
    let (authorized, province, db) = office().await?;
    let fair = FairForm::parse(&fair, today()).map_err(field)?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin().await?;
    db::promotion::add_fair(&mut tx, &id, province, &fair).await?;
    audit::commit(
        tx,
        &authorized.actor(),
        audit::Change::new("add_fair", "fair", &id).after(audit::digest(&(
            province,
            &fair.name,
            &fair.place,
            fair.starts_on.iso(),
            fair.ends_on.iso(),
        ))),
    )
    .await?;
    Ok(())
}

/// Shows certified product `code` at one of the office's points or fairs. A
/// product shown there already is answered as done, with no second audit row.
pub async fn show(target: String, code: String) -> Result<(), AppError> {
    let (authorized, province, db) = office().await?;
    let showing = Showing::parse(&target).map_err(field)?;
    let code = check_code(&code).map_err(|refusal| AppError::invalid("code", refusal))?;
    let missing = match showing {
        Showing::Point(_) => Thing::SalesPoint,
        Showing::Fair(_) => Thing::Fair,
    };
    match db::promotion::province_of(&db, &showing).await? {
        None => return Err(AppError::NotFound(missing)),
        Some(other) if other != province => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    let stored = db::certificates::by_code(&db, code)
        .await?
        .ok_or(AppError::invalid("code", Refusal::CertificateCodeUnknown))?;
    let status = super::certificates::shown(stored)?.status;
    if matches!(
        status,
        CertificateStatus::Revoked | CertificateStatus::Expired
    ) {
        return Err(AppError::invalid(
            "code",
            Refusal::NotOnSale {
                status: status.key().to_string(),
            },
        ));
    }
    let mut tx = db.begin().await?;
    if !db::promotion::link(&mut tx, &showing, code).await? {
        return Ok(());
    }
    audit::commit(
        tx,
        &authorized.actor(),
        audit::Change::new("show_product", "showing", &showing.stored()).after(code.to_string()),
    )
    .await?;
    Ok(())
}
