//! The national dataset's councils (issue 17): for each province and year a
//! province round, sealed and decided, of 11 members; each product certified
//! that year in that province was in it, with a stored result and a handed-in
//! sheet from every member (≈ 18,000 products × 11 ≈ 200,000 sheets over six
//! years). Sheets are written as the sync writes them (`SheetState`), answered
//! on 30 criteria; results are stored as at a seal (the report counts them).
use app::domain::sheet_sync::{SheetState, Stamp, Stamped};
use std::collections::BTreeMap;

pub const MEMBERS: usize = 11;
const CRITERIA: usize = 30;

/// A product evaluated: (id, province, year of its certificate).
pub type Evaluated = (String, i64, i64);

fn sheet(member: usize, product: usize, sealed_ms: i64) -> String {
    let device_id = format!("00000000-0000-4000-8000-{member:012}");
    let stamp = |seq: u64| Stamp {
        device_ms: sealed_ms - 86_400_000 + seq as i64 * 20_000,
        device_id: device_id.clone(),
        seq,
    };
    let answers: BTreeMap<String, Stamped<Option<u16>>> = (0..CRITERIA)
        .map(|c| {
            let option = ((member + product + c) % 4) as u16;
            let code = format!("{}.{}", c / 8 + 1, c % 8 + 1);
            (
                code,
                Stamped {
                    value: Some(option),
                    stamp: stamp(c as u64 + 1),
                },
            )
        })
        .collect();
    let sheet = SheetState {
        answers,
        submitted: Some(stamp(CRITERIA as u64 + 1)),
        versions: 1,
        counted: vec![format!("{:064x}", product * MEMBERS + member)],
        trail: format!("{:064x}", product * 31 + member),
        ..SheetState::default()
    };
    serde_json::to_string(&sheet).unwrap_or_default()
}

/// Writes the rounds, their councils, dossiers, results and sheets; the
/// number of sheets written.
pub async fn fill(
    db: &app::db::Db,
    evaluated: &[Evaluated],
) -> Result<usize, Box<dyn std::error::Error>> {
    let mut rounds: BTreeMap<(i64, i64), Vec<(usize, &str)>> = BTreeMap::new();
    for (index, (product, province, year)) in evaluated.iter().enumerate() {
        rounds
            .entry((*province, *year))
            .or_default()
            .push((index, product.as_str()));
    }
    let mut sheets = 0;
    for ((province, year), products) in rounds {
        let round = format!("n-round-{province}-{year}");
        // Sealed on 15 March of the year, before the certificates it led to.
        let sealed_ms = (year - 1970) * 31_556_952_000 + 74 * 86_400_000;
        let mut tx = db.begin().await?;
        sqlx::query(
            "INSERT INTO rounds (id, province_code, level, name, rule_set, profile, proposal_cutoff, \
             closes_on, state, quorum_numerator, quorum_denominator, divergence_limit, created_ms) \
             VALUES ($1, $2, 'province', $3, 'qd-26-2026', 'qd-26-2026', $4, $5, 'scoring', 2, 3, 20, $6)",
        )
        .bind(&round)
        .bind(province)
        .bind(format!("Hội đồng tỉnh {province} năm {year}"))
        .bind(format!("{year}-02-01"))
        .bind(format!("{year}-03-31"))
        .bind(sealed_ms - 60 * 86_400_000)
        .execute(&mut *tx)
        .await?;
        for member in 0..MEMBERS {
            sqlx::query(
                "INSERT INTO council_members (id, round_id, name, department, position) \
                 VALUES ($1, $2, $3, 'Sở Nông nghiệp và Môi trường', $4)",
            )
            .bind(format!("{round}-m{member}"))
            .bind(&round)
            .bind(format!("Thành viên {member}"))
            .bind(if member == 0 { "chair" } else { "member" })
            .execute(&mut *tx)
            .await?;
        }
        for (index, product) in &products {
            sqlx::query(
                "INSERT INTO round_dossiers (round_id, product_id, assigned_ms) VALUES ($1, $2, $3)",
            )
            .bind(&round)
            .bind(*product)
            .bind(sealed_ms - 30 * 86_400_000)
            .execute(&mut *tx)
            .await?;
            for member in 0..MEMBERS {
                sqlx::query(
                    "INSERT INTO sheets (round_id, member_id, product_id, content, submitted, updated_ms) \
                     VALUES ($1, $2, $3, $4, 1, $5)",
                )
                .bind(&round)
                .bind(format!("{round}-m{member}"))
                .bind(*product)
                .bind(sheet(member, *index, sealed_ms))
                .bind(sealed_ms - 86_400_000)
                .execute(&mut *tx)
                .await?;
                sheets += 1;
            }
        }
        // Results are written only while the round deliberates (the schema's rule).
        sqlx::query("UPDATE rounds SET state = 'deliberation' WHERE id = $1")
            .bind(&round)
            .execute(&mut *tx)
            .await?;
        for (position, (index, product)) in products.iter().enumerate() {
            sqlx::query(
                "INSERT INTO round_results (round_id, position, product_id, content) VALUES ($1, $2, $3, $4)",
            )
            .bind(&round)
            .bind(position as i64)
            .bind(*product)
            .bind(format!("{{\"national_dataset\":{index}}}"))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE rounds SET state = 'decided', sealed_ms = $1, seal_digest = $2 WHERE id = $3",
        )
        .bind(sealed_ms)
        .bind(format!("{:064x}", sealed_ms))
        .bind(&round)
        .execute(&mut *tx)
        .await?;
        app::db::commit(tx).await?;
    }
    Ok(sheets)
}
