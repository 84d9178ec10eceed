//! The password policy: 12 to 128 characters, no composition rules, and not
//! a password that appears in the shipped list of common passwords.

use crate::i18n::Msg;
use std::collections::HashSet;
use std::sync::LazyLock;

/// 30,000 most common passwords (zxcvbn's list), one per line.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect()
});

/// Words anyone guessing a password for this site would try first.
const CONTEXT_WORDS: &[&str] = &[
    "secondopinion",
    "second opinion",
    "opinion",
    "children",
    "childrens",
    "hospital",
    "benioff",
    "ucsf",
    "included health",
    "includedhealth",
    "password",
    "passphrase",
];

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// A password someone chose that passed the policy. Never logged, never displayed.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(Msg("password-too-short"));
        }
        if chars > MAX_CHARS {
            return Err(Msg("password-too-long"));
        }
        if raw.contains('\0') {
            return Err(Msg("password-bad-character"));
        }
        if is_common(raw) {
            return Err(Msg("password-common"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// True when the password, or its core once the usual decorations (case,
/// digits and symbols at the ends) are stripped, is common or site-specific.
fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    [lower.as_str(), core]
        .into_iter()
        .any(|candidate| COMMON.contains(candidate) || CONTEXT_WORDS.contains(&candidate) || is_repetition(candidate))
}

/// "aaaaaaaaaaaa" or "abcabcabcabc": long, but no better than short.
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=chars.len() / 3).any(|n| chars.chunks(n).all(|chunk| chunk == &chars[..chunk.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_big_enough() {
        assert!(COMMON.len() >= 10_000);
    }

    #[test]
    fn refuses_common_and_decorated_common_passwords() {
        for bad in ["password1234", "Password123!", "childrens2026", "qwertyuiop123", "aaaaaaaaaaaa", "abcabcabcabc"] {
            assert!(NewPassword::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert!(NewPassword::parse("short words").is_err());
        assert!(NewPassword::parse("violet tractor moon").is_ok());
        let emoji = "🦊🌙🚜🎻🍋🧭🪁🐙🌵🎲🧩🦉";
        assert_eq!(emoji.chars().count(), 12);
        assert!(NewPassword::parse(emoji).is_ok());
        let longest: String = (0..40).map(|i| format!("word{i} ")).collect::<String>().chars().take(128).collect();
        assert!(NewPassword::parse(&longest).is_ok());
        assert!(NewPassword::parse(&"xyz".repeat(43)).is_err());
    }
}
