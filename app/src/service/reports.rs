//! What the server's printed documents say, gathered from the database: the
//! commune's Mẫu 03 report now. The server lays it out (typst) and answers a PDF.
pub use super::minutes::{flag_text, minutes, Minutes, MinutesMember, MinutesProduct};
use crate::db::{self, Db, DbError};
use crate::domain::commune_review::{CommuneAssessment, CONTENTS};
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
