//! Dates and times as people read them: in the hospital's time zone
//! (Pacific), in English or Spanish (`*_in`; the plain ones are English,
//! for staff pages).

use crate::domain::business_days::time_zone;
use crate::i18n::{Lang, date_in, date_time_in, long_date_in};
use jiff::Timestamp;
use jiff::civil::Date;

/// An instant, as code and templates hold one (templates pass references).
pub trait Instant {
    fn instant(&self) -> Timestamp;
}

impl Instant for Timestamp {
    fn instant(&self) -> Timestamp {
        *self
    }
}

impl Instant for jiff_sqlx::Timestamp {
    fn instant(&self) -> Timestamp {
        self.to_jiff()
    }
}

impl<T: Instant> Instant for &T {
    fn instant(&self) -> Timestamp {
        (**self).instant()
    }
}

/// A calendar date, likewise.
pub trait Day {
    fn day(&self) -> Date;
}

impl Day for Date {
    fn day(&self) -> Date {
        *self
    }
}

impl Day for jiff_sqlx::Date {
    fn day(&self) -> Date {
        self.to_jiff()
    }
}

impl<T: Day> Day for &T {
    fn day(&self) -> Date {
        (**self).day()
    }
}

/// "Dec 8, 2026, 4:05 p.m. PT"
pub fn date_time(at: impl Instant) -> String {
    date_time_in(Lang::En, at)
}

/// "Tuesday, December 8, 2026"
pub fn long_date(date: Date) -> String {
    long_date_in(Lang::En, date)
}

/// "December 8, 2026"
pub fn date(date: impl Day) -> String {
    date_in(Lang::En, date)
}

/// The Pacific calendar date of an instant.
pub fn pacific_date(at: impl Instant) -> Date {
    time_zone().to_datetime(at.instant()).date()
}

/// The time now where the family lives, as a clinician reads it before calling:
/// "Tuesday 5:30 p.m. in Eastern Time (US and Canada)".
pub fn family_time(zone: &str, now: Timestamp) -> String {
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => {
            let local = now.to_zoned(tz);
            let (hour, suffix) = match local.hour() {
                0 => (12, "a.m."),
                h @ 1..=11 => (h, "a.m."),
                12 => (12, "p.m."),
                h => (h - 12, "p.m."),
            };
            format!(
                "{} {hour}:{:02} {suffix} in {}",
                local.strftime("%A"),
                local.minute(),
                // Staff pages are in English.
                crate::domain::time_zones::label(zone, crate::i18n::Lang::En)
            )
        }
        Err(_) => format!("time zone {zone}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacific_wall_clock_with_words_people_use() {
        let at: Timestamp = "2026-12-09T00:05:00Z".parse().unwrap();
        assert_eq!(date_time(at), "Dec 8, 2026, 4:05 p.m. PT");
        assert_eq!(pacific_date(at), jiff::civil::date(2026, 12, 8));
        assert_eq!(long_date(jiff::civil::date(2026, 12, 8)), "Tuesday, December 8, 2026");
        let noon: Timestamp = "2026-07-01T19:00:00Z".parse().unwrap();
        assert_eq!(date_time(noon), "Jul 1, 2026, 12:00 p.m. PT");
    }
}
