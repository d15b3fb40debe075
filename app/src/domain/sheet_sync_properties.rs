//! Property: any interleaving of a member's changes, retries and the chair's
//! re-score requests gives the sheet the member saw at their last hand-in.
use super::*;
use proptest::prelude::*;

/// A criterion code the test names.
fn code(text: &str) -> CriterionCode {
    criterion_code(text)
}

fn criterion_code(text: &str) -> CriterionCode {
    CriterionCode::parse(text).expect("a criterion code")
}

const CODES: [&str; 4] = ["1.1", "1.2", "2.1", "3.1"];

struct Server {
    held: Vec<SheetChange>,
    refused: Vec<(SheetChange, SyncRefusal)>,
}

impl Server {
    fn take(&mut self, change: &SheetChange) {
        if self.held.iter().any(|c| c.change_id == change.change_id) {
            return;
        }
        let window = StampWindow::new(0, 1_000_000);
        let verdict = judge(&self.held, change, &window);
        // The server's short way, from the stored sheet alone, whenever the
        // change comes after everything held: the same verdict, the same sheet.
        let stored = SheetState::replay(&self.held);
        if let Some(short) = judge_following(&stored, change, &window) {
            assert_eq!(short.as_ref().map(|_| ()), verdict.as_ref().map(|_| ()));
            if let Ok(after) = short {
                assert_eq!(after, SheetState::replay(self.held.iter().chain([change])));
            }
        } else {
            let last = stored
                .last
                .clone()
                .expect("a sheet that does not follow has a last change");
            assert!(
                (&change.stamp, change.change_id.as_str()) < (&last.stamp, last.change_id.as_str())
            );
        }
        match verdict {
            Ok(()) => self.held.push(change.clone()),
            Err(refusal) => self.refused.push((change.clone(), refusal)),
        }
    }

    fn sheet(&self) -> SheetState {
        SheetState::replay(&self.held)
    }
}

fn stamped(ms: i64, seq: u64, edit: SheetEdit) -> SheetChange {
    SheetChange {
        change_id: format!("t-{seq}"),
        member_id: "m".into(),
        product_id: "p".into(),
        stamp: Stamp {
            device_ms: ms,
            device_id: "tablet".into(),
            seq,
        },
        edit,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn any_interleaving_gives_the_sheet_the_member_saw_at_the_last_hand_in(
        rounds in prop::collection::vec(prop::collection::vec((0usize..4, 0u16..3, any::<bool>()), 0..7), 1..4),
        picks in prop::collection::vec(any::<u16>(), 200),
        batch in 1usize..5,
        chair_clock_ahead in 0i64..50,
    ) {
        let mut server = Server { held: Vec::new(), refused: Vec::new() };
        let mut own: Vec<SheetChange> = Vec::new();
        let mut heard: Vec<SheetChange> = Vec::new();
        let mut clock = 1_000_i64;
        let mut seq = 0_u64;
        let mut hand_ins = Vec::new();
        let mut late: Vec<SheetChange> = Vec::new();
        let mut pick = picks.iter().cycle().map(|p| usize::from(*p));
        for (round, edits) in rounds.iter().enumerate() {
            // The member scores and hands in what the tablet shows.
            let mut outbox = Vec::new();
            for (code, option, held_back) in edits {
                clock += 1;
                seq += 1;
                let change = stamped(clock, seq, SheetEdit::Answer { criterion: criterion_code(CODES[*code]), option: Some(*option) });
                own.push(change.clone());
                if *held_back { late.push(change) } else { outbox.push(change) }
            }
            let digest = SheetState::replay(own.iter().chain(&heard)).hand_in_digest();
            hand_ins.push(digest.clone());
            clock += 1;
            seq += 1;
            let submit = stamped(clock, seq, SheetEdit::Submit { digest });
            own.push(submit.clone());
            outbox.push(submit);
            // Sent in batches in any order, with retries of anything sent before.
            while !outbox.is_empty() {
                for _ in 0..batch.min(outbox.len()) {
                    let change = outbox.remove(pick.next().unwrap_or(0) % outbox.len());
                    server.take(&change);
                }
                let again = own[pick.next().unwrap_or(0) % own.len()].clone();
                if !late.contains(&again) {
                    server.take(&again);
                }
            }
            // The tablet keeps retrying what is late until the hand-in counts.
            if server.sheet().submitted.is_none() {
                for change in late.drain(..) {
                    server.take(&change);
                }
            }
            prop_assert!(server.sheet().submitted.is_some(), "round {round} counted");
            if round + 1 < rounds.len() {
                // The chair asks again; the tablet hears of it before going on.
                let after = server.sheet().submitted.map_or(0, |s| s.device_ms + 1);
                let reopen = SheetChange {
                    change_id: format!("reopen-{round}"),
                    member_id: "m".into(),
                    product_id: "p".into(),
                    stamp: Stamp { device_ms: (clock + chair_clock_ahead).max(after), device_id: "server".into(), seq: 0 },
                    edit: SheetEdit::Reopen { reason: "diverges".into() },
                };
                server.held.push(reopen.clone());
                clock = clock.max(reopen.stamp.device_ms);
                heard.push(reopen);
            }
        }
        for change in late.drain(..) {
            server.take(&change);
        }
        for change in own.clone() {
            server.take(&change);
        }
        let sheet = server.sheet();
        prop_assert!(server.refused.is_empty(), "refused: {:?}", server.refused);
        prop_assert_eq!(&sheet.counted, &hand_ins);
        prop_assert_eq!(sheet, SheetState::replay(own.iter().chain(&heard)));
    }
}

#[test]
fn a_change_stamped_before_a_counted_hand_in_or_after_it_is_refused() {
    let window = StampWindow::new(0, 1_000_000);
    let mut held = vec![
        stamped(
            10,
            1,
            SheetEdit::Answer {
                criterion: code("1.1"),
                option: Some(0),
            },
        ),
        stamped(
            11,
            2,
            SheetEdit::Submit {
                digest: String::new(),
            },
        ),
    ];
    hand_in_digests(&mut held);
    assert!(SheetState::replay(&held).submitted.is_some());
    let back_dated = stamped(
        5,
        3,
        SheetEdit::Answer {
            criterion: code("1.2"),
            option: Some(2),
        },
    );
    assert_eq!(
        judge(&held, &back_dated, &window),
        Err(SyncRefusal::AfterHandIn)
    );
    let later = stamped(
        20,
        4,
        SheetEdit::Answer {
            criterion: code("1.1"),
            option: Some(2),
        },
    );
    assert_eq!(judge(&held, &later, &window), Err(SyncRefusal::HandedIn));
    let far = stamped(
        i64::MAX,
        5,
        SheetEdit::Submit {
            digest: String::new(),
        },
    );
    assert_eq!(
        judge(&held, &far, &window),
        Err(SyncRefusal::StampOutOfWindow)
    );
    let mut posing = later.clone();
    posing.stamp.device_id = "server".into();
    assert_eq!(
        judge(&held, &posing, &window),
        Err(SyncRefusal::ReservedDevice)
    );
    // A hand-in whose changes have not all arrived waits for them, then counts.
    let mut pending = vec![
        stamped(
            10,
            1,
            SheetEdit::Answer {
                criterion: code("1.1"),
                option: Some(1),
            },
        ),
        stamped(
            11,
            2,
            SheetEdit::Submit {
                digest: String::new(),
            },
        ),
    ];
    hand_in_digests(&mut pending);
    let first = pending.remove(0);
    assert!(SheetState::replay(&pending).submitted.is_none());
    assert_eq!(judge(&pending, &first, &window), Ok(()));
    pending.push(first);
    assert!(SheetState::replay(&pending).submitted.is_some());
}
