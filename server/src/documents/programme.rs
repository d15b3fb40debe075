//! The programme report (issue 17): `GET /bao-cao/bao-cao.xlsx?scope=&period=`
//! and `…/bao-cao.pdf`, for the office of the scope's province or the officer
//! of the commune. One structure (`service::programme_report`) feeds both, so
//! the spreadsheet and the PDF carry the same numbers.
use super::{pdf_response, refuse};
use app::auth::guards::reported_scope;
use app::auth::session::{AuthSession, Authorized};
use app::db::Db;
use app::domain::plan::{PlanScope, ReportPeriod};
use app::error::{AppError, Thing};
use app::service::programme_report::{build, ProgrammeReport};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

pub const REPORT_PATH: &str = "/bao-cao/{file}";

const TEMPLATE: &str = include_str!("bao-cao.typ");

#[derive(serde::Deserialize)]
pub struct ReportQuery {
    scope: String,
    period: String,
}

pub async fn report(
    State(db): State<Db>,
    session: AuthSession,
    Path(file): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let scope = match PlanScope::parse(&query.scope) {
        Ok(scope) => scope,
        Err(refusal) => return refuse(AppError::invalid("scope", refusal)),
    };
    let period = match ReportPeriod::parse(&query.period) {
        Ok(period) => period,
        Err(refusal) => return refuse(AppError::invalid("period", refusal)),
    };
    let me = Authorized::from_session(session);
    if let Err(error) = reported_scope(&db, &me, &scope).await {
        return refuse(error);
    }
    let data = match build(&db, scope, period).await {
        Ok(data) => data,
        Err(error) => return refuse(error),
    };
    match file.as_str() {
        "bao-cao.pdf" => pdf_response(TEMPLATE, data, "bao-cao.pdf").await,
        "bao-cao.xlsx" => match workbook(&data) {
            Ok(bytes) => (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"bao-cao-{}.xlsx\"", period.code()),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                bytes,
            )
                .into_response(),
            Err(error) => refuse(AppError::internal(&error)),
        },
        _ => refuse(AppError::NotFound(Thing::Product)),
    }
}

/// A sheet with its header row in bold, frozen, and filters over `columns`.
fn table<'a>(
    book: &'a mut Workbook,
    name: &str,
    header: &[&str],
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (column, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
        sheet.set_column_width(column as u16, if column == 0 { 48 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

fn date(iso: &str) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::parse_from_str(iso)
}

/// The report as a workbook: one sheet per table, real numbers and dates.
pub fn workbook(data: &ProgrammeReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let summary = table(&mut book, "Tong hop", &["Chỉ số", "Giá trị"])?;
    summary.write_string(1, 0, "Phạm vi")?;
    summary.write_string(1, 1, &data.scope_name)?;
    summary.write_string(2, 0, "Kỳ báo cáo")?;
    summary.write_string(2, 1, &data.period)?;
    summary.write_string(3, 0, "Từ ngày")?;
    summary.write_datetime_with_format(3, 1, date(&data.from)?, &day)?;
    summary.write_string(4, 0, "Đến ngày")?;
    summary.write_datetime_with_format(4, 1, date(&data.to)?, &day)?;
    let counts = [
        ("Sản phẩm được Hội đồng đánh giá", data.evaluated),
        ("Sản phẩm được công nhận", data.recognised_total.total),
        ("Giấy chứng nhận hết hiệu lực", data.expiring),
        ("Sản phẩm được đánh giá lại", data.reevaluated),
        ("Giấy chứng nhận bị thu hồi", data.revoked),
        ("Lượt kiểm tra sau chứng nhận", data.inspections),
        ("Chủ thể OCOP cuối kỳ", data.subjects_total),
    ];
    for (index, (label, value)) in counts.iter().enumerate() {
        let row = 5 + index as u32;
        summary.write_string(row, 0, *label)?;
        summary.write_number(row, 1, f64::from(*value))?;
    }
    summary.autofilter(0, 0, 4 + counts.len() as u32, 1)?;

    let sectors = table(
        &mut book,
        "Cong nhan",
        &["Ngành", "3 sao", "4 sao", "5 sao", "Tổng"],
    )?;
    let mut row = 1;
    for line in data
        .recognised
        .iter()
        .chain(std::iter::once(&data.recognised_total))
    {
        sectors.write_string(row, 0, &line.sector)?;
        for (column, value) in [line.three, line.four, line.five, line.total]
            .iter()
            .enumerate()
        {
            sectors.write_number(row, column as u16 + 1, f64::from(*value))?;
        }
        row += 1;
    }
    sectors.autofilter(0, 0, row - 1, 4)?;

    let targets = table(
        &mut book,
        "Chi tieu",
        &["Chỉ tiêu", "Kế hoạch", "Kết quả", "Đạt"],
    )?;
    for (index, target) in data.targets.iter().enumerate() {
        let row = 1 + index as u32;
        targets.write_string(row, 0, &target.kind)?;
        targets.write_number(row, 1, f64::from(target.target))?;
        if let Some(result) = target.result {
            targets.write_number(row, 2, f64::from(result))?;
        }
        targets.write_boolean(row, 3, target.met)?;
    }
    targets.autofilter(0, 0, data.targets.len() as u32, 3)?;

    let subjects = table(&mut book, "Chu the", &["Loại hình", "Số chủ thể"])?;
    for (index, (kind, count)) in data.subjects.iter().enumerate() {
        subjects.write_string(1 + index as u32, 0, kind)?;
        subjects.write_number(1 + index as u32, 1, f64::from(*count))?;
    }
    subjects.autofilter(0, 0, data.subjects.len() as u32, 1)?;
    book.save_to_buffer()
}
