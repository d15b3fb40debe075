//! Results returned from the level above (issue 16, Điều 7.4g; the seed's
//! "< 70 back to the district"): the province's office lists its products a
//! higher round returned, with what its own level's rule makes of the stored
//! result, and records its decision on each (number, day, signer). A
//! recognised product gets its certificate; its producers and commune are told.
use crate::api::returns::{ReturnDecided, Returned};
use crate::auth::guards::scope_of_product;
use crate::auth::policy::{Action, Target};
use crate::auth::SubjectScope;
use crate::db::{self, Db};
use crate::domain::date::CalendarDate;
use crate::domain::decision::{lines, on_return, DecisionOutcome, DecisionRecord};
use crate::domain::refusal::{Refusal, Sms};
use crate::domain::round::{Body, RoundRow};
use crate::error::{AppError, Thing};

/// What a returned product's case holds, read from the round above.
struct Case {
    round: RoundRow,
    /// The day the round above's decision was signed.
    signed_on: CalendarDate,
    line: crate::domain::decision::DecisionLine,
    /// The level deciding now, and what its rule makes of the result.
    body: Body,
    proposed: DecisionOutcome,
}

/// The case of `product_id` returned by `from_round_id`, refused unless that
/// round's recorded decision returned it to a level of the product's province.
async fn case(
    db: &Db,
    from_round_id: &str,
    product_id: &str,
    scope: &SubjectScope,
) -> Result<Case, AppError> {
    let refused = || AppError::invalid("product_id", Refusal::NotReturned);
    let round = db::rounds::get(db, from_round_id)
        .await?
        .ok_or(AppError::NotFound(Thing::Round))?;
    let decision = db::decisions::of_round(db, from_round_id)
        .await?
        .ok_or_else(refused)?;
    let rows = crate::service::seal::stored_rows(db, from_round_id).await?;
    let row = rows.iter().find(|r| r.product_id == product_id);
    let line = lines(&rows)
        .into_iter()
        .find(|l| l.product_id == product_id)
        .ok_or_else(refused)?;
    let DecisionOutcome::Returned { to } = &line.outcome else {
        return Err(refused());
    };
    let profile = crate::service::council::console::round_profile(&round).ok_or_else(refused)?;
    let level = profile
        .levels
        .iter()
        .find(|level| &level.name == to)
        .ok_or_else(refused)?;
    let body = match level.code.as_str() {
        "province" => Body::Province(scope.province),
        "district" => Body::District {
            province: scope.province,
            district: db::districts::of_commune(db, scope.commune)
                .await?
                .ok_or_else(refused)?,
        },
        _ => return Err(refused()),
    };
    let signed_on = CalendarDate::parse(&decision.signed_on).map_err(|e| AppError::internal(&e))?;
    Ok(Case {
        proposed: on_return(row.and_then(|r| r.outcome.as_ref()), level),
        round,
        signed_on,
        line,
        body,
    })
}

/// The office's returned products, each with what its level's rule proposes
/// and the decision once recorded.
pub async fn list() -> Result<Vec<Returned>, AppError> {
    let authorized = crate::auth::session::authorize(Action::OfficeWork, &Target::Nothing).await?;
    // The ministry's office has no level below it to decide on a return.
    let province = crate::service::office::office_province(&authorized)?;
    let db = db::from_context()?;
    let mut returned = Vec::new();
    for (round_id, product_id) in db::return_decisions::returned_in(&db, province).await? {
        let scope = scope_of_product(&db, &product_id).await?;
        let case = case(&db, &round_id, &product_id, &scope).await?;
        returned.push(Returned {
            decided: db::return_decisions::of(&db, &round_id, &product_id)
                .await?
                .map(|d| ReturnDecided {
                    number: d.number,
                    signed_on: d.signed_on,
                    certificate_code: d.certificate_code,
                }),
            from_round_id: round_id,
            from_round_name: case.round.name,
            product_id,
            product_name: case.line.product_name,
            mean: case.line.mean,
            level: case.body.level().to_string(),
            proposed: case.proposed,
        });
    }
    Ok(returned)
}

/// Records the level's signed decision on a returned product.
pub async fn record(signed: crate::api::returns::SignedReturn) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let scope = scope_of_product(&db, &signed.product_id).await?;
    authorized.allow(Action::OfficeWork, &Target::Subject(&scope))?;
    let case = case(&db, &signed.from_round_id, &signed.product_id, &scope).await?;
    if db::return_decisions::of(&db, &signed.from_round_id, &signed.product_id)
        .await?
        .is_some()
    {
        return Err(AppError::invalid("number", Refusal::ReturnAlreadyDecided));
    }
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    let record = DecisionRecord::parse(&signed.signed, case.signed_on, today)
        .map_err(|(field, refusal)| AppError::invalid(field, refusal))?;
    let subject = db::producers::subject(&db, &scope.subject_id)
        .await?
        .map(|(_, subject)| subject.name)
        .unwrap_or_default();
    let mut phones = db::commune::member_phones(&db, &scope.subject_id).await?;
    phones.extend(db::commune::officer_phones(&db, scope.commune).await?);
    let year = CalendarDate::parse(&case.round.closes_on).map_or(record.signed_on.year, |d| d.year);
    let mut tx = db.begin().await?;
    let code = match case.proposed {
        DecisionOutcome::Recognised { stars } => Some(
            crate::service::decisions::issue(
                &mut tx, &case.line, &scope, &subject, stars, year, &record,
            )
            .await?,
        ),
        _ => None,
    };
    db::return_decisions::insert(
        &mut tx,
        &db::return_decisions::NewReturnDecision {
            from_round_id: &signed.from_round_id,
            product_id: &signed.product_id,
            body: &case.body,
            number: &record.number,
            signed_on: &record.signed_on.iso(),
            signer: &record.signer,
            outcome: &case.proposed,
            mean: &case.line.mean,
            certificate_code: code.as_deref(),
            recorded_by: &authorized.user()?.user_id,
        },
    )
    .await
    .map_err(|error| match error.constraint() {
        Some("return_decisions_once" | "return_decisions.from_round_id") => {
            AppError::invalid("number", Refusal::ReturnAlreadyDecided)
        }
        Some("return_decisions_number_unique" | "return_decisions.province_code") => {
            AppError::invalid("number", Refusal::DecisionNumberTaken)
        }
        _ => error.into(),
    })?;
    let body = Sms::SmsDecision {
        product: case.line.product_name.clone(),
        number: record.number.clone(),
        result: case.proposed.sms_result(),
    }
    .body();
    for phone in &phones {
        db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
    }
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("record_return_decision", "product", &signed.product_id).after(
            db::audit::digest(&(
                &signed.from_round_id,
                &record.number,
                record.signed_on.iso(),
                &record.signer,
                &case.proposed,
                &code,
            )),
        ),
    )
    .await?;
    Ok(())
}
