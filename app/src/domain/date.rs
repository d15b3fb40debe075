//! Calendar dates and times as Vietnam reads them (UTC+7, no daylight saving).
use std::fmt;

/// Vietnam's offset from UTC, in milliseconds.
pub const VIETNAM_OFFSET_MS: i64 = 7 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError;

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::refusal::Said::text(
            &super::refusal::Refusal::DateInvalid,
            super::refusal::Lang::Vi,
        ))
    }
}

impl std::error::Error for DateError {}

impl CalendarDate {
    /// `2026-11-29` (what an `<input type="date">` sends).
    pub fn parse(text: &str) -> Result<CalendarDate, DateError> {
        let mut parts = text.trim().splitn(3, '-');
        let mut next = || parts.next().and_then(|p| p.parse::<i64>().ok());
        let (Some(year), Some(month), Some(day)) = (next(), next(), next()) else {
            return Err(DateError);
        };
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(DateError);
        }
        let date = CalendarDate {
            year: year as i32,
            month: month as u32,
            day: day as u32,
        };
        if day < 1 || day as u32 > days_in_month(date.year, date.month) {
            return Err(DateError);
        }
        Ok(date)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> CalendarDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CalendarDate { year, month, day }
    }

    /// The number of days in `month` of `year`.
    pub fn days_in(year: i32, month: u32) -> u32 {
        days_in_month(year, month)
    }

    pub fn next_day(self) -> CalendarDate {
        CalendarDate::from_days_since_epoch(self.days_since_epoch() + 1)
    }

    /// The day in Vietnam at Unix milliseconds `ms`.
    pub fn of_ms_vietnam(ms: i64) -> CalendarDate {
        CalendarDate::from_days_since_epoch((ms + VIETNAM_OFFSET_MS).div_euclid(DAY_MS))
    }

    /// `2027-04-30`, as dates are stored and sent.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `30/04/2027`, as Vietnamese forms write a date.
    pub fn day_month_year(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// Midnight at the start of this day in Vietnam, as Unix milliseconds.
    pub fn start_ms_vietnam(self) -> i64 {
        self.days_since_epoch() * DAY_MS - VIETNAM_OFFSET_MS
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unix time in milliseconds from this machine's clock: every stored time in
/// Sao (the server's; the browser reads its own through `js_sys::Date`).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `2027-04-30` as Vietnamese forms write it, `30/04/2027` (the text itself when
/// it is not a date).
pub fn display_date(iso: &str) -> String {
    CalendarDate::parse(iso).map_or_else(|_| iso.to_string(), CalendarDate::day_month_year)
}

/// `29/11/2026 14:05` in Vietnam time, from Unix milliseconds.
pub fn format_vietnam_time(ms: i64) -> String {
    let local = ms + VIETNAM_OFFSET_MS;
    let date = CalendarDate::from_days_since_epoch(local.div_euclid(DAY_MS));
    let minutes = local.rem_euclid(DAY_MS) / 60_000;
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        date.day,
        date.month,
        date.year,
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_refuse_impossible_days() {
        let date = CalendarDate::parse("2026-11-29").expect("valid");
        assert_eq!(
            CalendarDate::from_days_since_epoch(date.days_since_epoch()),
            date
        );
        assert_eq!(
            CalendarDate::parse("1970-01-01").map(|d| d.days_since_epoch()),
            Ok(0)
        );
        assert_eq!(
            CalendarDate::parse("2028-02-29").map(|d| d.next_day()),
            CalendarDate::parse("2028-03-01")
        );
        assert_eq!(CalendarDate::parse("2026-02-29"), Err(DateError));
        assert_eq!(CalendarDate::parse("29/11/2026"), Err(DateError));
    }

    #[test]
    fn vietnam_midnight_is_five_pm_utc_the_day_before() {
        let start = CalendarDate::parse("1970-01-02")
            .expect("valid")
            .start_ms_vietnam();
        assert_eq!(start, 17 * 60 * 60 * 1000);
        assert_eq!(format_vietnam_time(start), "02/01/1970 00:00");
    }
}
