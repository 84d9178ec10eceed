//! Where a family may live, as they choose it on the case's details: a short
//! list of time zones (IANA names, which jiff resolves), so the clinician
//! sees the family's local time before calling.

use crate::i18n::{Lang, Msg};

/// (IANA name, what a person reads in their language).
pub const CHOICES: &[(&str, Msg)] = &[
    ("America/Los_Angeles", Msg("tz-america-los-angeles")),
    ("America/Denver", Msg("tz-america-denver")),
    ("America/Phoenix", Msg("tz-america-phoenix")),
    ("America/Chicago", Msg("tz-america-chicago")),
    ("America/New_York", Msg("tz-america-new-york")),
    ("America/Anchorage", Msg("tz-america-anchorage")),
    ("Pacific/Honolulu", Msg("tz-pacific-honolulu")),
    ("America/Puerto_Rico", Msg("tz-america-puerto-rico")),
    ("America/Tijuana", Msg("tz-america-tijuana")),
    ("America/Mexico_City", Msg("tz-america-mexico-city")),
    ("America/Guatemala", Msg("tz-america-guatemala")),
    ("America/Bogota", Msg("tz-america-bogota")),
    ("America/Santiago", Msg("tz-america-santiago")),
    ("America/Sao_Paulo", Msg("tz-america-sao-paulo")),
    ("America/Argentina/Buenos_Aires", Msg("tz-america-argentina-buenos-aires")),
    ("Europe/London", Msg("tz-europe-london")),
    ("Europe/Madrid", Msg("tz-europe-madrid")),
    ("Asia/Dubai", Msg("tz-asia-dubai")),
    ("Asia/Kolkata", Msg("tz-asia-kolkata")),
    ("Asia/Manila", Msg("tz-asia-manila")),
    ("Asia/Tokyo", Msg("tz-asia-tokyo")),
    ("Australia/Sydney", Msg("tz-australia-sydney")),
];

/// The name, if it is one of the choices.
pub fn parse(raw: &str) -> Option<&'static str> {
    CHOICES.iter().map(|(name, _)| *name).find(|name| *name == raw.trim())
}

/// What a person reads for a stored name (the name itself if it is not a choice).
pub fn label(name: &str, lang: Lang) -> String {
    CHOICES.iter().find(|(n, _)| *n == name).map_or_else(|| name.to_owned(), |(_, label)| label.in_lang(lang))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_choice_is_a_real_time_zone() {
        for (name, _) in super::CHOICES {
            assert!(jiff::tz::TimeZone::get(name).is_ok(), "{name}");
        }
    }
}
