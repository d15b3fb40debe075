//! The province's OCOP office (cơ quan tham mưu quản lý OCOP): intake of dossiers
//! the communes forward, supplements and rejections, evaluation rounds and their
//! councils (members, settings, conflicts of interest).
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::round::{MemberRow, RoundEvent, RoundRow};

#[cfg(feature = "ssr")]
use crate::{
    api::commune::ssr::{iso, move_dossier, return_for_supplement, SupplementRequest},
    auth::guards::scope_of_product,
    auth::policy::{Action, Target},
    auth::session::{authorize, Authorized},
    auth::Scope,
    db,
    domain::dossier::{DossierEvent, DossierState},
    domain::round::{province_round_dates, RoundState},
    error::with_status,
};

/// A dossier waiting at the office, with what a rejection may rest on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeItem {
    pub product: crate::domain::dossier::ProductRow,
    /// The scorecard's dossier rejection rules ("Hồ sơ bị loại khi…").
    pub rejection_rules: Vec<String>,
    /// The commune's Mẫu 03 report, once the commune assessed the dossier.
    pub report_path: Option<String>,
}

/// A round with what the office manages in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub round: RoundRow,
    pub dossiers: Vec<String>,
    pub members: Vec<MemberRow>,
    pub conflicts: Vec<(String, String)>,
    /// Products each scoring member has to score.
    pub loads: Vec<(String, i64)>,
    /// The round's products by name: (id, name).
    pub products: Vec<(String, String)>,
    /// A split council's (member id, product id) pairs.
    pub assignments: Vec<(String, String)>,
}

/// A compare-and-set lost: another request changed the state first.
pub const CHANGED_MEANWHILE: &str =
    "Trạng thái vừa được người khác thay đổi: vui lòng tải lại trang và thử lại.";

/// A sealed round's council, conflicts, assignments and products do not change.
pub const ROUND_SEALED: &str = "Đợt đánh giá đã niêm phong: không thay đổi được Hội đồng, xung đột lợi ích, phân công hay sản phẩm.";

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;

    /// Locks the round for this transaction while it is not sealed (nor decided).
    pub async fn lock_unsealed(
        tx: &mut sqlx::AnyConnection,
        round_id: &str,
    ) -> Result<(), AppError> {
        use RoundState as S;
        let open = [S::Draft, S::Accepting, S::Scoring, S::Deliberation];
        match db::rounds::lock_in_state(tx, round_id, &open).await? {
            Some(_) => Ok(()),
            None => Err(AppError::invalid("state", ROUND_SEALED)),
        }
    }

    /// The province an office user works for (their first office grant).
    pub fn office_province(authorized: &Authorized) -> Result<i64, AppError> {
        authorized
            .user()?
            .grants
            .iter()
            .find_map(|g| match (g.role, &g.scope) {
                (crate::auth::Role::OfficeStaff, Scope::Province(code)) => Some(*code),
                _ => None,
            })
            .ok_or(AppError::Forbidden)
    }

    /// The dossier rejection rules of the product's scorecard.
    pub fn rejection_rules(product: &crate::domain::dossier::ProductRow) -> Vec<String> {
        crate::rules_catalog::product_set(&product.rule_set, product.product_set)
            .map(|scorecard| scorecard.rejection_rules.clone())
            .unwrap_or_default()
    }

    pub fn required_text(field: &str, text: &str, what: &str) -> Result<String, AppError> {
        let cleaned = crate::domain::subject::clean_text(text);
        if cleaned.is_empty() {
            return Err(AppError::invalid(field, format!("Vui lòng nhập {what}.")));
        }
        Ok(cleaned)
    }
}

#[cfg(feature = "ssr")]
use ssr::*;

/// Dossiers the communes forwarded to this office's province, oldest first.
#[server(endpoint = "office/queue")]
pub async fn office_queue() -> Result<Vec<IntakeItem>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
            let province = office_province(&authorized)?;
            let db = db::from_context()?;
            let mut items = Vec::new();
            for product in
                db::producers::in_state_in_province(&db, DossierState::OfficeReview, province)
                    .await?
            {
                let assessed = db::commune::latest_review(&db, &product.id)
                    .await?
                    .is_some();
                items.push(IntakeItem {
                    rejection_rules: rejection_rules(&product),
                    report_path: assessed.then(|| {
                        crate::api::commune::COMMUNE_REPORT_PATH.replace("{id}", &product.id)
                    }),
                    product,
                });
            }
            Ok(items)
        }
        .await,
    )
}

/// Asks for more, with a deadline; the producer and the commune are told by SMS.
#[server(endpoint = "office/request_supplement")]
pub async fn office_request_supplement(
    product_id: String,
    note: String,
    deadline: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::office_product(&db, &authorized, &product_id).await?;
            if product.state != DossierState::OfficeReview {
                return Err(AppError::invalid(
                    "state",
                    "Hồ sơ không ở cơ quan OCOP tỉnh.",
                ));
            }
            let scope = scope_of_product(&db, &product_id).await?;
            let mut phones = db::commune::member_phones(&db, &product.subject_id).await?;
            phones.extend(db::commune::officer_phones(&db, scope.commune).await?);
            let request = SupplementRequest {
                note: &note,
                deadline: &deadline,
                asked_by: "Cơ quan OCOP tỉnh",
                action: "office_request_supplement",
            };
            return_for_supplement(&db, &product, &authorized, &request, &phones).await
        }
        .await,
    )
}

/// Refuses the dossier: `rule` is the index of the scorecard's rejection rule it
/// rests on (required when the scorecard has any), `note` the particular ground.
#[server(endpoint = "office/reject")]
pub async fn office_reject(
    product_id: String,
    rule: Option<u16>,
    note: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::office_product(&db, &authorized, &product_id).await?;
            let rules = rejection_rules(&product);
            let ground = match rule {
                Some(index) => Some(rules.get(usize::from(index)).ok_or_else(|| {
                    AppError::invalid("rule", "Căn cứ loại hồ sơ không có trong bộ tiêu chí.")
                })?),
                None if rules.is_empty() => None,
                None => {
                    return Err(AppError::invalid(
                        "rule",
                        "Vui lòng chọn căn cứ loại hồ sơ theo bộ tiêu chí.",
                    ))
                }
            };
            let note = required_text("note", &note, "lý do cụ thể")?;
            let text = match ground {
                Some(ground) => format!("Hồ sơ bị loại. Căn cứ: {ground}. Lý do: {note}"),
                None => format!("Hồ sơ bị loại. Lý do: {note}"),
            };
            move_dossier(
                &db,
                &product,
                &authorized,
                DossierEvent::Reject,
                &text,
                "office_reject",
            )
            .await
        }
        .await,
    )
}

/// Opens a province round. Its dates are the office's (`proposal_cutoff`,
/// `closes_on`: the seed plan sets its own, and Điều 5.1 allows more rounds);
/// without them, Điều 5's for round `number` of `year` (round 1: proposals by
/// 30/4, done by 30/6; round 2: by 30/10, done by 30/12). The council settings
/// come from `profile` (a workflow profile with a province level; default QĐ 26/2026's).
#[server(endpoint = "office/create_round")]
pub async fn create_round(
    name: String,
    year: Option<i32>,
    number: Option<u8>,
    proposal_cutoff: Option<String>,
    closes_on: Option<String>,
    profile: Option<String>,
) -> Result<String, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
            let province = office_province(&authorized)?;
            let area = Scope::Province(province);
            let authorized = authorize(Action::OfficeWork, &Target::Area(&area)).await?;
            let name = required_text("name", &name, "tên đợt đánh giá")?;
            let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
            let (cutoff, closes) = match (given(proposal_cutoff), given(closes_on)) {
                (Some(cutoff), Some(closes)) => crate::domain::round::round_dates(&cutoff, &closes)
                    .map_err(|m| AppError::invalid("closes_on", m))?,
                (None, None) => year
                    .zip(number)
                    .filter(|(year, _)| (2020..=2100).contains(year))
                    .and_then(|(year, number)| province_round_dates(year, number))
                    .ok_or_else(|| {
                        AppError::invalid("number", "Cấp tỉnh có đợt 1 và đợt 2 mỗi năm.")
                    })?,
                (None, Some(_)) => {
                    return Err(AppError::invalid(
                        "proposal_cutoff",
                        "Vui lòng nhập hạn đề xuất.",
                    ))
                }
                (Some(_), None) => {
                    return Err(AppError::invalid(
                        "closes_on",
                        "Vui lòng nhập ngày kết thúc đợt.",
                    ))
                }
            };
            let wanted = profile
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| crate::api::rules::CURRENT_RULE_SET.to_string());
            let profile = crate::rules_catalog::profiles()
                .ok()
                .and_then(|all| all.into_iter().find(|p| p.id == wanted))
                .filter(|p| p.level("province").is_some())
                .ok_or_else(|| {
                    AppError::invalid("profile", "Quy trình không có Hội đồng cấp tỉnh.")
                })?;
            let round = RoundRow {
                id: uuid::Uuid::now_v7().to_string(),
                province,
                level: "province".into(),
                name,
                rule_set: crate::api::rules::CURRENT_RULE_SET.into(),
                profile: profile.id.clone(),
                proposal_cutoff: iso(cutoff),
                closes_on: iso(closes),
                state: RoundState::Draft,
                quorum: (
                    i64::from(profile.quorum.numerator),
                    i64::from(profile.quorum.denominator),
                ),
                divergence_limit: i64::from(profile.divergence_limit),
            };
            let mut tx = db::from_context()?.begin().await?;
            db::rounds::insert(&mut tx, &round).await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new("create_round", "round", &round.id)
                    .after(db::audit::digest(&round)),
            )
            .await?;
            Ok(round.id)
        }
        .await,
    )
}

/// Moves a round: open, start scoring, deliberation, seal, decide (or back to scoring).
#[server(endpoint = "office/round_event")]
pub async fn change_round(round_id: String, event: RoundEvent) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
            if event == RoundEvent::Seal {
                return Err(AppError::invalid("state", crate::api::seal::CHAIR_ONLY));
            }
            let next = round
                .state
                .transition(event)
                .map_err(|m| AppError::invalid("state", m))?;
            let mut tx = db.begin().await?;
            if !db::rounds::set_state(&mut tx, &round_id, round.state, next).await? {
                return Err(AppError::invalid("state", CHANGED_MEANWHILE));
            }
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new("round_event", "round", &round_id)
                    .after(db::audit::digest(&next)),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// Puts an accepted dossier into a round that accepts dossiers; a dossier is in
/// at most one open round.
#[server(endpoint = "office/assign")]
pub async fn assign_to_round(product_id: String, round_id: String) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let product =
                crate::auth::guards::office_product(&db, &authorized, &product_id).await?;
            let round = crate::auth::guards::managed_round(
                &db,
                &crate::auth::session::requester().await?,
                &round_id,
            )
            .await?;
            // An official of two provinces still puts a product only into its own province's round.
            if scope_of_product(&db, &product_id).await?.province != round.province {
                return Err(AppError::invalid(
                    "round",
                    "Sản phẩm thuộc tỉnh khác: chỉ đưa vào đợt đánh giá của tỉnh mình.",
                ));
            }
            if !round.state.accepts_dossiers() {
                return Err(AppError::invalid(
                    "round",
                    "Đợt đánh giá này không còn nhận hồ sơ.",
                ));
            }
            let proposed = db::producers::proposed_ms(&db, &product_id)
                .await?
                .unwrap_or_else(db::now_ms);
            crate::domain::round::check_proposed_in_time(&round.proposal_cutoff, proposed)
                .map_err(|m| AppError::invalid("round", m))?;
            if db::rounds::open_round_of(&db, &product_id).await?.is_some() {
                return Err(AppError::invalid(
                    "round",
                    "Hồ sơ đã ở trong một đợt đánh giá đang mở.",
                ));
            }
            let next = product
                .state
                .transition(DossierEvent::AssignToRound)
                .map_err(|m| AppError::invalid("state", m))?;
            let mut tx = db.begin().await?;
            let accepting = [RoundState::Draft, RoundState::Accepting];
            if db::rounds::lock_in_state(&mut tx, &round_id, &accepting)
                .await?
                .is_none()
            {
                return Err(AppError::invalid(
                    "round",
                    "Đợt đánh giá này không còn nhận hồ sơ.",
                ));
            }
            if !db::producers::set_state(&mut tx, &product_id, product.state, next, product.version)
                .await?
            {
                return Err(AppError::invalid("state", CHANGED_MEANWHILE));
            }
            db::rounds::add_dossier(&mut tx, &round_id, &product_id).await?;
            db::producers::add_event(
                &mut tx,
                &product_id,
                next,
                product.version,
                &format!("Đưa vào {}", round.name),
                None,
            )
            .await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new("assign_to_round", "product", &product_id)
                    .after(db::audit::digest(&round_id)),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// A seat added to a council; `invitation` when a phone was given (a link only
/// when the number had no account and one was made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatAdded {
    pub member_id: String,
    pub invitation: Option<crate::api::users::Invitation>,
}

/// Seats a chair, member or advisory-team member (name, department) on a round's
/// council. With a phone, the seat is that person's: a chair or member gets the
/// council role for this round (a new number an account and an invitation link by
/// SMS; a registered one an offer to accept).
#[server(endpoint = "office/add_member")]
pub async fn add_council_member(
    round_id: String,
    name: String,
    department: String,
    position: String,
    phone: Option<String>,
) -> Result<SeatAdded, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
            let display = crate::domain::name::DisplayName::parse(&name)
                .map_err(|e| AppError::invalid("name", e))?;
            let name = required_text("name", &name, "họ tên")?;
            let department = required_text("department", &department, "cơ quan")?;
            let role = match position.as_str() {
                "chair" => Some(crate::auth::Role::CouncilChair),
                "member" => Some(crate::auth::Role::CouncilMember),
                "advisor" => None,
                _ => return Err(AppError::invalid("position", "Vị trí không hợp lệ.")),
            };
            let phone = match phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(phone) => Some(
                    crate::domain::phone::PhoneNumber::parse(phone)
                        .map_err(|e| AppError::invalid("phone", e))?,
                ),
                None => None,
            };
            let actor = authorized.actor();
            // The seat's council role, allowed before anything is written.
            let grant = match (&phone, role) {
                (Some(_), Some(role)) => {
                    let grant = crate::auth::Grant {
                        role,
                        scope: Scope::Council {
                            round: round.id.clone(),
                            province: round.province,
                        },
                    };
                    authorize(
                        Action::SeatCouncil,
                        &Target::Grants(std::slice::from_ref(&grant)),
                    )
                    .await?;
                    Some(grant)
                }
                _ => None,
            };
            let origin = crate::api::account::ssr::site_origin_for_links().await;
            let inviter = authorized
                .principal
                .as_ref()
                .map(|p| p.display_name.clone())
                .unwrap_or_default();
            let mut tx = db.begin().await?;
            lock_unsealed(&mut tx, &round_id).await?;
            let (user_id, invitation) = match (&phone, grant) {
                (Some(phone), Some(grant)) => {
                    let invitation = crate::api::users::ssr::invite_in(
                        &mut tx, &db, phone, &display, &grant, &actor, &inviter, &origin,
                    )
                    .await?;
                    (Some(invitation.user_id.clone()), Some(invitation))
                }
                (Some(phone), None) => (
                    db::users::by_phone(&db, phone.as_str())
                        .await?
                        .map(|u| u.id),
                    None,
                ),
                (None, _) => (None, None),
            };
            let member = MemberRow {
                id: uuid::Uuid::now_v7().to_string(),
                name,
                department,
                position,
                user_id,
            };
            db::rounds::add_member(&mut tx, &round_id, &member).await?;
            crate::db::audit::commit(
                tx,
                &actor,
                crate::db::audit::Change::new("add_council_member", "round", &round_id)
                    .after(db::audit::digest(&member)),
            )
            .await?;
            Ok(SeatAdded {
                member_id: member.id,
                invitation,
            })
        }
        .await,
    )
}

/// Changes a council's quorum and divergence limit (inherited from the profile).
#[server(endpoint = "office/council_settings")]
pub async fn set_council_settings(
    round_id: String,
    numerator: i64,
    denominator: i64,
    divergence_limit: i64,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
let round = crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
            if !(1..=denominator).contains(&numerator) || !(1..=100).contains(&divergence_limit) {
                return Err(AppError::invalid(
                    "quorum",
                    "Tỷ lệ tối thiểu hoặc ngưỡng chênh lệch không hợp lệ.",
                ));
            }
            let mut tx = db.begin().await?;
            // What the result uses may not change once scoring has started.
            let before_scoring = [RoundState::Draft, RoundState::Accepting];
            if db::rounds::lock_in_state(&mut tx, &round_id, &before_scoring).await?.is_none() {
                return Err(AppError::invalid(
                    "quorum",
                    "Hội đồng đã bắt đầu chấm: không thay đổi được tỷ lệ tối thiểu và ngưỡng chênh lệch.",
                ));
            }
            db::rounds::set_council_settings(
                &mut tx,
                &round_id,
                (numerator, denominator),
                divergence_limit,
            )
            .await?;
            db::audit::write(
                &mut tx,
                &authorized.actor(),
                db::audit::Change::new("council_settings", "round", &round_id)
                    .before(db::audit::digest(&(round.quorum, round.divergence_limit)))
                    .after(db::audit::digest(&((numerator, denominator), divergence_limit))),
            )
            .await?;
            db::commit(tx).await?;
            Ok(())
        }
        .await,
    )
}

/// A member (or the office for them) declares a conflict of interest with a product
/// of the round; the member is then excluded from that product.
#[server(endpoint = "office/declare_conflict")]
pub async fn declare_conflict(
    member_id: String,
    product_id: String,
    reason: String,
) -> Result<(), AppError> {
    with_status(conflict_declared(member_id, product_id, reason).await)
}

/// The same from the member's tablet (its own endpoint: the tablet's code stays in
/// the tablet's chunk of the WASM).
#[server(endpoint = "council/declare_own_conflict")]
pub async fn declare_own_conflict(
    member_id: String,
    product_id: String,
    reason: String,
) -> Result<(), AppError> {
    with_status(conflict_declared(member_id, product_id, reason).await)
}

#[cfg(feature = "ssr")]
async fn conflict_declared(
    member_id: String,
    product_id: String,
    reason: String,
) -> Result<(), AppError> {
    {
        let db = db::from_context()?;
        let (round_id, member_user) = db::rounds::member_round(&db, &member_id)
            .await?
            .ok_or_else(|| AppError::NotFound("thành viên hội đồng".into()))?;
        let round = db::rounds::get(&db, &round_id)
            .await?
            .ok_or_else(|| AppError::NotFound("đợt đánh giá".into()))?;
        let authorized = authorize(
            Action::DeclareConflict,
            &Target::Member {
                user_id: member_user.as_deref(),
                province: round.province,
            },
        )
        .await?;
        if !db::rounds::dossiers(&db, &round_id)
            .await?
            .contains(&product_id)
        {
            return Err(AppError::invalid(
                "product",
                "Sản phẩm không thuộc đợt đánh giá này.",
            ));
        }
        let reason = required_text("reason", &reason, "lý do")?;
        let actor = authorized.actor();
        let mut tx = db.begin().await?;
        lock_unsealed(&mut tx, &round_id).await?;
        db::rounds::declare_conflict(&mut tx, &member_id, &product_id, &reason, actor.id()).await?;
        crate::db::audit::commit(
            tx,
            &actor,
            crate::db::audit::Change::new("declare_conflict", "council_member", &member_id)
                .after(db::audit::digest(&(&product_id, &reason))),
        )
        .await?;
        Ok(())
    }
}

/// A round with its dossiers, council and conflicts.
#[server(endpoint = "office/round")]
pub async fn round_view(round_id: String) -> Result<RoundDetail, AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let round = crate::auth::guards::managed_round(
                &db,
                &crate::auth::session::requester().await?,
                &round_id,
            )
            .await?;
            Ok(RoundDetail {
                dossiers: db::rounds::dossiers(&db, &round_id).await?,
                members: db::rounds::members(&db, &round_id).await?,
                conflicts: db::rounds::conflicts(&db, &round_id).await?,
                loads: db::rounds::loads(&db, &round_id).await?,
                products: db::rounds::products_named(&db, &round_id).await?,
                assignments: db::rounds::assignments(&db, &round_id).await?,
                round,
            })
        }
        .await,
    )
}

/// The rounds of the office's province, newest first.
#[server(endpoint = "office/rounds")]
pub async fn office_rounds() -> Result<Vec<RoundRow>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::OfficeWork, &Target::Nothing).await?;
            let province = office_province(&authorized)?;
            let db = db::from_context()?;
            Ok(db::rounds::of_province(&db, province).await?)
        }
        .await,
    )
}

/// Splits the council for one product: only these members (ids, comma-separated)
/// score it. An empty list gives it back to every member.
#[server(endpoint = "office/assign_members")]
pub async fn assign_members(
    round_id: String,
    product_id: String,
    member_ids: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let db = db::from_context()?;
            let authorized = crate::auth::session::requester().await?;
            crate::auth::guards::managed_round(&db, &authorized, &round_id).await?;
            if !db::rounds::dossiers(&db, &round_id)
                .await?
                .contains(&product_id)
            {
                return Err(AppError::invalid(
                    "product",
                    "Sản phẩm không thuộc đợt đánh giá này.",
                ));
            }
            let members = db::rounds::members(&db, &round_id).await?;
            let chosen: Vec<String> = member_ids
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect();
            if chosen.iter().any(|id| {
                !members
                    .iter()
                    .any(|m| &m.id == id && m.position != "advisor")
            }) {
                return Err(AppError::invalid(
                    "member_ids",
                    "Chỉ phân công cho thành viên chấm điểm của Hội đồng này.",
                ));
            }
            let all: Vec<String> = members.into_iter().map(|m| m.id).collect();
            let mut tx = db.begin().await?;
            lock_unsealed(&mut tx, &round_id).await?;
            db::rounds::set_assignment(&mut tx, &product_id, &all, &chosen).await?;
            crate::db::audit::commit(
                tx,
                &authorized.actor(),
                crate::db::audit::Change::new("assign_members", "product", &product_id)
                    .after(db::audit::digest(&chosen)),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}
