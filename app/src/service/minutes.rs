//! The council's minutes (biên bản) of a sealed round: the results stored at
//! the seal, how the council sat (meeting or written opinion, Điều 7.6 d), and
//! the seal's digest. Vietnamese by law, like every official document.
use crate::db::{self, Db, DbError};
use crate::domain::date::CalendarDate;
use crate::domain::refusal::Said;
use crate::domain::sitting::{MeetingAsked, Sitting};
use serde::Serialize;
/// The council's minutes (biên bản) of a sealed round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minutes {
    /// "Biên bản họp Hội đồng …" or, by written opinion, "Biên bản tổng hợp ý kiến …".
    pub title: String,
    /// How the council evaluated, and the chair's reason for meeting if asked.
    pub sitting: String,
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
    let (title, sitting) = sitting_text(round.sitting, round.meeting_asked.as_ref());
    Ok(Some(Minutes {
        title,
        sitting,
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

/// The minutes' title and their line on how the council sat.
pub fn sitting_text(sitting: Sitting, asked: Option<&MeetingAsked>) -> (String, String) {
    const ARTICLE: &str = "điểm d khoản 6 Điều 7 Quyết định số 26/2026/QĐ-TTg";
    let meeting = "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP".to_string();
    match (sitting, asked) {
        (Sitting::Written, _) => (
            "BIÊN BẢN TỔNG HỢP Ý KIẾN BẰNG VĂN BẢN CỦA HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
                .into(),
            format!("Hình thức đánh giá: lấy ý kiến bằng văn bản ({ARTICLE})."),
        ),
        (Sitting::Meeting, Some(asked)) => (
            meeting,
            format!(
                "Hình thức đánh giá: lấy ý kiến bằng văn bản ({ARTICLE}), chuyển sang họp trực tiếp \
                 ngày {} theo đề nghị của Chủ tịch Hội đồng. Lý do: {}",
                CalendarDate::of_ms_vietnam(asked.asked_ms).day_month_year(),
                asked.reason
            ),
        ),
        (Sitting::Meeting, None) => (meeting, "Hình thức đánh giá: họp Hội đồng.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minutes_say_how_the_council_sat() {
        let (title, line) = sitting_text(Sitting::Meeting, None);
        assert!(title.starts_with("BIÊN BẢN HỌP"), "{title}");
        assert_eq!(line, "Hình thức đánh giá: họp Hội đồng.");
        let (title, line) = sitting_text(Sitting::Written, None);
        assert!(title.contains("Ý KIẾN BẰNG VĂN BẢN"), "{title}");
        assert!(line.contains("điểm d khoản 6 Điều 7"), "{line}");
        // 17:30 UTC on 5 December 2025 is already the 6th in Vietnam.
        let asked = MeetingAsked {
            reason: "Ý kiến khác nhau".into(),
            asked_ms: 1_764_955_800_000,
        };
        let (title, line) = sitting_text(Sitting::Meeting, Some(&asked));
        assert!(title.starts_with("BIÊN BẢN HỌP"), "{title}");
        assert!(line.contains("họp trực tiếp ngày 06/12/2025"), "{line}");
        assert!(line.ends_with("Lý do: Ý kiến khác nhau"), "{line}");
    }
}
