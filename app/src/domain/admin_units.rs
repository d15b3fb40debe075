//! The 2025 administrative units as pages list them: provinces with their
//! number of communes, and communes.
use serde::{Deserialize, Serialize};

/// How many provinces and communes are on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUnitCounts {
    pub provinces: i64,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// A province with the number of its communes.
pub struct ProvinceRow {
    pub code: i64,
    pub name: String,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// A commune of a province.
pub struct CommuneRow {
    pub code: i64,
    pub name: String,
}
