//! Money in integer US cents: no floats anywhere near a payment.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(pub i64);

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
}
