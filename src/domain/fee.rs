//! Additional fees (rule 5 of the spec), mirrored by the `fee_kind` and
//! `fee_status` Postgres enums.

use serde::Deserialize;

/// The smallest and largest additional fee, in cents ($1 to $10,000): what a
/// request and an admin's default may be (the database's checks agree).
pub const ADDITIONAL_FEE_RANGE: std::ops::RangeInclusive<i64> = 100..=1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, Deserialize)]
#[sqlx(type_name = "fee_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    Imaging,
    Pathology,
}

impl FeeKind {
    pub const ALL: [FeeKind; 2] = [FeeKind::Imaging, FeeKind::Pathology];

    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::Imaging => "imaging",
            FeeKind::Pathology => "pathology",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            FeeKind::Imaging => "Imaging re-review",
            FeeKind::Pathology => "Pathology re-review",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, Deserialize)]
#[sqlx(type_name = "fee_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FeeStatus {
    Requested,
    Paid,
    Declined,
    Waived,
    /// The case was cancelled while the fee was still asked for.
    Withdrawn,
}

impl FeeStatus {
    /// What the family and the care team read.
    pub fn label(self) -> &'static str {
        match self {
            FeeStatus::Requested => "Waiting for your decision",
            FeeStatus::Paid => "Paid",
            FeeStatus::Declined => "Declined",
            FeeStatus::Waived => "Waived: nothing to pay",
            FeeStatus::Withdrawn => "Withdrawn: the case was cancelled",
        }
    }
}

/// What paying a fee does to the opinion's date, in the family's words.
pub fn date_effect(moves_opinion_days: i16) -> String {
    match moves_opinion_days {
        0 => "The opinion's date does not change.".into(),
        1 => "The opinion will be due 1 business day later.".into(),
        n => format!("The opinion will be due {n} business days later."),
    }
}
