//! Trade promotion (issue 17; the seed plan's section III.5): the showcase and
//! sales points (điểm giới thiệu và bán sản phẩm OCOP) of a province with the
//! certified products they carry, and the fairs and exhibitions its products
//! took part in. What an office types is checked here, once, for the form and
//! the server alike.
use super::date::CalendarDate;
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// A field that was refused, and why.
pub type FieldError = (&'static str, Refusal);

/// The longest name, address or place kept.
pub const TEXT_MAX: u32 = 200;

/// A point's kind: a showcase point (the plan's target counts these) or a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    Showcase,
    Shop,
}

impl PointKind {
    pub const ALL: [PointKind; 2] = [PointKind::Showcase, PointKind::Shop];

    /// The stored form (`sales_points.kind`), also its locale key's tail.
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Showcase => "showcase",
            PointKind::Shop => "shop",
        }
    }

    pub fn parse(text: &str) -> Option<PointKind> {
        PointKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// A showcase or sales point as the office's form sends it (`commune`: its code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSalesPoint {
    pub commune: String,
    pub name: String,
    pub address: String,
    pub kind: String,
    pub opened_on: String,
}

/// A fair or exhibition as the office's form sends it (dates `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFair {
    pub name: String,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A showcase or sales point as the office types it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointForm {
    pub commune: i64,
    pub name: String,
    pub address: String,
    pub kind: PointKind,
    pub opened_on: CalendarDate,
}

/// A fair or exhibition as the office types it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairForm {
    pub name: String,
    pub place: String,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
}

/// Where a product is linked: a point or a fair (`point:<id>`, `fair:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Showing {
    Point(String),
    Fair(String),
}

impl Showing {
    /// Reads the form's choice; ids are what the server made (uuid-like).
    pub fn parse(text: &str) -> Result<Showing, FieldError> {
        let refused = ("target", Refusal::FormInvalid);
        let (kind, id) = text.trim().split_once(':').ok_or(refused.clone())?;
        let id_ok = (1..=64).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        match (kind, id_ok) {
            ("point", true) => Ok(Showing::Point(id.to_string())),
            ("fair", true) => Ok(Showing::Fair(id.to_string())),
            _ => Err(refused),
        }
    }

    pub fn stored(&self) -> String {
        match self {
            Showing::Point(id) => format!("point:{id}"),
            Showing::Fair(id) => format!("fair:{id}"),
        }
    }
}

/// A required text of at most `TEXT_MAX` characters, trimmed.
fn text(field: &'static str, what: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err((
            field,
            Refusal::Required {
                what: what.to_string(),
            },
        ));
    }
    if value.chars().count() > TEXT_MAX as usize {
        return Err((field, Refusal::TooLong { max: TEXT_MAX }));
    }
    Ok(value.to_string())
}

fn date(field: &'static str, value: &str) -> Result<CalendarDate, FieldError> {
    CalendarDate::parse(value.trim()).map_err(|e| (field, Refusal::from(e)))
}

/// A day that has come (a point counts from the day it opened).
fn not_after(
    field: &'static str,
    day: CalendarDate,
    today: CalendarDate,
) -> Result<(), FieldError> {
    if day > today {
        return Err((
            field,
            Refusal::DateAfterToday {
                today: today.day_month_year(),
            },
        ));
    }
    Ok(())
}

impl PointForm {
    pub fn parse(typed: &NewSalesPoint, today: CalendarDate) -> Result<PointForm, FieldError> {
        let commune = typed
            .commune
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|code| *code > 0)
            .ok_or(("commune", Refusal::ChooseCommune))?;
        let name = text("name", "point_name", &typed.name)?;
        let address = text("address", "address", &typed.address)?;
        let kind = PointKind::parse(typed.kind.trim()).ok_or((
            "kind",
            Refusal::Required {
                what: "point_kind".to_string(),
            },
        ))?;
        let opened_on = date("opened_on", &typed.opened_on)?;
        not_after("opened_on", opened_on, today)?;
        Ok(PointForm {
            commune,
            name,
            address,
            kind,
            opened_on,
        })
    }
}

impl FairForm {
    pub fn parse(typed: &NewFair, today: CalendarDate) -> Result<FairForm, FieldError> {
        let name = text("name", "fair_name", &typed.name)?;
        let place = text("place", "fair_place", &typed.place)?;
        let starts_on = date("starts_on", &typed.starts_on)?;
        let ends_on = date("ends_on", &typed.ends_on)?;
        if ends_on < starts_on {
            return Err(("ends_on", Refusal::EndsBeforeStarts));
        }
        // A fair is recorded once it has begun (products took part in it).
        not_after("starts_on", starts_on, today)?;
        Ok(FairForm {
            name,
            place,
            starts_on,
            ends_on,
        })
    }
}

/// A product shown at a point or a fair: its certificate's code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownProduct {
    pub code: String,
    pub name: String,
}

/// A point as the office's desk and the product page list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointLine {
    pub id: String,
    pub name: String,
    pub address: String,
    pub commune: String,
    pub kind: PointKind,
    /// `dd/mm/yyyy`.
    pub opened_on: String,
    pub products: Vec<ShownProduct>,
}

/// A fair as the office's desk and the product page list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairLine {
    pub id: String,
    pub name: String,
    pub place: String,
    /// `dd/mm/yyyy`.
    pub starts_on: String,
    pub ends_on: String,
    pub products: Vec<ShownProduct>,
}

/// The office's trade-promotion desk: its points and fairs, and the communes
/// a new point may be in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionDesk {
    pub points: Vec<PointLine>,
    pub fairs: Vec<FairLine>,
    pub communes: Vec<(i64, String)>,
}

#[cfg(test)]
#[path = "promotion_tests.rs"]
mod tests;
