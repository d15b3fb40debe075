//! A council member's sheet as a tablet edits it offline: every edit is a change
//! with a client-made id and a per-device stamp, kept on the tablet until the
//! server acknowledges it. The server keeps each change once (its id is the key)
//! and the sheet is the replay of its changes in stamp order, so it is the same
//! whatever order — or however many times — the changes arrived.
//! Pure: the tablet (WASM) and the server run the same code.
pub use super::sheet_judge::{judge, judge_following, StampWindow, MAX_AHEAD_MS};
pub use sao_scoring::CriterionCode;
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
        criterion: CriterionCode,
        option: Option<u16>,
    },
    /// The member's note on a criterion.
    Note {
        criterion: CriterionCode,
        text: String,
    },
    /// A knock-out flagged (or withdrawn) on a criterion, for the chair.
    Knockout {
        criterion: CriterionCode,
        flagged: bool,
    },
    /// The member hands the sheet in: `digest` is [`SheetState::hand_in_digest`]
    /// of the sheet the tablet showed (its content and the changes it came
    /// from). The hand-in counts only when the replay of the changes before it
    /// gives the same digest: none missing, none added.
    Submit { digest: String },
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
    /// The stamp of the counted hand-in in force: edits made after it do not count.
    pub submitted: Option<Stamp>,
    /// A hand-in whose digest the replay does not (yet) give: changes made
    /// before it have not all arrived. Edits after it do not count either.
    #[serde(default)]
    pub pending_submit: Option<Stamp>,
    /// How many times the sheet was handed in and counted (each one a version).
    pub versions: u32,
    /// The digest of each counted hand-in, oldest first (`versions` of them).
    #[serde(default)]
    pub counted: Vec<String>,
    /// A running digest of the ids of the changes replayed so far, in order.
    #[serde(default)]
    pub trail: String,
    /// The chair's open request to score again, with its reason.
    pub reopened: Option<Stamped<String>>,
    /// The last change replayed (the greatest stamp and id): a change after it
    /// is applied to this state as it is (`SheetState::follow`), with no replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Last>,
}

/// Where a replay stands: the stamp and id of the last change it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Last {
    pub stamp: Stamp,
    pub change_id: String,
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
        Self::replay_watching(changes, "").0
    }

    /// The replay, and what became of the change with id `watched` in it.
    pub(crate) fn replay_watching<'a>(
        changes: impl IntoIterator<Item = &'a SheetChange>,
        watched: &str,
    ) -> (SheetState, Option<ChangeOutcome>) {
        let mut unique: BTreeMap<(&Stamp, &str), &SheetEdit> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for change in changes {
            if seen.insert(change.change_id.as_str()) {
                unique.insert((&change.stamp, change.change_id.as_str()), &change.edit);
            }
        }
        let mut sheet = SheetState::default();
        let mut outcome = None;
        for ((stamp, id), edit) in unique {
            let this = sheet.step(stamp, id, edit);
            if id == watched {
                outcome = Some(this);
            }
        }
        (sheet, outcome)
    }

    /// One step of the replay: the change applied, the trail and `last` moved on.
    fn step(&mut self, stamp: &Stamp, id: &str, edit: &SheetEdit) -> ChangeOutcome {
        let outcome = self.apply_next(stamp, edit);
        self.trail = format!(
            "{:032x}",
            fnv1a_128(format!("{}|{id}", self.trail).as_bytes())
        );
        self.last = Some(Last {
            stamp: stamp.clone(),
            change_id: id.to_string(),
        });
        outcome
    }

    /// The sheet with `change` added, when it comes after every change replayed
    /// so far (by stamp, then id) and its id is not among them: equal to the
    /// replay of them all with it, at the cost of one step. `None` when it comes
    /// earlier, or the state does not say where it stands (then replay).
    pub fn follow(&self, change: &SheetChange) -> Option<(SheetState, ChangeOutcome)> {
        let after_last = match &self.last {
            Some(last) => {
                (&change.stamp, change.change_id.as_str()) > (&last.stamp, last.change_id.as_str())
            }
            None => *self == SheetState::default(),
        };
        if !after_last {
            return None;
        }
        let mut next = self.clone();
        let outcome = next.step(&change.stamp, &change.change_id, &change.edit);
        Some((next, outcome))
    }

    /// Applies the change that follows every change applied so far.
    pub fn apply_next(&mut self, stamp: &Stamp, edit: &SheetEdit) -> ChangeOutcome {
        if let SheetEdit::Reopen { reason } = edit {
            if self.submitted.take().is_some() {
                self.pending_submit = None;
                self.reopened = Some(Stamped {
                    value: reason.clone(),
                    stamp: stamp.clone(),
                });
            }
            return ChangeOutcome::Applied;
        }
        if self.handed_in().is_some() {
            return ChangeOutcome::AfterSubmit;
        }
        let stamped = |value| Stamped {
            value,
            stamp: stamp.clone(),
        };
        match edit {
            SheetEdit::Answer { criterion, option } => {
                self.answers
                    .insert(criterion.as_str().to_string(), stamped(*option));
            }
            SheetEdit::Note { criterion, text } => {
                self.notes.insert(
                    criterion.as_str().to_string(),
                    Stamped {
                        value: text.clone(),
                        stamp: stamp.clone(),
                    },
                );
            }
            SheetEdit::Knockout { criterion, flagged } => {
                self.knockouts.insert(
                    criterion.as_str().to_string(),
                    Stamped {
                        value: *flagged,
                        stamp: stamp.clone(),
                    },
                );
            }
            SheetEdit::Submit { digest } => {
                if *digest == self.hand_in_digest() {
                    self.submitted = Some(stamp.clone());
                    self.counted.push(digest.clone());
                    self.versions = u32::try_from(self.counted.len()).unwrap_or(u32::MAX);
                    self.reopened = None;
                } else {
                    self.pending_submit = Some(stamp.clone());
                }
            }
            SheetEdit::Reopen { .. } => {}
        }
        ChangeOutcome::Applied
    }

    /// The hand-in in force, counted or still waiting for changes.
    pub fn handed_in(&self) -> Option<&Stamp> {
        self.submitted.as_ref().or(self.pending_submit.as_ref())
    }

    /// What the member sees on the sheet (answers, notes, knock-out flags; no
    /// stamps), as a 128-bit FNV-1a digest of its JSON in hex. Tablet and server
    /// compute it with this same code; a hand-in carries it.
    pub fn content_digest(&self) -> String {
        let seen = (
            self.choices(),
            self.notes
                .iter()
                .map(|(code, note)| (code, &note.value))
                .collect::<BTreeMap<_, _>>(),
            self.knockouts
                .iter()
                .map(|(code, flag)| (code, flag.value))
                .collect::<BTreeMap<_, _>>(),
        );
        let json = serde_json::to_string(&seen).unwrap_or_default();
        format!("{:032x}", fnv1a_128(json.as_bytes()))
    }

    /// What a hand-in carries: the content and the trail of changes it came from,
    /// so that a hand-in counts only with exactly the changes the tablet held.
    pub fn hand_in_digest(&self) -> String {
        let both = format!("{}|{}", self.content_digest(), self.trail);
        format!("{:032x}", fnv1a_128(both.as_bytes()))
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

/// Device ids the server writes under (the chair's requests, keyed paper
/// sheets): a tablet may not use them.
pub const RESERVED_DEVICES: [&str; 2] = ["server", "paper"];

/// Why the server refuses a change. The tablet shows it beside the sheet (each
/// has a text in `locales/`) and puts its sheet back to the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refusal", content = "criterion", rename_all = "snake_case")]
pub enum SyncRefusal {
    /// Not assigned to this product, or conflicted on it.
    NotYours,
    /// The round does not take sheets now (not scoring, or sealed).
    NotScoring,
    /// An empty or over-long change or device id.
    BadId,
    /// The change id is held already for another change.
    IdTaken,
    /// A device id only the server writes under.
    ReservedDevice,
    /// Stamped before the round opened or too far in the future.
    StampOutOfWindow,
    /// No scorecard for the product.
    NoScorecard,
    UnknownCriterion(String),
    UnknownOption(String),
    NoteTooLong,
    /// Only the chair asks to score again.
    ChairOnly,
    /// Stamped before a counted hand-in that it would change.
    AfterHandIn,
    /// The sheet is handed in: nothing changes it until the chair asks to score again.
    HandedIn,
}

/// FNV-1a, 128 bits: small enough for the tablet's WASM, and it only has to
/// tell one sheet's content from another's (the member writes both sides).
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
    })
}

/// Fills each Submit's digest with the content of the sheet replayed from the
/// changes stamped before it: what a tablet does when the member hands in.
pub fn hand_in_digests(changes: &mut [SheetChange]) {
    for index in 0..changes.len() {
        if let SheetEdit::Submit { .. } = changes[index].edit {
            let stamp = changes[index].stamp.clone();
            let before = SheetState::replay(changes.iter().filter(|c| c.stamp < stamp));
            changes[index].edit = SheetEdit::Submit {
                digest: before.hand_in_digest(),
            };
        }
    }
}

#[cfg(test)]
#[path = "sheet_sync_tests.rs"]
mod tests;

/// A member's tablet and the server, driven through any interleaving of the
/// tablet's sends, its retries and the chair's re-score requests.
#[cfg(test)]
#[path = "sheet_sync_properties.rs"]
mod properties;
