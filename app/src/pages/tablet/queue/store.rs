//! The tablet's storage of changes, waiting sends, its device id and clock.
use super::*;
const CHANGES: &str = "sao.council.changes";
const WAITING: &str = "sao.council.waiting";
const DEVICE: &str = "sao.council.device";
const CLOCK: &str = "sao.council.clock";

use crate::components::local::{random_id, read_or_default as read, write};

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn all() -> Vec<SheetChange> {
    read(CHANGES)
}

pub fn write_all(changes: &[SheetChange]) {
    write(CHANGES, changes)
}

const REFUSED: &str = "sao.council.refused";

/// Refused changes kept to show: (member id, product id, why).
pub fn refusals() -> Vec<(String, String, crate::domain::sheet_sync::SyncRefusal)> {
    read(REFUSED)
}

pub fn set_refusals(kept: &[(String, String, crate::domain::sheet_sync::SyncRefusal)]) {
    write(REFUSED, kept)
}

pub fn waiting() -> Vec<SheetChange> {
    read(WAITING)
}

pub fn set_waiting(changes: &[SheetChange]) {
    write(WAITING, changes)
}

/// Keeps a new change in both lists (the sheet's history and the outbox).
pub fn push(change: SheetChange) {
    let mut changes = all();
    changes.push(change.clone());
    write_all(&changes);
    let mut outbox = waiting();
    outbox.push(change);
    set_waiting(&outbox);
}

pub fn device() -> String {
    let Some(s) = storage() else {
        return random_id();
    };
    if let Some(id) = s.get_item(DEVICE).ok().flatten() {
        return id;
    }
    let id = format!("tablet-{}", random_id());
    let _ = s.set_item(DEVICE, &id);
    id
}

/// The next stamp time and sequence: never behind the last change.
pub fn tick() -> (i64, u64) {
    let last: (i64, u64) = read(CLOCK);
    let now = js_sys::Date::now() as i64;
    let next = (now.max(last.0.saturating_add(1)), last.1.saturating_add(1));
    write(CLOCK, &next);
    next
}

/// Moves the clock past `device_ms` (a change the server made, such as the
/// chair's re-score request), so the tablet's next changes come after it.
pub fn not_before(device_ms: i64) {
    let last: (i64, u64) = read(CLOCK);
    if last.0 < device_ms {
        write(CLOCK, &(device_ms, last.1));
    }
}

pub fn new_id() -> String {
    format!("{}-{}", device(), random_id())
}
