//! The tablet's changes: every edit is stored first, then sent until acknowledged.
use super::*;

#[cfg(feature = "hydrate")]
mod store;

/// The sheet the tablet holds for `mine`: its own changes and the server's
/// re-score requests, replayed.
#[cfg(feature = "hydrate")]
fn local_sheet(mine: &MemberProduct) -> Option<SheetState> {
    let own: Vec<SheetChange> = store::all()
        .into_iter()
        .filter(|c| c.member_id == mine.member_id && c.product_id == mine.product_id)
        .collect();
    if own.is_empty() {
        return None;
    }
    Some(SheetState::replay(own.iter().chain(&mine.reopens)))
}

/// The sheet's progress as the tablet knows it (None: no changes made here).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn local_progress(mine: &MemberProduct) -> Option<SheetProgress> {
    #[cfg(feature = "hydrate")]
    {
        local_sheet(mine).map(|sheet| SheetProgress::of(Some(&sheet)))
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Records one edit of `mine`'s sheet on the tablet.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn record(mine: &MemberProduct, edit: SheetEdit, signals: SheetSignals) {
    #[cfg(feature = "hydrate")]
    {
        if matches!(edit, SheetEdit::Submit { .. }) {
            signals.submitted.set(true);
        }
        let (device_ms, seq) = store::tick();
        let change = SheetChange {
            change_id: store::new_id(),
            member_id: mine.member_id.clone(),
            product_id: mine.product_id.clone(),
            stamp: crate::domain::sheet_sync::Stamp {
                device_ms,
                device_id: store::device(),
                seq,
            },
            edit,
        };
        // The server's own check of a change against the scorecard, run first
        // here: a change it would refuse is shown, not queued.
        let refused = signals.scorecard.with_value(|scorecard| {
            scorecard
                .as_deref()
                .and_then(|scorecard| crate::domain::sheet_check::check(&change, Some(scorecard)))
        });
        if let Some(refusal) = refused {
            signals.refusals.update(|list| list.push(refusal));
            return;
        }
        store::push(change);
        // A new change answers earlier refusals of this sheet.
        let kept: Vec<_> = store::refusals()
            .into_iter()
            .filter(|(member, product, _)| *member != mine.member_id || *product != mine.product_id)
            .collect();
        store::set_refusals(&kept);
        signals.refusals.set(Vec::new());
        signals.waiting.set(store::waiting().len());
    }
}

/// Hands the sheet in with the digest of what the tablet shows now.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn hand_in(mine: &MemberProduct, signals: SheetSignals) {
    #[cfg(feature = "hydrate")]
    {
        let digest = local_sheet(mine).unwrap_or_default().hand_in_digest();
        record(mine, SheetEdit::Submit { digest }, signals);
    }
}

/// Refusals the server sent for this sheet, kept until the sheet is sent anew.
#[cfg(feature = "hydrate")]
fn refusals_of(mine: &MemberProduct) -> Vec<crate::domain::sheet_sync::SyncRefusal> {
    store::refusals()
        .into_iter()
        .filter(|(member, product, _)| *member == mine.member_id && *product == mine.product_id)
        .map(|(_, _, refusal)| refusal)
        .collect()
}

/// Takes a receipt in: acknowledged and refused changes leave the outbox; a
/// sheet with a refused change goes back to the server's (its changes as the
/// server holds them, plus this tablet's still waiting), and the refusals are
/// kept to show. Returns the sheets put back.
#[cfg(feature = "hydrate")]
fn take_receipt(receipt: crate::api::council::SyncReceipt) -> usize {
    use std::collections::BTreeSet;
    let refused_ids: BTreeSet<String> = receipt.refused.iter().map(|(id, _)| id.clone()).collect();
    let done: BTreeSet<String> = receipt
        .stored
        .iter()
        .cloned()
        .chain(refused_ids.iter().cloned())
        .collect();
    let sent = store::waiting();
    let left: Vec<SheetChange> = sent
        .iter()
        .filter(|c| !done.contains(&c.change_id))
        .cloned()
        .collect();
    store::set_waiting(&left);
    if refused_ids.is_empty() {
        return 0;
    }
    let sheets: BTreeSet<(String, String)> = sent
        .iter()
        .filter(|c| refused_ids.contains(&c.change_id))
        .map(|c| (c.member_id.clone(), c.product_id.clone()))
        .collect();
    let mut all: Vec<SheetChange> = store::all()
        .into_iter()
        .filter(|c| !sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
        .collect();
    all.extend(
        receipt
            .held
            .iter()
            .filter(|c| sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
            .cloned(),
    );
    all.extend(
        left.iter()
            .filter(|c| sheets.contains(&(c.member_id.clone(), c.product_id.clone())))
            .cloned(),
    );
    store::write_all(&all);
    let mut kept = store::refusals();
    for (id, refusal) in receipt.refused {
        if let Some(change) = sent.iter().find(|c| c.change_id == id) {
            kept.push((change.member_id.clone(), change.product_id.clone(), refusal));
        }
    }
    store::set_refusals(&kept);
    sheets.len()
}

/// Puts the page's signals back to the tablet's sheet (after a refusal).
#[cfg(feature = "hydrate")]
fn show_sheet(
    mine: &MemberProduct,
    signals: SheetSignals,
    last: &std::rc::Rc<std::cell::RefCell<Option<Choices>>>,
) {
    let sheet = local_sheet(mine).unwrap_or_default();
    let restored = choices_of(&sheet);
    last.replace(Some(restored.clone()));
    signals.choices.set(restored);
    signals.notes.set(
        sheet
            .notes
            .iter()
            .map(|(code, note)| (code.clone(), note.value.clone()))
            .collect(),
    );
    signals.knockouts.set(
        sheet
            .knockouts
            .iter()
            .map(|(code, flag)| (code.clone(), flag.value))
            .collect(),
    );
    let (reopened, submitted) = reopened_and_submitted(mine);
    signals.reopened.set(reopened);
    signals.submitted.set(submitted);
    signals.refusals.set(refusals_of(mine));
}

#[cfg(feature = "hydrate")]
fn choices_of(sheet: &SheetState) -> Choices {
    sheet
        .choices()
        .into_iter()
        .filter_map(|(code, option)| {
            Some((CriterionCode::parse(&code).ok()?, option.map(OptionIndex)))
        })
        .collect()
}

/// The chair's open re-score request (its reason) and whether the sheet is
/// handed in: the tablet's replay, or the server's word when this tablet has
/// not scored the product.
#[cfg(feature = "hydrate")]
fn reopened_and_submitted(mine: &MemberProduct) -> (Option<String>, bool) {
    match local_sheet(mine) {
        Some(sheet) => {
            let handed_in = sheet.handed_in().is_some();
            (sheet.reopened.map(|r| r.value), handed_in)
        }
        None => {
            let reason = mine.reopens.last().and_then(|c| match &c.edit {
                SheetEdit::Reopen { reason } => Some(reason.clone()),
                _ => None,
            });
            match mine.state {
                SheetProgress::Rescore => (reason, false),
                state => (None, state == SheetProgress::Submitted),
            }
        }
    }
}

/// Asks the server for `mine` again: a new re-score request is taken in (the
/// clock moved past it, the page told) without a reload.
#[cfg(feature = "hydrate")]
async fn hear_of_rescore(mine: &mut MemberProduct, signals: SheetSignals) {
    let Ok(list) = crate::api::council::council_products().await else {
        return;
    };
    let Some(fresh) = list
        .into_iter()
        .find(|p| p.product_id == mine.product_id && p.member_id == mine.member_id)
    else {
        return;
    };
    if fresh.reopens.len() == mine.reopens.len() {
        return;
    }
    if let Some(last) = fresh.reopens.iter().map(|c| c.stamp.device_ms).max() {
        store::not_before(last);
    }
    super::packet::keep_product(&fresh);
    *mine = fresh;
    let (reopened, submitted) = reopened_and_submitted(mine);
    signals.reopened.set(reopened);
    signals.submitted.set(submitted);
}

/// Restores the sheet from the tablet, records each new tick, and keeps sending.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn start(mine: &MemberProduct, signals: SheetSignals) {
    #[cfg(feature = "hydrate")]
    {
        super::packet::keep_product(mine);
        if let Some(last) = mine.reopens.iter().map(|c| c.stamp.device_ms).max() {
            store::not_before(last);
        }
        let sheet = local_sheet(mine).unwrap_or_default();
        let restored: Choices = choices_of(&sheet);
        let refused = refusals_of(mine);
        let notes: BTreeMap<String, String> = sheet
            .notes
            .iter()
            .map(|(code, note)| (code.clone(), note.value.clone()))
            .collect();
        let knockouts: BTreeMap<String, bool> = sheet
            .knockouts
            .iter()
            .map(|(code, flag)| (code.clone(), flag.value))
            .collect();
        let (reopened, submitted) = reopened_and_submitted(mine);
        // Restored after hydration (the server rendered an empty sheet): the
        // first run only puts the tablet's sheet back; later runs record ticks.
        let last = std::rc::Rc::new(std::cell::RefCell::new(None::<Choices>));
        let mut polled = mine.clone();
        let mine = mine.clone();
        let shown = mine.clone();
        let last_shown = last.clone();
        let choices = signals.choices;
        Effect::new(move |_| {
            let now = choices.get();
            let Some(before) = last.replace(Some(now.clone())) else {
                last.replace(Some(restored.clone()));
                choices.set(restored.clone());
                signals.notes.set(notes.clone());
                signals.knockouts.set(knockouts.clone());
                signals.reopened.set(reopened.clone());
                signals.submitted.set(submitted);
                signals.refusals.set(refused.clone());
                signals.waiting.set(store::waiting().len());
                return;
            };
            for (code, option) in &now {
                if before.get(code) != Some(option) {
                    record(
                        &mine,
                        SheetEdit::Answer {
                            criterion: code.clone(),
                            option: option.map(|o| o.0),
                        },
                        signals,
                    );
                }
            }
        });
        let waiting = signals.waiting;
        leptos::task::spawn_local(async move {
            // Every ~20 s with nothing to send, the tablet asks whether the
            // chair wants this sheet scored again.
            let mut idle_rounds = 0_u32;
            loop {
                // The page left (its signals are gone): this sheet's loop ends;
                // the next sheet's loop sends what waits.
                if waiting.try_get_untracked().is_none() {
                    break;
                }
                let outbox = store::waiting();
                // Another page's loop may have sent the changes meanwhile.
                waiting.try_set(outbox.len());
                if !outbox.is_empty() {
                    let batch: Vec<SheetChange> = outbox.iter().take(50).cloned().collect();
                    if let Ok(receipt) = crate::api::council::council_sync(batch).await {
                        if take_receipt(receipt) > 0 {
                            show_sheet(&shown, signals, &last_shown);
                        }
                        waiting.try_set(store::waiting().len());
                        continue;
                    }
                }
                idle_rounds += 1;
                if idle_rounds.is_multiple_of(10) {
                    hear_of_rescore(&mut polled, signals).await;
                }
                gloo_timers_sleep(2_000).await;
            }
        });
    }
}

#[cfg(feature = "hydrate")]
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
