//! The commune officer's work (Điều 7.2): the queue with working-day deadlines,
//! receipt, the completeness checklist and four-content assessment (Mẫu 03),
//! returning a dossier for supplements, and forwarding it to the province.
use crate::domain::commune_review::CommuneAssessment;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::guards::scope_of_product,
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, Db},
    domain::date::CalendarDate,
    domain::dossier::{DossierEvent, ProductRow},
    error::with_status,
};

/// A dossier in the officer's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub product_id: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_code: i64,
    pub state: String,
    pub version: i64,
    /// Day of receipt and deadline, YYYY-MM-DD (Vietnam time).
    pub received_on: String,
    pub deadline: String,
    /// Working days left (negative: late by that many).
    pub days_left: i64,
}

/// The route of a dossier's Mẫu 03 PDF (served by the server crate).
pub const COMMUNE_REPORT_PATH: &str = "/xa/ho-so/{id}/mau-03.pdf";

/// One of Mẫu 03's contents with the options of its matching criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentChoices {
    pub content: String,
    pub criterion: String,
    /// (option index, text with its points), in the scorecard's order.
    pub options: Vec<(u16, String)>,
}

/// What the officer's review page starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneReviewView {
    /// The assessment saved for the current version, if any.
    pub saved: Option<CommuneAssessment>,
    pub contents: Vec<ContentChoices>,
    /// Where the Mẫu 03 PDF of the latest assessment is.
    pub report_path: String,
    /// Samples due with the dossier (0 for tourism services).
    pub samples_due: u32,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;

    pub fn vietnam_date(ms: i64) -> CalendarDate {
        let local = ms + crate::domain::date::VIETNAM_OFFSET_MS;
        CalendarDate::from_days_since_epoch(local.div_euclid(24 * 60 * 60 * 1000))
    }

    pub fn iso(date: CalendarDate) -> String {
        format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
    }

    /// Samples due with the dossier: none for the tourism services group (its
    /// scorecard's sector), five otherwise.
    pub fn samples_due(product: &ProductRow) -> u32 {
        let tourism = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
            .is_some_and(|scorecard| scorecard.sector.starts_with("Dịch vụ du lịch"));
        if tourism {
            0
        } else {
            crate::domain::commune_review::SAMPLES_FOR_GOODS
        }
    }

    /// What an official asks the producer to add, and by when.
    pub struct SupplementRequest<'a> {
        pub note: &'a str,
        pub deadline: &'a str,
        /// Who asks, as the SMS names them.
        pub asked_by: &'a str,
        /// The audit trail's action.
        pub action: &'a str,
    }

    /// Reopens the dossier for supplements with a deadline and tells `phones` by SMS,
    /// in one transaction with its audit row.
    pub async fn return_for_supplement(
        db: &Db,
        product: &ProductRow,
        authorized: &crate::auth::session::Authorized,
        request: &SupplementRequest<'_>,
        phones: &[String],
    ) -> Result<(), AppError> {
        let note = crate::domain::subject::clean_text(request.note);
        if note.is_empty() {
            return Err(AppError::invalid(
                "note",
                "Vui lòng ghi rõ cần bổ sung những gì.",
            ));
        }
        let due =
            CalendarDate::parse(request.deadline).map_err(|e| AppError::invalid("deadline", e))?;
        if due < vietnam_date(db::now_ms()) {
            return Err(AppError::invalid(
                "deadline",
                "Hạn bổ sung phải từ hôm nay trở đi.",
            ));
        }
        let mut tx = db.begin().await?;
        db::producers::request_supplement(&mut tx, product, &note, &iso(due))
            .await?
            .map_err(|m| AppError::invalid("state", m))?;
        for phone in phones {
            let body = format!(
                "Sao OCOP: {} yêu cầu bổ sung hồ sơ \u{201c}{}\u{201d} trước {}/{}/{}: {note}",
                request.asked_by, product.name, due.day, due.month, due.year
            );
            db::outbox::enqueue(&mut tx, db::outbox::SMS, phone, &body).await?;
        }
        crate::db::audit::commit(
            tx,
            &authorized.actor(),
            crate::db::audit::Change::new(request.action, "product", &product.id)
                .after(db::audit::digest(&(&note, iso(due)))),
        )
        .await?;
        Ok(())
    }

    /// Moves the dossier by `event` with a timeline note, in one transaction with its audit row.
    pub async fn move_dossier(
        db: &Db,
        product: &ProductRow,
        authorized: &crate::auth::session::Authorized,
        event: DossierEvent,
        note: &str,
        action: &str,
    ) -> Result<(), AppError> {
        let next = product
            .state
            .transition(event)
            .map_err(|m| AppError::invalid("state", m))?;
        let mut tx = db.begin().await?;
        if !db::producers::set_state(&mut tx, &product.id, product.state, next, product.version)
            .await?
        {
            return Err(AppError::invalid(
                "state",
                crate::api::office::CHANGED_MEANWHILE,
            ));
        }
        db::producers::add_event(&mut tx, &product.id, next, product.version, note, None).await?;
        crate::db::audit::commit(
            tx,
            &authorized.actor(),
            crate::db::audit::Change::new(action, "product", &product.id)
                .after(db::audit::digest(&next)),
        )
        .await?;
        Ok(())
    }
}

#[cfg(feature = "ssr")]
use ssr::*;

/// Dossiers submitted in the officer's communes, oldest first, with deadlines.
#[server(endpoint = "commune/queue")]
pub async fn commune_queue() -> Result<Vec<QueueItem>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ReviewInCommune, &Target::Nothing).await?;
            let communes: Vec<i64> = authorized
                .user()?
                .grants
                .iter()
                .filter_map(|g| match (g.role, &g.scope) {
                    (
                        crate::auth::Role::CommuneOfficer,
                        crate::auth::Scope::Commune { code, .. },
                    ) => Some(*code),
                    _ => None,
                })
                .collect();
            let db = db::from_context()?;
            let holidays = db::commune::holidays(&db).await?;
            let today = vietnam_date(db::now_ms());
            Ok(db::commune::queue(&db, &communes)
                .await?
                .into_iter()
                .map(
                    |(
                        product_id,
                        product_name,
                        subject_name,
                        commune_code,
                        state,
                        version,
                        received_ms,
                    )| {
                        let received = vietnam_date(received_ms);
                        let deadline = crate::domain::working_days::add_working_days(
                            received,
                            crate::domain::commune_review::COMMUNE_WORKING_DAYS,
                            &holidays,
                        );
                        QueueItem {
                            product_id,
                            product_name,
                            subject_name,
                            commune_code,
                            state,
                            version,
                            received_on: iso(received),
                            deadline: iso(deadline),
                            days_left: crate::domain::working_days::working_days_left(
                                today, deadline, &holidays,
                            ),
                        }
                    },
                )
                .collect())
        }
        .await,
    )
}

/// The saved assessment and the options of the four matching criteria.
#[server(endpoint = "commune/review")]
pub async fn commune_review(product_id: String) -> Result<CommuneReviewView, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let product = crate::auth::guards::reviewed_product(
                &db,
                &crate::auth::session::requester().await?,
                &product_id,
            )
            .await?;
            let saved = db::commune::review(&db, &product_id, product.version)
                .await?
                .and_then(|text| serde_json::from_str::<CommuneAssessment>(&text).ok());
            let scorecard =
                crate::rules_catalog::product_set(&product.rule_set, product.product_set);
            let contents = crate::domain::commune_review::CONTENTS
                .iter()
                .map(|(content, _, criterion)| {
                    let options = sao_scoring::CriterionCode::parse(criterion)
                        .ok()
                        .and_then(|code| scorecard?.criterion(&code).cloned())
                        .map(|found| {
                            found
                                .options()
                                .enumerate()
                                .map(|(index, option)| {
                                    (
                                        u16::try_from(index).unwrap_or(u16::MAX),
                                        format!("{} ({} điểm)", option.text, option.points),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    ContentChoices {
                        content: (*content).into(),
                        criterion: (*criterion).into(),
                        options,
                    }
                })
                .collect();
            Ok(CommuneReviewView {
                saved,
                contents,
                report_path: COMMUNE_REPORT_PATH.replace("{id}", &product_id),
                samples_due: samples_due(&product),
            })
        }
        .await,
    )
}

/// The commune takes the dossier in and gives it Mẫu 01's receipt number (the
/// commune's next of the year); its 15 working days run from the submission.
#[server(endpoint = "commune/receive")]
pub async fn commune_receive(product_id: String) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
            let scope = scope_of_product(&db, &product_id).await?;
            let next = product
                .state
                .transition(DossierEvent::CommuneReceives)
                .map_err(|m| AppError::invalid("state", m))?;
            let now = db::now_ms();
            let year = crate::domain::date::CalendarDate::of_ms_vietnam(now).year;
            let mut tx = db.begin().await?;
            if !db::producers::set_state(&mut tx, &product.id, product.state, next, product.version)
                .await?
            {
                return Err(AppError::invalid(
                    "state",
                    crate::api::office::CHANGED_MEANWHILE,
                ));
            }
            let number = db::commune::issue_receipt(
                &mut tx,
                &product.id,
                product.version,
                (scope.province, scope.commune),
                year,
                (now, authorized.actor().id()),
            )
            .await
            .map_err(|error| match error.constraint() {
                Some("dossier_receipts_seq_unique") => AppError::Conflict(
                    "Một hồ sơ khác vừa được tiếp nhận cùng lúc: vui lòng bấm tiếp nhận lại."
                        .into(),
                ),
                _ => error.into(),
            })?;
            let note = format!("UBND xã tiếp nhận hồ sơ, phiếu số {number}");
            db::producers::add_event(&mut tx, &product.id, next, product.version, &note, None)
                .await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new("commune_receive", "product", &product.id)
                    .after(db::audit::digest(&(next, &number))),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// Saves the checklist and the four contents (Mẫu 03) for the current version.
#[server(endpoint = "commune/assess", input = Json)]
pub async fn commune_assess(
    product_id: String,
    assessment: CommuneAssessment,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
            if product.state != crate::domain::dossier::DossierState::CommuneReview {
                return Err(AppError::invalid(
                    "state",
                    "Hồ sơ chưa được UBND xã tiếp nhận.",
                ));
            }
            let content = serde_json::to_string(&assessment).map_err(|e| AppError::internal(&e))?;
            let actor = authorized.actor();
            let mut tx = db.begin().await?;
            db::commune::save_review(&mut tx, &product_id, product.version, actor.id(), &content)
                .await?;
            crate::db::audit::commit(
                tx,
                &actor,
                crate::db::audit::Change::new("commune_assess", "product", &product_id)
                    .after(db::audit::digest(&assessment)),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// Returns the dossier to the producer with what to add and by when (SMS through the outbox).
#[server(endpoint = "commune/request_supplement")]
pub async fn commune_request_supplement(
    product_id: String,
    note: String,
    deadline: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
            let phones = db::commune::member_phones(&db, &product.subject_id).await?;
            let request = SupplementRequest {
                note: &note,
                deadline: &deadline,
                asked_by: "UBND xã",
                action: "request_supplement",
            };
            return_for_supplement(&db, &product, &authorized, &request, &phones).await
        }
        .await,
    )
}

/// Sends a fully assessed dossier on to the province's OCOP office.
#[server(endpoint = "commune/forward")]
pub async fn commune_forward(product_id: String) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::reviewed_product(&db, &authorized, &product_id).await?;
            let saved = db::commune::review(&db, &product_id, product.version)
                .await?
                .and_then(|text| serde_json::from_str::<CommuneAssessment>(&text).ok())
                .ok_or_else(|| {
                    AppError::invalid("assessment", "Chưa có đánh giá của UBND xã (Mẫu 03).")
                })?;
            if let Some((field, message)) = saved
                .check(product.kind, samples_due(&product))
                .into_iter()
                .next()
            {
                return Err(AppError::invalid(field, message));
            }
            move_dossier(
                &db,
                &product,
                &authorized,
                DossierEvent::ForwardToOffice,
                "UBND xã đề xuất lên cơ quan OCOP tỉnh",
                "commune_forward",
            )
            .await
        }
        .await,
    )
}
