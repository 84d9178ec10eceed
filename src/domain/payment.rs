//! What a payment is for, who took it and where it stands, mirrored by the
//! `payment_purpose`, `payment_provider`, `payment_status`, `refund_status`
//! and `payment_anomaly_kind` Postgres enums (migrations 0008 and 0014).

use super::FeeRequestId;

/// Why the family pays: the case fee at submission, or one additional fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    CaseFee,
    Fee(FeeRequestId),
}

impl Purpose {
    pub fn kind(self) -> PurposeKind {
        match self {
            Purpose::CaseFee => PurposeKind::CaseFee,
            Purpose::Fee(_) => PurposeKind::AdditionalFee,
        }
    }

    pub fn fee_request(self) -> Option<FeeRequestId> {
        match self {
            Purpose::CaseFee => None,
            Purpose::Fee(fee) => Some(fee),
        }
    }

    /// From a stored row; the database's check guarantees the pair agrees.
    pub fn from_row(kind: PurposeKind, fee: Option<FeeRequestId>) -> Option<Self> {
        match (kind, fee) {
            (PurposeKind::CaseFee, None) => Some(Purpose::CaseFee),
            (PurposeKind::AdditionalFee, Some(fee)) => Some(Purpose::Fee(fee)),
            _ => None,
        }
    }
}

/// The stored half of [`Purpose`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "payment_purpose", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PurposeKind {
    CaseFee,
    AdditionalFee,
}

impl PurposeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PurposeKind::CaseFee => "case_fee",
            PurposeKind::AdditionalFee => "additional_fee",
        }
    }

    /// As a receipt or the case page names it.
    pub fn label(self) -> &'static str {
        match self {
            PurposeKind::CaseFee => "Case fee",
            PurposeKind::AdditionalFee => "Additional review fee",
        }
    }
}

/// Who took (or would take) the money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "payment_provider", rename_all = "snake_case")]
pub enum Provider {
    Stripe,
    /// The bannered local gateway: no money moves (refused in production).
    TestGateway,
}

/// A payment attempt's state. `Succeeded` means the card was charged;
/// whether that paid for the purpose is `payments.fulfilled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "payment_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Open: the family may pay it now.
    Pending,
    Succeeded,
    /// The card was declined (the next attempt opens at once).
    Failed,
    /// Closed by us before it was paid (cancelled case, withdrawn fee).
    Cancelled,
    Refunded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "refund_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Asked for; the gateway has not answered yet (retried with the same key).
    Requested,
    Succeeded,
    /// The gateway refused or reported it failed: a person must look.
    Failed,
    /// A Stripe payment while this server has no Stripe keys: refund it in Stripe.
    Manual,
}

impl RefundStatus {
    pub fn label(self) -> &'static str {
        match self {
            RefundStatus::Requested => "Refund in progress",
            RefundStatus::Succeeded => "Refunded",
            RefundStatus::Failed => "Refund failed: the care team will contact you",
            RefundStatus::Manual => "Refund in progress",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "refund_reason", rename_all = "snake_case")]
pub enum RefundReason {
    CaseCancelled,
    FeeWithdrawn,
    /// A second charge for a purpose already paid for.
    DuplicatePayment,
    /// Made in Stripe's dashboard; we learned of it from its webhook.
    MadeAtGateway,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "payment_anomaly_kind", rename_all = "snake_case")]
pub enum AnomalyKind {
    /// A success for a payment we have no record of.
    UnknownPayment,
    /// Amount, currency or case differ from what we asked for.
    Mismatch,
    /// A success for an attempt we had already closed (declined, cancelled).
    LateSuccess,
    /// The gateway refused or failed a refund.
    RefundFailed,
}

impl AnomalyKind {
    pub fn label(self) -> &'static str {
        match self {
            AnomalyKind::UnknownPayment => "Payment we have no record of",
            AnomalyKind::Mismatch => "Payment that does not match what was asked",
            AnomalyKind::LateSuccess => "Success reported for a closed attempt",
            AnomalyKind::RefundFailed => "Refund failed",
        }
    }
}
