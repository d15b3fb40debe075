//! Trade promotion on the office's desk (issue 17): showcase and sales points,
//! fairs, and the certified products shown at each.
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::promotion::{
    FairLine, NewFair, NewSalesPoint, PointKind, PointLine, PromotionDesk,
};

/// The office's points and fairs with their products, and its communes.
#[server(endpoint = "promotion/desk")]
pub async fn load_promotion() -> Result<PromotionDesk, AppError> {
    crate::error::with_status(crate::service::promotion::desk().await)
}

/// Records a showcase or sales point (`kind`: `showcase` or `shop`).
#[server(endpoint = "promotion/add_point")]
pub async fn add_sales_point(#[server(flatten)] point: NewSalesPoint) -> Result<(), AppError> {
    crate::error::with_status(crate::service::promotion::add_point(point).await)
}

/// Records a fair or exhibition of the office's province.
#[server(endpoint = "promotion/add_fair")]
pub async fn add_fair(#[server(flatten)] fair: NewFair) -> Result<(), AppError> {
    crate::error::with_status(crate::service::promotion::add_fair(fair).await)
}

/// Shows certified product `code` at `target` (`point:<id>` or `fair:<id>`).
#[server(endpoint = "promotion/show")]
pub async fn show_product(target: String, code: String) -> Result<(), AppError> {
    crate::error::with_status(crate::service::promotion::show(target, code).await)
}
