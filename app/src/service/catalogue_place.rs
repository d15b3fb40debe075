//! A province's and a commune's public page of certified products (issue 17):
//! how many are in force by stars, the first of them, the communes that have
//! some (a province), and where they are shown and sold.
use crate::db::{self, catalogue::Filters, Db};
use crate::domain::catalogue::{Listed, Place, PAGE_SIZE};
use crate::domain::promotion::{FairLine, PointLine};
use crate::error::AppError;

/// A commune with products in force: code, name, how many.
pub type CommuneCount = (u32, String, u32);

/// A place's page.
#[derive(Debug, Clone)]
pub struct PlacePage {
    pub place: Place,
    pub name: String,
    /// A commune's province: its code and name.
    pub province: Option<(u32, String)>,
    /// Products in force with 3, 4 and 5 stars.
    pub by_stars: [u32; 3],
    pub total: u32,
    /// The first page of them, the highest stars first.
    pub shown: Vec<Listed>,
    pub communes: Vec<CommuneCount>,
    pub points: Vec<PointLine>,
    pub fairs: Vec<FairLine>,
}

fn number(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// The page of `place`, or None when no such province or commune exists.
pub async fn page(db: &Db, place: Place) -> Result<Option<PlacePage>, AppError> {
    let today = super::catalogue::today();
    let (name, province, filters) = match place {
        Place::Province(code) => {
            let Some(name) = db::admin_units::province_name(db, i64::from(code)).await? else {
                return Ok(None);
            };
            let filters = Filters {
                province: Some(i64::from(code)),
                ..Filters::default()
            };
            (name, None, filters)
        }
        Place::Commune(code) => {
            let Some((name, province)) = db::admin_units::commune(db, i64::from(code)).await?
            else {
                return Ok(None);
            };
            let province_name = db::admin_units::province_name(db, province)
                .await?
                .unwrap_or_default();
            let filters = Filters {
                commune: Some(i64::from(code)),
                ..Filters::default()
            };
            (name, Some((number(province), province_name)), filters)
        }
    };
    let (rows, counted) =
        db::catalogue::in_force(db, filters, &[], &today, (PAGE_SIZE as i64, 0)).await?;
    let mut by_stars = [0; 3];
    for (stars, n) in counted.by_stars {
        if let Some(slot) = usize::try_from(stars - 3)
            .ok()
            .and_then(|i| by_stars.get_mut(i))
        {
            *slot = number(n);
        }
    }
    let (communes, points, fairs) = match place {
        Place::Province(code) => {
            let code = i64::from(code);
            let communes = db::catalogue::communes_listed(db, &today, code)
                .await?
                .into_iter()
                .map(|(code, name, n)| (number(code), name, number(n)))
                .collect();
            let points = db::promotion::points_of(db, code).await?;
            (communes, points, db::promotion::fairs_of(db, code).await?)
        }
        Place::Commune(code) => {
            let points = db::promotion::points_in(db, i64::from(code)).await?;
            (Vec::new(), points, Vec::new())
        }
    };
    Ok(Some(PlacePage {
        place,
        name,
        province,
        by_stars,
        total: number(counted.total),
        shown: super::catalogue::with_thumbnails(
            db,
            rows.into_iter().map(super::catalogue::listed).collect(),
        )
        .await?,
        communes,
        points,
        fairs,
    }))
}
