//! An email address as we store it: trimmed, lowercased, plausibly shaped.

use crate::i18n::Msg;
use std::fmt;

/// A parsed email address. The inner string is private so every value went through `parse`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts what a person types; refuses what could never receive mail or
    /// could smuggle a header (CR/LF, spaces, control characters).
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Msg("email-missing"));
        }
        if email.chars().count() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Msg("email-invalid"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(Msg("email-invalid"));
        };
        let domain_ok =
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
        if local.is_empty() || local.contains('@') || !domain_ok {
            return Err(Msg("email-invalid"));
        }
        // lettre must accept it too, or the outbox would hold an undeliverable row.
        if email.parse::<lettre::Address>().is_err() {
            return Err(Msg("email-invalid"));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_spaces() {
        assert_eq!(EmailAddress::parse("  Ada@Example.TEST ").unwrap().as_str(), "ada@example.test");
    }

    #[test]
    fn refuses_header_injection_and_junk() {
        for bad in ["", "ada", "ada@", "@x.test", "a@b", "ada@x.test\r\nBcc: y@z.test", "a b@x.test", "a@x..test"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
