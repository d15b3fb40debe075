//! The programme's six-monthly and yearly report (issue 17; the seed plan's
//! section V) for a scope and a period, gathered from the database. The server
//! writes it as XLSX and lays it out as PDF from this one structure, so both
//! carry the same numbers. Documents are in Vietnamese (the decision's forms are).
use crate::db::{self, report::Span, Db};
use crate::domain::date::CalendarDate;
use crate::domain::plan::{progress, PlanScope, Progress, ReportPeriod};
use crate::domain::refusal::{term, Lang};
use crate::error::AppError;
use serde::Serialize;

/// Products recognised in the period in one sector, by stars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectorRow {
    pub sector: String,
    pub three: u32,
    pub four: u32,
    pub five: u32,
    pub total: u32,
}

/// A plan target against the data at the period's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetRow {
    pub kind: String,
    pub target: u32,
    /// A count, or a share in whole percent (None: no OCOP subject).
    pub result: Option<u32>,
    pub is_share: bool,
    pub met: bool,
    /// How full the chart's bar is, in thousandths.
    pub permille: u32,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeReport {
    pub scope: String,
    pub scope_name: String,
    pub period: String,
    pub year: i32,
    pub half: Option<u8>,
    /// ISO days.
    pub from: String,
    pub to: String,
    pub evaluated: u32,
    pub recognised: Vec<SectorRow>,
    pub recognised_total: SectorRow,
    pub expiring: u32,
    pub reevaluated: u32,
    pub revoked: u32,
    pub inspections: u32,
    pub targets: Vec<TargetRow>,
    pub subjects: Vec<(String, u32)>,
    pub subjects_total: u32,
}

fn sector_of(rule_set: &str, product_set: i64) -> String {
    u32::try_from(product_set)
        .ok()
        .and_then(|n| crate::rules_catalog::product_set(rule_set, n))
        .map(|card| card.sector.clone())
        .unwrap_or_else(|| term("what", "unknown_sector", Lang::Vi))
}

fn as_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// The report of `scope` for `period`, as the data stands now.
pub async fn build(
    db: &Db,
    scope: PlanScope,
    period: ReportPeriod,
) -> Result<ProgrammeReport, AppError> {
    let (first, last) = period.days();
    let span = Span {
        from: first.iso(),
        to: last.iso(),
        from_ms: first.start_ms_vietnam(),
        to_ms: last.next_day().start_ms_vietnam() - 1,
    };
    let mut sectors: Vec<SectorRow> = Vec::new();
    for (rule_set, product_set, stars, count) in db::report::recognised(db, &scope, &span).await? {
        let sector = sector_of(&rule_set, product_set);
        let index = match sectors.iter().position(|row| row.sector == sector) {
            Some(index) => index,
            None => {
                sectors.push(SectorRow {
                    sector,
                    three: 0,
                    four: 0,
                    five: 0,
                    total: 0,
                });
                sectors.len() - 1
            }
        };
        let row = &mut sectors[index];
        let count = as_u32(count);
        match stars {
            3 => row.three += count,
            4 => row.four += count,
            _ => row.five += count,
        }
        row.total += count;
    }
    let mut total = SectorRow {
        sector: term("what", "all_sectors", Lang::Vi),
        three: 0,
        four: 0,
        five: 0,
        total: 0,
    };
    for row in &sectors {
        total.three += row.three;
        total.four += row.four;
        total.five += row.five;
        total.total += row.total;
    }
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    let day = if last < today {
        last.iso()
    } else {
        today.iso()
    };
    let facts = db::plan::facts(db, &scope, period.year, &day).await?;
    let targets = db::plan::targets(db, &scope, period.year)
        .await?
        .into_iter()
        .map(|(kind, target)| {
            let shown = progress(kind, target, &facts);
            let result = match shown {
                Progress::Count { done, .. } => Some(done),
                Progress::Share { part, whole, .. } => {
                    Some(as_u32(i64::from(part) * 100 / i64::from(whole.max(1))))
                }
                Progress::NoSubjects { .. } => None,
            };
            TargetRow {
                kind: term("target_kind", kind.as_str(), Lang::Vi),
                target,
                result,
                is_share: kind.is_share(),
                met: shown.met(),
                permille: shown.permille(),
            }
        })
        .collect();
    let subjects: Vec<(String, u32)> = db::report::subjects_by_kind(db, &scope, &span)
        .await?
        .into_iter()
        .map(|(kind, n)| (term("subject_kind", &kind, Lang::Vi), as_u32(n)))
        .collect();
    Ok(ProgrammeReport {
        scope_name: super::plan::name_of(db, &scope).await?,
        scope: scope.stored(),
        period: term("report_period", &period.code_kind(), Lang::Vi)
            .replace("{year}", &period.year.to_string()),
        year: period.year,
        half: period.half,
        from: span.from.clone(),
        to: span.to.clone(),
        evaluated: db::report::evaluated(db, &scope, &span).await?,
        recognised: sectors,
        recognised_total: total,
        expiring: db::report::expiring(db, &scope, &span).await?,
        reevaluated: db::report::reevaluated(db, &scope, &span).await?,
        revoked: db::report::revoked(db, &scope, &span).await?,
        inspections: db::report::inspections(db, &scope, &span).await?,
        targets,
        subjects_total: subjects.iter().map(|(_, n)| n).sum(),
        subjects,
    })
}
