//! Dates and times as people read them: in the hospital's time zone (Pacific).

use jiff::tz::TimeZone;
use std::sync::LazyLock;
use time::OffsetDateTime;

static PACIFIC: LazyLock<TimeZone> = LazyLock::new(|| TimeZone::get("America/Los_Angeles").unwrap_or(TimeZone::UTC));

fn zoned(at: OffsetDateTime) -> Option<jiff::Zoned> {
    let ts = jiff::Timestamp::from_nanosecond(at.unix_timestamp_nanos()).ok()?;
    Some(ts.to_zoned(PACIFIC.clone()))
}

/// "Dec 8, 2026, 4:05 p.m. PT"
pub fn date_time(at: OffsetDateTime) -> String {
    zoned(at).map_or_else(
        || at.to_string(),
        |z| {
            let (hour, suffix) = match z.hour() {
                0 => (12, "a.m."),
                h @ 1..=11 => (h, "a.m."),
                12 => (12, "p.m."),
                h => (h - 12, "p.m."),
            };
            format!("{}, {hour}:{:02} {suffix} PT", z.strftime("%b %-d, %Y"), z.minute())
        },
    )
}

/// "Tuesday, December 8, 2026"
pub fn long_date(date: jiff::civil::Date) -> String {
    date.strftime("%A, %B %-d, %Y").to_string()
}

/// The Pacific calendar date of an instant.
pub fn pacific_date(at: OffsetDateTime) -> jiff::civil::Date {
    zoned(at).map_or(jiff::civil::Date::ZERO, |z| z.date())
}

/// The last second of `date` in the hospital's time zone (a due date's deadline).
pub fn end_of_pacific_day(date: jiff::civil::Date) -> OffsetDateTime {
    date.tomorrow()
        .and_then(|next| next.to_zoned(PACIFIC.clone()))
        .ok()
        .and_then(|z| OffsetDateTime::from_unix_timestamp(z.timestamp().as_second() - 1).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
