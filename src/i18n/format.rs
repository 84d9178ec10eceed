//! Dates, times and money as each language writes them for families in
//! the US, in the hospital's time zone (Pacific). Spelled out rather than
//! through a locale library: two languages, a dozen words each, and every
//! form below is checked by a test.

use super::Lang;
use crate::domain::business_days::time_zone;
use crate::web::format::{Day, Instant};
use jiff::civil::Date;

/// "4:05 p.m." in English; "4:05 p. m." in Spanish (with the spaces the
/// Real Academia writes, as CLDR's Spanish does).
fn clock(lang: Lang, hour: i8, minute: i8) -> String {
    let (h, morning) = match hour {
        0 => (12, true),
        h @ 1..=11 => (h, true),
        12 => (12, false),
        h => (h - 12, false),
    };
    let suffix = match (lang, morning) {
        (Lang::En, true) => "a.m.",
        (Lang::En, false) => "p.m.",
        (Lang::Es, true) => "a. m.",
        (Lang::Es, false) => "p. m.",
    };
    format!("{h}:{minute:02} {suffix}")
}

/// "Dec 8, 2026, 4:05 p.m. PT" · "8 dic 2026, 4:05 p. m. PT"
pub fn date_time_in(lang: Lang, at: impl Instant) -> String {
    let local = time_zone().to_datetime(at.instant());
    let time = clock(lang, local.hour(), local.minute());
    match lang {
        Lang::En => format!("{} {}, {}, {time} PT", short_month(local.month()), local.day(), local.year()),
        Lang::Es => format!("{} {} {}, {time} PT", local.day(), short_month_es(local.month()), local.year()),
    }
}

/// A time the family should plan around (the follow-up call), with its day
/// of the week: "Tuesday, December 8, 6:00 p.m. PT" · "martes, 8 de
/// diciembre, 6:00 p. m. PT".
pub fn long_date_time_in(lang: Lang, at: impl Instant) -> String {
    let local = time_zone().to_datetime(at.instant());
    let (date, time) = (local.date(), clock(lang, local.hour(), local.minute()));
    match lang {
        Lang::En => format!("{}, {} {}, {time} PT", weekday(date), month(date.month()), date.day()),
        Lang::Es => format!("{}, {} de {}, {time} PT", weekday_es(date), date.day(), month_es(date.month())),
    }
}

/// A deadline, with its year: "Friday, December 11, 2026, 11:59 p.m. PT" ·
/// "viernes, 11 de diciembre de 2026, 11:59 p. m. PT".
pub fn deadline_in(lang: Lang, at: impl Instant) -> String {
    let local = time_zone().to_datetime(at.instant());
    format!("{}, {} PT", long_date_in(lang, local.date()), clock(lang, local.hour(), local.minute()))
}

/// "Tuesday, December 8, 2026" · "martes, 8 de diciembre de 2026"
pub fn long_date_in(lang: Lang, date: Date) -> String {
    match lang {
        Lang::En => format!("{}, {} {}, {}", weekday(date), month(date.month()), date.day(), date.year()),
        Lang::Es => format!("{}, {} de {} de {}", weekday_es(date), date.day(), month_es(date.month()), date.year()),
    }
}

/// "December 8, 2026" · "8 de diciembre de 2026"
pub fn date_in(lang: Lang, date: impl Day) -> String {
    let date = date.day();
    match lang {
        Lang::En => format!("{} {}, {}", month(date.month()), date.day(), date.year()),
        Lang::Es => format!("{} de {} de {}", date.day(), month_es(date.month()), date.year()),
    }
}

/// US dollars as each language writes them for families in the US: "$900",
/// "$1,250.50" in both. (US Spanish, CLDR `es-US`, writes dollars as US
/// English does; Spain's "900,00 US$" would read as a different amount here.)
pub fn money_in(lang: Lang, amount: crate::domain::Cents) -> String {
    match lang {
        Lang::En | Lang::Es => amount.to_string(),
    }
}

fn weekday_es(date: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "lunes",
        Tuesday => "martes",
        Wednesday => "miércoles",
        Thursday => "jueves",
        Friday => "viernes",
        Saturday => "sábado",
        Sunday => "domingo",
    }
}

fn month_es(m: i8) -> &'static str {
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ][usize::try_from(m - 1).unwrap_or(0).min(11)]
}

fn short_month_es(m: i8) -> &'static str {
    ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]
        [usize::try_from(m - 1).unwrap_or(0).min(11)]
}

// Spelled out rather than through strftime, whose `Display` can fail.
fn weekday(date: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "Monday",
        Tuesday => "Tuesday",
        Wednesday => "Wednesday",
        Thursday => "Thursday",
        Friday => "Friday",
        Saturday => "Saturday",
        Sunday => "Sunday",
    }
}

fn month(m: i8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][usize::try_from(m - 1).unwrap_or(0).min(11)]
}

fn short_month(m: i8) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        [usize::try_from(m - 1).unwrap_or(0).min(11)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn spanish_dates_and_times() {
        let evening: Timestamp = "2026-12-09T02:00:00Z".parse().unwrap();
        assert_eq!(long_date_time_in(Lang::Es, evening), "martes, 8 de diciembre, 6:00 p. m. PT");
        assert_eq!(long_date_time_in(Lang::En, evening), "Tuesday, December 8, 6:00 p.m. PT");
        assert_eq!(date_time_in(Lang::Es, evening), "8 dic 2026, 6:00 p. m. PT");
        assert_eq!(deadline_in(Lang::Es, evening), "martes, 8 de diciembre de 2026, 6:00 p. m. PT");
        assert_eq!(deadline_in(Lang::En, evening), "Tuesday, December 8, 2026, 6:00 p.m. PT");
        let morning: Timestamp = "2026-03-02T17:30:00Z".parse().unwrap();
        assert_eq!(date_time_in(Lang::Es, morning), "2 mar 2026, 9:30 a. m. PT");
        assert_eq!(long_date_in(Lang::Es, jiff::civil::date(2026, 12, 8)), "martes, 8 de diciembre de 2026");
        assert_eq!(date_in(Lang::Es, jiff::civil::date(2027, 1, 1)), "1 de enero de 2027");
        assert_eq!(money_in(Lang::Es, crate::domain::Cents(90_000)), "$900");
    }
}
