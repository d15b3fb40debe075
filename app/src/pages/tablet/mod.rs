//! The council member's tablet: `/cham-diem` lists the products they score, with
//! their progress; `/cham-diem/{product}` is the sheet beside the dossier. Every
//! tick, note and knock-out flag becomes a change written to the tablet's storage
//! first (with its own id and stamp); a background loop sends waiting changes to
//! `council/sync` whenever the server answers, and the page shows how many are
//! waiting. The sheet is the replay of the changes (`domain::sheet_sync`), the
//! same code the server runs, with the chair's re-score requests among them.
use super::try_it::{BesideCriterion, Choices, SelfAssessment};
use crate::api::council::{MemberDossier, MemberProduct};
use crate::domain::sheet_progress::SheetProgress;
use crate::domain::sheet_sync::SheetEdit;
#[cfg(feature = "hydrate")]
use crate::domain::sheet_sync::{SheetChange, SheetState};
use crate::i18n::*;
use leptos::prelude::*;
use sao_scoring::{CriterionCode, OptionIndex, Scorecard};
use std::collections::BTreeMap;
use std::sync::Arc;

mod dossier_panel;
mod list;
mod packet;
mod queue;
mod sheet;

use dossier_panel::{beside_criterion, dossier_panel};
pub use list::TabletListPage;
pub use sheet::TabletSheetPage;

pub(super) fn progress_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    state: SheetProgress,
) -> String {
    match state {
        SheetProgress::Submitted => t_string!(i18n, tablet_state_submitted),
        SheetProgress::Draft => t_string!(i18n, tablet_state_draft),
        SheetProgress::Rescore => t_string!(i18n, tablet_state_rescore),
        SheetProgress::NotStarted => t_string!(i18n, tablet_state_not_started),
    }
    .to_string()
}

/// The member's edits of one sheet besides the ticks, as the page shows them.
#[derive(Clone, Copy)]
pub(super) struct SheetSignals {
    choices: RwSignal<Choices>,
    notes: RwSignal<BTreeMap<String, String>>,
    knockouts: RwSignal<BTreeMap<String, bool>>,
    /// The chair's open request to score again (its reason).
    reopened: RwSignal<Option<String>>,
    waiting: RwSignal<usize>,
    submitted: RwSignal<bool>,
    /// Changes the server refused for this sheet, with the reason.
    refusals: RwSignal<Vec<crate::domain::sheet_sync::SyncRefusal>>,
    /// The product's scorecard, once loaded: a change it refuses
    /// (`domain::sheet_check`) is never queued.
    scorecard: StoredValue<Option<Arc<Scorecard>>>,
}

/// What the member reads when the server refused a change of theirs.
pub(super) fn refusal_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    refusal: &crate::domain::sheet_sync::SyncRefusal,
) -> String {
    use crate::domain::sheet_sync::SyncRefusal as R;
    let text = match refusal {
        R::NotYours => t_string!(i18n, refusal_not_yours),
        R::NotScoring => t_string!(i18n, refusal_not_scoring),
        R::BadId | R::IdTaken | R::ReservedDevice => t_string!(i18n, refusal_bad_id),
        R::StampOutOfWindow => t_string!(i18n, refusal_clock),
        R::NoScorecard => t_string!(i18n, refusal_no_scorecard),
        R::UnknownCriterion(_) | R::UnknownOption(_) => t_string!(i18n, refusal_unknown),
        R::NoteTooLong => t_string!(i18n, refusal_note_too_long),
        R::ChairOnly => t_string!(i18n, refusal_chair_only),
        R::AfterHandIn => t_string!(i18n, refusal_after_hand_in),
        R::HandedIn => t_string!(i18n, refusal_handed_in),
    };
    match refusal {
        R::UnknownCriterion(code) | R::UnknownOption(code) => format!("{text} ({code})"),
        _ => text.to_string(),
    }
}
