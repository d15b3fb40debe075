//! What the producer writes in words for the dossier (Phụ lục III): Mẫu 01's
//! contact lines and samples, and Mẫu 02's Parts I, II and IV (Part III is the
//! self-assessment itself). A draft may be partial; a dossier is submitted only
//! when every line the forms ask for is there. Parsed once, for both sides.
use super::refusal::Refusal;
use super::subject::{clean_text, FieldError};
use serde::{Deserialize, Serialize};

/// Mẫu 02, Part I item 7 d): the intellectual-property titles a subject may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IpTitle {
    Trademark,
    CollectiveOrGeographical,
    Patent,
    IndustrialDesign,
    Copyright,
}

impl IpTitle {
    pub const ALL: [IpTitle; 5] = [
        IpTitle::Trademark,
        IpTitle::CollectiveOrGeographical,
        IpTitle::Patent,
        IpTitle::IndustrialDesign,
        IpTitle::Copyright,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IpTitle::Trademark => "trademark",
            IpTitle::CollectiveOrGeographical => "collective_or_geographical",
            IpTitle::Patent => "patent",
            IpTitle::IndustrialDesign => "industrial_design",
            IpTitle::Copyright => "copyright",
        }
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("ip_title", self.as_str(), lang)
    }
}

/// Short lines (a phone, a title) and long answers (a history, a plan).
pub const SHORT_MAX: usize = 200;
pub const LONG_MAX: usize = 4_000;
/// A year's revenue or profit in đồng: at most a thousand billion.
pub const MONEY_MAX: i64 = 1_000_000_000_000_000;

/// The form as typed: texts as they came, checkboxes true or false.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfReportForm {
    // Mẫu 01, item 1, and Mẫu 02 Part I items 4–5.
    pub representative_title: String,
    pub phone: String,
    pub email: String,
    pub representative_ethnicity: String,
    pub representative_address: String,
    // Mẫu 01, item 5: samples sent with the dossier.
    pub samples: String,
    // Part I, item 7 and its ticks.
    pub product_description: String,
    pub business_registration: bool,
    pub quality_declared: bool,
    pub food_safety_certificate: bool,
    pub production_certificate: bool,
    pub ip_titles: Vec<IpTitle>,
    pub ip_other: String,
    // Part I, items 8 and 9.
    pub history: String,
    pub organisation: String,
    // Part II: results of the business plan.
    pub raw_materials: String,
    pub quality_changes: String,
    pub markets: String,
    pub revenue: String,
    pub profit: String,
    // Part IV: the plan ahead.
    pub plan: String,
}

/// A report that passed every check; an empty text is a line not written yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfReport {
    pub representative_title: String,
    pub phone: String,
    pub email: String,
    pub representative_ethnicity: String,
    pub representative_address: String,
    pub samples: Option<u32>,
    pub product_description: String,
    pub business_registration: bool,
    pub quality_declared: bool,
    pub food_safety_certificate: bool,
    pub production_certificate: bool,
    pub ip_titles: Vec<IpTitle>,
    pub ip_other: String,
    pub history: String,
    pub organisation: String,
    pub raw_materials: String,
    pub quality_changes: String,
    pub markets: String,
    /// Last year's revenue and profit in đồng (a profit may be a loss).
    pub revenue: Option<i64>,
    pub profit: Option<i64>,
    pub plan: String,
}

/// Keeps line breaks (a history has paragraphs), tidies each line.
fn clean_long(text: &str) -> String {
    text.lines()
        .map(clean_text)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

fn at_most(field: &'static str, text: String, max: usize) -> Result<String, FieldError> {
    if text.chars().count() > max {
        return Err((
            field,
            Refusal::TooLong {
                max: max.min(u32::MAX as usize) as u32,
            },
        ));
    }
    Ok(text)
}

/// A sum of money in đồng as typed: digits, dots or spaces between thousands,
/// a leading minus where a loss is allowed.
pub fn parse_money(
    field: &'static str,
    text: &str,
    may_be_negative: bool,
) -> Result<Option<i64>, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) if may_be_negative => (true, rest),
        _ => (false, trimmed),
    };
    let digits: String = digits
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    let refused = || (field, Refusal::MoneyFormat);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(refused());
    }
    let value: i64 = digits.parse().map_err(|_| refused())?;
    if value > MONEY_MAX {
        return Err(refused());
    }
    Ok(Some(if negative { -value } else { value }))
}

impl SelfReportForm {
    /// The report, or every refused field in the form's order.
    pub fn parse(&self) -> Result<SelfReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut short = |field: &'static str, text: &str| {
            at_most(field, clean_text(text), SHORT_MAX).unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let representative_title = short("representative_title", &self.representative_title);
        let phone = short("phone", &self.phone);
        let email = short("email", &self.email);
        let representative_ethnicity =
            short("representative_ethnicity", &self.representative_ethnicity);
        let representative_address = short("representative_address", &self.representative_address);
        let ip_other = short("ip_other", &self.ip_other);
        let mut long = |field: &'static str, text: &str| {
            at_most(field, clean_long(text), LONG_MAX).unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let product_description = long("product_description", &self.product_description);
        let history = long("history", &self.history);
        let organisation = long("organisation", &self.organisation);
        let raw_materials = long("raw_materials", &self.raw_materials);
        let quality_changes = long("quality_changes", &self.quality_changes);
        let markets = long("markets", &self.markets);
        let plan = long("plan", &self.plan);
        let samples = match self.samples.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n <= 1_000 => Some(n),
                _ => {
                    errors.push(("samples", Refusal::SamplesRange));
                    None
                }
            },
        };
        let mut money = |field, text: &str, negative| {
            parse_money(field, text, negative).unwrap_or_else(|e| {
                errors.push(e);
                None
            })
        };
        let revenue = money("revenue", &self.revenue, false);
        let profit = money("profit", &self.profit, true);
        if !phone.is_empty() && super::phone::PhoneNumber::parse(&phone).is_err() {
            errors.push(("phone", Refusal::PhoneInvalid));
        }
        if !email.is_empty() && !looks_like_email(&email) {
            errors.push(("email", Refusal::EmailInvalid));
        }
        let mut ip_titles = self.ip_titles.clone();
        ip_titles.sort();
        ip_titles.dedup();
        if !errors.is_empty() {
            let order = FIELDS;
            errors.sort_by_key(|(field, _)| order.iter().position(|f| f == field));
            return Err(errors);
        }
        Ok(SelfReport {
            representative_title,
            phone,
            email,
            representative_ethnicity,
            representative_address,
            samples,
            product_description,
            business_registration: self.business_registration,
            quality_declared: self.quality_declared,
            food_safety_certificate: self.food_safety_certificate,
            production_certificate: self.production_certificate,
            ip_titles,
            ip_other,
            history,
            organisation,
            raw_materials,
            quality_changes,
            markets,
            revenue,
            profit,
            plan,
        })
    }
}

/// The form's fields in the order the page shows them.
pub const FIELDS: [&str; 17] = [
    "representative_title",
    "phone",
    "email",
    "representative_ethnicity",
    "representative_address",
    "samples",
    "product_description",
    "ip_other",
    "history",
    "organisation",
    "raw_materials",
    "quality_changes",
    "markets",
    "revenue",
    "profit",
    "plan",
    "form",
];

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

impl SelfReport {
    /// The lines the forms ask for that are still empty, each with why:
    /// a dossier is not submitted until this is empty.
    pub fn missing(&self) -> Vec<FieldError> {
        let needed: [(&'static str, bool); 9] = [
            ("representative_title", self.representative_title.is_empty()),
            ("phone", self.phone.is_empty()),
            ("samples", self.samples.is_none()),
            ("product_description", self.product_description.is_empty()),
            ("history", self.history.is_empty()),
            ("organisation", self.organisation.is_empty()),
            ("markets", self.markets.is_empty()),
            ("revenue", self.revenue.is_none()),
            ("plan", self.plan.is_empty()),
        ];
        needed
            .into_iter()
            .filter(|(_, empty)| *empty)
            .map(|(field, _)| {
                (
                    field,
                    Refusal::Missing {
                        item: field.to_string(),
                    },
                )
            })
            .collect()
    }
}

/// "1250000000" → "1.250.000.000", as Vietnamese forms write sums.
pub fn format_money(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
#[path = "self_report_tests.rs"]
mod tests;
