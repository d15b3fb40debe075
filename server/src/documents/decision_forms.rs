//! The recognition decision of a sealed round (`GET /van-phong/dot/{id}/quyet-dinh.pdf`,
//! a draft until the office records its number and date) and a recognised
//! product's certificate (`GET /giay-chung-nhan/{code}.pdf`) with the QR code of
//! its public verification page (issue 16).
use super::{pdf_response, qr_svg, refuse};
use app::auth::session::{AuthSession, Authorized, PublicOrigin};
use app::db::Db;
use app::domain::decision::DecisionOutcome;
use app::domain::round::{Body, RoundState};
use app::error::{AppError, Refusal, Thing};
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;

pub const DECISION_PATH: &str = "/van-phong/dot/{id}/quyet-dinh.pdf";
pub const CERTIFICATE_PATH: &str = "/giay-chung-nhan/{file}";

const DECISION_TEMPLATE: &str = include_str!("quyet-dinh.typ");
const CERTIFICATE_TEMPLATE: &str = include_str!("giay-chung-nhan.typ");

#[derive(Serialize)]
struct DecisionLineDoc {
    product: String,
    subject: String,
    mean: String,
    stars: String,
    code: String,
    outcome: String,
}

#[derive(Serialize)]
struct DecisionDocument {
    draft: bool,
    authority: String,
    number: String,
    place_date: String,
    round_name: String,
    seal_digest: String,
    recognised: Vec<DecisionLineDoc>,
    forwarded: Vec<DecisionLineDoc>,
    not_recognised: Vec<DecisionLineDoc>,
    signer_title: String,
    signer: String,
}

#[derive(Serialize)]
struct CertificateDocument {
    authority: String,
    code: String,
    product_name: String,
    subject_name: String,
    stars: u8,
    star_marks: String,
    decision_number: String,
    signed_on: String,
    issued_on: String,
    valid_until: String,
    verify_url: String,
    qr_svg: String,
}

pub fn authority(province: Option<String>) -> String {
    format!(
        "Ủy ban nhân dân {}",
        province.unwrap_or_else(|| "tỉnh".into())
    )
}

/// Who issues a decision of `body`, with the title of who signs for it: the
/// ministry for central rounds, the People's Committee of the province or of
/// the (former) district otherwise.
pub async fn issuer(db: &Db, body: &Body) -> Result<(String, &'static str), AppError> {
    Ok(match body {
        Body::Central => (MINISTRY.into(), "KT. Bộ trưởng · Thứ trưởng"),
        Body::Province(province) => (
            authority(app::db::admin_units::province_full_name(db, *province).await?),
            "TM. Ủy ban nhân dân · Chủ tịch",
        ),
        Body::District { district, .. } => {
            let name = app::db::districts::get(db, district)
                .await?
                .map_or_else(|| "huyện".into(), |d| d.name);
            (
                format!("Ủy ban nhân dân {name}"),
                "TM. Ủy ban nhân dân · Chủ tịch",
            )
        }
    })
}

/// The ministry that recognises 5★ products under QĐ 26/2026.
const MINISTRY: &str = "Bộ Nông nghiệp và Môi trường";

/// A sealed (or decided) round, after the policy allowed its province's office.
pub async fn sealed_managed_round(
    db: &Db,
    session: AuthSession,
    round_id: &str,
) -> Result<app::domain::round::RoundRow, Response> {
    let me = Authorized::from_session(session);
    let round = app::auth::guards::managed_round(db, &me, round_id)
        .await
        .map_err(refuse)?;
    if !matches!(round.state, RoundState::Sealed | RoundState::Decided) {
        return Err(refuse(AppError::invalid("state", Refusal::RoundNotSealed)));
    }
    Ok(round)
}

/// The decision as it stands: a draft from the sealed results, or as recorded.
pub async fn decision(
    State(db): State<Db>,
    session: AuthSession,
    Path(round_id): Path<String>,
) -> Response {
    let round = match sealed_managed_round(&db, session, &round_id).await {
        Ok(round) => round,
        Err(refused) => return refused,
    };
    match decision_document(&db, &round).await {
        Ok(document) => pdf_response(DECISION_TEMPLATE, document, "quyet-dinh.pdf").await,
        Err(error) => refuse(error),
    }
}

async fn decision_document(
    db: &Db,
    round: &app::domain::round::RoundRow,
) -> Result<DecisionDocument, AppError> {
    let rows = app::service::seal::stored_rows(db, &round.id).await?;
    let lines = app::domain::decision::lines(&rows);
    let recorded = app::db::decisions::of_round(db, &round.id).await?;
    let codes = match &recorded {
        Some(decision) => app::db::decisions::items(db, &decision.id).await?,
        None => Vec::new(),
    };
    let (authority, signer_title) = issuer(db, &round.body).await?;
    let blank_number = match round.body {
        Body::Central => "…/QĐ-BNNMT",
        _ => "…/QĐ-UBND",
    };
    let mut document = DecisionDocument {
        draft: recorded.is_none(),
        authority,
        number: recorded
            .as_ref()
            .map_or_else(|| blank_number.into(), |d| d.number.clone()),
        place_date: recorded.as_ref().map_or_else(
            || "ngày … tháng … năm …".into(),
            |d| {
                let day = app::domain::date::CalendarDate::parse(&d.signed_on);
                day.map_or_else(
                    |_| d.signed_on.clone(),
                    |day| format!("ngày {} tháng {} năm {}", day.day, day.month, day.year),
                )
            },
        ),
        round_name: round.name.clone(),
        seal_digest: app::db::results::stored_seal_digest(db, &round.id)
            .await?
            .unwrap_or_default(),
        recognised: Vec::new(),
        forwarded: Vec::new(),
        not_recognised: Vec::new(),
        signer_title: signer_title.into(),
        signer: recorded
            .as_ref()
            .map_or_else(String::new, |d| d.signer.clone()),
    };
    for line in lines {
        let scope = app::auth::guards::scope_of_product(db, &line.product_id).await?;
        let subject = app::db::producers::subject(db, &scope.subject_id)
            .await?
            .map(|(_, s)| s.name)
            .unwrap_or_default();
        let code = codes
            .iter()
            .find(|item| item.product_id == line.product_id)
            .and_then(|item| item.certificate_code.clone())
            .unwrap_or_default();
        let mut doc = DecisionLineDoc {
            product: line.product_name.clone(),
            subject,
            mean: line.mean.clone(),
            stars: String::new(),
            code,
            outcome: String::new(),
        };
        match &line.outcome {
            DecisionOutcome::Recognised { stars } => {
                doc.stars = format!("{stars} sao");
                document.recognised.push(doc);
            }
            DecisionOutcome::Forwarded { to } => {
                doc.outcome = format!("đề xuất {to} đánh giá");
                document.forwarded.push(doc);
            }
            DecisionOutcome::Returned { to } => {
                doc.outcome = format!("chuyển về {to}");
                document.forwarded.push(doc);
            }
            DecisionOutcome::NotRecognised => document.not_recognised.push(doc),
        }
    }
    Ok(document)
}

/// A recognised product's certificate, for whoever may read its dossier.
pub async fn certificate(
    State(db): State<Db>,
    State(origin): State<PublicOrigin>,
    session: AuthSession,
    Path(file): Path<String>,
) -> Response {
    let not_found = || refuse(AppError::NotFound(Thing::Product));
    let stored = match certificate_of_file(&db, &file).await {
        Ok(stored) => stored,
        Err(refused) => return refused,
    };
    let code = stored.code.as_str();
    // Certificates imported from before Sao have no dossier here and no PDF from Sao.
    let Some(product_id) = stored.product_id.clone() else {
        return not_found();
    };
    if let Err(refused) = crate::uploads::may_read_dossier(&db, &session, &product_id).await {
        return refused;
    }
    let (number, signed_on, body) = match app::db::certificates::decision_of(&db, code).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => return refuse(error.into()),
    };
    let authority = match issuer(&db, &body).await {
        Ok((authority, _)) => authority,
        Err(error) => return refuse(error),
    };
    let verify_url = format!("{}/xac-minh/{}", origin.as_str(), stored.code);
    let qr = match qr_svg(&verify_url) {
        Ok(svg) => svg,
        Err(error) => return refuse(AppError::internal(&error)),
    };
    let stars = u8::try_from(stored.stars).unwrap_or(0);
    let date = app::domain::date::display_date;
    let document = CertificateDocument {
        authority,
        code: stored.code.clone(),
        product_name: stored.product_name,
        subject_name: stored.subject_name,
        stars,
        star_marks: "★".repeat(usize::from(stars)),
        decision_number: number,
        signed_on: date(&signed_on),
        issued_on: date(&stored.issued_on),
        valid_until: date(&stored.valid_until),
        verify_url,
        qr_svg: qr,
    };
    pdf_response(CERTIFICATE_TEMPLATE, document, "giay-chung-nhan.pdf").await
}

/// The certificate a `{code}.pdf` path names, or the refusal to send.
pub async fn certificate_of_file(
    db: &Db,
    file: &str,
) -> Result<app::db::certificates::StoredCertificate, Response> {
    let not_found = || refuse(AppError::NotFound(Thing::Certificate));
    let code = file
        .strip_suffix(".pdf")
        .and_then(|code| app::domain::certificate_record::check_code(code).ok())
        .ok_or_else(not_found)?;
    match app::db::certificates::by_code(db, code).await {
        Ok(Some(stored)) => Ok(stored),
        Ok(None) => Err(not_found()),
        Err(error) => Err(refuse(error.into())),
    }
}
