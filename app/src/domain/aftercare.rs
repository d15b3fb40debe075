//! After the certificate (issue 16): inspections (Điều 9) and revocation
//! (Điều 8). Pure: the office's forms check the same rules in the browser and
//! the server records what they accept.
use super::certificate::{revocation_due, CertificateStatus};
use super::date::CalendarDate;
use super::refusal::Refusal;
use super::round_level::Office;
use serde::{Deserialize, Serialize};

type FieldError = (&'static str, Refusal);

/// Declares a closed list of codes: `parse` refuses anything else loudly.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == text.trim())
            }
        }
    };
}

codes! {
    /// Periodic (the seed plan: quarterly) or ad hoc (Điều 9.2a).
    InspectionKind { Periodic => "periodic", AdHoc => "ad_hoc" }
}

codes! {
    /// How the subject uses the OCOP mark (Điều 9.3b).
    MarkUse { Proper => "proper", Misused => "misused", NotUsed => "not_used" }
}

codes! {
    /// What the inspection concludes.
    InspectionOutcome { Kept => "kept", Warning => "warning", ProposeRevocation => "propose_revocation" }
}

codes! {
    /// The grounds of Điều 8.1, a to e ("đ" is written `dd`).
    RevocationGround { A => "a", B => "b", C => "c", D => "d", DD => "dd", E => "e" }
}

/// One finding: a criterion of the evaluated scorecard and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub criterion: String,
    pub note: String,
}

/// An inspection as the office records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionForm {
    pub kind: InspectionKind,
    pub inspected_on: CalendarDate,
    pub mark_use: MarkUse,
    pub findings: Vec<Finding>,
    pub outcome: InspectionOutcome,
}

/// Whether `id` may name an inspection a device recorded offline: 16 to 80
/// letters, digits or dashes (the device makes it; the server keeps it, so the
/// same inspection sent twice is recorded once).
pub fn inspection_id_ok(id: &str) -> bool {
    (16..=80).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// At most this many findings in one inspection.
pub const MAX_FINDINGS: usize = 60;

impl InspectionForm {
    /// Checks an inspection of a certificate issued on `issued`: a kind, a day
    /// from the issue to today, the mark's use, findings whose criterion is one of
    /// `criteria` (the evaluated scorecard's; empty: any code of 1–20 characters),
    /// and an outcome; a warning or a proposal to revoke names what was found.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: &str,
        inspected_on: &str,
        mark_use: &str,
        findings: Vec<Finding>,
        outcome: &str,
        criteria: &[String],
        issued: CalendarDate,
        today: CalendarDate,
    ) -> Result<InspectionForm, FieldError> {
        let choose = |field: &'static str, what: &str| {
            (
                field,
                Refusal::Required {
                    what: what.to_string(),
                },
            )
        };
        let kind = InspectionKind::parse(kind).ok_or_else(|| choose("kind", "inspection_kind"))?;
        let inspected_on =
            CalendarDate::parse(inspected_on).map_err(|e| ("inspected_on", Refusal::from(e)))?;
        if inspected_on < issued || inspected_on > today {
            return Err((
                "inspected_on",
                Refusal::InspectionDateOutOfRange {
                    issued: issued.day_month_year(),
                    today: today.day_month_year(),
                },
            ));
        }
        let mark_use = MarkUse::parse(mark_use).ok_or_else(|| choose("mark_use", "mark_use"))?;
        let outcome = InspectionOutcome::parse(outcome)
            .ok_or_else(|| choose("outcome", "inspection_outcome"))?;
        if findings.len() > MAX_FINDINGS {
            return Err((
                "findings",
                Refusal::TooLong {
                    max: MAX_FINDINGS as u32,
                },
            ));
        }
        let mut checked = Vec::with_capacity(findings.len());
        for finding in findings {
            let criterion = finding.criterion.trim().to_string();
            let known = if criteria.is_empty() {
                (1..=20).contains(&criterion.chars().count())
            } else {
                criteria.contains(&criterion)
            };
            if !known {
                return Err(("findings", Refusal::CriterionUnknown { code: criterion }));
            }
            let note = super::subject::required("findings", &finding.note, "finding_note", 1000)?;
            checked.push(Finding { criterion, note });
        }
        if outcome != InspectionOutcome::Kept && checked.is_empty() {
            return Err(("findings", Refusal::FindingRequired));
        }
        Ok(InspectionForm {
            kind,
            inspected_on,
            mark_use,
            findings: checked,
            outcome,
        })
    }
}

/// A signed revocation decision as the office types it and the database keeps
/// it (dates `YYYY-MM-DD`, the ground a letter's code; `db::aftercare` reads it
/// by column name); `RevocationForm::parse` checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationText {
    pub ground: String,
    pub detail: String,
    pub found_on: String,
    pub number: String,
    pub signed_on: String,
    pub signer: String,
}

/// A revocation decision as the office records it once signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationForm {
    pub ground: RevocationGround,
    pub detail: String,
    /// The day of the competent authority's finding (or the commune's
    /// confirmation that production stopped), Điều 8.4.
    pub found_on: CalendarDate,
    pub number: String,
    pub signed_on: CalendarDate,
    pub signer: String,
}

impl RevocationForm {
    /// Checks a revocation of a certificate with `stars` by the office `by`
    /// and its `status` today: the province revokes 3★ and 4★ only, the
    /// ministry 5★ only (Điều 8.2);
    /// a certificate already revoked or expired is not revoked again; the finding
    /// lies between the issue and the signing, the signing no later than today.
    pub fn parse(
        text: &RevocationText,
        (stars, by): (u8, Office),
        status: CertificateStatus,
        issued: CalendarDate,
        today: CalendarDate,
    ) -> Result<RevocationForm, FieldError> {
        match (stars >= 5, by) {
            (true, Office::Province(_)) => return Err(("code", Refusal::RevocationByMinistry)),
            (false, Office::Ministry) => return Err(("code", Refusal::RevocationByProvince)),
            _ => {}
        }
        if matches!(
            status,
            CertificateStatus::Revoked | CertificateStatus::Expired
        ) {
            return Err((
                "code",
                Refusal::CertificateNotInForce {
                    status: status.key().to_string(),
                },
            ));
        }
        let ground = RevocationGround::parse(&text.ground).ok_or((
            "ground",
            Refusal::Required {
                what: "revocation_ground".into(),
            },
        ))?;
        let detail = super::subject::required("detail", &text.detail, "revocation_detail", 2000)?;
        let found_on =
            CalendarDate::parse(&text.found_on).map_err(|e| ("found_on", Refusal::from(e)))?;
        if found_on < issued || found_on > today {
            return Err((
                "found_on",
                Refusal::InspectionDateOutOfRange {
                    issued: issued.day_month_year(),
                    today: today.day_month_year(),
                },
            ));
        }
        let number = super::subject::required("number", &text.number, "decision_number", 40)?;
        let signed_on =
            CalendarDate::parse(&text.signed_on).map_err(|e| ("signed_on", Refusal::from(e)))?;
        if signed_on < found_on || signed_on > today {
            return Err((
                "signed_on",
                Refusal::RevocationDateOutOfRange {
                    found: found_on.day_month_year(),
                    today: today.day_month_year(),
                },
            ));
        }
        let signer = super::subject::required("signer", &text.signer, "decision_signer", 200)?;
        Ok(RevocationForm {
            ground,
            detail,
            found_on,
            number,
            signed_on,
            signer,
        })
    }

    /// The last day Điều 8.4 allows (15 days from the finding).
    pub fn due(&self) -> CalendarDate {
        revocation_due(self.found_on)
    }

    /// Signed after the 15 days: recorded all the same (the certificate must
    /// go), and shown as late.
    pub fn late(&self) -> bool {
        self.signed_on > self.due()
    }
}

#[cfg(test)]
#[path = "aftercare_tests.rs"]
mod tests;
