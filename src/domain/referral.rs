//! Help with a visit or a referral after the opinion, mirrored by the
//! `referral_status` Postgres enum.

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "referral_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Requested,
    VisitArranged,
    ReferralSent,
    NotNeeded,
}

impl ReferralStatus {
    /// What a clinician can record as the outcome.
    pub const OUTCOMES: [ReferralStatus; 3] =
        [ReferralStatus::VisitArranged, ReferralStatus::ReferralSent, ReferralStatus::NotNeeded];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Requested => "requested",
            ReferralStatus::VisitArranged => "visit_arranged",
            ReferralStatus::ReferralSent => "referral_sent",
            ReferralStatus::NotNeeded => "not_needed",
        }
    }

    /// An outcome a clinician may record (never back to `requested`).
    pub fn parse_outcome(raw: &str) -> Option<Self> {
        Self::OUTCOMES.into_iter().find(|s| s.as_str() == raw)
    }

    /// For the clinician's form.
    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::Requested => "Requested",
            ReferralStatus::VisitArranged => "Visit arranged",
            ReferralStatus::ReferralSent => "Referral sent",
            ReferralStatus::NotNeeded => "Not needed",
        }
    }
}
