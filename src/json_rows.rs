//! Rows that PostgreSQL sends as one JSON array (the list functions of
//! migration 0061), decoded by the row types' own `Deserialize`: ids, enums
//! and amounts deserialize as they are stored; the time types here, into
//! the jiff-sqlx wrappers the row types hold. PostgreSQL writes a
//! `timestamptz` as RFC 3339 with its offset and a `date` as `YYYY-MM-DD`,
//! both of which jiff parses exactly; anything else is a decoding error, not
//! a guess.

use serde::{Deserialize, Deserializer};

/// `#[serde(with = "crate::json_rows::timestamp")]`
pub mod timestamp {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<jiff_sqlx::Timestamp, D::Error> {
        jiff::Timestamp::deserialize(d).map(Into::into)
    }
}

/// `#[serde(with = "crate::json_rows::option_timestamp")]`: `null` is `None`.
pub mod option_timestamp {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<jiff_sqlx::Timestamp>, D::Error> {
        Ok(Option::<jiff::Timestamp>::deserialize(d)?.map(Into::into))
    }
}

/// `#[serde(with = "crate::json_rows::date")]`
pub mod date {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<jiff_sqlx::Date, D::Error> {
        jiff::civil::Date::deserialize(d).map(Into::into)
    }
}

/// `#[serde(with = "crate::json_rows::option_date")]`: `null` is `None`.
pub mod option_date {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<jiff_sqlx::Date>, D::Error> {
        Ok(Option::<jiff::civil::Date>::deserialize(d)?.map(Into::into))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Row {
        #[serde(with = "super::timestamp")]
        at: jiff_sqlx::Timestamp,
        #[serde(with = "super::option_timestamp")]
        done: Option<jiff_sqlx::Timestamp>,
        #[serde(with = "super::date")]
        on: jiff_sqlx::Date,
    }

    #[test]
    fn postgres_json_times_decode_to_the_instant_and_day_they_name() {
        let row: Row =
            serde_json::from_str(r#"{"at":"2026-12-02T10:15:30.123456-08:00","done":null,"on":"2026-12-31"}"#)
                .expect("PostgreSQL's own formats");
        let at: jiff::Timestamp = row.at.into();
        assert_eq!(at.to_string(), "2026-12-02T18:15:30.123456Z");
        assert!(row.done.is_none());
        let on: jiff::civil::Date = row.on.into();
        assert_eq!(on, jiff::civil::date(2026, 12, 31));
    }

    #[test]
    fn a_time_without_its_offset_is_an_error_not_a_guess() {
        let naive = r#"{"at":"2026-12-02T10:15:30","done":null,"on":"2026-12-31"}"#;
        assert!(serde_json::from_str::<Row>(naive).is_err());
    }
}
