//! Why an invitation can't be accepted, and the status each refusal answers with.

use axum::http::StatusCode;

/// Why an invitation can't be accepted: each its own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    Unknown,
    Expired,
    Withdrawn,
    Used,
    WrongAddress,
    Staff,
    AlreadyGuardian,
    TwoGuardians,
}

impl Refusal {
    pub(super) fn message(self) -> &'static str {
        match self {
            Refusal::Unknown => "invitation-unknown",
            Refusal::Expired => "invitation-expired",
            Refusal::Withdrawn => "invitation-withdrawn",
            Refusal::Used => "invitation-used",
            Refusal::WrongAddress => "invitation-wrong-address",
            Refusal::Staff => "invitation-staff",
            Refusal::AlreadyGuardian => "invitation-already",
            Refusal::TwoGuardians => "invitation-two-already",
        }
    }

    pub(super) fn status(self) -> StatusCode {
        match self {
            Refusal::Unknown => StatusCode::BAD_REQUEST,
            Refusal::Expired | Refusal::Withdrawn | Refusal::Used => StatusCode::GONE,
            Refusal::WrongAddress | Refusal::Staff => StatusCode::FORBIDDEN,
            Refusal::AlreadyGuardian | Refusal::TwoGuardians => StatusCode::CONFLICT,
        }
    }
}
