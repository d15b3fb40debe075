//! A year's plan targets (issue 17) and the facts their progress is computed
//! from, for a province, a district group or a commune.
use super::{Db, DbError};
use crate::domain::plan::{Facts, PlanScope, TargetKind};
use crate::domain::subject::SalesChannel;

/// The scope's communes as a condition on `column` (with its bound value at
/// `$n`), one way for every query.
pub(crate) fn in_scope(column: &str, scope: &PlanScope, n: usize) -> String {
    match scope {
        PlanScope::Province(_) => {
            format!("{column} IN (SELECT code FROM commune WHERE province_code = ${n})")
        }
        PlanScope::District(_) => format!(
            "{column} IN (SELECT commune_code FROM district_group_commune WHERE group_id = ${n})"
        ),
        PlanScope::Commune(_) => format!("{column} = ${n}"),
        // Every commune: bound to 0, which no province's code is.
        PlanScope::National => {
            format!("{column} IN (SELECT code FROM commune WHERE province_code <> ${n})")
        }
    }
}

/// Binds the value `in_scope`'s condition names.
pub(crate) fn bind_scope<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    scope: &PlanScope,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    match scope {
        PlanScope::Province(code) | PlanScope::Commune(code) => query.bind(*code),
        PlanScope::District(id) => query.bind(id.clone()),
        PlanScope::National => query.bind(0_i64),
    }
}

async fn count(db: &Db, sql: &str, scope: &PlanScope, day: &str) -> Result<u32, DbError> {
    let query = sqlx::query_as::<_, (i64,)>(sql).bind(day.to_string());
    let (n,) = bind_scope(query, scope).fetch_one(db.pool()).await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// The facts of `scope` for `year`, counted on `day` (ISO: the year's last day,
/// or today within the year).
pub async fn facts(db: &Db, scope: &PlanScope, year: i32, day: &str) -> Result<Facts, DbError> {
    let new_with = |stars: i64| {
        format!(
            "SELECT COUNT(*) FROM certificates c JOIN products p ON p.id = c.product_id \
             JOIN subjects s ON s.id = p.subject_id \
             WHERE c.source = 'recognised' AND c.issued_on <= $1 AND c.issued_on >= '{year:04}-01-01' \
             AND c.stars >= {stars} AND {}",
            in_scope("s.commune_code", scope, 2)
        )
    };
    // OCOP subjects: holding a certificate in force on `day`.
    let subjects_where = |extra: &str| {
        format!(
            "SELECT COUNT(*) FROM subjects s WHERE {} AND EXISTS (SELECT 1 FROM certificates c \
             JOIN products p ON p.id = c.product_id WHERE p.subject_id = s.id \
             AND {}){extra}",
            in_scope("s.commune_code", scope, 2),
            super::certificates::in_force_on("$1"),
        )
    };
    // The modern channels, from the rule (`SalesChannel::is_modern`).
    let modern_channels = SalesChannel::ALL
        .into_iter()
        .filter(|channel| channel.is_modern())
        .map(|channel| format!("'{}'", channel.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let modern = format!(
        " AND EXISTS (SELECT 1 FROM subject_sales_channels sc WHERE sc.subject_id = s.id \
         AND sc.channel IN ({modern_channels}))"
    );
    let points = format!(
        "SELECT COUNT(*) FROM sales_points WHERE kind = 'showcase' AND opened_on <= $1 AND {}",
        in_scope("commune_code", scope, 2)
    );
    Ok(Facts {
        new_three_star: count(db, &new_with(3), scope, day).await?,
        new_four_star: count(db, &new_with(4), scope, day).await?,
        subjects: count(db, &subjects_where(""), scope, day).await?,
        with_value_chain: count(
            db,
            &subjects_where(" AND s.value_chain_contracts > 0"),
            scope,
            day,
        )
        .await?,
        cooperatives: count(
            db,
            &subjects_where(" AND s.kind = 'cooperative'"),
            scope,
            day,
        )
        .await?,
        smes: count(
            db,
            &subjects_where(" AND s.kind = 'small_enterprise'"),
            scope,
            day,
        )
        .await?,
        in_modern_channels: count(db, &subjects_where(&modern), scope, day).await?,
        showcase_points: count(db, &points, scope, day).await?,
    })
}

/// The targets set for `scope` in `year`, by kind.
pub async fn targets(
    db: &Db,
    scope: &PlanScope,
    year: i32,
) -> Result<Vec<(TargetKind, u32)>, DbError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, target FROM plan_targets WHERE year = $1 AND scope = $2 ORDER BY kind",
    )
    .bind(i64::from(year))
    .bind(scope.stored())
    .fetch_all(db.pool())
    .await?;
    let mut targets = Vec::new();
    for (kind, target) in rows {
        let kind = TargetKind::parse(&kind).ok_or_else(|| DbError::Decode {
            column: "plan_targets.kind",
            value: kind.clone(),
        })?;
        targets.push((kind, u32::try_from(target).unwrap_or(0)));
    }
    targets.sort();
    Ok(targets)
}

/// The scopes of `province` with targets in `year` (stored form).
pub async fn scopes(db: &Db, province: i64, year: i32) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT scope FROM plan_targets WHERE province_code = $1 AND year = $2 ORDER BY scope",
    )
    .bind(province)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?)
}

/// Sets (or changes) one target; `by` is the office user (None: the demo loader).
pub async fn set(
    conn: &mut sqlx::AnyConnection,
    (year, scope, province): (i32, &PlanScope, i64),
    (kind, target): (TargetKind, u32),
    by: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO plan_targets (year, scope, province_code, kind, target, set_by, set_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (year, scope, kind) DO UPDATE SET \
         target = excluded.target, set_by = excluded.set_by, set_ms = excluded.set_ms",
    )
    .bind(i64::from(year))
    .bind(scope.stored())
    .bind(province)
    .bind(kind.as_str())
    .bind(i64::from(target))
    .bind(by)
    .bind(super::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every scope of `province` that has targets in any year.
pub async fn all_scopes(db: &Db, province: i64) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT scope FROM plan_targets WHERE province_code = $1 ORDER BY scope",
    )
    .bind(province)
    .fetch_all(db.pool())
    .await?)
}

/// The latest year any of `scopes` has targets for.
pub async fn latest_year(db: &Db, scopes: &[String]) -> Result<Option<i32>, DbError> {
    let mut latest = None;
    for scope in scopes {
        let (year,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(year) FROM plan_targets WHERE scope = $1")
                .bind(scope)
                .fetch_one(db.pool())
                .await?;
        latest = latest.max(year.and_then(|y| i32::try_from(y).ok()));
    }
    Ok(latest)
}
