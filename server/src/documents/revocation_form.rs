//! The decision revoking a certificate (`GET /quyet-dinh-thu-hoi/{code}.pdf`,
//! issue 16, Điều 8): for the province's office and, for a certificate Sao
//! issued, whoever may read the product's dossier (its producers, its commune).
use super::{pdf_response, refuse};
use app::auth::session::{AuthSession, Authorized};
use app::db::Db;
use app::domain::refusal::{term, Lang};
use app::error::{AppError, Thing};
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;

pub const REVOCATION_PATH: &str = "/quyet-dinh-thu-hoi/{file}";

const TEMPLATE: &str = include_str!("quyet-dinh-thu-hoi.typ");

#[derive(Serialize)]
struct RevocationDocument {
    authority: String,
    number: String,
    place_date: String,
    code: String,
    stars: i64,
    product_name: String,
    subject_name: String,
    issued_on: String,
    found_on: String,
    detail: String,
    signed_on: String,
    ground_letter: String,
    ground_text: String,
    signer: String,
}

pub async fn revocation(
    State(db): State<Db>,
    session: AuthSession,
    Path(file): Path<String>,
) -> Response {
    let not_found = || refuse(AppError::NotFound(Thing::Certificate));
    let stored = match super::decision_forms::certificate_of_file(&db, &file).await {
        Ok(stored) => stored,
        Err(refused) => return refused,
    };
    let code = stored.code.clone();
    let code = code.as_str();
    let allowed = match stored.product_id.as_deref() {
        Some(product_id) => crate::uploads::may_read_dossier(&db, &session, product_id).await,
        None => {
            let me = Authorized::from_session(session.clone());
            app::auth::guards::managed_certificate(&db, &me, code)
                .await
                .map(|_| ())
                .map_err(refuse)
        }
    };
    if let Err(refused) = allowed {
        return refused;
    }
    let revocation = match app::db::aftercare::revocation(&db, code).await {
        Ok(Some(revocation)) => revocation,
        Ok(None) => return not_found(),
        Err(error) => return refuse(error.into()),
    };
    // Điều 8.2: the ministry revokes 5★, the province's People's Committee the rest.
    let issuer = match stored.stars {
        5 => app::domain::round::Body::Central,
        _ => app::domain::round::Body::Province(stored.province_code),
    };
    let authority = match super::decision_forms::issuer(&db, &issuer).await {
        Ok((authority, _)) => authority,
        Err(error) => return refuse(error),
    };
    let date = app::domain::date::display_date;
    let place_date = app::domain::date::CalendarDate::parse(&revocation.signed_on).map_or_else(
        |_| revocation.signed_on.clone(),
        |day| format!("ngày {} tháng {} năm {}", day.day, day.month, day.year),
    );
    let document = RevocationDocument {
        authority,
        number: revocation.number,
        place_date,
        code: stored.code,
        stars: stored.stars,
        product_name: stored.product_name,
        subject_name: stored.subject_name,
        issued_on: date(&stored.issued_on),
        found_on: date(&revocation.found_on),
        detail: revocation.detail,
        signed_on: date(&revocation.signed_on),
        ground_letter: if revocation.ground == "dd" {
            "đ".into()
        } else {
            revocation.ground.clone()
        },
        ground_text: term("ground", &revocation.ground, Lang::Vi),
        signer: revocation.signer,
    };
    pdf_response(TEMPLATE, document, "quyet-dinh-thu-hoi.pdf").await
}
