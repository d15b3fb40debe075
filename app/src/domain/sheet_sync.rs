//! A council member's sheet as a tablet edits it offline: every edit is a change
//! with a client-made id and a per-device stamp, kept on the tablet until the
//! server acknowledges it. The server keeps each change once (its id is the key)
//! and the sheet is the replay of its changes in stamp order, so it is the same
//! whatever order — or however many times — the changes arrived.
//! Pure: the tablet (WASM) and the server run the same code.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// When a change was made on its device. The tablet keeps `device_ms` strictly
/// increasing (never behind its last change), so one device's changes order by
/// it; `device_id` and `seq` break ties between devices.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub device_ms: i64,
    pub device_id: String,
    pub seq: u64,
}

/// What one change does to the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum SheetEdit {
    /// The option chosen on a criterion (None: no option applies).
    Answer {
        criterion: String,
        option: Option<u16>,
    },
    /// The member's note on a criterion.
    Note { criterion: String, text: String },
    /// A knock-out flagged (or withdrawn) on a criterion, for the chair.
    Knockout { criterion: String, flagged: bool },
    /// The member hands the sheet in.
    Submit,
    /// The chair asks the member to score again (made by the server, never by
    /// a tablet). A tablet that hears of it stamps its next changes after it.
    Reopen { reason: String },
}

/// One change as it travels from the tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetChange {
    /// Made on the device (a UUID): the same change sent twice has the same id.
    pub change_id: String,
    pub member_id: String,
    pub product_id: String,
    pub stamp: Stamp,
    #[serde(flatten)]
    pub edit: SheetEdit,
}

/// A value with the stamp of the change that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped<T> {
    pub value: T,
    pub stamp: Stamp,
}

/// A member's sheet for one product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetState {
    pub answers: BTreeMap<String, Stamped<Option<u16>>>,
    pub notes: BTreeMap<String, Stamped<String>>,
    pub knockouts: BTreeMap<String, Stamped<bool>>,
    /// The stamp of the Submit in force: edits made after it do not count.
    pub submitted: Option<Stamp>,
    /// How many times the sheet was handed in (each one a version).
    pub versions: u32,
    /// The chair's open request to score again, with its reason.
    pub reopened: Option<Stamped<String>>,
}

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// It set the value (or was overtaken by a later edit of the same field:
    /// either way the sheet holds what the member did last).
    Applied,
    /// Made after the sheet was handed in: it changes nothing.
    AfterSubmit,
}

impl SheetState {
    /// The sheet its changes make, replayed in stamp order; a change id seen
    /// twice counts once.
    pub fn replay<'a>(changes: impl IntoIterator<Item = &'a SheetChange>) -> SheetState {
        let mut unique: BTreeMap<(&Stamp, &str), &SheetEdit> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for change in changes {
            if seen.insert(change.change_id.as_str()) {
                unique.insert((&change.stamp, change.change_id.as_str()), &change.edit);
            }
        }
        let mut sheet = SheetState::default();
        for ((stamp, _), edit) in unique {
            sheet.apply_next(stamp, edit);
        }
        sheet
    }

    /// Applies the change that follows every change applied so far.
    pub fn apply_next(&mut self, stamp: &Stamp, edit: &SheetEdit) -> ChangeOutcome {
        if let SheetEdit::Reopen { reason } = edit {
            if self.submitted.take().is_some() {
                self.reopened = Some(Stamped {
                    value: reason.clone(),
                    stamp: stamp.clone(),
                });
            }
            return ChangeOutcome::Applied;
        }
        if self.submitted.is_some() {
            return ChangeOutcome::AfterSubmit;
        }
        let stamped = |value| Stamped {
            value,
            stamp: stamp.clone(),
        };
        match edit {
            SheetEdit::Answer { criterion, option } => {
                self.answers.insert(criterion.clone(), stamped(*option));
            }
            SheetEdit::Note { criterion, text } => {
                self.notes.insert(
                    criterion.clone(),
                    Stamped {
                        value: text.clone(),
                        stamp: stamp.clone(),
                    },
                );
            }
            SheetEdit::Knockout { criterion, flagged } => {
                self.knockouts.insert(
                    criterion.clone(),
                    Stamped {
                        value: *flagged,
                        stamp: stamp.clone(),
                    },
                );
            }
            SheetEdit::Submit => {
                self.submitted = Some(stamp.clone());
                self.versions += 1;
                self.reopened = None;
            }
            SheetEdit::Reopen { .. } => {}
        }
        ChangeOutcome::Applied
    }

    /// The answers as the scoring model reads them: criterion code → option.
    pub fn choices(&self) -> BTreeMap<String, Option<u16>> {
        self.answers
            .iter()
            .map(|(code, v)| (code.clone(), v.value))
            .collect()
    }

    /// Criteria with a knock-out flagged.
    pub fn flagged_knockouts(&self) -> Vec<String> {
        self.knockouts
            .iter()
            .filter(|(_, v)| v.value)
            .map(|(code, _)| code.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: u64, edit: SheetEdit) -> (Stamp, SheetEdit) {
        (
            Stamp {
                device_ms: 1_000 + seq as i64,
                device_id: "tablet-1".into(),
                seq,
            },
            edit,
        )
    }

    fn answer(criterion: &str, option: u16) -> SheetEdit {
        SheetEdit::Answer {
            criterion: criterion.into(),
            option: Some(option),
        }
    }

    fn apply_all(changes: &[(Stamp, SheetEdit)]) -> SheetState {
        let changes: Vec<SheetChange> = changes
            .iter()
            .map(|(stamp, edit)| SheetChange {
                change_id: format!("c{}", stamp.seq),
                member_id: "m".into(),
                product_id: "p".into(),
                stamp: stamp.clone(),
                edit: edit.clone(),
            })
            .collect();
        SheetState::replay(&changes)
    }

    #[test]
    fn every_order_and_every_repetition_gives_the_same_sheet() {
        let changes = vec![
            change(1, answer("1.1", 0)),
            change(2, answer("1.2", 2)),
            change(3, answer("1.1", 1)),
            change(
                4,
                SheetEdit::Knockout {
                    criterion: "1.2".into(),
                    flagged: true,
                },
            ),
            change(
                5,
                SheetEdit::Note {
                    criterion: "1.1".into(),
                    text: "Đủ hồ sơ".into(),
                },
            ),
            change(6, SheetEdit::Submit),
            change(7, answer("1.2", 0)),
        ];
        let in_order = apply_all(&changes);
        assert_eq!(in_order.choices().get("1.1"), Some(&Some(1)));
        assert_eq!(
            in_order.choices().get("1.2"),
            Some(&Some(2)),
            "after submit: ignored"
        );
        // Every rotation, the reverse, and everything twice.
        let mut orders: Vec<Vec<(Stamp, SheetEdit)>> = (0..changes.len())
            .map(|k| {
                let mut c = changes.clone();
                c.rotate_left(k);
                c
            })
            .collect();
        orders.push(changes.iter().rev().cloned().collect());
        orders.push(changes.iter().chain(changes.iter()).cloned().collect());
        for order in orders {
            assert_eq!(apply_all(&order), in_order);
        }
    }

    #[test]
    fn a_reopened_sheet_takes_new_answers_and_counts_a_second_version() {
        let reopen = SheetEdit::Reopen {
            reason: "Chênh lệch lớn".into(),
        };
        let sheet = apply_all(&[
            change(1, answer("1.1", 0)),
            change(2, SheetEdit::Submit),
            change(3, answer("1.1", 2)),
            change(4, reopen.clone()),
            change(5, answer("1.1", 1)),
        ]);
        assert_eq!(sheet.choices().get("1.1"), Some(&Some(1)));
        assert!(sheet.submitted.is_none() && sheet.reopened.is_some());
        let again = apply_all(&[
            change(1, answer("1.1", 0)),
            change(2, SheetEdit::Submit),
            change(4, reopen),
            change(5, answer("1.1", 1)),
            change(6, SheetEdit::Submit),
        ]);
        assert_eq!(again.versions, 2);
        assert!(again.reopened.is_none());
    }

    #[test]
    fn a_change_made_after_submitting_changes_nothing() {
        let mut sheet = apply_all(&[change(1, answer("1.1", 0)), change(2, SheetEdit::Submit)]);
        let (stamp, edit) = change(3, answer("1.1", 2));
        assert_eq!(sheet.apply_next(&stamp, &edit), ChangeOutcome::AfterSubmit);
        assert_eq!(sheet.choices().get("1.1"), Some(&Some(0)));
    }
}
