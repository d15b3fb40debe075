//! Working days as Vietnamese administrative deadlines count them: Monday to Friday,
//! except configured public holidays (Điều 7.2: the commune has 15 working days).
use super::date::CalendarDate;

/// Monday = 0 … Sunday = 6 (1 January 1970 was a Thursday).
pub fn weekday(date: CalendarDate) -> u8 {
    (date.days_since_epoch() + 3).rem_euclid(7) as u8
}

pub fn is_working_day(date: CalendarDate, holidays: &[CalendarDate]) -> bool {
    weekday(date) < 5 && !holidays.contains(&date)
}

/// The deadline `days` working days after `start` (the day of receipt does not count).
pub fn add_working_days(start: CalendarDate, days: u32, holidays: &[CalendarDate]) -> CalendarDate {
    let mut date = start;
    let mut counted = 0;
    while counted < days {
        date = date.next_day();
        if is_working_day(date, holidays) {
            counted += 1;
        }
    }
    date
}

/// Working days left from `today` until `deadline` (0 on the deadline itself,
/// negative when late: the working days since it passed).
pub fn working_days_left(
    today: CalendarDate,
    deadline: CalendarDate,
    holidays: &[CalendarDate],
) -> i64 {
    let (from, to, sign) = if today <= deadline {
        (today, deadline, 1)
    } else {
        (deadline, today, -1)
    };
    let mut date = from;
    let mut count = 0;
    while date < to {
        date = date.next_day();
        if is_working_day(date, holidays) {
            count += 1;
        }
    }
    sign * count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> CalendarDate {
        CalendarDate::parse(text).expect("date")
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(weekday(d("2026-11-29")), 6, "a Sunday");
        assert_eq!(weekday(d("2026-11-30")), 0, "a Monday");
        assert_eq!(weekday(d("1970-01-01")), 3, "a Thursday");
    }

    #[test]
    fn fifteen_working_days_skip_weekends_and_configured_holidays() {
        // 30/4 and 1/5/2026 (Thursday, Friday) are public holidays in Vietnam.
        let holidays = [d("2026-04-30"), d("2026-05-01")];
        let table = [
            // (received, days, holidays?, deadline)
            ("2026-04-23", 15, false, "2026-05-14"),
            ("2026-04-23", 15, true, "2026-05-18"),
            ("2026-11-27", 1, false, "2026-11-30"), // Friday → Monday
            ("2026-11-28", 1, false, "2026-11-30"), // received on a Saturday
            ("2026-11-29", 15, false, "2026-12-18"),
            ("2026-04-29", 1, true, "2026-05-04"), // over the holidays and a weekend
        ];
        for (received, days, with_holidays, expected) in table {
            let used: &[CalendarDate] = if with_holidays { &holidays } else { &[] };
            assert_eq!(
                add_working_days(d(received), days, used),
                d(expected),
                "{received} + {days} working days (holidays: {with_holidays})"
            );
        }
    }

    #[test]
    fn days_left_count_down_to_zero_and_below_when_late() {
        let holidays = [d("2026-04-30"), d("2026-05-01")];
        let deadline = d("2026-05-18");
        let table = [
            ("2026-04-23", 15),
            ("2026-04-29", 11),
            ("2026-05-15", 1),
            ("2026-05-16", 1), // Saturday: Monday is still ahead
            ("2026-05-18", 0),
            ("2026-05-19", -1),
            ("2026-05-25", -5),
        ];
        for (today, left) in table {
            assert_eq!(
                working_days_left(d(today), deadline, &holidays),
                left,
                "on {today}"
            );
        }
    }
}
