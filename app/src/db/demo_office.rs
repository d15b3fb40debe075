//! The demo's office day: the province's next round (Điều 5's dates after the day
//! the demo is loaded) accepting dossiers, and a dossier of the demo cooperative
//! that its commune has just proposed, waiting at the office to be assigned.
use super::DbError;
use crate::domain::date::CalendarDate;
use crate::domain::dossier::{DossierState, ProductForm};
use crate::domain::round::{next_province_round, province_round_dates, RoundRow, RoundState};
use sqlx::AnyConnection;

/// The demo's round that takes proposals.
pub const DEMO_NEXT_ROUND: &str = "demo-dot-tiep-theo";

/// The dossier waiting at the office.
pub const DEMO_WAITING_PRODUCT: &str = "Mật ong rừng Đắk Glei (demo)";

pub async fn add(tx: &mut AnyConnection, subject_id: &str) -> Result<(), DbError> {
    let today = CalendarDate::of_ms_vietnam(super::now_ms());
    let (year, number) = next_province_round(today);
    let (cutoff, closes) = province_round_dates(year, number)
        .ok_or_else(|| DbError::Demo("no Article 5 round".into()))?;
    let iso = |d: CalendarDate| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let round = RoundRow {
        id: DEMO_NEXT_ROUND.into(),
        province: 51,
        level: "province".into(),
        name: format!("Đợt {number} năm {year} (demo)"),
        rule_set: "qd-26-2026".into(),
        profile: "qd-26-2026".into(),
        proposal_cutoff: iso(cutoff),
        closes_on: iso(closes),
        state: RoundState::Accepting,
        quorum: (3, 4),
        divergence_limit: 10,
    };
    super::rounds::insert(tx, &round).await?;
    let id = product(
        tx,
        subject_id,
        DEMO_WAITING_PRODUCT,
        DossierState::OfficeReview,
    )
    .await?;
    super::producers::add_event(
        tx,
        &id,
        DossierState::OfficeReview,
        1,
        "UBND xã đề xuất (demo)",
        None,
    )
    .await?;
    Ok(())
}

/// A first-time product of set 7 of the demo cooperative, moved straight to
/// `state` (version 1), its Mẫu 01/02 written in full.
pub async fn product(
    tx: &mut AnyConnection,
    subject_id: &str,
    name: &str,
    state: DossierState,
) -> Result<String, DbError> {
    let form = ProductForm {
        subject_id: subject_id.into(),
        name: name.into(),
        product_set: "7".into(),
        kind: "first_time".into(),
        ..Default::default()
    };
    let registration = form
        .parse()
        .map_err(|errors| DbError::Demo(format!("{errors:?}")))?;
    let id = super::producers::insert_product(tx, &registration, "qd-26-2026").await?;
    super::producers::set_state(tx, &id, DossierState::Draft, state, 1).await?;
    super::self_reports::save(tx, &id, &report()?).await?;
    Ok(id)
}

/// The demo cooperative's words for its dossiers (Mẫu 01, Mẫu 02 Parts I, II, IV).
fn report() -> Result<crate::domain::self_report::SelfReport, DbError> {
    use crate::domain::self_report::{IpTitle, SelfReportForm};
    SelfReportForm {
        representative_title: "Giám đốc".into(),
        phone: "0900000005".into(),
        email: "htx.samngoclinh@example.vn".into(),
        representative_ethnicity: "Xơ Đăng".into(),
        representative_address: "Thôn Đắk Ven, xã Đắk Plô, tỉnh Quảng Ngãi".into(),
        samples: "3".into(),
        product_description: "Sản phẩm đóng hộp 100 g, bảo quản mát; tiêu chuẩn cơ sở TCCS 01:2024/HTX.".into(),
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
