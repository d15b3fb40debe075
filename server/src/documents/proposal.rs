//! The proposal package of a product the province's council sends up (mean ≥ 90
//! under QĐ 26, Điều 7.4): `GET /van-phong/dot/{id}/de-xuat/{product}.zip`, for
//! the round's province's office once the round is sealed. It holds the sealed
//! minutes, the commune's Mẫu 03, the product's stored result and the dossier's
//! files, and `manifest.json` naming each file with its SHA-256 and size, so the
//! level above can check that nothing changed on the way.
use super::{refuse, render_json, COMMUNE_REPORT_TEMPLATE, MINUTES_TEMPLATE};
use app::auth::session::AuthSession;
use app::db::Db;
use app::domain::decision::{lines, DecisionOutcome};
use app::error::{AppError, Refusal, Thing};
use app::storage::EvidenceStore;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub const PROPOSAL_PATH: &str = "/van-phong/dot/{id}/de-xuat/{file}";

#[derive(Serialize)]
struct ManifestFile {
    name: String,
    sha256: String,
    bytes: usize,
}

#[derive(Serialize)]
struct Manifest {
    round_id: String,
    round_name: String,
    province_code: Option<i64>,
    profile: String,
    product_id: String,
    product_name: String,
    mean: String,
    to: String,
    seal_digest: String,
    files: Vec<ManifestFile>,
}

pub async fn proposal(
    State(db): State<Db>,
    State(store): State<EvidenceStore>,
    session: AuthSession,
    Path((round_id, file)): Path<(String, String)>,
) -> Response {
    let round = match super::decision_forms::sealed_managed_round(&db, session, &round_id).await {
        Ok(round) => round,
        Err(refused) => return refused,
    };
    let product_id = file.strip_suffix(".zip").unwrap_or_default();
    match package(&db, &store, &round, product_id).await {
        Ok(zip) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"de-xuat-{product_id}.zip\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            zip,
        )
            .into_response(),
        Err(error) => refuse(error),
    }
}

async fn package(
    db: &Db,
    store: &EvidenceStore,
    round: &app::domain::round::RoundRow,
    product_id: &str,
) -> Result<Vec<u8>, AppError> {
    let rows = app::service::seal::stored_rows(db, &round.id).await?;
    let row = rows
        .iter()
        .find(|row| row.product_id == product_id)
        .ok_or(AppError::NotFound(Thing::Product))?;
    let line = lines(std::slice::from_ref(row))
        .pop()
        .ok_or(AppError::NotFound(Thing::Product))?;
    let DecisionOutcome::Forwarded { to } = &line.outcome else {
        return Err(AppError::invalid("product_id", Refusal::NotForwarded));
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let minutes = app::service::reports::minutes(db, &round.id)
        .await?
        .ok_or_else(|| AppError::invalid("state", Refusal::MinutesNotYet))?;
    files.push((
        "bien-ban.pdf".into(),
        render(MINUTES_TEMPLATE, &minutes).await?,
    ));
    if let Some(report) = app::service::reports::commune_report(db, product_id).await? {
        files.push((
            "mau-03.pdf".into(),
            render(COMMUNE_REPORT_TEMPLATE, &report).await?,
        ));
    }
    let result = serde_json::to_vec_pretty(&(&line, row)).map_err(|e| AppError::internal(&e))?;
    files.push(("ket-qua.json".into(), result));
    for evidence in app::db::evidence::of_product(db, product_id).await? {
        let Some(sha256) = evidence.sha256.as_deref() else {
            continue;
        };
        let bytes = store
            .read(sha256)
            .await
            .map_err(|e| AppError::internal(&e))?;
        let name = format!("ho-so/{}-{}", evidence.slot, safe_name(&evidence.file_name));
        files.push((name, bytes));
    }
    let manifest = Manifest {
        round_id: round.id.clone(),
        round_name: round.name.clone(),
        province_code: round.body.province(),
        profile: round.profile.clone(),
        product_id: line.product_id.clone(),
        product_name: line.product_name.clone(),
        mean: line.mean.clone(),
        to: to.clone(),
        seal_digest: app::db::results::stored_seal_digest(db, &round.id)
            .await?
            .unwrap_or_default(),
        files: files
            .iter()
            .map(|(name, bytes)| ManifestFile {
                name: name.clone(),
                sha256: hex(&Sha256::digest(bytes)),
                bytes: bytes.len(),
            })
            .collect(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| AppError::internal(&e))?;
    files.push(("manifest.json".into(), manifest));
    zipped(files).map_err(|e| AppError::internal(&e))
}

/// A document laid out through the PDF cache (its turn-taking included).
async fn render(template: &'static str, data: &impl Serialize) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_vec(data).map_err(|e| AppError::internal(&e))?;
    match crate::pdf_cache::pdf(template, json, render_json).await {
        Ok(pdf) => Ok(pdf.as_ref().clone()),
        Err(crate::pdf_cache::RenderError::Busy) => Err(AppError::Busy { retry_after_s: 10 }),
        Err(crate::pdf_cache::RenderError::Failed(message)) => Err(AppError::internal(&message)),
    }
}

/// A file name kept to letters, digits, `.`, `-` and `_` inside the package.
fn safe_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    kept.trim_start_matches('.').chars().take(80).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn zipped(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, zip::result::ZipError> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        writer.start_file(name, options)?;
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}
