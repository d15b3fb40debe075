//! A product's registration (Mẫu 01) and its dossier's states. The state machine is
//! one `transition` function: an illegal move is refused here, in the browser and
//! on the server alike, not by hiding a button.
use super::refusal::Refusal;
use super::subject::{clean_text, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Mẫu 01, item 4: first time, upgrade (nâng hạng) or re-evaluation (đánh giá lại).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductKind {
    FirstTime,
    Upgrade,
    Reevaluation,
}

impl ProductKind {
    pub const ALL: [ProductKind; 3] = [
        ProductKind::FirstTime,
        ProductKind::Upgrade,
        ProductKind::Reevaluation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::FirstTime => "first_time",
            ProductKind::Upgrade => "upgrade",
            ProductKind::Reevaluation => "reevaluation",
        }
    }

    pub fn parse(text: &str) -> Option<ProductKind> {
        ProductKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("product_kind", self.as_str(), lang)
    }
}

/// The registration form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductForm {
    pub subject_id: String,
    pub name: String,
    pub product_set: String,
    pub kind: String,
    /// For an upgrade or re-evaluation: the certificate of the recognised product.
    pub previous_certificate: String,
    /// For an upgrade or re-evaluation: what changed since.
    pub changes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRegistration {
    pub subject_id: String,
    pub name: String,
    pub product_set: u32,
    pub kind: ProductKind,
    pub previous_certificate: String,
    pub changes: String,
}

/// Product sets under QĐ 26/2026 are numbered 1 to 26.
pub const PRODUCT_SETS: u32 = 26;

impl ProductForm {
    pub fn parse(&self) -> Result<ProductRegistration, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let name = clean_text(&self.name);
        if name.is_empty() {
            errors.push((
                "name",
                Refusal::Required {
                    what: "product_name".into(),
                },
            ));
        } else if name.chars().count() > 200 {
            errors.push(("name", Refusal::TooLong { max: 200 }));
        }
        let product_set = self
            .product_set
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=PRODUCT_SETS).contains(n));
        if product_set.is_none() {
            errors.push((
                "product_set",
                Refusal::ChooseProductSet { max: PRODUCT_SETS },
            ));
        }
        let kind = ProductKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(("kind", Refusal::ChooseRegistrationKind));
        }
        let previous_certificate = clean_text(&self.previous_certificate);
        let changes = clean_text(&self.changes);
        if matches!(kind, Some(ProductKind::Upgrade | ProductKind::Reevaluation)) {
            if previous_certificate.is_empty() {
                errors.push(("previous_certificate", Refusal::PreviousCertificateRequired));
            }
            if changes.is_empty() {
                errors.push(("changes", Refusal::ChangesRequired));
            }
        }
        match (product_set, kind) {
            (Some(product_set), Some(kind)) if errors.is_empty() => Ok(ProductRegistration {
                subject_id: self.subject_id.trim().to_string(),
                name,
                product_set,
                kind,
                previous_certificate,
                changes,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a dossier stands. Issue-by-issue the later states gain their screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DossierState {
    /// The producer is preparing it (editable).
    Draft,
    /// Frozen as a version, waiting for the commune.
    Submitted,
    /// The commune is pre-assessing it (15 working days).
    CommuneReview,
    /// An official asked for more: editable again, to be submitted as a new version.
    SupplementRequested,
    /// With the province's OCOP office.
    OfficeReview,
    /// Refused by the office, with a reason.
    Rejected,
    /// Accepted and assigned to an evaluation round.
    InRound,
}

/// What can happen to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DossierEvent {
    Submit,
    CommuneReceives,
    RequestSupplement,
    ForwardToOffice,
    Reject,
    AssignToRound,
}

/// Mẫu 01's receipt number as the commune gives it: the commune's `seq`-th receipt
/// of `year`, "Phiếu số …/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)", e.g. `007/PĐK-51-23344-2026`.
pub fn receipt_number(seq: i64, province: i64, commune: i64, year: i32) -> String {
    format!("{seq:03}/PĐK-{province:02}-{commune:05}-{year}")
}

impl DossierState {
    /// Every state, in the order a dossier moves through them.
    pub const ALL: [DossierState; 7] = [
        DossierState::Draft,
        DossierState::Submitted,
        DossierState::CommuneReview,
        DossierState::SupplementRequested,
        DossierState::OfficeReview,
        DossierState::Rejected,
        DossierState::InRound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DossierState::Draft => "draft",
            DossierState::Submitted => "submitted",
            DossierState::CommuneReview => "commune_review",
            DossierState::SupplementRequested => "supplement_requested",
            DossierState::OfficeReview => "office_review",
            DossierState::Rejected => "rejected",
            DossierState::InRound => "in_round",
        }
    }

    pub fn parse(text: &str) -> Option<DossierState> {
        DossierState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("dossier_state", self.as_str(), lang)
    }

    /// Between submission and decision: the subject's facts printed on Mẫu 01/02
    /// (its commune among them) are locked; a change goes through a supplement.
    pub const UNDER_REVIEW: [DossierState; 4] = [
        DossierState::Submitted,
        DossierState::CommuneReview,
        DossierState::OfficeReview,
        DossierState::InRound,
    ];

    /// The producer may change the dossier (answers, evidence) only now.
    pub fn editable(self) -> bool {
        matches!(
            self,
            DossierState::Draft | DossierState::SupplementRequested
        )
    }

    /// The state after `event`, or why it cannot happen.
    pub fn transition(self, event: DossierEvent) -> Result<DossierState, Refusal> {
        use DossierEvent as E;
        use DossierState as S;
        match (self, event) {
            (S::Draft | S::SupplementRequested, E::Submit) => Ok(S::Submitted),
            (S::Submitted, E::CommuneReceives) => Ok(S::CommuneReview),
            (S::Submitted | S::CommuneReview | S::OfficeReview, E::RequestSupplement) => {
                Ok(S::SupplementRequested)
            }
            (S::CommuneReview, E::ForwardToOffice) => Ok(S::OfficeReview),
            (S::OfficeReview, E::Reject) => Ok(S::Rejected),
            (S::OfficeReview, E::AssignToRound) => Ok(S::InRound),
            (state, _) => Err(Refusal::DossierStateForbids {
                dossier_state: state.as_str().to_string(),
            }),
        }
    }
}

/// A product as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: String,
    pub subject_id: String,
    pub name: String,
    pub rule_set: String,
    pub product_set: u32,
    pub kind: ProductKind,
    pub previous_certificate: String,
    pub changes: String,
    pub state: DossierState,
    pub version: i64,
}

/// Answers by criterion code: an option index, or None for "none applies".
pub type StoredAnswers = BTreeMap<String, Option<u16>>;

/// One step of the status timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at_ms: i64,
    pub state: DossierState,
    pub version: i64,
    pub note: String,
    pub deadline: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submitted_dossier_cannot_be_submitted_again_until_a_supplement_is_asked() {
        let submitted = DossierState::Draft
            .transition(DossierEvent::Submit)
            .expect("submit");
        assert!(submitted.transition(DossierEvent::Submit).is_err());
        assert!(!submitted.editable());
        let reopened = submitted
            .transition(DossierEvent::RequestSupplement)
            .expect("supplement");
        assert!(reopened.editable());
        assert_eq!(
            reopened.transition(DossierEvent::Submit),
            Ok(DossierState::Submitted)
        );
    }

    #[test]
    fn an_upgrade_must_name_the_certificate_and_the_changes() {
        let form = ProductForm {
            subject_id: "s".into(),
            name: "Sâm Ngọc Linh".into(),
            product_set: "7".into(),
            kind: "upgrade".into(),
            ..ProductForm::default()
        };
        let fields = crate::domain::subject::fields_of(&form.parse().expect_err("refused"));
        assert_eq!(fields, vec!["previous_certificate", "changes"]);
        let first = ProductForm {
            kind: "first_time".into(),
            ..form
        };
        assert_eq!(first.parse().map(|p| p.product_set), Ok(7));
    }

    #[test]
    fn a_receipt_is_numbered_as_form_01_asks() {
        assert_eq!(receipt_number(7, 51, 23344, 2026), "007/PĐK-51-23344-2026");
        assert_eq!(receipt_number(1234, 1, 4, 2027), "1234/PĐK-01-00004-2027");
    }
}
