//! What the producer's printed forms say (Phụ lục III): Mẫu 01, the registration
//! form with the commune's receipt, and Mẫu 02, the self-assessment report in its
//! four parts. A submitted dossier prints its latest frozen version; a draft
//! prints what is saved now, marked as a draft. The server lays them out (typst).
use crate::db::{self, Db, DbError};
use crate::domain::dossier::{ProductRow, StoredAnswers};
use crate::domain::self_report::{format_money, IpTitle, SelfReport};
use crate::domain::subject::Subject;
use serde::{Deserialize, Serialize};

/// Mẫu 01 and Mẫu 02 share their data; each template prints its own part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducerForms {
    /// Not yet submitted (or reopened for a supplement): printed as a draft.
    pub draft: bool,
    pub version: i64,
    pub province: String,
    pub year: i32,
    pub subject_name: String,
    pub subject_kind: String,
    pub address: String,
    pub representative: String,
    pub representative_woman: bool,
    pub registration_number: String,
    pub registration_date: String,
    pub product_name: String,
    /// Mẫu 01, item 3: "Ngành – Nhóm – Bộ sản phẩm".
    pub product_group: String,
    /// first_time, upgrade or re_evaluation (Mẫu 01, item 4).
    pub kind: String,
    pub report: SelfReport,
    pub revenue: String,
    pub profit: String,
    /// Mẫu 02, Part I 7 d): each title and whether it is held.
    pub ip_titles: Vec<(String, bool)>,
    /// Mẫu 02, Part III: the producer's own choice per criterion.
    pub criteria: Vec<CriterionLine>,
    pub self_total: u32,
    /// Mẫu 01's commune part, once the commune took the dossier in.
    pub receipt: Option<Receipt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionLine {
    pub code: String,
    pub name: String,
    pub choice: String,
    pub points: Option<u32>,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub number: String,
    pub date: String,
    pub receiver: String,
}

/// A frozen version as `producer/submit` wrote it.
#[derive(Deserialize)]
struct Frozen {
    product: ProductRow,
    subject: Option<Subject>,
    #[serde(default)]
    self_assessment: StoredAnswers,
    #[serde(default)]
    self_report: SelfReport,
}

/// The forms of the product, or None if it does not exist.
pub async fn producer_forms(db: &Db, product_id: &str) -> Result<Option<ProducerForms>, DbError> {
    let Some(current) = db::producers::product(db, product_id).await? else {
        return Ok(None);
    };
    let draft = current.state.editable();
    let frozen = if !draft && current.version > 0 {
        db::dossiers::version(db, product_id, current.version)
            .await?
            .and_then(|json| serde_json::from_str::<Frozen>(&json).ok())
    } else {
        None
    };
    let (product, subject, answers, report) = match frozen {
        Some(f) => (f.product, f.subject, f.self_assessment, f.self_report),
        None => {
            let subject = db::producers::subject(db, &current.subject_id)
                .await?
                .map(|(_, s)| s);
            let (answers, _) = db::producers::self_assessment(db, product_id).await?;
            let report = db::self_reports::of_product(db, product_id).await?;
            (current.clone(), subject, answers, report)
        }
    };
    let Some(subject) = subject else {
        return Ok(None);
    };
    let (commune, province, _) = db::admin_units::names_of_commune(db, subject.commune_code)
        .await?
        .unwrap_or_default();
    let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set);
    let criteria: Vec<CriterionLine> = scorecard
        .map(|card| {
            card.criteria()
                .map(|(_, _, criterion)| {
                    let code = criterion.code.to_string();
                    let chosen = answers
                        .get(&code)
                        .copied()
                        .flatten()
                        .and_then(|index| criterion.option(sao_scoring::OptionIndex(index)));
                    CriterionLine {
                        name: criterion.name.clone(),
                        choice: chosen.map(|o| o.text.clone()).unwrap_or_else(|| {
                            if answers.contains_key(&code) {
                                "Không có lựa chọn phù hợp".into()
                            } else {
                                "Chưa tự đánh giá".into()
                            }
                        }),
                        points: chosen.map(|o| o.points),
                        max: criterion.max,
                        code,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let self_total = criteria.iter().filter_map(|c| c.points).sum();
    let receipt = match db::commune::receipt(db, product_id).await? {
        Some((number, received_ms, receiver_id)) => {
            let receiver = db::users::by_id(db, &receiver_id)
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default();
            let day = crate::domain::date::CalendarDate::of_ms_vietnam(received_ms);
            Some(Receipt {
                number,
                date: format!("{:02}/{:02}/{}", day.day, day.month, day.year),
                receiver,
            })
        }
        None => None,
    };
    let year = crate::domain::date::CalendarDate::of_ms_vietnam(db::now_ms()).year;
    let money = |v: Option<i64>| v.map(format_money).unwrap_or_default();
    Ok(Some(ProducerForms {
        draft,
        version: product.version.max(current.version),
        year,
        address: [
            subject.address.as_str(),
            commune.as_str(),
            province.as_str(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        province,
        subject_name: subject.name,
        subject_kind: subject.kind.label(crate::domain::refusal::Lang::Vi),
        representative: subject.representative,
        representative_woman: subject.representative_woman,
        registration_number: subject.registration_number,
        registration_date: crate::domain::date::display_date(&subject.registration_date),
        product_group: scorecard
            .map(|s| format!("{} – {} – {}", s.sector, s.group, s.name))
            .unwrap_or_default(),
        kind: product.kind.as_str().into(),
        product_name: product.name,
        revenue: money(report.revenue),
        profit: money(report.profit),
        ip_titles: IpTitle::ALL
            .into_iter()
            .map(|t| {
                (
                    t.label(crate::domain::refusal::Lang::Vi),
                    report.ip_titles.contains(&t),
                )
            })
            .collect(),
        report,
        criteria,
        self_total,
        receipt,
    }))
}
