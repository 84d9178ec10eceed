//! A phone number the clinician can dial from anywhere: E.164, with the
//! country code (the family may live outside the US).

use crate::i18n::Msg;
use std::fmt;

/// `+` and 7 to 15 digits, the first not 0, as the database checks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts what people type: spaces, dashes, dots and parentheses are
    /// ignored; `00` is the international prefix; ten digits (or eleven
    /// starting with 1) are a US or Canadian number. Anything else needs its
    /// country code.
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        const HELP: Msg = Msg("phone-invalid");
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Msg("phone-missing"));
        }
        if raw.chars().any(|c| !(c.is_ascii_digit() || " -.()+".contains(c))) {
            return Err(HELP);
        }
        let plus = raw.starts_with('+');
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if digits.len() == 10 {
            format!("1{digits}")
        } else if digits.len() == 11 && digits.starts_with('1') {
            digits
        } else {
            return Err(HELP);
        };
        if !(7..=15).contains(&international.len()) || international.starts_with('0') || raw.matches('+').count() > 1 {
            return Err(HELP);
        }
        Ok(Self(format!("+{international}")))
    }

    /// A stored value, if it is already in E.164 (older cases may hold free text).
    pub fn from_stored(stored: &str) -> Option<Self> {
        let ok = stored.len() >= 8
            && stored.len() <= 16
            && stored.starts_with('+')
            && stored[1..].bytes().all(|b| b.is_ascii_digit())
            && !stored[1..].starts_with('0');
        ok.then(|| Self(stored.to_owned()))
    }

    /// `+14155550100`, for `tel:` links and the database.
    pub fn e164(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    /// North American numbers as `+1 (415) 555-0100`; others as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.strip_prefix("+1") {
            Some(n) if n.len() == 10 => write!(f, "+1 ({}) {}-{}", &n[..3], &n[3..6], &n[6..]),
            _ => f.write_str(&self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_type_becomes_e164() {
        assert_eq!(PhoneNumber::parse("(415) 555-0100").unwrap().e164(), "+14155550100");
        assert_eq!(PhoneNumber::parse("1 415 555 0100").unwrap().e164(), "+14155550100");
        assert_eq!(PhoneNumber::parse("+52 33 1234 5678").unwrap().e164(), "+523312345678");
        assert_eq!(PhoneNumber::parse("0044 20 7946 0958").unwrap().e164(), "+442079460958");
        assert_eq!(PhoneNumber::parse("+1 415 555 0100").unwrap().to_string(), "+1 (415) 555-0100");
    }

    #[test]
    fn numbers_without_a_country_code_or_with_junk_are_refused() {
        for bad in ["", "555-0100", "+0 123 4567", "call me", "+1 415 555 0100 ext 2", "++14155550100", "+123"] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stored_values_are_trusted_only_in_e164() {
        assert!(PhoneNumber::from_stored("+14155550100").is_some());
        assert!(PhoneNumber::from_stored("(555) 0100").is_none());
    }
}
