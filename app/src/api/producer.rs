//! The producer's journey: subject profile, product registration (Mẫu 01),
//! self-assessment (Mẫu 02), evidence uploads and submission to the commune.
use crate::domain::dossier::ProductForm;
use crate::domain::dossier::{ProductRow, StoredAnswers, TimelineEvent};
use crate::domain::subject::{Subject, SubjectForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit, Db},
    domain::dossier::DossierEvent,
    error::with_status,
};

/// A subject in the producer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectItem {
    pub id: String,
    pub name: String,
}

/// An evidence file as the dossier page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: String,
    pub slot: String,
    pub file_name: String,
    pub size: i64,
    pub received: i64,
    pub stored: bool,
    pub content_type: Option<String>,
    pub sha256: Option<String>,
}

/// Everything the dossier page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierView {
    pub product: ProductRow,
    pub subject_name: String,
    pub answers: StoredAnswers,
    pub revision: i64,
    pub evidence: Vec<EvidenceItem>,
    pub timeline: Vec<TimelineEvent>,
    /// Mẫu 01's receipt number, once the commune took the dossier in.
    pub receipt_number: Option<String>,
    /// How many lines of Mẫu 01/02 are still empty (none: it may be submitted).
    pub report_missing: usize,
}

/// Where a new upload goes: its id and the chunk size to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadTicket {
    pub id: String,
    pub chunk_bytes: u64,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    pub use crate::auth::guards::{editable_product, scope_of_product, scope_of_subject};

    pub fn first_error(errors: Vec<(&'static str, String)>) -> AppError {
        errors
            .into_iter()
            .next()
            .map(|(field, message)| AppError::invalid(field, message))
            .unwrap_or_else(|| AppError::invalid("form", "Dữ liệu không hợp lệ."))
    }

    /// The product and its subject's name.
    pub async fn product_and_subject(
        db: &Db,
        product_id: &str,
    ) -> Result<(ProductRow, String), AppError> {
        let product = db::producers::product(db, product_id)
            .await?
            .ok_or_else(|| AppError::NotFound("sản phẩm".into()))?;
        let subject_name = db::producers::subject(db, &product.subject_id)
            .await?
            .map(|(_, s)| s.name)
            .unwrap_or_default();
        Ok((product, subject_name))
    }
}

#[cfg(feature = "ssr")]
use ssr::*;

/// The subjects the signed-in user acts for.
#[server(endpoint = "producer/subjects")]
pub async fn my_subjects() -> Result<Vec<SubjectItem>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
            let db = db::from_context()?;
            let rows = db::producers::subjects_of(&db, &authorized.user()?.user_id).await?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| SubjectItem { id, name })
                .collect())
        }
        .await,
    )
}

/// One subject's profile.
#[server(endpoint = "producer/subject")]
pub async fn get_subject(id: String) -> Result<Subject, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let scope = scope_of_subject(&db, &id).await?;
            authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
            let (_, subject) = db::producers::subject(&db, &id)
                .await?
                .ok_or_else(|| AppError::NotFound("chủ thể".into()))?;
            Ok(subject)
        }
        .await,
    )
}

/// Creates a subject (`id` None) or updates one the user acts for.
#[server(endpoint = "producer/save_subject", input = Json)]
pub async fn save_subject(id: Option<String>, form: SubjectForm) -> Result<String, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = match &id {
                None => authorize(Action::CreateSubject, &Target::Nothing).await?,
                Some(id) => {
                    let scope = scope_of_subject(&db, id).await?;
                    authorize(Action::EditSubject, &Target::Subject(&scope)).await?
                }
            };
            let subject = form.parse().map_err(first_error)?;
            if db::users::resolve_scope(
                &db,
                crate::auth::ScopeKind::Commune,
                &subject.commune_code.to_string(),
            )
            .await?
            .is_none()
            {
                return Err(AppError::invalid(
                    "commune_code",
                    "Không có xã, phường với mã này.",
                ));
            }
            let actor = authorized.actor();
            let mut tx = db.begin().await?;
            if let Some(id) = &id {
                if db::producers::dossiers_under_review(&mut tx, id).await? > 0 {
                    return Err(AppError::invalid(
                        "commune_code",
                        "Chủ thể có hồ sơ đang được đánh giá: thông tin chủ thể chỉ thay đổi qua yêu cầu bổ sung hồ sơ.",
                    ));
                }
            }
            let saved =
                db::producers::save_subject(&mut tx, id.as_deref(), &subject, actor.id()).await?;
            let action = if id.is_some() {
                "update_subject"
            } else {
                "create_subject"
            };
            crate::db::audit::commit(tx, &actor, crate::db::audit::Change::new(action, "subject", &saved).after(audit::digest(&subject)))
            .await?;
            Ok(saved)
        }
        .await,
    )
}

/// Registers a product of a subject the user acts for; its dossier starts as a draft.
#[server(endpoint = "producer/register_product", input = Json)]
pub async fn register_product(form: ProductForm) -> Result<String, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let registration = form.parse().map_err(first_error)?;
            let scope = scope_of_subject(&db, &registration.subject_id).await?;
            let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
            let actor = authorized.actor();
            let quotas = use_context::<crate::auth::session::AuthSettings>()
                .unwrap_or_default()
                .quotas;
            let mut tx = db.begin().await?;
            if !db::usage::reserve_product(&mut tx, actor.id(), &quotas).await? {
                return Err(AppError::invalid(
                    "name",
                    format!(
                        "Tài khoản đã đăng ký đủ {} sản phẩm (giới hạn mỗi tài khoản). Liên hệ cơ quan OCOP nếu cần thêm.",
                        quotas.products
                    ),
                ));
            }
            let id = db::producers::insert_product(
                &mut tx,
                &registration,
                crate::api::rules::CURRENT_RULE_SET,
            )
            .await?;
            crate::db::audit::commit(tx, &actor, crate::db::audit::Change::new("register_product", "product", &id).after(audit::digest(&registration)))
            .await?;
            Ok(id)
        }
        .await,
    )
}

/// Products of every subject the user acts for.
#[server(endpoint = "producer/products")]
pub async fn my_products() -> Result<Vec<ProductRow>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
            let db = db::from_context()?;
            Ok(db::producers::products_of(&db, &authorized.user()?.user_id).await?)
        }
        .await,
    )
}

/// A dossier: the product, answers, evidence and status timeline.
#[server(endpoint = "producer/dossier")]
pub async fn get_dossier(product_id: String) -> Result<DossierView, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let scope = scope_of_product(&db, &product_id).await?;
            authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
            let (product, subject_name) = product_and_subject(&db, &product_id).await?;
            let (answers, revision) = db::producers::self_assessment(&db, &product_id).await?;
            let evidence = db::evidence::of_product(&db, &product_id)
                .await?
                .into_iter()
                .map(|row| EvidenceItem {
                    stored: row.state == db::evidence::STORED,
                    id: row.id,
                    slot: row.slot,
                    file_name: row.file_name,
                    size: row.size,
                    received: row.received,
                    content_type: row.content_type,
                    sha256: row.sha256,
                })
                .collect();
            let timeline = db::producers::timeline(&db, &product_id).await?;
            let receipt_number = db::commune::receipt_of(&db, &product_id).await?;
            let report_missing = db::self_reports::of_product(&db, &product_id)
                .await?
                .missing()
                .len();
            Ok(DossierView {
                report_missing,
                product,
                subject_name,
                answers,
                revision,
                evidence,
                timeline,
                receipt_number,
            })
        }
        .await,
    )
}

/// Saves the self-assessment draft; an older revision than the stored one is ignored.
/// Returns the revision now stored.
#[server(endpoint = "producer/save_self_assessment", input = Json)]
pub async fn save_self_assessment(
    product_id: String,
    answers: StoredAnswers,
    revision: i64,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let scope = scope_of_product(&db, &product_id).await?;
            let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
            let product = editable_product(&db, &product_id).await?;
            let scorecard =
                crate::rules_catalog::product_set(&product.rule_set, product.product_set)
                    .ok_or_else(|| AppError::NotFound("bộ tiêu chí".into()))?;
            for (code, choice) in &answers {
                let criterion = scorecard
                    .criteria()
                    .find(|(_, _, c)| c.code.to_string() == *code)
                    .map(|(_, _, c)| c)
                    .ok_or_else(|| {
                        AppError::invalid("answers", format!("Không có tiêu chí {code}."))
                    })?;
                if let Some(index) = choice {
                    if usize::from(*index) >= criterion.options().count() {
                        return Err(AppError::invalid(
                            "answers",
                            format!("Tiêu chí {code} không có phương án này."),
                        ));
                    }
                }
            }
            let actor = authorized.actor();
            let mut tx = db.begin().await?;
            let stored =
                db::producers::save_self_assessment(&mut tx, &product_id, &answers, revision)
                    .await?;
            crate::db::audit::commit(
                tx,
                &actor,
                crate::db::audit::Change::new("save_self_assessment", "product", &product_id)
                    .after(audit::digest(&answers)),
            )
            .await?;
            Ok(stored)
        }
        .await,
    )
}

/// Opens an upload for one evidence slot; the file then goes in chunks to
/// `PUT /tai-lieu/{id}?offset=N`.
/// Opens an upload: the producer's documents while the dossier is editable, or
/// (for the advisory slots) the office's site-visit reports and extra test results.
#[server(endpoint = "producer/start_upload")]
pub async fn start_upload(
    product_id: String,
    slot: String,
    file_name: String,
    size: u64,
) -> Result<UploadTicket, AppError> {
    with_status(
        async move {
            use crate::domain::evidence;
            let db = db::from_context()?;
            let scope = scope_of_product(&db, &product_id).await?;
            let authorized = if evidence::is_advisory_slot(&slot) {
                // The advisory team's reports go on a dossier the office is examining.
                let authorized = authorize(Action::OfficeWork, &Target::Subject(&scope)).await?;
                let product = db::producers::product(&db, &product_id)
                    .await?
                    .ok_or_else(|| AppError::NotFound("sản phẩm".into()))?;
                if !matches!(
                    product.state,
                    crate::domain::dossier::DossierState::OfficeReview
                        | crate::domain::dossier::DossierState::InRound
                ) {
                    return Err(AppError::invalid(
                        "state",
                        "Tổ tư vấn chỉ bổ sung tài liệu khi hồ sơ đã lên tỉnh.",
                    ));
                }
                authorized
            } else {
                let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
                editable_product(&db, &product_id).await?;
                if !evidence::slot_is_valid(&slot) {
                    return Err(AppError::invalid("slot", "Mục tài liệu không hợp lệ."));
                }
                authorized
            };
            let file_name = crate::domain::subject::clean_text(&file_name);
            if file_name.is_empty() || file_name.chars().count() > 200 {
                return Err(AppError::invalid("file", "Tên tệp không hợp lệ."));
            }
            let total =
                u64::try_from(db::evidence::dossier_bytes(&db, &product_id).await?).unwrap_or(0);
            evidence::check_size(size, total).map_err(|m| AppError::invalid("file", m))?;
            let actor = authorized.actor();
            let quotas = use_context::<crate::auth::session::AuthSettings>()
                .unwrap_or_default()
                .quotas;
            let mut tx = db.begin().await?;
            if !db::usage::reserve_bytes(&mut tx, actor.id(), size as i64, &quotas).await? {
                return Err(AppError::invalid(
                    "file",
                    format!(
                        "Tài khoản đã dùng hết dung lượng tải lên ({} MB). Xóa bớt tệp hoặc liên hệ cơ quan OCOP.",
                        quotas.bytes / (1024 * 1024)
                    ),
                ));
            }
            let id = db::evidence::start(&mut tx, &product_id, &slot, &file_name, size as i64, actor.id())
                .await?;
            crate::db::audit::commit(tx, &actor, crate::db::audit::Change::new("start_upload", "evidence", &id).after(audit::digest(&(&product_id, &slot, &file_name, size))))
            .await?;
            Ok(UploadTicket {
                id,
                chunk_bytes: evidence::CHUNK_BYTES,
            })
        }
        .await,
    )
}

/// Freezes the dossier as the next numbered version and sends it to the commune.
#[server(endpoint = "producer/submit")]
pub async fn submit_dossier(product_id: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let scope = scope_of_product(&db, &product_id).await?;
            let authorized = authorize(Action::EditSubject, &Target::Subject(&scope)).await?;
            let product = db::producers::product(&db, &product_id)
                .await?
                .ok_or_else(|| AppError::NotFound("sản phẩm".into()))?;
            let next = product
                .state
                .transition(DossierEvent::Submit)
                .map_err(|m| AppError::invalid("state", m))?;
            let evidence = db::evidence::of_product(&db, &product_id).await?;
            if evidence.iter().any(|e| e.state != db::evidence::STORED) {
                return Err(AppError::invalid(
                    "evidence",
                    "Còn tệp đang tải lên: vui lòng chờ tải xong rồi nộp.",
                ));
            }
            let report = db::self_reports::of_product(&db, &product_id).await?;
            if let Some((_, message)) = report.missing().into_iter().next() {
                return Err(AppError::invalid("self_report", message));
            }
            let (answers, _) = db::producers::self_assessment(&db, &product_id).await?;
            let subject = db::producers::subject(&db, &product.subject_id)
                .await?
                .map(|(_, s)| s);
            let version = product.version + 1;
            let content = serde_json::json!({
                "version": version,
                "product": &product,
                "subject": subject,
                "self_assessment": &answers,
                "self_report": &report,
                "evidence": evidence.iter().map(|e| serde_json::json!({
                    "slot": e.slot, "file_name": e.file_name, "size": e.size,
                    "content_type": e.content_type, "sha256": e.sha256,
                })).collect::<Vec<_>>(),
            })
            .to_string();
            let actor = authorized.actor();
            let mut tx = db.begin().await?;
            if !db::producers::set_state(&mut tx, &product_id, product.state, next, version).await?
            {
                return Err(AppError::invalid(
                    "state",
                    crate::api::office::CHANGED_MEANWHILE,
                ));
            }
            db::producers::insert_version(&mut tx, &product_id, version, actor.id(), &content)
                .await?;
            db::producers::add_event(
                &mut tx,
                &product_id,
                next,
                version,
                &format!("Nộp hồ sơ phiên bản {version}"),
                None,
            )
            .await?;
            crate::db::audit::commit(
                tx,
                &actor,
                crate::db::audit::Change::new("submit_dossier", "product", &product_id)
                    .after(audit::digest(&content)),
            )
            .await?;
            Ok(version)
        }
        .await,
    )
}

/// A submitted version exactly as it was frozen (JSON).
#[server(endpoint = "producer/version")]
pub async fn get_dossier_version(product_id: String, version: i64) -> Result<String, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let scope = scope_of_product(&db, &product_id).await?;
            authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
            db::producers::version(&db, &product_id, version)
                .await?
                .ok_or_else(|| AppError::NotFound("phiên bản hồ sơ".into()))
        }
        .await,
    )
}
