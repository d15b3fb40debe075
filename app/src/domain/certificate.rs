//! A recognised product's certificate in time, and its product code, as the
//! decision (QĐ 26/2026/QĐ-TTg) sets them. Pure: the producer's desk, the
//! office's pages and the server read the same dates.
//!
//! - Điều 4.3: a certificate is valid for 36 months from the day the competent
//!   authority issues it. A period in months ends on the same day of its last
//!   month, or on that month's last day when it has no such day (Bộ luật Dân sự
//!   2015, Điều 148): issued 29/02/2028, valid through 28/02/2031.
//! - Điều 7.6a: a re-evaluation dossier is filed "không sớm hơn 180 ngày và
//!   không muộn hơn 120 ngày" before the expiry day, both edges included.
//! - Điều 7.6g: re-evaluation takes at most 45 days from a complete dossier.
//! - Điều 8.4: a certificate is revoked within 15 days of the finding.
//! - Điều 12.3: a certificate whose re-evaluation missed the window stays valid
//!   until the authority's result, at most 180 days after its expiry.
//! - Every scorecard's header: "Mã số sản phẩm (T)-(X)-(STT)-20…", T the
//!   province's code, X the commune's, STT the commune's serial, and the year of
//!   the evaluation.
use super::date::CalendarDate;
use super::refusal::Refusal;
use std::fmt;

/// Months a certificate is valid (Điều 4.3).
pub const VALIDITY_MONTHS: u32 = 36;
/// The re-evaluation window opens this many days before the expiry day (Điều 7.6a).
pub const WINDOW_OPENS_DAYS_BEFORE: i64 = 180;
/// … and closes this many days before it (Điều 7.6a).
pub const WINDOW_CLOSES_DAYS_BEFORE: i64 = 120;
/// Days a re-evaluation may take from a complete dossier (Điều 7.6g).
pub const REEVALUATION_DAYS: i64 = 45;
/// Days a revocation may take from the finding (Điều 8.4).
pub const REVOCATION_DAYS: i64 = 15;
/// Days a certificate may outlive its expiry while a late re-evaluation is
/// decided (Điều 12.3).
pub const LATE_GRACE_DAYS: i64 = 180;
/// The producer is reminded this many days before the window closes, besides
/// the day it opens.
pub const REMINDER_DAYS_BEFORE_CLOSE: i64 = 30;

/// `date` plus `months` calendar months; a day the last month lacks becomes
/// that month's last day.
pub fn add_months(date: CalendarDate, months: u32) -> CalendarDate {
    let index = i64::from(date.year) * 12 + i64::from(date.month - 1) + i64::from(months);
    let year = index.div_euclid(12) as i32;
    let month = index.rem_euclid(12) as u32 + 1;
    let last = CalendarDate::days_in(year, month);
    CalendarDate {
        year,
        month,
        day: date.day.min(last),
    }
}

/// `date` plus `days` days (negative: before).
pub fn add_days(date: CalendarDate, days: i64) -> CalendarDate {
    CalendarDate::from_days_since_epoch(date.days_since_epoch() + days)
}

/// A certificate's time: issued on one day, valid through another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub issued: CalendarDate,
    /// The last day it is valid (included).
    pub valid_until: CalendarDate,
}

/// Where a day stands against a certificate's re-evaluation window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowPosition {
    Before,
    Open,
    After,
}

impl Validity {
    /// A certificate issued on `issued` (Điều 4.3).
    pub fn from_issue(issued: CalendarDate) -> Validity {
        Validity {
            issued,
            valid_until: add_months(issued, VALIDITY_MONTHS),
        }
    }

    /// Whether the certificate is in force on `day` (revocation aside).
    pub fn valid_on(&self, day: CalendarDate) -> bool {
        self.issued <= day && day <= self.valid_until
    }

    /// The first and last day a re-evaluation dossier may be filed (both included).
    pub fn window(&self) -> (CalendarDate, CalendarDate) {
        (
            add_days(self.valid_until, -WINDOW_OPENS_DAYS_BEFORE),
            add_days(self.valid_until, -WINDOW_CLOSES_DAYS_BEFORE),
        )
    }

    pub fn window_position(&self, day: CalendarDate) -> WindowPosition {
        let (opens, closes) = self.window();
        if day < opens {
            WindowPosition::Before
        } else if day > closes {
            WindowPosition::After
        } else {
            WindowPosition::Open
        }
    }

    /// A re-evaluation dossier filed on `day`: refused outside the window, with
    /// the window's dates.
    pub fn check_filing(&self, day: CalendarDate) -> Result<(), Refusal> {
        match self.window_position(day) {
            WindowPosition::Open => Ok(()),
            _ => {
                let (opens, closes) = self.window();
                Err(Refusal::ReevaluationOutsideWindow {
                    opens: opens.day_month_year(),
                    closes: closes.day_month_year(),
                })
            }
        }
    }

    /// The days the producer is reminded: the window's opening, and
    /// `REMINDER_DAYS_BEFORE_CLOSE` days before it closes.
    pub fn reminders(&self) -> [CalendarDate; 2] {
        let (opens, closes) = self.window();
        [opens, add_days(closes, -REMINDER_DAYS_BEFORE_CLOSE)]
    }

    /// The reminders (0: the opening, 1: before the close) due on `today` for a
    /// certificate revoked on `revoked_on` (if at all): a reminder's day has come
    /// and the window has not closed; none once revoked. Each is sent once, so a
    /// server that was down on the day sends it when it is back.
    pub fn reminders_due(&self, revoked_on: Option<CalendarDate>, today: CalendarDate) -> Vec<u8> {
        if revoked_on.is_some_and(|day| day <= today) || today > self.window().1 {
            return Vec::new();
        }
        (0u8..)
            .zip(self.reminders())
            .filter(|(_, day)| *day <= today)
            .map(|(which, _)| which)
            .collect()
    }

    /// The last day a certificate whose re-evaluation was filed late may still
    /// be in force, awaiting the result (Điều 12.3).
    pub fn late_grace_until(&self) -> CalendarDate {
        add_days(self.valid_until, LATE_GRACE_DAYS)
    }
}

/// What the public verification page says of a certificate on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// Issued for a later day (a decision dated ahead).
    NotYetValid,
    Expired,
    Revoked,
}

impl CertificateStatus {
    /// A certificate's status on `today`: revoked from its revocation day on,
    /// else by its validity.
    pub fn on(validity: &Validity, revoked_on: Option<CalendarDate>, today: CalendarDate) -> Self {
        if revoked_on.is_some_and(|day| day <= today) {
            CertificateStatus::Revoked
        } else if today < validity.issued {
            CertificateStatus::NotYetValid
        } else if validity.valid_on(today) {
            CertificateStatus::Valid
        } else {
            CertificateStatus::Expired
        }
    }

    /// The locale key of its name (`certificate_status_valid`, …).
    pub fn key(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::NotYetValid => "not_yet_valid",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Revoked => "revoked",
        }
    }
}

/// The last day to decide a re-evaluation whose dossier was complete on `complete`.
pub fn reevaluation_due(complete: CalendarDate) -> CalendarDate {
    add_days(complete, REEVALUATION_DAYS)
}

/// The last day to revoke a certificate after a finding on `finding`.
pub fn revocation_due(finding: CalendarDate) -> CalendarDate {
    add_days(finding, REVOCATION_DAYS)
}

/// A product code, `(T)-(X)-(STT)-year`: e.g. `62-23344-007-2026`. The province
/// has two digits and the commune five (QĐ 19/2025/QĐ-TTg's codes); the serial
/// at least three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductCode {
    pub province: u32,
    pub commune: u32,
    pub serial: u32,
    pub year: i32,
}

impl fmt::Display for ProductCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}-{:05}-{:03}-{}",
            self.province, self.commune, self.serial, self.year
        )
    }
}

impl ProductCode {
    /// Reads a code as printed; anything else is refused.
    pub fn parse(text: &str) -> Result<ProductCode, Refusal> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let digits = |part: &str, min: usize, max: usize| {
            (part.len() >= min && part.len() <= max && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
        };
        match parts.as_slice() {
            [t, x, stt, year] => {
                let code = ProductCode {
                    province: digits(t, 2, 2).ok_or(Refusal::ProductCodeInvalid)?,
                    commune: digits(x, 5, 5).ok_or(Refusal::ProductCodeInvalid)?,
                    serial: digits(stt, 3, 6)
                        .filter(|s| *s > 0)
                        .ok_or(Refusal::ProductCodeInvalid)?,
                    year: digits(year, 4, 4)
                        .and_then(|y| i32::try_from(y).ok())
                        .ok_or(Refusal::ProductCodeInvalid)?,
                };
                // One spelling per code: "007" and "0007" are not both accepted.
                (code.to_string() == text.trim())
                    .then_some(code)
                    .ok_or(Refusal::ProductCodeInvalid)
            }
            _ => Err(Refusal::ProductCodeInvalid),
        }
    }
}

#[cfg(test)]
#[path = "certificate_tests.rs"]
mod tests;
