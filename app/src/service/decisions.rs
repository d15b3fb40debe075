//! The recognition decision (issue 16): the office previews its lines from the
//! sealed results, records the signed decision (number, day, signer) — which
//! issues the recognised products' certificates and marks the round decided —
//! then publishes it: each producer and commune office is told by SMS.
use crate::api::decisions::{DecisionView, ProductResult, RecordedDecision};
use crate::db::{self, Db};
use crate::domain::certificate::Validity;
use crate::domain::date::CalendarDate;
use crate::domain::decision::{lines, DecisionLine, DecisionOutcome, DecisionRecord};
use crate::domain::refusal::{Refusal, Sms};
use crate::domain::round::RoundState;
use crate::error::AppError;

/// The decision's lines, and the recorded decision once there is one.
pub async fn view(round_id: String) -> Result<DecisionView, AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
    if !matches!(round.state, RoundState::Sealed | RoundState::Decided) {
        return Err(AppError::invalid("state", Refusal::RoundNotSealed));
    }
    let lines = lines(&crate::service::seal::stored_rows(&db, &round_id).await?);
    let recorded = match db::decisions::of_round(&db, &round_id).await? {
        None => None,
        Some(decision) => Some(recorded_of(&db, decision).await?),
    };
    Ok(DecisionView { lines, recorded })
}

async fn recorded_of(
    db: &Db,
    decision: db::decisions::StoredDecision,
) -> Result<RecordedDecision, AppError> {
    let codes = db::decisions::items(db, &decision.id)
        .await?
        .into_iter()
        .map(|item| (item.product_id, item.certificate_code))
        .collect();
    Ok(RecordedDecision {
        number: decision.number,
        signed_on: decision.signed_on,
        signer: decision.signer,
        published: decision.published_ms.is_some(),
        codes,
    })
}

/// Records the signed decision of a sealed round.
pub async fn record(signed: crate::api::decisions::SignedDecision) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    let round = crate::auth::guards::managed_round(&db, &authorized, &signed.round_id).await?;
    if round.state != RoundState::Sealed {
        return Err(AppError::invalid("state", Refusal::RoundNotSealed));
    }
    let sealed_ms = db::results::sealed_ms(&db, &signed.round_id)
        .await?
        .ok_or_else(|| AppError::invalid("state", Refusal::RoundNotSealed))?;
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    let record = DecisionRecord::parse(
        &signed.signed,
        CalendarDate::of_ms_vietnam(sealed_ms),
        today,
    )
    .map_err(|(field, refusal)| AppError::invalid(field, refusal))?;
    let lines = lines(&crate::service::seal::stored_rows(&db, &signed.round_id).await?);
    // The year in the product code is the evaluation's: the round's.
    let year = CalendarDate::parse(&round.closes_on).map_or(record.signed_on.year, |d| d.year);
    let mut subjects = Vec::with_capacity(lines.len());
    for line in &lines {
        let scope = crate::auth::guards::scope_of_product(&db, &line.product_id).await?;
        let subject = db::producers::subject(&db, &scope.subject_id)
            .await?
            .map(|(_, subject)| subject.name)
            .unwrap_or_default();
        subjects.push((scope, subject));
    }
    let mut tx = db.begin().await?;
    // The round's one allowed change after the seal, first: a second recording
    // at the same time waits for this one, then finds the round decided.
    if !db::rounds::set_state(
        &mut tx,
        &signed.round_id,
        RoundState::Sealed,
        RoundState::Decided,
    )
    .await?
    {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    let mut codes = Vec::with_capacity(lines.len());
    for (line, (scope, subject)) in lines.iter().zip(&subjects) {
        codes.push(match line.outcome {
            DecisionOutcome::Recognised { stars } => {
                let code = issue(&mut tx, line, scope, subject, stars, year, &record).await?;
                Some(code)
            }
            _ => None,
        });
    }
    let decision = db::decisions::NewDecision {
        round_id: &signed.round_id,
        province: round.body.province(),
        number: &record.number,
        signed_on: &record.signed_on.iso(),
        signer: &record.signer,
        recorded_by: &authorized.user()?.user_id,
    };
    db::decisions::insert(&mut tx, &decision, &lines, &codes)
        .await
        .map_err(|error| match error.constraint() {
            Some(
                "decisions_number_unique"
                | "decisions_central_number_unique"
                | "decisions.province_code"
                | "decisions.number",
            ) => AppError::invalid("number", Refusal::DecisionNumberTaken),
            _ => error.into(),
        })?;
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("record_decision", "round", &signed.round_id).after(
            db::audit::digest(&(
                &record.number,
                record.signed_on.iso(),
                &record.signer,
                &lines,
                &codes,
            )),
        ),
    )
    .await?;
    Ok(())
}

/// A recognised product's certificate, with the commune's next code.
pub(crate) async fn issue(
    tx: &mut db::Tx,
    line: &DecisionLine,
    scope: &crate::auth::SubjectScope,
    subject: &str,
    stars: u8,
    year: i32,
    record: &DecisionRecord,
) -> Result<String, AppError> {
    let province = u32::try_from(scope.province).map_err(|_| AppError::internal(&"province"))?;
    let commune = u32::try_from(scope.commune).map_err(|_| AppError::internal(&"commune"))?;
    let code = db::certificates::next_code(tx, province, commune, year)
        .await?
        .to_string();
    let issued = db::certificates::insert(
        tx,
        &db::certificates::NewCertificate {
            code: &code,
            province: scope.province,
            product_id: Some(&line.product_id),
            product_name: &line.product_name,
            subject_name: subject,
            stars,
            validity: Validity::from_issue(record.signed_on),
        },
    )
    .await?;
    if !issued {
        // The code is the commune's serial, so only an imported certificate
        // that took Sao's form could hold it already.
        return Err(AppError::invalid(
            "number",
            Refusal::CertificateCodeTaken { code },
        ));
    }
    Ok(code)
}

/// Publishes a recorded decision: each product's producers and its commune's
/// officers get an SMS with the result (Điều 7.3g).
pub async fn publish(round_id: String) -> Result<(), AppError> {
    let (db, authorized) = crate::service::request().await?;
    crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
    let decision = db::decisions::of_round(&db, &round_id)
        .await?
        .ok_or_else(|| AppError::invalid("state", Refusal::RoundNotSealed))?;
    let lines = lines(&crate::service::seal::stored_rows(&db, &round_id).await?);
    let mut messages = Vec::new();
    for line in &lines {
        let scope = crate::auth::guards::scope_of_product(&db, &line.product_id).await?;
        let mut phones = db::commune::member_phones(&db, &scope.subject_id).await?;
        phones.extend(db::commune::officer_phones(&db, scope.commune).await?);
        let body = Sms::SmsDecision {
            product: line.product_name.clone(),
            number: decision.number.clone(),
            result: line.outcome.sms_result(),
        }
        .body();
        messages.extend(phones.into_iter().map(|phone| (phone, body.clone())));
    }
    let mut tx = db.begin().await?;
    if !db::decisions::publish(&mut tx, &decision.id).await? {
        return Err(AppError::invalid("state", Refusal::StateChanged));
    }
    for (phone, body) in &messages {
        db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, body).await?;
    }
    db::audit::commit(
        tx,
        &authorized.actor(),
        db::audit::Change::new("publish_decision", "round", &round_id)
            .after(db::audit::digest(&messages.len())),
    )
    .await?;
    Ok(())
}

/// The product's result in the newest published decision (its producers, and
/// the officials who may read the dossier).
pub async fn product_result(product_id: String) -> Result<Option<ProductResult>, AppError> {
    use crate::auth::policy::{Action, Target};
    let db = db::from_context()?;
    let scope = crate::auth::guards::scope_of_product(&db, &product_id).await?;
    crate::auth::session::authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
    // A decision on a result returned from above comes after the one that returned it.
    let (number, signed_on, mean, outcome, code) =
        match db::return_decisions::latest_of(&db, &product_id).await? {
            Some(returned) => (
                returned.number.clone(),
                returned.signed_on.clone(),
                returned.mean.clone(),
                returned.outcome()?,
                returned.certificate_code,
            ),
            None => {
                let Some((number, signed_on, item)) =
                    db::decisions::published_line_of(&db, &product_id).await?
                else {
                    return Ok(None);
                };
                let outcome = db::decisions::outcome_of(&item)?;
                (number, signed_on, item.mean, outcome, item.certificate_code)
            }
        };
    let certificate = match &code {
        Some(code) => crate::service::certificates::public_view(&db, code).await?,
        None => None,
    };
    let window = match &certificate {
        Some(_) => CalendarDate::parse(&signed_on).ok().map(|issued| {
            let (opens, closes) = Validity::from_issue(issued).window();
            (opens.day_month_year(), closes.day_month_year())
        }),
        None => None,
    };
    let (inspections, revocation) = match &code {
        Some(code) => (
            crate::service::aftercare::inspection_lines(&db, code).await?,
            crate::service::aftercare::revocation_line(&db, code).await?,
        ),
        None => (Vec::new(), None),
    };
    Ok(Some(ProductResult {
        decision_number: number,
        signed_on: crate::domain::date::display_date(&signed_on),
        mean,
        outcome,
        certificate,
        window,
        inspections,
        revocation,
    }))
}
