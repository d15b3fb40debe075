//! A rule set: its product sets' scorecards, loaded from (file name, text) pairs
//! so that the same checks serve committed data and an admin's import.
use crate::ids::{ProductSetNumber, RuleSetId};
use crate::rules::{RuleError, Scorecard};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub id: RuleSetId,
    pub product_sets: BTreeMap<ProductSetNumber, Scorecard>,
}

impl RuleSet {
    /// Checks every file; refuses the whole set at the first bad file.
    pub fn load<'a>(
        id: &RuleSetId,
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleSet, RuleError> {
        let mut product_sets = BTreeMap::new();
        for (file, text) in files {
            let scorecard = Scorecard::parse(file, text, id)?;
            if product_sets.contains_key(&scorecard.number) {
                return Err(RuleError {
                    file: file.to_string(),
                    line: 1,
                    rule: format!("bộ sản phẩm số {} đã có ở tệp khác", scorecard.number),
                });
            }
            product_sets.insert(scorecard.number, scorecard);
        }
        Ok(RuleSet {
            id: id.clone(),
            product_sets,
        })
    }

    pub fn product_set(&self, number: ProductSetNumber) -> Option<&Scorecard> {
        self.product_sets.get(&number)
    }
}
