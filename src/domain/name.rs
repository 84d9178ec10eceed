//! A person's name as typed: Unicode letters welcome, control and bidi-override characters not.

use crate::i18n::Msg;
use unicode_normalization::UnicodeNormalization;

/// A display name (full name of a parent or staff member), NFC-normalized once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

pub const MAX_NAME_CHARS: usize = 200;

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let name: String = raw.trim().nfc().collect();
        if name.is_empty() {
            return Err(Msg("name-missing"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(Msg("name-too-long-200"));
        }
        if name.chars().any(is_forbidden) {
            return Err(Msg("name-bad-characters"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Control characters (NUL, CR, LF…) and the bidi overrides/isolates that can
/// reorder the text around a name on a staff screen.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_names_in_any_script() {
        for ok in ["Zoë Ng", "سارة", "שרה", "李小龍", "Anne-Marie O'Neil"] {
            assert!(PersonName::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn normalizes_to_nfc() {
        let nfd = "Zoe\u{0308}";
        assert_eq!(PersonName::parse(nfd).unwrap().as_str(), "Zoë");
    }

    #[test]
    fn refuses_blank_controls_and_bidi_overrides() {
        for bad in ["", "   ", "Ann\u{202E}fdp.exe", "Bob\r\nBcc: x", "nul\0byte"] {
            assert!(PersonName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(PersonName::parse(&"a".repeat(201)).is_err());
        assert!(PersonName::parse(&"é".repeat(200)).is_ok());
    }
}
