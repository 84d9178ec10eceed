//! Where a family may live, as they choose it on the case's details: a short
//! list of time zones (IANA names, which jiff resolves), so the clinician
//! sees the family's local time before calling.

/// (IANA name, what a person reads).
pub const CHOICES: &[(&str, &str)] = &[
    ("America/Los_Angeles", "Pacific Time (US and Canada)"),
    ("America/Denver", "Mountain Time (US and Canada)"),
    ("America/Phoenix", "Arizona"),
    ("America/Chicago", "Central Time (US and Canada)"),
    ("America/New_York", "Eastern Time (US and Canada)"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Puerto_Rico", "Atlantic Time (Puerto Rico)"),
    ("America/Tijuana", "Baja California (Mexico)"),
    ("America/Mexico_City", "Mexico City, Guadalajara, Monterrey"),
    ("America/Guatemala", "Central America"),
    ("America/Bogota", "Bogotá, Lima, Quito"),
    ("America/Santiago", "Santiago"),
    ("America/Sao_Paulo", "São Paulo"),
    ("America/Argentina/Buenos_Aires", "Buenos Aires"),
    ("Europe/London", "London, Dublin, Lisbon"),
    ("Europe/Madrid", "Madrid, Paris, Berlin, Rome"),
    ("Asia/Dubai", "Dubai"),
    ("Asia/Kolkata", "India"),
    ("Asia/Manila", "Manila, Singapore"),
    ("Asia/Tokyo", "Tokyo, Seoul"),
    ("Australia/Sydney", "Sydney, Melbourne"),
];

/// The name, if it is one of the choices.
pub fn parse(raw: &str) -> Option<&'static str> {
    CHOICES.iter().map(|(name, _)| *name).find(|name| *name == raw.trim())
}

/// What a person reads for a stored name (the name itself if it is not a choice).
pub fn label(name: &str) -> &str {
    CHOICES.iter().find(|(n, _)| *n == name).map_or(name, |(_, label)| label)
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
