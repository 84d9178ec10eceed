//! Money in integer US cents: no floats anywhere near a payment.

use std::fmt;

/// An amount of US money in cents, as stored (`bigint`) and as Stripe takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type, serde::Deserialize)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// "250", "250.5" or "$1,250.00" as a person types an amount; `None` for
    /// anything else (no negatives, no exponents, at most two decimals).
    pub fn parse_dollars(raw: &str) -> Option<Cents> {
        let cleaned: String = raw.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
        Some(Cents(whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)?))
    }
}

impl fmt::Display for Cents {
    /// `$900` for whole dollars, `$12.50` otherwise; thousands separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let dollars = abs / 100;
        let digits = dollars.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match abs % 100 {
            0 => write!(f, "{sign}${grouped}"),
            cents => write!(f, "{sign}${grouped}.{cents:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cents;

    #[test]
    fn formats_like_a_receipt() {
        assert_eq!(Cents(90_000).to_string(), "$900");
        assert_eq!(Cents(1_250).to_string(), "$12.50");
        assert_eq!(Cents(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Cents(5).to_string(), "$0.05");
    }

    #[test]
    fn dollars_become_cents_exactly() {
        assert_eq!(Cents::parse_dollars("250"), Some(Cents(25_000)));
        assert_eq!(Cents::parse_dollars("$1,250.5"), Some(Cents(125_050)));
        assert_eq!(Cents::parse_dollars("0.05"), Some(Cents(5)));
        for bad in ["", "abc", "1.234", "-5", "1e3", "12.3.4"] {
            assert_eq!(Cents::parse_dollars(bad), None, "{bad}");
        }
    }
}
