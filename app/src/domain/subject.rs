//! A producer organisation (chủ thể OCOP) as the forms send it, parsed once for
//! the browser and the server; every refusal names its field in Vietnamese.
use super::date::CalendarDate;
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// Điều 2.3: who may register products; the last two only for tourism services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKind {
    Cooperative,
    CooperativeGroup,
    SmallEnterprise,
    Farm,
    Household,
    Association,
    TourismOperator,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 7] = [
        SubjectKind::Cooperative,
        SubjectKind::CooperativeGroup,
        SubjectKind::SmallEnterprise,
        SubjectKind::Farm,
        SubjectKind::Household,
        SubjectKind::Association,
        SubjectKind::TourismOperator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Cooperative => "cooperative",
            SubjectKind::CooperativeGroup => "cooperative_group",
            SubjectKind::SmallEnterprise => "small_enterprise",
            SubjectKind::Farm => "farm",
            SubjectKind::Household => "household",
            SubjectKind::Association => "association",
            SubjectKind::TourismOperator => "tourism_operator",
        }
    }

    pub fn parse(text: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("subject_kind", self.as_str(), lang)
    }

    /// Associations and tourism operators register tourism services only.
    pub fn tourism_only(self) -> bool {
        matches!(
            self,
            SubjectKind::Association | SubjectKind::TourismOperator
        )
    }
}

/// Where the subject sells; the modern channels count toward the plan's targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SalesChannel {
    Traditional,
    OcopShop,
    Supermarket,
    ConvenienceStore,
    ECommerce,
    Export,
}

impl SalesChannel {
    pub const ALL: [SalesChannel; 6] = [
        SalesChannel::Traditional,
        SalesChannel::OcopShop,
        SalesChannel::Supermarket,
        SalesChannel::ConvenienceStore,
        SalesChannel::ECommerce,
        SalesChannel::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SalesChannel::Traditional => "traditional",
            SalesChannel::OcopShop => "ocop_shop",
            SalesChannel::Supermarket => "supermarket",
            SalesChannel::ConvenienceStore => "convenience_store",
            SalesChannel::ECommerce => "e_commerce",
            SalesChannel::Export => "export",
        }
    }

    pub fn parse(text: &str) -> Option<SalesChannel> {
        SalesChannel::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("sales_channel", self.as_str(), lang)
    }

    pub fn is_modern(self) -> bool {
        matches!(
            self,
            SalesChannel::Supermarket | SalesChannel::ConvenienceStore | SalesChannel::ECommerce
        )
    }
}

/// The subject form as typed: every field text, checkboxes "on" or absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectForm {
    pub kind: String,
    pub name: String,
    pub registration_number: String,
    pub registration_date: String,
    pub tax_code: String,
    pub commune_code: String,
    pub address: String,
    pub representative: String,
    pub representative_woman: bool,
    pub representative_ethnic_minority: bool,
    pub representative_disability: bool,
    pub workers_total: String,
    pub workers_local: String,
    pub value_chain_contracts: String,
    pub channels: Vec<SalesChannel>,
}

/// A subject that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub name: String,
    pub registration_number: String,
    pub registration_date: String,
    pub tax_code: String,
    pub commune_code: i64,
    pub address: String,
    pub representative: String,
    pub representative_woman: bool,
    pub representative_ethnic_minority: bool,
    pub representative_disability: bool,
    pub workers_total: i64,
    pub workers_local: i64,
    pub value_chain_contracts: i64,
    pub channels: Vec<SalesChannel>,
}

/// A refused field and why.
pub type FieldError = (&'static str, Refusal);

/// The fields these refusals name, in order.
pub fn fields_of(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|(field, _)| *field).collect()
}

/// Text as stored: single spaces, trimmed, and on the server Unicode NFC — so
/// "Đắk Glei" typed on any keyboard is the same string. (The browser skips NFC: its
/// tables would weigh on the first download, and the server stores the result.)
pub fn clean_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    let text: String = {
        use unicode_normalization::UnicodeNormalization;
        text.nfc().collect()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `what` names the field in the refusal tables (`what:<code>`).
pub fn required(
    field: &'static str,
    text: &str,
    what: &str,
    max: usize,
) -> Result<String, FieldError> {
    let cleaned = clean_text(text);
    if cleaned.is_empty() {
        return Err((
            field,
            Refusal::Required {
                what: what.to_string(),
            },
        ));
    }
    if cleaned.chars().count() > max {
        return Err((
            field,
            Refusal::TooLong {
                max: max.min(u32::MAX as usize) as u32,
            },
        ));
    }
    Ok(cleaned)
}

fn count(field: &'static str, text: &str) -> Result<i64, FieldError> {
    let cleaned = text.trim();
    if cleaned.is_empty() {
        return Ok(0);
    }
    cleaned
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
        .ok_or((field, Refusal::NotCount))
}

/// Checks one field of the form (for the browser's check beside the field).
pub fn check_field(form: &SubjectForm, field: &str) -> Option<Refusal> {
    form.parse().err().and_then(|errors| {
        errors
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m)
    })
}

impl SubjectForm {
    /// Every refusal, in form order; the subject when there is none.
    pub fn parse(&self) -> Result<Subject, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut take = |result: Result<String, FieldError>| match result {
            Ok(value) => value,
            Err(error) => {
                errors.push(error);
                String::new()
            }
        };
        let kind = SubjectKind::parse(self.kind.trim());
        let name = take(required("name", &self.name, "subject_name", 200));
        let registration_number = take(required(
            "registration_number",
            &self.registration_number,
            "registration_number",
            50,
        ));
        let registration_date = take(
            CalendarDate::parse(&self.registration_date)
                .map(|_| self.registration_date.trim().to_string())
                .map_err(|_| ("registration_date", Refusal::ChooseRegistrationDate)),
        );
        let tax_code = take(
            Some(self.tax_code.trim().replace([' ', '-'], ""))
                .filter(|t| {
                    (t.len() == 10 || t.len() == 13) && t.chars().all(|c| c.is_ascii_digit())
                })
                .ok_or(("tax_code", Refusal::TaxCodeDigits)),
        );
        let address = take(required("address", &self.address, "address", 300));
        let representative = take(required(
            "representative",
            &self.representative,
            "representative",
            100,
        ));
        let mut errors_after = errors;
        let commune_code = match self.commune_code.trim().parse::<i64>() {
            Ok(code) if code > 0 => code,
            _ => {
                errors_after.push(("commune_code", Refusal::ChooseCommune));
                0
            }
        };
        let mut counted = |field, text: &str| match count(field, text) {
            Ok(n) => n,
            Err(error) => {
                errors_after.push(error);
                0
            }
        };
        let workers_total = counted("workers_total", &self.workers_total);
        let workers_local = counted("workers_local", &self.workers_local);
        let value_chain_contracts = counted("value_chain_contracts", &self.value_chain_contracts);
        if workers_local > workers_total {
            errors_after.push(("workers_local", Refusal::WorkersLocalOverTotal));
        }
        let Some(kind) = kind else {
            errors_after.insert(0, ("kind", Refusal::ChooseSubjectKind));
            return Err(errors_after);
        };
        if !errors_after.is_empty() {
            return Err(errors_after);
        }
        let mut channels = self.channels.clone();
        channels.sort();
        channels.dedup();
        Ok(Subject {
            kind,
            name,
            registration_number,
            registration_date,
            tax_code,
            commune_code,
            address,
            representative,
            representative_woman: self.representative_woman,
            representative_ethnic_minority: self.representative_ethnic_minority,
            representative_disability: self.representative_disability,
            workers_total,
            workers_local,
            value_chain_contracts,
            channels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SubjectForm {
        SubjectForm {
            kind: "cooperative".into(),
            name: "HTX  Sâm Ngọc Linh ".into(),
            registration_number: "6101234567".into(),
            registration_date: "2020-03-15".into(),
            tax_code: "6101 234 567".into(),
            commune_code: "23344".into(),
            address: "Thôn 1, xã Đắk Glei".into(),
            representative: "A Lềnh".into(),
            representative_woman: true,
            workers_total: "12".into(),
            workers_local: "10".into(),
            value_chain_contracts: "2".into(),
            channels: vec![
                SalesChannel::ECommerce,
                SalesChannel::Traditional,
                SalesChannel::ECommerce,
            ],
            ..SubjectForm::default()
        }
    }

    #[test]
    fn a_complete_form_is_cleaned_and_accepted() {
        let subject = form().parse().expect("valid");
        assert_eq!(subject.name, "HTX Sâm Ngọc Linh");
        assert_eq!(subject.tax_code, "6101234567");
        assert_eq!(
            subject.channels,
            vec![SalesChannel::Traditional, SalesChannel::ECommerce]
        );
    }

    #[test]
    fn each_bad_field_is_named_with_a_vietnamese_reason() {
        let bad = SubjectForm {
            tax_code: "12".into(),
            workers_local: "20".into(),
            registration_date: "15/03/2020".into(),
            ..form()
        };
        let errors = bad.parse().expect_err("refused");
        let fields = fields_of(&errors);
        assert_eq!(
            fields,
            vec!["registration_date", "tax_code", "workers_local"]
        );
        assert_eq!(check_field(&bad, "tax_code"), Some(Refusal::TaxCodeDigits));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn decomposed_and_composed_vietnamese_are_the_same_text() {
        let decomposed = "Đa\u{306}\u{301}k Glei";
        assert_eq!(clean_text(decomposed), "Đắk Glei");
    }
}
