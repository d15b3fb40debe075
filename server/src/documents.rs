//! Printed documents as PDF, laid out by typst from a template and the JSON of
//! what it says: the commune's Mẫu 03 report (`GET /xa/ho-so/{id}/mau-03.pdf`)
//! the producer's Mẫu 01 and Mẫu 02 (`producer_forms`),
//! a sealed round's minutes (`GET /hoi-dong/{id}/bien-ban.pdf`) and a member's
//! paper sheet with its QR code (`GET /hoi-dong/{id}/phieu-giay/{member}/{product}`).
//! Fonts are typst's own (Libertinus Serif covers Vietnamese), so a document
//! looks the same on every machine.
use app::auth::session::AuthSession;
use app::db::Db;
use app::error::AppError;
use app::error::Refusal;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

pub mod decision_forms;
pub mod producer_forms;
pub mod programme;
pub mod proposal;
pub mod revocation_form;

pub use app::api::commune::COMMUNE_REPORT_PATH;
pub use app::api::council::{MINUTES_PATH, PAPER_SHEET_PATH};

const COMMUNE_REPORT_TEMPLATE: &str = include_str!("documents/mau-03.typ");
const MINUTES_TEMPLATE: &str = include_str!("documents/bien-ban.typ");
const PAPER_SHEET_TEMPLATE: &str = include_str!("documents/phieu-cham.typ");

struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<FontSet> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    FontSet {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

fn file_id(path: &str) -> FileId {
    let path = VirtualPath::new(path).expect("a constant, valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, path))
}

/// One template and its data (`/data.json`): nothing else can be read.
struct DocumentWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents carry the dates their data gives, never the printing day.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}

/// One document is laid out at a time: typst's layout runs on rayon's pool and
/// memoizes in process-wide caches, and two layouts at once can wait on each
/// other's pool work. A document takes a fraction of a second; they are rare.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Lays out `template` with `data` (read in the template by `json("/data.json")`).
pub fn render_pdf(template: &str, data: &impl serde::Serialize) -> Result<Vec<u8>, String> {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let json = serde_json::to_vec(data).map_err(|e| e.to_string())?;
    let world = DocumentWorld {
        main: Source::new(file_id("/main.typ"), template.to_owned()),
        data_id: file_id("/data.json"),
        data: Bytes::new(json),
    };
    let messages = |diagnostics: &[typst::diag::SourceDiagnostic]| {
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let document: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| messages(&errors))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| messages(&errors))
}

pub(crate) use crate::answer::refuse;

/// Mẫu 03 of the dossier's latest assessed version, for whoever may see the dossier.
pub async fn commune_report(
    State(db): State<Db>,
    session: AuthSession,
    Path(product_id): Path<String>,
) -> Response {
    if let Err(refused) = crate::uploads::may_read_dossier(&db, &session, &product_id).await {
        return refused;
    }
    let report = match app::service::reports::commune_report(&db, &product_id).await {
        Ok(Some(report)) => report,
        Ok(None) => {
            return refuse(AppError::invalid(
                "assessment",
                Refusal::CommuneAssessmentMissing,
            ))
        }
        Err(error) => return refuse(error.into()),
    };
    pdf_response(COMMUNE_REPORT_TEMPLATE, report, "mau-03.pdf").await
}

/// The document from the cache or laid out (see `pdf_cache`), answered as a PDF.
async fn pdf_response<T: serde::Serialize + Send + 'static>(
    template: &'static str,
    data: T,
    file_name: &'static str,
) -> Response {
    let json = match serde_json::to_vec(&data) {
        Ok(json) => json,
        Err(error) => return refuse(AppError::internal(&error)),
    };
    match crate::pdf_cache::pdf(template, json, render_json).await {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{file_name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            pdf.as_ref().clone(),
        )
            .into_response(),
        Err(crate::pdf_cache::RenderError::Busy) => refuse(AppError::Busy { retry_after_s: 10 }),
        Err(crate::pdf_cache::RenderError::Failed(message)) => refuse(AppError::internal(&message)),
    }
}

/// `render_pdf` over data already serialised.
fn render_json(template: &str, json: &[u8]) -> Result<Vec<u8>, String> {
    let data: serde_json::Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    render_pdf(template, &data)
}

/// The round, after the policy allowed its chair or its province's office.
async fn chaired_round(
    db: &Db,
    session: &AuthSession,
    round_id: &str,
) -> Result<app::domain::round::RoundRow, Response> {
    let me = app::auth::session::Authorized::from_session(session.clone());
    app::auth::guards::chaired_round(db, &me, round_id)
        .await
        .map_err(refuse)
}

/// A sealed round's minutes, for its chair and its province's office.
pub async fn minutes(
    State(db): State<Db>,
    session: AuthSession,
    Path(round_id): Path<String>,
) -> Response {
    if let Err(refused) = chaired_round(&db, &session, &round_id).await {
        return refused;
    }
    match app::service::reports::minutes(&db, &round_id).await {
        Ok(Some(minutes)) => pdf_response(MINUTES_TEMPLATE, minutes, "bien-ban.pdf").await,
        Ok(None) => refuse(AppError::invalid("state", Refusal::MinutesNotYet)),
        Err(error) => refuse(error.into()),
    }
}

/// The QR code of `text` as SVG (dark modules on white, with a quiet zone).
fn qr_svg(text: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// A member's paper sheet for a product, printed by the chair or the office when
/// a tablet fails; its QR code names the round, member, product and rule set.
pub async fn paper_sheet(
    State(db): State<Db>,
    session: AuthSession,
    Path((round_id, member_id, product_id)): Path<(String, String, String)>,
) -> Response {
    if let Err(refused) = chaired_round(&db, &session, &round_id).await {
        return refused;
    }
    let mut sheet =
        match app::service::reports::paper_sheet(&db, &round_id, &member_id, &product_id).await {
            Ok(Some(sheet)) => sheet,
            Ok(None) => {
                return refuse(AppError::invalid(
                    "member_id",
                    Refusal::MemberNotScoringProduct,
                ))
            }
            Err(error) => return refuse(error.into()),
        };
    sheet.qr_svg = match qr_svg(&sheet.qr_payload) {
        Ok(svg) => svg,
        Err(error) => return refuse(AppError::internal(&error)),
    };
    pdf_response(PAPER_SHEET_TEMPLATE, sheet, "phieu-cham.pdf").await
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::service::reports::{CommuneReport, ReportContent};

    #[test]
    fn the_commune_report_template_lays_out_to_a_pdf_whatever_the_text_holds() {
        let report = CommuneReport {
            commune: "Xã Ba Tơ".into(),
            commune_in_text: "xã Ba Tơ".into(),
            province: "tỉnh Quảng Ngãi".into(),
            proposal_to: "Ủy ban nhân dân tỉnh Quảng Ngãi".into(),
            // Typst markup in a producer's text must come out as text.
            subject_name: "HTX #set page(width: 1cm) *Ba Tơ* $x$ [a]".into(),
            subject_kind: "Hợp tác xã".into(),
            address: "Thôn 1".into(),
            representative: "Đinh Thị Lan".into(),
            representative_woman: true,
            representative_ethnic_minority: true,
            product_name: "Sâm Ngọc Linh củ tươi".into(),
            product_set: "Rau, củ, quả, hạt tươi".into(),
            kind: "Lần đầu".into(),
            version: 2,
            contents: vec![ReportContent {
                title: "Sử dụng lao động địa phương".into(),
                criterion: "3.3".into(),
                option: "Có sử dụng lao động địa phương (2 điểm)".into(),
                agrees: false,
                comment: "#panic(\"no\")".into(),
            }],
            samples_received: 5,
            officer: "Nguyễn Văn Xã".into(),
            date: "ngày 29 tháng 11 năm 2026".into(),
        };
        let pdf = render_pdf(COMMUNE_REPORT_TEMPLATE, &report).expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn the_paper_sheet_lays_out_with_its_qr_code() {
        let sheet = app::service::reports::PaperSheet {
            round_name: "Đợt 1 năm 2026".into(),
            member_name: "Trần #strong[Thị] Hoa".into(),
            member_position: "Thành viên".into(),
            product_name: "Trà *shan* tuyết $x$".into(),
            product_set: "3. Chè".into(),
            rule_set: "qd-26-2026".into(),
            criteria: vec![app::service::reports::PaperCriterion {
                code: "1.1".into(),
                name: "Nguồn gốc ý tưởng".into(),
                max: 5,
                options: vec!["Có (5 điểm)".into(), "Không (0 điểm)".into()],
            }],
            qr_payload: "{}".into(),
            qr_svg: qr_svg("{\"sao\":\"phieu-cham\"}").expect("a QR code"),
        };
        let pdf = render_pdf(PAPER_SHEET_TEMPLATE, &sheet).expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
