//! The demo's trade promotion (issue 17): a showcase point where the demo
//! commune's officer works, a shop by the coast, and a fair of last month, each
//! with some of the demo catalogue's products in force.
use super::promotion::{add_fair, add_point, link};
use super::DbError;
use crate::domain::date::CalendarDate;
use crate::domain::promotion::{FairForm, PointForm, PointKind, Showing};
use sqlx::AnyConnection;

/// Adds the points and the fair; `codes` are certificates in force, the
/// catalogue's order (Sâm Ngọc Linh, Chè dây, Cà phê, Mật ong, Nước mắm, …).
pub async fn add(
    tx: &mut AnyConnection,
    today: CalendarDate,
    codes: &[String],
) -> Result<(), DbError> {
    let opened = CalendarDate::parse(&format!("{}-03-15", today.year - 1)).unwrap_or(today);
    let points = [
        (
            "demo-point-dak-plo",
            PointForm {
                commune: 23344,
                name: "Điểm giới thiệu và bán sản phẩm OCOP Đăk Plô".into(),
                address: "Thôn Đăk Ung, trụ sở UBND xã".into(),
                kind: PointKind::Showcase,
                opened_on: opened,
            },
            [0, 1, 2],
        ),
        (
            "demo-point-tinh-khe",
            PointForm {
                commune: 21211,
                name: "Cửa hàng đặc sản OCOP Tịnh Khê".into(),
                address: "Thôn Cổ Lũy".into(),
                kind: PointKind::Shop,
                opened_on: opened,
            },
            [4, 2, 3],
        ),
    ];
    for (id, point, products) in points {
        add_point(tx, id, &point).await?;
        for index in products {
            if let Some(code) = codes.get(index) {
                link(tx, &Showing::Point(id.into()), code).await?;
            }
        }
    }
    let starts = crate::domain::certificate::add_days(today, -40);
    let fair = FairForm {
        name: format!("Hội chợ sản phẩm OCOP tỉnh Quảng Ngãi năm {}", starts.year),
        place: "Quảng trường Phạm Văn Đồng, Quảng Ngãi".into(),
        starts_on: starts,
        ends_on: crate::domain::certificate::add_days(starts, 4),
    };
    add_fair(tx, "demo-fair", 51, &fair).await?;
    for code in codes.iter().take(4) {
        link(tx, &Showing::Fair("demo-fair".into()), code).await?;
    }
    Ok(())
}
