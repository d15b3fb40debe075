//! What the server's printed documents say, gathered from the database: the
//! commune's Mẫu 03 report now. The server lays it out (typst) and answers a PDF.
use crate::db::{self, Db, DbError};
use crate::domain::commune_review::{CommuneAssessment, CONTENTS};
use crate::domain::refusal::Said;
use serde::Serialize;

/// Mẫu 03 (Phụ lục III): "Báo cáo đánh giá một số nội dung của hồ sơ đăng ký".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommuneReport {
    /// As listed ("Xã Ba Tơ"), and inside a sentence ("xã Ba Tơ").
    pub commune: String,
    pub commune_in_text: String,
    pub province: String,
    /// The authority the commune proposes to, from the round's workflow profile.
    pub proposal_to: String,
    pub subject_name: String,
    pub subject_kind: String,
    pub address: String,
    pub representative: String,
    pub representative_woman: bool,
    pub representative_ethnic_minority: bool,
    pub product_name: String,
    pub product_set: String,
    pub kind: String,
    pub version: i64,
    pub contents: Vec<ReportContent>,
    pub samples_received: u32,
    pub officer: String,
    /// Day the assessment was last saved, "ngày 5 tháng 3 năm 2026".
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportContent {
    pub title: String,
    pub criterion: String,
    pub option: String,
    pub agrees: bool,
    pub comment: String,
}

/// A unit's name inside a sentence: "Xã Ba Tơ" → "xã Ba Tơ".
fn mid_sentence(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The report of the dossier's latest assessed version; None before any assessment.
pub async fn commune_report(db: &Db, product_id: &str) -> Result<Option<CommuneReport>, DbError> {
    let Some(product) = db::producers::product(db, product_id).await? else {
        return Ok(None);
    };
    let Some((version, officer_id, content, updated_ms)) =
        db::commune::latest_review(db, product_id).await?
    else {
        return Ok(None);
    };
    let Ok(assessment) = serde_json::from_str::<CommuneAssessment>(&content) else {
        return Ok(None);
    };
    let Some((_, subject)) = db::producers::subject(db, &product.subject_id).await? else {
        return Ok(None);
    };
    let (commune, province, district) = db::admin_units::names_of_commune(db, subject.commune_code)
        .await?
        .unwrap_or_default();
    let (commune_in_text, province) = (mid_sentence(&commune), mid_sentence(&province));
    let officer = db::users::by_id(db, &officer_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let scorecard = crate::rules_catalog::product_set(&product.rule_set, product.product_set);
    let contents = CONTENTS
        .iter()
        .map(|(code, criterion)| {
            let title =
                crate::domain::refusal::term("content", code, crate::domain::refusal::Lang::Vi);
            let given = assessment.contents.iter().find(|c| c.content == *code);
            let option = given
                .and_then(|c| c.option)
                .and_then(|index| {
                    let code = sao_scoring::CriterionCode::parse(criterion).ok()?;
                    let criterion = scorecard?.criterion(&code)?;
                    let option = criterion.option(sao_scoring::OptionIndex(index))?;
                    Some(format!("{} ({} điểm)", option.text, option.points))
                })
                .unwrap_or_else(|| "Không có lựa chọn phù hợp".into());
            ReportContent {
                title,
                criterion: (*criterion).into(),
                option,
                agrees: given.is_some_and(|c| c.agrees),
                comment: given.map(|c| c.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let first_level = crate::rules_catalog::profiles()
        .ok()
        .and_then(|all| all.into_iter().find(|p| p.id == product.rule_set))
        .and_then(|profile| profile.levels.first().map(|level| level.code.clone()));
    let proposal_to = match (first_level.as_deref(), district) {
        (Some("district"), Some(district)) => format!("Ủy ban nhân dân {district}"),
        (Some("district"), None) => "Ủy ban nhân dân cấp huyện".into(),
        _ => format!("Ủy ban nhân dân {province}"),
    };
    let day = crate::domain::date::CalendarDate::of_ms_vietnam(updated_ms);
    Ok(Some(CommuneReport {
        commune,
        commune_in_text,
        province,
        proposal_to,
        subject_name: subject.name,
        subject_kind: subject.kind.label(crate::domain::refusal::Lang::Vi),
        address: subject.address,
        representative: subject.representative,
        representative_woman: subject.representative_woman,
        representative_ethnic_minority: subject.representative_ethnic_minority,
        product_name: product.name,
        product_set: scorecard.map(|s| s.name.clone()).unwrap_or_default(),
        kind: product.kind.label(crate::domain::refusal::Lang::Vi),
        version,
        contents,
        samples_received: assessment.samples_received,
        officer,
        date: format!("ngày {} tháng {} năm {}", day.day, day.month, day.year),
    }))
}

/// The council's minutes (biên bản) of a sealed round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minutes {
    pub round_name: String,
    pub level: String,
    pub rule_set: String,
    pub closes_on: String,
    pub members: Vec<MinutesMember>,
    pub products: Vec<MinutesProduct>,
    /// Records in the round's hash chain and the digest of the last one.
    pub chain_length: i64,
    pub seal_digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesMember {
    pub name: String,
    pub department: String,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesProduct {
    pub name: String,
    /// "Name: total" per member (or why no total).
    pub totals: Vec<String>,
    pub mean: String,
    pub band: String,
    pub star: String,
    pub failed_minimums: String,
    pub knockouts: String,
    pub next_step: String,
    /// The chair's acknowledgements of the model's flags, as printed.
    pub acknowledged: Vec<String>,
}

/// The minutes of a sealed (or decided) round; None before sealing.
pub async fn minutes(db: &Db, round_id: &str) -> Result<Option<Minutes>, DbError> {
    use crate::domain::round::RoundState;
    let Some(round) = db::rounds::get(db, round_id).await? else {
        return Ok(None);
    };
    if !matches!(round.state, RoundState::Sealed | RoundState::Decided) {
        return Ok(None);
    }
    // The results and digest stored at the seal, never recomputed here; a round
    // that does not verify is printed as such, never papered over.
    let (chain_length, seal_digest) = match crate::service::seal::verify(db, round_id).await? {
        crate::service::seal::Verification::Equal {
            chain_length,
            seal_digest,
            ..
        } => (chain_length, seal_digest),
        crate::service::seal::Verification::Differs(problem) => {
            (-1, format!("KHÔNG KHỚP KHI KIỂM TRA LẠI: {problem}"))
        }
    };
    let members = db::councils::members(db, round_id)
        .await?
        .into_iter()
        .map(|m| MinutesMember {
            position: m
                .position
                .label(crate::domain::refusal::Lang::Vi)
                .to_string(),
            name: m.name,
            department: m.department,
        })
        .collect();
    let products = crate::service::seal::stored_rows(db, round_id)
        .await?
        .into_iter()
        .map(|row| {
            let outcome = row.outcome.as_ref();
            MinutesProduct {
                name: row.product_name.clone(),
                totals: row
                    .cells
                    .iter()
                    .map(|cell| match (cell.state, cell.total) {
                        (_, Some(total)) => format!("{}: {total}", cell.member_name),
                        (crate::domain::round_result::CellState::Conflict, _) => {
                            format!("{}: xung đột lợi ích, không tính", cell.member_name)
                        }
                        _ => format!("{}: không nộp phiếu", cell.member_name),
                    })
                    .collect(),
                mean: outcome
                    .map(|o| o.mean.clone())
                    .unwrap_or_else(|| "—".into()),
                band: outcome
                    .map(|o| format!("{}★", o.band))
                    .unwrap_or_else(|| "—".into()),
                star: outcome
                    .and_then(|o| o.star)
                    .map(|s| format!("{s}★"))
                    .unwrap_or_else(|| "—".into()),
                failed_minimums: outcome
                    .map(|o| {
                        o.failed_minimums
                            .iter()
                            .map(|(level, codes)| format!("{level}★: {}", codes.join(", ")))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .filter(|text| !text.is_empty())
                    .unwrap_or_else(|| "không".into()),
                knockouts: if row.knockouts_flagged.is_empty() {
                    "không".into()
                } else {
                    format!(
                        "{} (Chủ tịch xác nhận: {}; bỏ qua: {})",
                        row.knockouts_flagged.join(", "),
                        none_if_empty(&row.knockouts_confirmed),
                        none_if_empty(&row.knockouts_dismissed)
                    )
                },
                next_step: match (outcome, &row.problem) {
                    (Some(o), _) => o.next_step.text(crate::domain::refusal::Lang::Vi),
                    (None, Some(problem)) => problem.clone(),
                    (None, None) => "Chưa đủ số thành viên theo quy định".into(),
                },
                acknowledged: row
                    .flags
                    .iter()
                    .filter(|f| f.acknowledged)
                    .map(flag_text)
                    .collect(),
            }
        })
        .collect();
    let level = crate::rules_catalog::profiles()
        .ok()
        .and_then(|all| all.into_iter().find(|p| p.id == round.profile))
        .and_then(|profile| profile.level(round.body.level()).map(|l| l.name.clone()))
        .unwrap_or_else(|| round.body.level().to_string());
    Ok(Some(Minutes {
        round_name: round.name,
        level,
        rule_set: round.rule_set,
        closes_on: round.closes_on,
        members,
        products,
        chain_length,
        seal_digest,
    }))
}

/// A flag of the model as the minutes print it.
pub fn flag_text(flag: &crate::domain::round_result::Flag) -> String {
    use crate::domain::round_result::FlagKind;
    let what = match flag.kind {
        FlagKind::DivergentTotals => "tổng điểm các thành viên lệch nhau",
        FlagKind::DivergentCriteria => "tiêu chí lệch từ 2 mức trở lên",
        FlagKind::NearBoundary => "điểm trung bình sát ngưỡng",
        FlagKind::SheetsMissing => "số thành viên chưa có phiếu được tính",
        FlagKind::NoResult => "không có kết quả (số phiếu)",
    };
    format!("{what}: {}", flag.detail)
}

fn none_if_empty(codes: &[String]) -> String {
    if codes.is_empty() {
        "không".into()
    } else {
        codes.join(", ")
    }
}

/// A member's paper sheet for one product: the scorecard to tick by hand, and a
/// QR code naming the round, member, product and rule set for keying it back in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperSheet {
    pub round_name: String,
    pub member_name: String,
    pub member_position: String,
    pub product_name: String,
    pub product_set: String,
    pub rule_set: String,
    pub criteria: Vec<PaperCriterion>,
    /// What the QR code says (JSON), and the code itself as SVG (set by the server).
    pub qr_payload: String,
    pub qr_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperCriterion {
    pub code: String,
    pub name: String,
    pub max: u32,
    /// "text (points)" per option, in order.
    pub options: Vec<String>,
}

/// The paper sheet of `member_id` for `product_id` in `round_id`; None when that
/// member does not score that product there.
pub async fn paper_sheet(
    db: &Db,
    round_id: &str,
    member_id: &str,
    product_id: &str,
) -> Result<Option<PaperSheet>, DbError> {
    let Some(round) = db::rounds::get(db, round_id).await? else {
        return Ok(None);
    };
    if !crate::auth::guards::member_scores(db, round_id, member_id, product_id).await? {
        return Ok(None);
    }
    let Some(member) = db::councils::members(db, round_id)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
    else {
        return Ok(None);
    };
    let Some(product) = db::producers::product(db, product_id).await? else {
        return Ok(None);
    };
    let Some(scorecard) = crate::rules_catalog::product_set(&product.rule_set, product.product_set)
    else {
        return Ok(None);
    };
    let criteria = scorecard
        .criteria()
        .map(|(_, _, c)| PaperCriterion {
            code: c.code.to_string(),
            name: c.name.clone(),
            max: c.max,
            options: c
                .options()
                .map(|o| format!("{} ({} điểm)", o.text, o.points))
                .collect(),
        })
        .collect();
    let qr_payload = serde_json::json!({
        "sao": "phieu-cham",
        "round": round_id,
        "member": member_id,
        "product": product_id,
        "rule_set": product.rule_set,
        "product_set": product.product_set,
    })
    .to_string();
    Ok(Some(PaperSheet {
        round_name: round.name,
        member_name: member.name,
        member_position: member
            .position
            .label(crate::domain::refusal::Lang::Vi)
            .to_string(),
        product_name: product.name,
        product_set: format!("{}. {}", u32::from(scorecard.number), scorecard.name),
        rule_set: product.rule_set,
        criteria,
        qr_payload,
        qr_svg: String::new(),
    }))
}
