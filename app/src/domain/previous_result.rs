//! An upgrade or re-evaluation dossier beside the result it follows (issue 16):
//! per criterion, the mean of the points the previous council's counted sheets
//! gave. Pure, in integers (two decimals as the scoring model shows a mean).
use super::sheet_sync::SheetState;
use sao_scoring::display::mean_two_decimals;
use sao_scoring::{OptionIndex, Scorecard};
use serde::{Deserialize, Serialize};

/// The result an upgrade or re-evaluation dossier follows, shown beside the
/// new sheet: the certificate, its stars, the council's mean, each criterion's
/// mean points (None: no counted sheet answered it), and what the producer
/// says changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousResult {
    pub certificate: String,
    pub stars: u8,
    pub mean: String,
    pub criteria: Vec<(String, Option<String>)>,
    pub changes: String,
}

impl PreviousResult {
    /// The previous mean points of criterion `code`, if known.
    pub fn of_criterion(&self, code: &str) -> Option<&str> {
        self.criteria
            .iter()
            .find(|(c, _)| c == code)
            .and_then(|(_, mean)| mean.as_deref())
    }
}

/// Each criterion of `scorecard`, in its order, with the mean of the points
/// `sheets` gave it ("none applies" gives 0; a sheet silent on it is left out).
pub fn criterion_means(
    scorecard: &Scorecard,
    sheets: &[&SheetState],
) -> Vec<(String, Option<String>)> {
    scorecard
        .criteria()
        .map(|(_, _, criterion)| {
            let code = criterion.code.to_string();
            let points: Vec<u64> = sheets
                .iter()
                .filter_map(|sheet| sheet.answers.get(&code))
                .map(|answer| {
                    answer
                        .value
                        .and_then(|index| criterion.option(OptionIndex(index)))
                        .map_or(0, |option| u64::from(option.points))
                })
                .collect();
            let mean = (!points.is_empty())
                .then(|| mean_two_decimals(points.iter().sum(), points.len() as u64));
            (code, mean)
        })
        .collect()
}

// The shipped scorecards load through `rules_catalog` (a server module).
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::sheet_sync::{Stamp, Stamped};

    fn sheet(answers: &[(&str, Option<u16>)]) -> SheetState {
        let stamp = Stamp {
            device_ms: 1,
            device_id: "t".into(),
            seq: 1,
        };
        let mut sheet = SheetState::default();
        for (code, value) in answers {
            sheet.answers.insert(
                code.to_string(),
                Stamped {
                    value: *value,
                    stamp: stamp.clone(),
                },
            );
        }
        sheet
    }

    #[test]
    fn each_criterion_gets_the_mean_of_the_counted_sheets_points() {
        let card = crate::rules_catalog::product_set("qd-26-2026", 7).expect("set 7");
        let first = card
            .criteria()
            .next()
            .map(|(_, _, c)| c)
            .expect("a criterion");
        let code = first.code.to_string();
        let points = |index: u16| first.option(OptionIndex(index)).map_or(0, |o| o.points);
        let (a, b) = (sheet(&[(&code, Some(0))]), sheet(&[(&code, Some(1))]));
        let none = sheet(&[(&code, None)]);
        let silent = sheet(&[]);
        let means = criterion_means(card, &[&a, &b, &none, &silent]);
        let expected = mean_two_decimals(u64::from(points(0) + points(1)), 3);
        assert_eq!(means[0], (code.clone(), Some(expected)));
        // No sheet answered the others.
        assert!(means[1..].iter().all(|(_, mean)| mean.is_none()));
        assert_eq!(means.len(), card.criteria().count());
        let result = PreviousResult {
            certificate: "51-23344-001-2026".into(),
            stars: 3,
            mean: "60.00".into(),
            criteria: means,
            changes: String::new(),
        };
        assert!(result.of_criterion(&code).is_some());
        assert_eq!(result.of_criterion("nope"), None);
    }
}
