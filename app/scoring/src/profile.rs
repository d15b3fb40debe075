//! Workflow profiles as data: which level recognises which stars, where a
//! result goes next, and the council's settings (quorum, divergence, margins).
use crate::council::MinimumMode;
use crate::ids::Stars;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub instrument: String,
    pub levels: Vec<Level>,
    pub quorum: Quorum,
    /// Totals further apart than this (strictly) are flagged.
    pub divergence_limit: u32,
    /// A mean within this distance below 50, 70 or 90 is flagged.
    pub near_boundary_margin: u32,
    pub minimum_mode: MinimumMode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: String,
    pub name: String,
    /// Star levels this level's authority recognises.
    pub recognises: Vec<Stars>,
    /// A mean at or above this goes to `forward_to`.
    pub forward_at_or_above: Option<u32>,
    pub forward_to: Option<String>,
    /// A mean below this goes back to `return_to`.
    pub return_below: Option<u32>,
    pub return_to: Option<String>,
}

/// counted ≥ ⌈numerator/denominator × eligible members⌉, the chair among them if required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    pub numerator: u32,
    pub denominator: u32,
    pub chair_required: bool,
}

impl Quorum {
    pub fn required(&self, eligible: u32) -> u32 {
        (self.numerator * eligible).div_ceil(self.denominator.max(1))
    }
}

/// What happens to a product after a level's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NextStep {
    Recognise { level: String, stars: Stars },
    Forward { to: String },
    Return { to: String },
    NoCertificate,
}

impl Profile {
    pub fn parse(file: &str, text: &str) -> Result<Profile, String> {
        let profile: Profile =
            serde_json::from_str(text).map_err(|e| format!("{file}:{}: {e}", e.line()))?;
        for level in &profile.levels {
            for target in [&level.forward_to, &level.return_to].into_iter().flatten() {
                if profile.level(target).is_none() {
                    return Err(format!(
                        "{file}: cấp {} chuyển tới cấp không có: {target}",
                        level.code
                    ));
                }
            }
            if level.forward_at_or_above.is_some() != level.forward_to.is_some()
                || level.return_below.is_some() != level.return_to.is_some()
            {
                return Err(format!(
                    "{file}: cấp {}: ngưỡng và cấp nhận phải đi cùng nhau",
                    level.code
                ));
            }
        }
        if profile.quorum.denominator == 0 || profile.quorum.numerator > profile.quorum.denominator
        {
            return Err(format!("{file}: tỷ lệ đủ số lượng không hợp lệ"));
        }
        Ok(profile)
    }

    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }
}

impl Level {
    /// The next step for a result with `sum` over `n` sheets and the star it earned.
    pub fn next_step(&self, sum: u64, n: u64, star: Stars, disqualified: bool) -> NextStep {
        if disqualified || n == 0 {
            return NextStep::NoCertificate;
        }
        let at_or_above = |threshold: u32| sum >= u64::from(threshold) * n;
        if let (Some(threshold), Some(to)) = (self.return_below, &self.return_to) {
            if !at_or_above(threshold) {
                return NextStep::Return { to: to.clone() };
            }
        }
        if let (Some(threshold), Some(to)) = (self.forward_at_or_above, &self.forward_to) {
            if at_or_above(threshold) {
                return NextStep::Forward { to: to.clone() };
            }
        }
        if self.recognises.contains(&star) {
            return NextStep::Recognise {
                level: self.code.clone(),
                stars: star,
            };
        }
        match &self.return_to {
            Some(to) if star.is_certifiable() => NextStep::Return { to: to.clone() },
            _ => NextStep::NoCertificate,
        }
    }
}
