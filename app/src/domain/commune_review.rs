//! The commune's pre-assessment: the completeness checklist of Điều 6 per kind of
//! registration, and the four contents Mẫu 03 asks the commune to assess.
use super::dossier::ProductKind;
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// Working days the commune has from receipt (Điều 7.2).
pub const COMMUNE_WORKING_DAYS: u32 = 15;

/// The dossier's documents the commune checks, by kind of registration (their
/// names are the `checklist:<code>` entries of `locales/refusals/`).
pub fn checklist(kind: ProductKind) -> &'static [&'static str] {
    const FIRST: &[&str] = &[
        "registration_form",
        "self_assessment",
        "business_registration",
        "quality_declaration",
        "production_conditions",
        "samples",
    ];
    const AGAIN: &[&str] = &[
        "registration_form",
        "self_assessment",
        "certificate",
        "changes_report",
        "samples",
    ];
    match kind {
        ProductKind::FirstTime => FIRST,
        ProductKind::Upgrade | ProductKind::Reevaluation => AGAIN,
    }
}

/// Điều 6.2.d: five samples go with a dossier, none for the tourism services group.
pub const SAMPLES_FOR_GOODS: u32 = 5;

/// The checklist a dossier needs: without samples when none are due (tourism).
pub fn required_checklist(
    kind: ProductKind,
    samples_due: u32,
) -> impl Iterator<Item = &'static str> {
    checklist(kind)
        .iter()
        .copied()
        .filter(move |code| samples_due > 0 || *code != "samples")
}

/// The four contents of Mẫu 03, each matched to a criterion of most scorecards
/// (the mapping is rule data: these are QĐ 26/2026's defaults). Their names are
/// the `content:<code>` entries of `locales/refusals/`.
pub const CONTENTS: [(&str, &str); 4] = [
    ("origin", "1.1"),
    ("local_labour", "3.3"),
    ("idea", "2.1"),
    ("identity", "5.3"),
];

/// The officer's view of one content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentAssessment {
    pub content: String,
    /// True when the commune confirms what the producer declared.
    pub agrees: bool,
    /// The option of the matching criterion the commune considers met.
    pub option: Option<u16>,
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneAssessment {
    /// Codes of the checklist items found in the dossier.
    pub checklist: Vec<String>,
    pub contents: Vec<ContentAssessment>,
    /// Samples received (five for goods, none for tourism services).
    pub samples_received: u32,
}

impl CommuneAssessment {
    /// Refusals as (field, message); the assessment is complete when there are none.
    /// `samples_due`: `SAMPLES_FOR_GOODS`, or 0 for tourism services.
    pub fn check(&self, kind: ProductKind, samples_due: u32) -> Vec<(&'static str, Refusal)> {
        let mut errors = Vec::new();
        let missing: Vec<String> = required_checklist(kind, samples_due)
            .filter(|code| !self.checklist.iter().any(|c| c == code))
            .map(str::to_string)
            .collect();
        if !missing.is_empty() {
            errors.push((
                "checklist",
                Refusal::ChecklistMissing { checklist: missing },
            ));
        }
        for (code, _) in CONTENTS {
            if !self.contents.iter().any(|c| c.content == code) {
                errors.push((
                    "contents",
                    Refusal::ContentNotAssessed {
                        content: code.to_string(),
                    },
                ));
            }
        }
        if samples_due == 0 && self.samples_received > 0 {
            errors.push(("samples_received", Refusal::TourismNoSamples));
        } else if self.samples_received < samples_due {
            errors.push((
                "samples_received",
                Refusal::SamplesShort {
                    due: samples_due,
                    received: self.samples_received,
                },
            ));
        }
        if self
            .contents
            .iter()
            .any(|c| c.comment.chars().count() > 2000)
        {
            errors.push(("contents", Refusal::CommentTooLong));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::subject::fields_of;

    #[test]
    fn an_assessment_needs_the_whole_checklist_and_the_four_contents() {
        let mut assessment = CommuneAssessment {
            checklist: checklist(ProductKind::FirstTime)
                .iter()
                .map(|c| c.to_string())
                .collect(),
            contents: vec![],
            samples_received: 5,
        };
        assert_eq!(
            assessment
                .check(ProductKind::FirstTime, SAMPLES_FOR_GOODS)
                .len(),
            4
        );
        assessment.contents = CONTENTS
            .iter()
            .map(|(code, _)| ContentAssessment {
                content: code.to_string(),
                agrees: true,
                option: Some(0),
                comment: String::new(),
            })
            .collect();
        assert!(assessment
            .check(ProductKind::FirstTime, SAMPLES_FOR_GOODS)
            .is_empty());
        let fields = fields_of(&assessment.check(ProductKind::Upgrade, SAMPLES_FOR_GOODS));
        assert_eq!(
            fields,
            vec!["checklist"],
            "an upgrade needs the certificate and the changes"
        );
    }

    #[test]
    fn goods_need_five_samples_and_tourism_none() {
        let mut assessment = CommuneAssessment {
            checklist: checklist(ProductKind::FirstTime)
                .iter()
                .map(|c| c.to_string())
                .collect(),
            contents: CONTENTS
                .iter()
                .map(|(code, _)| ContentAssessment {
                    content: code.to_string(),
                    agrees: true,
                    option: None,
                    comment: String::new(),
                })
                .collect(),
            samples_received: 4,
        };
        let fields = |a: &CommuneAssessment, due| fields_of(&a.check(ProductKind::FirstTime, due));
        assert_eq!(
            fields(&assessment, SAMPLES_FOR_GOODS),
            vec!["samples_received"]
        );
        assessment.samples_received = 5;
        assert!(fields(&assessment, SAMPLES_FOR_GOODS).is_empty());
        assert_eq!(fields(&assessment, 0), vec!["samples_received"]);
        assessment.samples_received = 0;
        assessment.checklist.retain(|c| c != "samples");
        assert!(
            fields(&assessment, 0).is_empty(),
            "tourism: no samples, no samples item"
        );
        assert_eq!(fields(&assessment, SAMPLES_FOR_GOODS).len(), 2);
    }
}
