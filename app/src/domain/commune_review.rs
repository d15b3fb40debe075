//! The commune's pre-assessment: the completeness checklist of Điều 6 per kind of
//! registration, and the four contents Mẫu 03 asks the commune to assess.
use super::dossier::ProductKind;
use serde::{Deserialize, Serialize};

/// Working days the commune has from receipt (Điều 7.2).
pub const COMMUNE_WORKING_DAYS: u32 = 15;

/// The dossier's documents the commune checks, by kind of registration.
pub fn checklist(kind: ProductKind) -> &'static [(&'static str, &'static str)] {
    const FIRST: &[(&str, &str)] = &[
        ("registration_form", "Phiếu đăng ký (Mẫu 01)"),
        ("self_assessment", "Báo cáo tự đánh giá (Mẫu 02)"),
        ("business_registration", "Giấy đăng ký kinh doanh"),
        ("quality_declaration", "Công bố chất lượng sản phẩm"),
        (
            "production_conditions",
            "Giấy tờ về điều kiện sản xuất, an toàn thực phẩm",
        ),
        ("samples", "Sản phẩm mẫu"),
    ];
    const AGAIN: &[(&str, &str)] = &[
        ("registration_form", "Phiếu đăng ký (Mẫu 01)"),
        ("self_assessment", "Báo cáo tự đánh giá (Mẫu 02)"),
        ("certificate", "Giấy chứng nhận OCOP đã được cấp"),
        ("changes_report", "Báo cáo những thay đổi của sản phẩm"),
        ("samples", "Sản phẩm mẫu"),
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
) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    checklist(kind)
        .iter()
        .filter(move |(code, _)| samples_due > 0 || *code != "samples")
}

/// The four contents of Mẫu 03, each matched to a criterion of most scorecards
/// (the mapping is rule data: these are QĐ 26/2026's defaults).
pub const CONTENTS: [(&str, &str, &str); 4] = [
    (
        "origin",
        "Nguồn gốc sản phẩm, nguyên liệu địa phương",
        "1.1",
    ),
    ("local_labour", "Sử dụng lao động địa phương", "3.3"),
    ("idea", "Nguồn gốc ý tưởng sản phẩm", "2.1"),
    (
        "identity",
        "Tính đặc trưng, bản sắc và tri thức địa phương",
        "5.3",
    ),
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
    pub fn check(&self, kind: ProductKind, samples_due: u32) -> Vec<(&'static str, String)> {
        let mut errors = Vec::new();
        let missing: Vec<&str> = required_checklist(kind, samples_due)
            .filter(|(code, _)| !self.checklist.iter().any(|c| c == code))
            .map(|(_, label)| *label)
            .collect();
        if !missing.is_empty() {
            errors.push((
                "checklist",
                format!("Hồ sơ còn thiếu: {}.", missing.join("; ")),
            ));
        }
        for (code, label, _) in CONTENTS {
            if !self.contents.iter().any(|c| c.content == code) {
                errors.push((
                    "contents",
                    format!("Chưa đánh giá nội dung \u{201c}{label}\u{201d}."),
                ));
            }
        }
        if samples_due == 0 && self.samples_received > 0 {
            errors.push((
                "samples_received",
                "Dịch vụ du lịch không gửi sản phẩm mẫu.".into(),
            ));
        } else if self.samples_received < samples_due {
            errors.push((
                "samples_received",
                format!(
                    "Cần {samples_due:02} sản phẩm mẫu kèm hồ sơ (Điều 6); mới nhận {}.",
                    self.samples_received
                ),
            ));
        }
        if self
            .contents
            .iter()
            .any(|c| c.comment.chars().count() > 2000)
        {
            errors.push(("contents", "Nhận xét dài quá 2.000 ký tự.".into()));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assessment_needs_the_whole_checklist_and_the_four_contents() {
        let mut assessment = CommuneAssessment {
            checklist: checklist(ProductKind::FirstTime)
                .iter()
                .map(|(c, _)| c.to_string())
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
            .map(|(code, _, _)| ContentAssessment {
                content: code.to_string(),
                agrees: true,
                option: Some(0),
                comment: String::new(),
            })
            .collect();
        assert!(assessment
            .check(ProductKind::FirstTime, SAMPLES_FOR_GOODS)
            .is_empty());
        let fields: Vec<_> = assessment
            .check(ProductKind::Upgrade, SAMPLES_FOR_GOODS)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
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
                .map(|(c, _)| c.to_string())
                .collect(),
            contents: CONTENTS
                .iter()
                .map(|(code, _, _)| ContentAssessment {
                    content: code.to_string(),
                    agrees: true,
                    option: None,
                    comment: String::new(),
                })
                .collect(),
            samples_received: 4,
        };
        let fields = |a: &CommuneAssessment, due| -> Vec<&str> {
            a.check(ProductKind::FirstTime, due)
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
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
