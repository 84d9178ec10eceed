//! A child's profile as typed by a parent, checked before it is stored.

use super::name::is_forbidden;
use crate::i18n::Msg;
use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

/// The program is pediatric: patients are under 21.
pub const MAX_AGE_YEARS: i16 = 21;
/// First, last and preferred names, each (the database agrees).
pub const MAX_NAME_PART_CHARS: usize = 100;

/// As the `child_sex` Postgres enum stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "child_sex", rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Intersex,
    NotStated,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Intersex, Sex::NotStated];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Intersex => "intersex",
            Sex::NotStated => "not_stated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::Intersex => "Intersex",
            Sex::NotStated => "Prefer not to say",
        }
    }

    pub fn parse(raw: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One name part (first, last, preferred): trimmed, NFC, 1–100 characters, no control characters.
pub fn parse_name_part(raw: &str, what: Msg) -> Result<String, Msg> {
    let name: String = raw.trim().nfc().collect();
    if name.is_empty() {
        return Err(what);
    }
    if name.chars().count() > MAX_NAME_PART_CHARS {
        return Err(Msg("name-too-long"));
    }
    if name.chars().any(is_forbidden) {
        return Err(Msg("name-bad-characters"));
    }
    Ok(name)
}

/// A date of birth from an `<input type="date">` (YYYY-MM-DD): real, not in
/// the future, and under the program's age limit on `today`.
pub fn parse_date_of_birth(raw: &str, today: Date) -> Result<Date, Msg> {
    let date: Date = raw.trim().parse().map_err(|_| Msg("dob-not-a-date"))?;
    if date > today {
        return Err(Msg("dob-in-future"));
    }
    let twenty_first = date.checked_add(jiff::Span::new().years(MAX_AGE_YEARS)).unwrap_or(Date::MAX);
    if twenty_first <= today {
        return Err(Msg("dob-too-old"));
    }
    Ok(date)
}

/// Whole years between `dob` and `today`.
pub fn age_on(dob: Date, today: Date) -> i16 {
    let mut years = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_of_birth_must_be_real_past_and_under_21() {
        let today = date(2026, 11, 28);
        assert!(parse_date_of_birth("2015-03-27", today).is_ok());
        assert!(parse_date_of_birth("2026-11-28", today).is_ok(), "born today");
        assert!(parse_date_of_birth("2026-11-29", today).is_err(), "future");
        assert!(parse_date_of_birth("2015-02-31", today).is_err(), "31 Feb");
        assert!(parse_date_of_birth("2005-11-28", today).is_err(), "21 today");
        assert!(parse_date_of_birth("2005-11-29", today).is_ok(), "21 tomorrow");
        assert!(parse_date_of_birth("yesterday", today).is_err());
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age_on(date(2015, 3, 27), date(2026, 3, 26)), 10);
        assert_eq!(age_on(date(2015, 3, 27), date(2026, 3, 27)), 11);
    }

    #[test]
    fn name_parts_refuse_bidi_and_blanks() {
        assert!(parse_name_part("Zoë", Msg("x")).is_ok());
        assert!(parse_name_part("  ", Msg("x")).is_err());
        assert!(parse_name_part("a\u{202E}b", Msg("x")).is_err());
    }
}
