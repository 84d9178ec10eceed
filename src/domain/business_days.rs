//! Business-day arithmetic for deadlines families are promised: the hospital's
//! own calendar (Los Angeles, Monday to Friday, minus holidays), not UTC days.
//!
//! Pure: the caller loads the holidays (the `holidays` table) and passes them in.

use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included};
use std::sync::OnceLock;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The hospital's time zone. Every "day" in a deadline is a day on its wall clock.
pub const TIME_ZONE: &str = "America/Los_Angeles";

static HOSPITAL_TIME_ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Loads [`TIME_ZONE`] from the system's time zone database (Debian's `tzdata`).
/// The app calls this before it serves anything, so a missing database stops
/// it at startup with this error rather than putting wrong dates on pages.
pub fn load_time_zone() -> Result<&'static TimeZone, jiff::Error> {
    if let Some(tz) = HOSPITAL_TIME_ZONE.get() {
        return Ok(tz);
    }
    let tz = TimeZone::get(TIME_ZONE)?;
    Ok(HOSPITAL_TIME_ZONE.get_or_init(|| tz))
}

/// The hospital's time zone, as [`load_time_zone`] loaded it at startup.
pub fn time_zone() -> &'static TimeZone {
    HOSPITAL_TIME_ZONE.get_or_init(|| {
        TimeZone::get(TIME_ZONE).expect("startup checked that the time zone database has America/Los_Angeles")
    })
}

/// The hospital's working calendar: its time zone plus the days it is closed on
/// top of weekends.
#[derive(Clone, Debug)]
pub struct Calendar {
    tz: TimeZone,
    holidays: BTreeSet<Date>,
}

impl Calendar {
    /// America/Los_Angeles with these holidays (weekend dates are accepted and change nothing).
    ///
    /// Fails only if the time zone database has no America/Los_Angeles; on Linux jiff
    /// reads the system copy (`/usr/share/zoneinfo`), so the host needs tzdata.
    pub fn new(holidays: impl IntoIterator<Item = Date>) -> Result<Self, jiff::Error> {
        Ok(Self { tz: load_time_zone()?.clone(), holidays: holidays.into_iter().collect() })
    }

    /// The hospital's time zone, for showing other instants on its wall clock.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// Monday to Friday and not a holiday.
    pub fn is_business_day(&self, d: Date) -> bool {
        is_weekday(d.weekday()) && !self.holidays.contains(&d)
    }

    /// The hospital's local calendar date of an instant.
    pub fn local_date(&self, at: Timestamp) -> Date {
        self.tz.to_datetime(at).date()
    }

    /// The n-th business day after `from` (`from` itself never counts; `n = 0` returns `from`).
    ///
    /// Saturates at `Date::MAX` (9999-12-31) instead of panicking.
    pub fn add_business_days(&self, from: Date, n: u32) -> Date {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            // `tomorrow` only fails past jiff's last date; no real deadline gets there.
            let Ok(next) = day.tomorrow() else { return Date::MAX };
            day = next;
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Business days in `(from, to]`: how many business days `to` is after `from`
    /// (negative if before, 0 if the same day). `business_days_between(d, add_business_days(d, n)) == n`.
    pub fn business_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.business_days_between(to, from);
        }
        // Counted arithmetically rather than day by day so a far-off date cannot make this slow.
        // Civil dates have no DST, so every day in a `Date` difference is exactly 24 hours.
        let days = to.duration_since(from).as_hours() / 24;
        let start = from.weekday();
        let weekdays_in_full_weeks = days / 7 * 5;
        let weekdays_in_rest = (1..=days % 7).filter(|&i| is_weekday(start.wrapping_add(i))).count() as i64;
        // `from <= to` here, which is what `BTreeSet::range` needs not to panic.
        let weekday_holidays =
            self.holidays.range((Excluded(from), Included(to))).filter(|d| is_weekday(d.weekday())).count() as i64;
        weekdays_in_full_weeks + weekdays_in_rest - weekday_holidays
    }

    /// The first instant AFTER a window of `n` business days that starts at `start`:
    /// local midnight at the end of the n-th business day after `start`'s local date.
    ///
    /// A follow-up posted at `t` is in time iff `t < window_end(delivered_at, 5)`. Whatever the
    /// hour of `start`, counting begins the next local day, so a late-evening delivery loses nothing.
    /// Saturates at `Timestamp::MAX` instead of panicking.
    pub fn window_end(&self, start: Timestamp, n: u32) -> Timestamp {
        let last_day = self.add_business_days(self.local_date(start), n);
        // The end is the next day's start, not 24 hours after the last day's start: on DST
        // change days a local day is 23 or 25 hours long. Midnight always exists in Los
        // Angeles (clocks change at 2 a.m.); elsewhere jiff would pick the first instant after a gap.
        last_day
            .tomorrow()
            .and_then(|next| next.to_zoned(self.tz.clone()))
            .map(|midnight| midnight.timestamp())
            .unwrap_or(Timestamp::MAX)
    }

    /// The last instant of `day` on the hospital's wall clock (to the
    /// microsecond, PostgreSQL's precision): a deadline "by the end of that day".
    pub fn end_of_day(&self, day: Date) -> Timestamp {
        day.tomorrow()
            .and_then(|next| next.to_zoned(self.tz.clone()))
            .map(|midnight| midnight.timestamp() - SignedDuration::from_micros(1))
            .unwrap_or(Timestamp::MAX)
    }

    /// The end of the n-th business day after `at`'s local date: the deadline of
    /// something due "within n business days". Always on a business day for n > 0.
    pub fn deadline_after(&self, at: Timestamp, n: u32) -> Timestamp {
        self.end_of_day(self.add_business_days(self.local_date(at), n))
    }

    /// Human text for a deadline shown to families, e.g.
    /// "Friday, December 11, 2026, 11:59 p.m. Pacific Time".
    ///
    /// Takes the exclusive end from [`Calendar::window_end`] and names the last minute still
    /// inside the window, because people read "by 11:59 p.m." as inclusive and "by midnight
    /// Saturday" as ambiguous.
    pub fn describe_deadline(&self, window_end: Timestamp) -> String {
        let last_instant = window_end.checked_sub(SignedDuration::from_nanos(1)).unwrap_or(window_end);
        let local = self.tz.to_datetime(last_instant);
        let (hour, meridiem) = match local.hour() {
            0 => (12, "a.m."),
            h @ 1..=11 => (h, "a.m."),
            12 => (12, "p.m."),
            h => (h - 12, "p.m."),
        };
        format!(
            "{}, {} {}, {}, {}:{:02} {} Pacific Time",
            weekday_name(local.weekday()),
            month_name(local.month()),
            local.day(),
            local.year(),
            hour,
            local.minute(),
            meridiem,
        )
    }
}

fn is_weekday(w: Weekday) -> bool {
    !matches!(w, Weekday::Saturday | Weekday::Sunday)
}

// Spelled out here rather than via strftime, whose `Display` can fail and would
// make `to_string` panic; these cannot.
fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn month_name(month: i8) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Zoned;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// US federal holidays 2026-2028 on their observed dates; the same rows as
    /// migrations/0006_holidays.sql (generated by the same script).
    fn federal_holidays() -> Vec<Date> {
        vec![
            date(2026, 1, 1),   // New Year's Day
            date(2026, 1, 19),  // Martin Luther King Jr. Day
            date(2026, 2, 16),  // Washington's Birthday
            date(2026, 5, 25),  // Memorial Day
            date(2026, 6, 19),  // Juneteenth
            date(2026, 7, 3),   // Independence Day (July 4 is a Saturday)
            date(2026, 9, 7),   // Labor Day
            date(2026, 10, 12), // Columbus Day
            date(2026, 11, 11), // Veterans Day
            date(2026, 11, 26), // Thanksgiving Day
            date(2026, 12, 25), // Christmas Day
            date(2027, 1, 1),   // New Year's Day
            date(2027, 1, 18),  // Martin Luther King Jr. Day
            date(2027, 2, 15),  // Washington's Birthday
            date(2027, 5, 31),  // Memorial Day
            date(2027, 6, 18),  // Juneteenth (June 19 is a Saturday)
            date(2027, 7, 5),   // Independence Day (July 4 is a Sunday)
            date(2027, 9, 6),   // Labor Day
            date(2027, 10, 11), // Columbus Day
            date(2027, 11, 11), // Veterans Day
            date(2027, 11, 25), // Thanksgiving Day
            date(2027, 12, 24), // Christmas Day (December 25 is a Saturday)
            date(2027, 12, 31), // New Year's Day 2028 (January 1 is a Saturday)
            date(2028, 1, 17),  // Martin Luther King Jr. Day
            date(2028, 2, 21),  // Washington's Birthday
            date(2028, 5, 29),  // Memorial Day
            date(2028, 6, 19),  // Juneteenth
            date(2028, 7, 4),   // Independence Day
            date(2028, 9, 4),   // Labor Day
            date(2028, 10, 9),  // Columbus Day
            date(2028, 11, 10), // Veterans Day (November 11 is a Saturday)
            date(2028, 11, 23), // Thanksgiving Day
            date(2028, 12, 25), // Christmas Day
        ]
    }

    fn calendar() -> Calendar {
        Calendar::new(federal_holidays()).expect("tzdb has America/Los_Angeles")
    }

    /// An instant written as RFC 9557 text; jiff rejects an offset that disagrees with the zone.
    fn at(s: &str) -> Timestamp {
        s.parse::<Zoned>().expect(s).timestamp()
    }

    #[test]
    fn federal_holidays_are_weekdays_and_sorted() {
        let days = federal_holidays();
        assert_eq!(days.len(), 33);
        assert!(days.windows(2).all(|w| w[0] < w[1]));
        assert!(days.iter().all(|d| is_weekday(d.weekday())));
    }

    #[test]
    fn friday_delivery_closes_at_the_end_of_the_next_friday() {
        let cal = calendar();
        let delivered = at("2026-12-04T16:00-08:00[America/Los_Angeles]");
        assert_eq!(cal.add_business_days(date(2026, 12, 4), 1), date(2026, 12, 7)); // Monday
        assert_eq!(cal.add_business_days(date(2026, 12, 4), 5), date(2026, 12, 11)); // Friday
        let end = cal.window_end(delivered, 5);
        assert_eq!(end, at("2026-12-12T00:00-08:00[America/Los_Angeles]"));
        assert!(at("2026-12-11T23:59:59-08:00[America/Los_Angeles]") < end);
        assert!(at("2026-12-11T23:59:59.999999999-08:00[America/Los_Angeles]") < end);
        assert!(at("2026-12-12T00:00:00-08:00[America/Los_Angeles]") >= end);
        assert_eq!(cal.describe_deadline(end), "Friday, December 11, 2026, 11:59 p.m. Pacific Time");
    }

    #[test]
    fn saturday_delivery_counts_from_monday() {
        let cal = calendar();
        let delivered = at("2026-12-05T09:00-08:00[America/Los_Angeles]");
        assert_eq!(cal.window_end(delivered, 1), at("2026-12-08T00:00-08:00[America/Los_Angeles]"));
        assert_eq!(cal.window_end(delivered, 5), at("2026-12-12T00:00-08:00[America/Los_Angeles]"));
    }

    #[test]
    fn thanksgiving_inside_the_window_pushes_the_end_by_one_day() {
        let delivered = at("2026-11-23T10:00-08:00[America/Los_Angeles]"); // Monday
        let without = Calendar::new([]).expect("tzdb");
        assert_eq!(without.window_end(delivered, 5), at("2026-12-01T00:00-08:00[America/Los_Angeles]"));
        // Tue 24, Wed 25, (Thu 26 Thanksgiving), Fri 27, Mon 30, Tue Dec 1.
        assert_eq!(calendar().window_end(delivered, 5), at("2026-12-02T00:00-08:00[America/Los_Angeles]"));
    }

    #[test]
    fn late_evening_delivery_starts_counting_the_next_local_day() {
        let cal = calendar();
        // 23:30 Tuesday in Los Angeles is already Wednesday in UTC; the local date must win.
        let delivered = at("2026-12-08T23:30-08:00[America/Los_Angeles]");
        assert_eq!(cal.local_date(delivered), date(2026, 12, 8));
        assert_eq!(cal.window_end(delivered, 1), at("2026-12-10T00:00-08:00[America/Los_Angeles]"));
        assert_eq!(cal.window_end(delivered, 5), at("2026-12-16T00:00-08:00[America/Los_Angeles]"));
        assert_eq!(cal.window_end(delivered, 0), at("2026-12-09T00:00-08:00[America/Los_Angeles]"));
    }

    #[test]
    fn window_crossing_the_start_of_daylight_saving_ends_at_pdt_midnight() {
        let cal = calendar();
        // Clocks spring forward on Sunday 2026-03-08.
        let delivered = at("2026-03-04T10:00-08:00[America/Los_Angeles]"); // Wednesday, PST
        let end = cal.window_end(delivered, 5);
        assert_eq!(end, at("2026-03-12T00:00-07:00[America/Los_Angeles]"));
        assert_eq!(end.to_string(), "2026-03-12T07:00:00Z");
        assert_eq!(cal.describe_deadline(end), "Wednesday, March 11, 2026, 11:59 p.m. Pacific Time");
    }

    #[test]
    fn window_crossing_the_end_of_daylight_saving_ends_at_pst_midnight() {
        let cal = calendar();
        // Clocks fall back on Sunday 2026-11-01.
        let delivered = at("2026-10-28T10:00-07:00[America/Los_Angeles]"); // Wednesday, PDT
        let end = cal.window_end(delivered, 5);
        assert_eq!(end.to_string(), "2026-11-05T08:00:00Z");
        assert_eq!(cal.describe_deadline(end), "Wednesday, November 4, 2026, 11:59 p.m. Pacific Time");
        // Either 1:30 a.m. of the repeated hour is still Sunday; counting starts Monday.
        for s in ["2026-11-01T01:30-07:00[America/Los_Angeles]", "2026-11-01T01:30-08:00[America/Los_Angeles]"] {
            assert_eq!(cal.local_date(at(s)), date(2026, 11, 1));
            assert_eq!(cal.window_end(at(s), 5).to_string(), "2026-11-07T08:00:00Z");
        }
    }

    #[test]
    fn year_end_skips_observed_new_years_days() {
        let cal = calendar();
        // Thursday 2026-12-31; Friday 2027-01-01 is New Year's Day.
        let end = cal.window_end(at("2026-12-31T12:00-08:00[America/Los_Angeles]"), 5);
        assert_eq!(end, at("2027-01-09T00:00-08:00[America/Los_Angeles]"));
        assert_eq!(cal.describe_deadline(end), "Friday, January 8, 2027, 11:59 p.m. Pacific Time");
        // Thursday 2027-12-23: Christmas observed Friday 24, New Year's Day 2028 observed Friday 31.
        assert_eq!(cal.add_business_days(date(2027, 12, 23), 4), date(2027, 12, 30));
        assert_eq!(cal.add_business_days(date(2027, 12, 23), 5), date(2028, 1, 3));
        assert!(!cal.is_business_day(date(2027, 12, 31)));
        assert!(cal.is_business_day(date(2027, 12, 30)));
    }

    #[test]
    fn expected_opinion_range_is_five_to_seven_business_days() {
        let cal = calendar();
        let ready = cal.local_date(at("2026-11-23T08:15-08:00[America/Los_Angeles]")); // Monday
        assert_eq!(cal.add_business_days(ready, 5), date(2026, 12, 1));
        assert_eq!(cal.add_business_days(ready, 7), date(2026, 12, 3));
    }

    #[test]
    fn counting_between_dates() {
        let cal = calendar();
        let (fri, sat, sun, mon) = (date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7));
        assert_eq!(cal.add_business_days(sat, 0), sat);
        assert_eq!(cal.business_days_between(fri, fri), 0);
        assert_eq!(cal.business_days_between(fri, sun), 0);
        assert_eq!(cal.business_days_between(fri, mon), 1);
        assert_eq!(cal.business_days_between(mon, fri), -1);
        assert_eq!(cal.business_days_between(sat, sun), 0);
        // All of 2027: 261 weekdays minus 12 weekday holidays (two New Year's Days observed in it).
        assert_eq!(cal.business_days_between(date(2026, 12, 31), date(2027, 12, 31)), 261 - 12);
    }

    #[test]
    fn describes_times_other_than_midnight() {
        let cal = calendar();
        let describe = |s| cal.describe_deadline(at(s));
        assert_eq!(
            describe("2026-07-01T09:30-07:00[America/Los_Angeles]"),
            "Wednesday, July 1, 2026, 9:29 a.m. Pacific Time"
        );
        assert_eq!(
            describe("2026-07-01T13:00-07:00[America/Los_Angeles]"),
            "Wednesday, July 1, 2026, 12:59 p.m. Pacific Time"
        );
        assert_eq!(
            describe("2026-07-01T01:00-07:00[America/Los_Angeles]"),
            "Wednesday, July 1, 2026, 12:59 a.m. Pacific Time"
        );
    }

    #[test]
    fn extremes_saturate_instead_of_panicking() {
        let cal = calendar();
        assert_eq!(cal.add_business_days(date(9999, 12, 28), 10), Date::MAX);
        assert_eq!(cal.window_end(Timestamp::MAX, 5), Timestamp::MAX);
        assert!(cal.window_end(Timestamp::MIN, 0) > Timestamp::MIN);
        assert!(cal.describe_deadline(Timestamp::MIN).ends_with("Pacific Time"));
        assert_eq!(cal.business_days_between(Date::MIN, Date::MAX), -cal.business_days_between(Date::MAX, Date::MIN));
    }

    // Seconds since the epoch bounding the property tests: 2026-01-01 to 2029-01-01, UTC.
    const FROM_2026: i64 = 1_767_225_600;
    const TO_2029: i64 = 1_861_920_000;

    fn instant() -> impl Strategy<Value = Timestamp> {
        (FROM_2026..TO_2029, 0..1_000_000_000i32).prop_map(|(s, ns)| Timestamp::new(s, ns).expect("in range"))
    }

    /// The definition, day by day, to check the arithmetic against.
    fn naive_between(cal: &Calendar, from: Date, to: Date) -> i64 {
        let (lo, hi, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut n = 0;
        let mut d = lo;
        while d < hi {
            d = d.tomorrow().expect("in range");
            n += i64::from(cal.is_business_day(d));
        }
        sign * n
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn add_lands_on_the_nth_business_day(start in instant(), n in 0u32..15) {
            let cal = calendar();
            let from = cal.local_date(start);
            let result = cal.add_business_days(from, n);
            if n == 0 {
                prop_assert_eq!(result, from);
            } else {
                prop_assert!(cal.is_business_day(result));
                prop_assert!(result > from);
            }
            prop_assert_eq!(cal.business_days_between(from, result), i64::from(n));
            prop_assert!(cal.add_business_days(from, n + 1) > result);
        }

        #[test]
        fn window_ends_at_a_local_midnight_n_business_days_on(start in instant(), n in 0u32..15) {
            let cal = calendar();
            let end = cal.window_end(start, n);
            prop_assert_eq!(cal.time_zone().to_datetime(end).time(), jiff::civil::Time::midnight());
            prop_assert!(end > start);
            let last_instant = end - SignedDuration::from_nanos(1);
            prop_assert_eq!(cal.business_days_between(cal.local_date(start), cal.local_date(last_instant)), i64::from(n));
            if n > 0 {
                prop_assert!(cal.is_business_day(cal.local_date(last_instant)));
            }
            prop_assert!(cal.window_end(start, n + 1) > end);
        }

        #[test]
        fn a_post_on_a_business_day_is_in_time_iff_at_most_n_business_days_on(
            start in instant(),
            after_secs in 0i64..(30 * 86_400),
            n in 0u32..15,
        ) {
            let cal = calendar();
            let posted = start + SignedDuration::from_secs(after_secs);
            let day = cal.local_date(posted);
            prop_assume!(cal.is_business_day(day));
            let in_time = posted < cal.window_end(start, n);
            prop_assert_eq!(in_time, cal.business_days_between(cal.local_date(start), day) <= i64::from(n));
        }

        #[test]
        fn deadlines_end_a_business_day_n_business_days_on(start in instant(), n in 1u32..15) {
            let cal = calendar();
            let due = cal.deadline_after(start, n);
            let local = cal.time_zone().to_datetime(due);
            prop_assert!(cal.is_business_day(local.date()), "never on a weekend or holiday");
            prop_assert_eq!(local.time(), jiff::civil::time(23, 59, 59, 999_999_000));
            prop_assert!(due > start);
            prop_assert_eq!(cal.business_days_between(cal.local_date(start), local.date()), i64::from(n));
            // The last microsecond of the day: one more and it is the next day.
            prop_assert_eq!(cal.local_date(due + SignedDuration::from_micros(1)), local.date().tomorrow().unwrap());
            prop_assert_eq!(due + SignedDuration::from_micros(1), cal.window_end(start, n));
        }

        #[test]
        fn between_matches_a_day_by_day_count(a in instant(), b in instant()) {
            let cal = calendar();
            let (a, b) = (cal.local_date(a), cal.local_date(b));
            prop_assert_eq!(cal.business_days_between(a, b), naive_between(&cal, a, b));
            prop_assert_eq!(cal.business_days_between(b, a), -cal.business_days_between(a, b));
        }
    }
}
