//! The levels rounds evaluate at (Hội đồng cấp huyện, tỉnh, trung ương): who
//! runs a round, and which level an office may open. Pure; the round form and
//! the server share it.
use super::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// Whose office runs a round: a province's OCOP office (its province and
/// district rounds) or the ministry's (central rounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Office {
    Province(i64),
    Ministry,
}

impl Office {
    /// The province of a province's office.
    pub fn province(self) -> Option<i64> {
        match self {
            Office::Province(code) => Some(code),
            Office::Ministry => None,
        }
    }
}

/// The council level a round evaluates at, and where: a province's council, a
/// district's (the seed's three tiers: a named group of the province's
/// communes, run by the province's office), or the central council.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Body {
    District { province: i64, district: String },
    Province(i64),
    Central,
}

impl Body {
    /// The level's code in the workflow profiles (`rounds.level`).
    pub fn level(&self) -> &'static str {
        match self {
            Body::District { .. } => "district",
            Body::Province(_) => "province",
            Body::Central => "central",
        }
    }

    pub fn office(&self) -> Office {
        match self {
            Body::District { province, .. } | Body::Province(province) => {
                Office::Province(*province)
            }
            Body::Central => Office::Ministry,
        }
    }

    /// The province of a province's or district's round.
    pub fn province(&self) -> Option<i64> {
        self.office().province()
    }

    /// The body of a stored round: its level, province and district, refused
    /// unless they fit together (a central round has neither, a district round
    /// both, a province round its province only).
    pub fn of_stored(level: &str, province: Option<i64>, district: Option<String>) -> Option<Body> {
        match (level, province, district) {
            ("central", None, None) => Some(Body::Central),
            ("province", Some(province), None) => Some(Body::Province(province)),
            ("district", Some(province), Some(district)) => {
                Some(Body::District { province, district })
            }
            _ => None,
        }
    }

    /// The district's id, for a district round.
    pub fn district(&self) -> Option<&str> {
        match self {
            Body::District { district, .. } => Some(district),
            _ => None,
        }
    }
}

/// The council level the round form names: `province`, `central`, or
/// `district:<id>` (one district of the province).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelChoice {
    Province,
    District(String),
    Central,
}

impl LevelChoice {
    pub fn parse(text: &str) -> Option<LevelChoice> {
        match text.trim() {
            "province" => Some(LevelChoice::Province),
            "central" => Some(LevelChoice::Central),
            other => other
                .strip_prefix("district:")
                .filter(|id| !id.is_empty())
                .map(|id| LevelChoice::District(id.to_string())),
        }
    }

    /// What the form sends for it.
    pub fn code(&self) -> String {
        match self {
            LevelChoice::Province => "province".into(),
            LevelChoice::Central => "central".into(),
            LevelChoice::District(id) => format!("district:{id}"),
        }
    }

    /// The body of a round an office asks for: the ministry's office holds
    /// central rounds only, a province's its own province and district rounds
    /// (`district_province`: the province of the named district, if it exists).
    pub fn body_for(
        &self,
        office: Office,
        district_province: Option<i64>,
    ) -> Result<Body, Refusal> {
        match (self, office) {
            (LevelChoice::Central, Office::Ministry) => Ok(Body::Central),
            (LevelChoice::Central, Office::Province(_)) => Err(Refusal::CentralIsMinistry),
            (_, Office::Ministry) => Err(Refusal::MinistryCentralOnly),
            (LevelChoice::Province, Office::Province(province)) => Ok(Body::Province(province)),
            (LevelChoice::District(id), Office::Province(province)) => {
                if district_province == Some(province) {
                    Ok(Body::District {
                        province,
                        district: id.clone(),
                    })
                } else {
                    Err(Refusal::DistrictUnknown)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_opens_rounds_only_at_its_own_levels() {
        let here = Office::Province(51);
        let district = LevelChoice::parse("district:d1").expect("a district");
        let table = [
            (LevelChoice::Province, here, None, Ok(Body::Province(51))),
            (
                LevelChoice::Central,
                Office::Ministry,
                None,
                Ok(Body::Central),
            ),
            (
                LevelChoice::Central,
                here,
                None,
                Err(Refusal::CentralIsMinistry),
            ),
            (
                LevelChoice::Province,
                Office::Ministry,
                None,
                Err(Refusal::MinistryCentralOnly),
            ),
            (
                district.clone(),
                Office::Ministry,
                Some(51),
                Err(Refusal::MinistryCentralOnly),
            ),
            (
                district.clone(),
                here,
                Some(51),
                Ok(Body::District {
                    province: 51,
                    district: "d1".into(),
                }),
            ),
            // Another province's district, or none of that id.
            (
                district.clone(),
                here,
                Some(1),
                Err(Refusal::DistrictUnknown),
            ),
            (district, here, None, Err(Refusal::DistrictUnknown)),
        ];
        for (choice, office, district_province, expected) in table {
            assert_eq!(
                choice.body_for(office, district_province),
                expected,
                "{choice:?} by {office:?}"
            );
        }
        assert_eq!(LevelChoice::parse("district:"), None);
        assert_eq!(LevelChoice::parse("commune"), None);
    }

    #[test]
    fn a_stored_round_decodes_only_when_its_level_and_places_fit() {
        assert_eq!(Body::of_stored("central", None, None), Some(Body::Central));
        assert_eq!(Body::of_stored("central", Some(51), None), None);
        assert_eq!(Body::of_stored("province", None, None), None);
        assert_eq!(Body::of_stored("district", Some(51), None), None);
        assert_eq!(
            Body::of_stored("province", Some(51), Some("d".into())),
            None
        );
        let district = Body::of_stored("district", Some(51), Some("d".into()));
        assert_eq!(
            district.as_ref().map(Body::office),
            Some(Office::Province(51))
        );
        assert_eq!(district.as_ref().map(Body::level), Some("district"));
        assert_eq!(Body::Central.office(), Office::Ministry);
    }
}
