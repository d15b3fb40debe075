//! Plan targets (issue 17): the office of a province sets a year's targets for
//! the province, one of its district groups or one of its communes; an office
//! reads every plan of its province, a commune officer the plans over their
//! commune (its own, its district's, its province's). Progress is computed
//! from the data each time it is read (`domain::plan::progress`).
use crate::api::plan::{PlanBlock, ScopeChoice};
use crate::auth::guards::{self, PlanReader};
use crate::auth::session::Authorized;
use crate::db::{self, Db};
use crate::domain::date::CalendarDate;
use crate::domain::plan::{check_target, progress as progress_of, PlanScope};
use crate::domain::refusal::Refusal;
use crate::error::AppError;

async fn reader() -> Result<PlanReader, AppError> {
    guards::plan_reader(&crate::auth::session::requester().await?)
}

fn this_year() -> (i32, String) {
    let today = CalendarDate::of_ms_vietnam(db::now_ms());
    (today.year, today.iso())
}

/// The scopes a reader's plans may have: stored forms.
async fn readable_scopes(db: &Db, reader: &PlanReader, year: i32) -> Result<Vec<String>, AppError> {
    match reader {
        PlanReader::Office(province) => Ok(db::plan::scopes(db, *province, year).await?),
        PlanReader::Communes(communes) => {
            let mut scopes = Vec::new();
            for commune in communes {
                if let Some(province) = db::admin_units::province_of_commune(db, *commune).await? {
                    scopes.push(PlanScope::Province(province).stored());
                }
                if let Some(district) = db::districts::of_commune(db, *commune).await? {
                    scopes.push(PlanScope::District(district).stored());
                }
                scopes.push(PlanScope::Commune(*commune).stored());
            }
            scopes.dedup();
            Ok(scopes)
        }
    }
}

/// A scope's name for the desk.
pub(crate) async fn name_of(db: &Db, scope: &PlanScope) -> Result<String, AppError> {
    Ok(match scope {
        PlanScope::Province(code) => db::admin_units::province_full_name(db, *code).await?,
        PlanScope::District(id) => db::districts::get(db, id).await?.map(|d| d.name),
        PlanScope::Commune(code) => db::admin_units::names_of_commune(db, *code)
            .await?
            .map(|(name, ..)| name),
        // Reports only, which are Vietnamese documents.
        PlanScope::National => Some(crate::domain::refusal::term(
            "what",
            "national",
            crate::domain::refusal::Lang::Vi,
        )),
    }
    .unwrap_or_default())
}

/// The plans of `year` (None: the latest year with targets, else this year)
/// over the signed-in official's area, with their progress today.
pub async fn progress(year: Option<i32>) -> Result<Vec<PlanBlock>, AppError> {
    let reader = reader().await?;
    let db = db::from_context()?;
    let (current, today) = this_year();
    let year = match year {
        Some(year) if (2000..=2100).contains(&year) => year,
        Some(_) => return Err(AppError::invalid("year", Refusal::RoundYearRange)),
        None => db::plan::latest_year(&db, &readable_scopes_any(&db, &reader).await?)
            .await?
            .unwrap_or(current),
    };
    let day = if year < current {
        format!("{year:04}-12-31")
    } else {
        today
    };
    let mut blocks = Vec::new();
    for stored in readable_scopes(&db, &reader, year).await? {
        let scope = PlanScope::parse(&stored).map_err(|_| {
            AppError::from(db::DbError::Decode {
                column: "plan_targets.scope",
                value: stored.clone(),
            })
        })?;
        let targets = db::plan::targets(&db, &scope, year).await?;
        if targets.is_empty() {
            continue;
        }
        let facts = db::plan::facts(&db, &scope, year, &day).await?;
        let reportable = match &reader {
            PlanReader::Office(_) => true,
            PlanReader::Communes(communes) => {
                matches!(scope, PlanScope::Commune(code) if communes.contains(&code))
            }
        };
        blocks.push(PlanBlock {
            reportable,
            name: name_of(&db, &scope).await?,
            scope: stored,
            year,
            lines: targets
                .into_iter()
                .map(|(kind, target)| (kind, progress_of(kind, target, &facts)))
                .collect(),
        });
    }
    Ok(blocks)
}

/// Every scope stored form a reader could have plans in, whatever the year.
async fn readable_scopes_any(db: &Db, reader: &PlanReader) -> Result<Vec<String>, AppError> {
    match reader {
        PlanReader::Office(province) => Ok(db::plan::all_scopes(db, *province).await?),
        PlanReader::Communes(_) => readable_scopes(db, reader, 0).await,
    }
}

/// The office's province, checked for office work.
async fn office() -> Result<(Authorized, i64), AppError> {
    let authorized = crate::auth::session::requester().await?;
    let province = guards::province_office(&authorized)?;
    Ok((authorized, province))
}

/// The scopes the office may set targets for.
pub async fn scopes() -> Result<Vec<ScopeChoice>, AppError> {
    let (_, province) = office().await?;
    let db = db::from_context()?;
    let mut choices = vec![ScopeChoice {
        scope: PlanScope::Province(province).stored(),
        name: name_of(&db, &PlanScope::Province(province)).await?,
    }];
    for district in db::districts::of_province(&db, province).await? {
        choices.push(ScopeChoice {
            scope: PlanScope::District(district.id).stored(),
            name: district.name,
        });
    }
    for (code, name) in db::admin_units::communes_of(&db, province).await? {
        choices.push(ScopeChoice {
            scope: PlanScope::Commune(code).stored(),
            name,
        });
    }
    Ok(choices)
}

/// Sets one target; a scope outside the office's province is refused (403).
pub async fn set_target(form: crate::api::plan::TargetSet) -> Result<(), AppError> {
    let (authorized, province) = office().await?;
    let db = db::from_context()?;
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or(AppError::invalid("year", Refusal::RoundYearRange))?;
    let scope =
        PlanScope::parse(&form.scope).map_err(|refusal| AppError::invalid("scope", refusal))?;
    let (kind, target) = check_target(&form.kind, &form.value)
        .map_err(|(field, refusal)| AppError::invalid(field, refusal))?;
    match guards::scope_province(&db, &scope).await? {
        None => return Err(AppError::invalid("scope", Refusal::FormInvalid)),
        Some(other) if other != province => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    db::plan::set(
        &mut tx,
        (year, &scope, province),
        (kind, target),
        Some(&authorized.user()?.user_id),
    )
    .await?;
    db::audit::commit(
        tx,
        &actor,
        db::audit::Change::new("set_plan_target", "plan", &scope.stored())
            .after(db::audit::digest(&(year, kind.as_str(), target))),
    )
    .await?;
    Ok(())
}
