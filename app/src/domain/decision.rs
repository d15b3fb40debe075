//! The recognition decision (Quyết định công nhận) a sealed round leads to: its
//! lines come from the results stored at the seal, never recomputed — each
//! product recognised with its stars, proposed to the level above, returned to
//! the level below, or not recognised. Pure: the office's page previews the
//! draft and the server records the same lines.
use super::date::CalendarDate;
use super::refusal::{NextStepSaid, Refusal};
use super::round_result::{ConsoleRow, ProductOutcome};
use serde::{Deserialize, Serialize};

/// What the decision says of one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// Recognised with `stars` (a certificate is issued).
    Recognised { stars: u8 },
    /// Proposed to the level above (e.g. ≥ 90 to the ministry, Điều 7.4).
    Forwarded { to: String },
    /// Sent back to the level below (the seed's three tiers).
    Returned { to: String },
    /// Not recognised: below the lowest star, a failed minimum, a knock-out, or
    /// no result (the quorum was not met).
    NotRecognised,
}

impl DecisionOutcome {
    /// The code stored in `decision_items.outcome`.
    pub fn code(&self) -> &'static str {
        match self {
            DecisionOutcome::Recognised { .. } => "recognised",
            DecisionOutcome::Forwarded { .. } => "forwarded",
            DecisionOutcome::Returned { .. } => "returned",
            DecisionOutcome::NotRecognised => "not_recognised",
        }
    }

    /// The level a forwarded or returned product goes to.
    pub fn next_level(&self) -> Option<&str> {
        match self {
            DecisionOutcome::Forwarded { to } | DecisionOutcome::Returned { to } => Some(to),
            _ => None,
        }
    }

    /// The result an SMS names (`recognised_4`, `forwarded`, …: keys of the
    /// SMS tables), for every decision a producer and a commune are told of.
    pub fn sms_result(&self) -> String {
        match self {
            DecisionOutcome::Recognised { stars } => format!("recognised_{stars}"),
            other => other.code().to_string(),
        }
    }

    pub fn stars(&self) -> Option<u8> {
        match self {
            DecisionOutcome::Recognised { stars } => Some(*stars),
            _ => None,
        }
    }
}

/// One line of the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLine {
    pub product_id: String,
    pub product_name: String,
    /// The mean score as the seal stored it ("—" without a result).
    pub mean: String,
    pub outcome: DecisionOutcome,
}

/// The decision's lines from a sealed round's stored rows, in the round's order.
pub fn lines(rows: &[ConsoleRow]) -> Vec<DecisionLine> {
    rows.iter()
        .map(|row| {
            let outcome = match row.outcome.as_ref().map(|o| &o.next_step) {
                Some(NextStepSaid::NextRecognise { stars, .. }) => {
                    DecisionOutcome::Recognised { stars: *stars }
                }
                Some(NextStepSaid::NextForward { to }) => {
                    DecisionOutcome::Forwarded { to: to.clone() }
                }
                Some(NextStepSaid::NextReturn { to }) => {
                    DecisionOutcome::Returned { to: to.clone() }
                }
                Some(NextStepSaid::NextNoCertificate) | None => DecisionOutcome::NotRecognised,
            };
            DecisionLine {
                product_id: row.product_id.clone(),
                product_name: row.product_name.clone(),
                mean: row
                    .outcome
                    .as_ref()
                    .map_or_else(|| "—".to_string(), |o| o.mean.clone()),
                outcome,
            }
        })
        .collect()
}

/// What a level decides on a result returned to it from the level above
/// (Điều 7.4g: the province may recognise 3★/4★ on the central result; the
/// seed's district its 3★ on the province's): its own level's rule applied to
/// the result stored at the seal above, never a new score.
pub fn on_return(outcome: Option<&ProductOutcome>, level: &sao_scoring::Level) -> DecisionOutcome {
    let Some(outcome) = outcome else {
        return DecisionOutcome::NotRecognised;
    };
    let Some(star) = outcome.star.and_then(|s| sao_scoring::Stars::new(s).ok()) else {
        return DecisionOutcome::NotRecognised;
    };
    match level.next_step(outcome.sum, outcome.counted, star, false) {
        sao_scoring::NextStep::Recognise { stars, .. } => {
            DecisionOutcome::Recognised { stars: stars.get() }
        }
        _ => DecisionOutcome::NotRecognised,
    }
}

/// A signed decision as the office copies it from paper: its number, the day it
/// was signed (`YYYY-MM-DD`) and who signed it. `DecisionRecord::parse` checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedText {
    pub number: String,
    pub signed_on: String,
    pub signer: String,
}

/// What the office types when the signed decision comes back: its number, the
/// day it was signed, and who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub number: String,
    pub signed_on: CalendarDate,
    pub signer: String,
}

impl DecisionRecord {
    /// Checks the form: a number of 1–40 characters without line breaks (e.g.
    /// "1234/QĐ-UBND"), a date neither before the seal nor after today (both
    /// Vietnam's days), a signer's name and title.
    pub fn parse(
        text: &SignedText,
        sealed_on: CalendarDate,
        today: CalendarDate,
    ) -> Result<DecisionRecord, (&'static str, Refusal)> {
        let number = super::subject::required("number", &text.number, "decision_number", 40)?;
        let signed_on =
            CalendarDate::parse(&text.signed_on).map_err(|e| ("signed_on", Refusal::from(e)))?;
        if signed_on < sealed_on || signed_on > today {
            return Err((
                "signed_on",
                Refusal::DecisionDateOutOfRange {
                    sealed: sealed_on.day_month_year(),
                    today: today.day_month_year(),
                },
            ));
        }
        let signer = super::subject::required("signer", &text.signer, "decision_signer", 200)?;
        Ok(DecisionRecord {
            number,
            signed_on,
            signer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> CalendarDate {
        CalendarDate::parse(text).expect("a test date")
    }

    fn outcome(sum: u64, counted: u64, star: Option<u8>) -> ProductOutcome {
        ProductOutcome {
            counted,
            sum,
            mean: String::new(),
            band: 0,
            star,
            failed_minimums: Vec::new(),
            next_step: NextStepSaid::NextNoCertificate,
        }
    }

    #[test]
    fn a_returned_result_is_decided_by_the_lower_levels_own_rule() {
        let profile = |text: &str| sao_scoring::Profile::parse("p", text).expect("a profile");
        let qd26 = profile(include_str!("../../rules/profiles/qd-26-2026.json"));
        let qd148 = profile(include_str!("../../rules/profiles/qd-148-2023.json"));
        let level = |p: &sao_scoring::Profile, code: &str| p.level(code).cloned().expect("a level");
        let (province, district) = (level(&qd26, "province"), level(&qd148, "district"));
        let table = [
            // The central council returned 85 (4★) and 72 (4★): the province recognises them.
            (
                &province,
                outcome(255, 3, Some(4)),
                DecisionOutcome::Recognised { stars: 4 },
            ),
            (
                &province,
                outcome(216, 3, Some(4)),
                DecisionOutcome::Recognised { stars: 4 },
            ),
            (
                &province,
                outcome(180, 3, Some(3)),
                DecisionOutcome::Recognised { stars: 3 },
            ),
            // A result below 3★ earns nothing at any level.
            (
                &province,
                outcome(120, 3, Some(2)),
                DecisionOutcome::NotRecognised,
            ),
            (
                &province,
                outcome(0, 0, None),
                DecisionOutcome::NotRecognised,
            ),
            // The seed: the province returned 65 (3★) to the district, which recognises 3★ only.
            (
                &district,
                outcome(195, 3, Some(3)),
                DecisionOutcome::Recognised { stars: 3 },
            ),
        ];
        for (level, result, expected) in table {
            assert_eq!(on_return(Some(&result), level), expected, "{}", result.sum);
        }
        assert_eq!(on_return(None, &province), DecisionOutcome::NotRecognised);
    }

    #[test]
    fn the_signing_day_lies_between_the_seal_and_today_both_included() {
        let (sealed, today) = (d("2026-11-20"), d("2026-12-06"));
        let table = [
            ("2026-11-19", Some("signed_on")),
            ("2026-11-20", None),
            ("2026-12-01", None),
            ("2026-12-06", None),
            ("2026-12-07", Some("signed_on")),
            ("2026-02-30", Some("signed_on")),
        ];
        let parse = |number: &str, signed_on: &str, signer: &str| {
            let text = SignedText {
                number: number.into(),
                signed_on: signed_on.into(),
                signer: signer.into(),
            };
            DecisionRecord::parse(&text, sealed, today)
        };
        for (day, refused) in table {
            let parsed = parse("12/QĐ-UBND", day, "A, Chủ tịch");
            assert_eq!(parsed.err().map(|(field, _)| field), refused, "{day}");
        }
        let blank = parse("  ", "2026-12-01", "A");
        assert_eq!(blank.err().map(|(field, _)| field), Some("number"));
        let long = parse(&"9".repeat(41), "2026-12-01", "A");
        assert_eq!(long.err(), Some(("number", Refusal::TooLong { max: 40 })));
        let unsigned = parse("12", "2026-12-01", " ");
        assert_eq!(unsigned.err().map(|(field, _)| field), Some("signer"));
    }
}
