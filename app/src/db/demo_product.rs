//! A demo product as a producer would have brought it this far: registered (set
//! 7, first time), Mẫu 01/02 written, self-assessed, submitted as version 1
//! (frozen like `producer/submit` freezes it), and each step since on its
//! timeline, up to `state`.
use super::DbError;
use crate::domain::dossier::{DossierState, ProductForm, StoredAnswers};
use crate::domain::self_report::{IpTitle, SelfReport, SelfReportForm};
use crate::domain::subject::Subject;
use sqlx::AnyConnection;

/// The steps a dossier took to reach each state.
const STEPS: [DossierState; 4] = [
    DossierState::Submitted,
    DossierState::CommuneReview,
    DossierState::OfficeReview,
    DossierState::InRound,
];

/// The timeline's note of a demo step, as the services write them.
fn note_of(step: DossierState) -> String {
    use crate::domain::refusal::EventNote as Note;
    match step {
        DossierState::Submitted => Note::NoteSubmitted { version: 1 },
        DossierState::CommuneReview => Note::NoteCommuneReceived {
            number: "demo".into(),
        },
        DossierState::OfficeReview => Note::NoteCommuneForwarded,
        _ => Note::NoteAddedToRound {
            round: "demo".into(),
        },
    }
    .stored()
}

/// Adds the product of `subject` (id, facts) and brings it to `state`; its id.
pub async fn add(
    tx: &mut AnyConnection,
    (subject_id, subject): (&str, &Subject),
    name: &str,
    state: DossierState,
) -> Result<String, DbError> {
    let registration = ProductForm {
        subject_id: subject_id.into(),
        name: name.into(),
        product_set: "7".into(),
        kind: "first_time".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|errors| DbError::Demo(format!("{errors:?}")))?;
    let id = super::producers::insert_product(tx, &registration, "qd-26-2026").await?;
    let report = report()?;
    super::self_reports::save(tx, &id, &report).await?;
    let set = crate::rules_catalog::product_set("qd-26-2026", 7)
        .ok_or_else(|| DbError::Demo("set 7 of qd-26-2026 is not loaded".into()))?;
    // The producer's own view: the middle option of every criterion.
    let answers: StoredAnswers = set
        .criteria()
        .map(|(_, _, c)| {
            let middle = u16::try_from(c.option_count() / 2).ok();
            (c.code.to_string(), middle)
        })
        .collect();
    super::producers::save_self_assessment(tx, &id, &answers, 1).await?;
    super::dossiers::set_state(tx, &id, DossierState::Draft, state, 1).await?;
    let product = super::producers::product_in(tx, &id)
        .await?
        .ok_or_else(|| DbError::Demo("the demo product vanished".into()))?;
    let content = serde_json::json!({
        "version": 1,
        "product": product,
        "subject": subject,
        "self_assessment": answers,
        "self_report": report,
        "evidence": [],
    })
    .to_string();
    super::dossiers::insert_version(tx, &id, 1, super::audit::SYSTEM_ACTOR, &content).await?;
    let reached = STEPS.iter().position(|s| *s == state).unwrap_or(0);
    for step in STEPS.iter().take(reached + 1) {
        super::dossiers::add_event(tx, &id, *step, 1, &note_of(*step), None).await?;
    }
    Ok(id)
}

/// The demo cooperative's words for its dossiers (Mẫu 01, Mẫu 02 Parts I, II, IV).
fn report() -> Result<SelfReport, DbError> {
    SelfReportForm {
        representative_title: "Giám đốc".into(),
        phone: "0900000005".into(),
        email: "htx.samngoclinh@example.vn".into(),
        representative_ethnicity: "Xơ Đăng".into(),
        representative_address: "Thôn Đắk Ven, xã Đắk Plô, tỉnh Quảng Ngãi".into(),
        samples: "3".into(),
        product_description:
            "Sản phẩm đóng hộp 100 g, bảo quản mát; tiêu chuẩn cơ sở TCCS 01:2024/HTX.".into(),
        business_registration: true,
        quality_declared: true,
        food_safety_certificate: true,
        ip_titles: vec![IpTitle::Trademark, IpTitle::CollectiveOrGeographical],
        history: "2020: thành lập từ tổ hợp tác trồng sâm dưới tán rừng.\n2023: mở rộng vùng trồng lên 12 ha, liên kết 40 hộ.".into(),
        organisation: "Ban giám đốc 3 người; tổ sản xuất; tổ chế biến; tổ tiêu thụ.".into(),
        raw_materials: "Vùng trồng 12 ha dưới tán rừng tự nhiên; sơ chế, sấy, đóng gói tại xưởng của hợp tác xã.".into(),
        quality_changes: "Bao bì mới có tem truy xuất nguồn gốc.".into(),
        markets: "Siêu thị trong tỉnh, điểm bán OCOP, sàn thương mại điện tử.".into(),
        revenue: "1.250.000.000".into(),
        profit: "180.000.000".into(),
        plan: "Mở rộng vùng trồng thêm 5 ha; đạt chứng nhận hữu cơ; mở kênh xuất khẩu.".into(),
        ..SelfReportForm::default()
    }
    .parse()
    .map_err(|errors| DbError::Demo(format!("{errors:?}")))
}
