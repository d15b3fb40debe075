//! Unit tests of `domain::sheet_sync`.
use super::*;

/// A criterion code the test names.
fn code(text: &str) -> CriterionCode {
    CriterionCode::parse(text).expect("a criterion code")
}

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
        criterion: code(criterion),
        option: Some(option),
    }
}

fn submit() -> SheetEdit {
    SheetEdit::Submit {
        digest: String::new(),
    }
}

fn apply_all(changes: &[(Stamp, SheetEdit)]) -> SheetState {
    let mut changes: Vec<SheetChange> = changes
        .iter()
        .map(|(stamp, edit)| SheetChange {
            change_id: format!("c{}", stamp.seq),
            member_id: "m".into(),
            product_id: "p".into(),
            stamp: stamp.clone(),
            edit: edit.clone(),
        })
        .collect();
    hand_in_digests(&mut changes);
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
                criterion: code("1.2"),
                flagged: true,
            },
        ),
        change(
            5,
            SheetEdit::Note {
                criterion: code("1.1"),
                text: "Đủ hồ sơ".into(),
            },
        ),
        change(6, submit()),
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
        change(2, submit()),
        change(3, answer("1.1", 2)),
        change(4, reopen.clone()),
        change(5, answer("1.1", 1)),
    ]);
    assert_eq!(sheet.choices().get("1.1"), Some(&Some(1)));
    assert!(sheet.submitted.is_none() && sheet.reopened.is_some());
    let again = apply_all(&[
        change(1, answer("1.1", 0)),
        change(2, submit()),
        change(4, reopen),
        change(5, answer("1.1", 1)),
        change(6, submit()),
    ]);
    assert_eq!(again.versions, 2);
    assert!(again.reopened.is_none());
}

#[test]
fn a_change_made_after_submitting_changes_nothing() {
    let mut sheet = apply_all(&[change(1, answer("1.1", 0)), change(2, submit())]);
    let (stamp, edit) = change(3, answer("1.1", 2));
    assert_eq!(sheet.apply_next(&stamp, &edit), ChangeOutcome::AfterSubmit);
    assert_eq!(sheet.choices().get("1.1"), Some(&Some(0)));
}

#[test]
fn a_change_after_the_last_follows_the_stored_sheet_and_an_earlier_one_does_not() {
    let changes: Vec<SheetChange> = [
        change(1, answer("1.1", 0)),
        change(2, answer("1.2", 2)),
        change(3, answer("1.1", 1)),
    ]
    .into_iter()
    .map(|(stamp, edit)| SheetChange {
        change_id: format!("c{}", stamp.seq),
        member_id: "m".into(),
        product_id: "p".into(),
        stamp,
        edit,
    })
    .collect();
    let mut sheet = SheetState::default();
    for (n, next) in changes.iter().enumerate() {
        let (after, outcome) = sheet.follow(next).expect("in order, each follows");
        assert_eq!(outcome, ChangeOutcome::Applied);
        assert_eq!(after, SheetState::replay(&changes[..=n]), "after {n}");
        sheet = after;
    }
    assert_eq!(
        sheet.last.as_ref().map(|l| l.change_id.as_str()),
        Some("c3")
    );
    // Earlier than the last (or the last itself again): only a replay tells.
    assert!(sheet.follow(&changes[1]).is_none());
    assert!(sheet.follow(&changes[2]).is_none());
    // A stored sheet from before `last` existed never follows.
    let old = SheetState {
        last: None,
        ..sheet.clone()
    };
    let later = SheetChange {
        change_id: "c9".into(),
        stamp: change(9, answer("1.2", 0)).0,
        ..changes[0].clone()
    };
    assert!(sheet.follow(&later).is_some());
    assert!(old.follow(&later).is_none());
}
