//! The administrative units as lists show them (both sides; the server reads
//! them in `db::admin_units`).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUnitCounts {
    pub provinces: i64,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceRow {
    pub code: i64,
    pub name: String,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneRow {
    pub code: i64,
    pub name: String,
}
