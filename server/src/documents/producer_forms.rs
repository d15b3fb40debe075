//! The producer's forms as PDF: Mẫu 01 (`GET /ho-so/{id}/mau-01.pdf`) and Mẫu 02
//! (`GET /ho-so/{id}/mau-02.pdf`), for whoever may see the dossier. A submitted
//! dossier prints its frozen version; a draft is marked as one.
use super::{pdf_response, refuse};
use app::auth::session::AuthSession;
use app::db::Db;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::response::Response;

pub use app::api::self_report::{FORM_01_PATH, FORM_02_PATH};

const FORM_01_TEMPLATE: &str = include_str!("mau-01.typ");
const FORM_02_TEMPLATE: &str = include_str!("mau-02.typ");

async fn form(
    db: &Db,
    session: &AuthSession,
    product_id: &str,
    template: &'static str,
    file_name: &'static str,
) -> Response {
    if let Err(refused) = crate::uploads::may_read_dossier(db, session, product_id).await {
        return refused;
    }
    match app::service::dossier_forms::producer_forms(db, product_id).await {
        Ok(Some(forms)) => pdf_response(template, forms, file_name).await,
        Ok(None) => refuse(AppError::NotFound(app::error::Thing::Product)),
        Err(error) => refuse(error.into()),
    }
}

/// Mẫu 01: the registration form, with the commune's receipt once given.
pub async fn registration_form(
    State(db): State<Db>,
    session: AuthSession,
    Path(product_id): Path<String>,
) -> Response {
    form(&db, &session, &product_id, FORM_01_TEMPLATE, "mau-01.pdf").await
}

/// Mẫu 02: the self-assessment report, Parts I–IV.
pub async fn self_assessment_report(
    State(db): State<Db>,
    session: AuthSession,
    Path(product_id): Path<String>,
) -> Response {
    form(&db, &session, &product_id, FORM_02_TEMPLATE, "mau-02.pdf").await
}
