//! What the family is told about their case, mirrored by the
//! `case_update_kind` Postgres enum, and how often they want email about it
//! (`email_updates`).

use serde::{Deserialize, Serialize};

/// One kind of thing the family is told (`cases::updates::Update` carries its details).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "case_update_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    CaseTaken,
    RecordReceived,
    RecordsComplete,
    SentToSpecialist,
    FeeRequested,
    FeePaid,
    FeeDeclined,
    FeeWaived,
    OpinionReady,
    FollowUpAsked,
    FollowUpAnswered,
    CallScheduled,
    CallDone,
    ReferralRequested,
    ReferralUpdated,
    ReleaseNeeded,
    PaymentDeclined,
    CaseClosed,
    CaseCancelled,
}

/// When an update is emailed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailPolicy {
    /// The family did it themselves: the timeline is enough.
    Never,
    /// They need to act, or something is ready for them: always emailed.
    Always,
    /// A step of the case's progress: emailed unless they chose fewer emails.
    Progress,
}

impl UpdateKind {
    pub fn email_policy(self) -> EmailPolicy {
        use UpdateKind::*;
        match self {
            FeePaid | FeeDeclined | FollowUpAsked | ReferralRequested | PaymentDeclined => EmailPolicy::Never,
            FeeRequested | OpinionReady | FollowUpAnswered | CallScheduled | ReleaseNeeded | CaseCancelled => {
                EmailPolicy::Always
            }
            CaseTaken | RecordReceived | RecordsComplete | SentToSpecialist | FeeWaived | CallDone
            | ReferralUpdated | CaseClosed => EmailPolicy::Progress,
        }
    }

    /// What the family's timeline leaves out: these *are* a change of state,
    /// which the timeline already says.
    pub const OFF_TIMELINE: [UpdateKind; 5] = [
        UpdateKind::CaseTaken,
        UpdateKind::RecordsComplete,
        UpdateKind::OpinionReady,
        UpdateKind::CaseClosed,
        UpdateKind::CaseCancelled,
    ];
}

/// How many emails a family wants, mirrored by the `email_updates` Postgres enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "email_updates", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EmailUpdates {
    EveryStep,
    Essential,
}

impl EmailUpdates {
    pub const ALL: [EmailUpdates; 2] = [EmailUpdates::EveryStep, EmailUpdates::Essential];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailUpdates::EveryStep => "every_step",
            EmailUpdates::Essential => "essential",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailUpdates::EveryStep => {
                "At every step: when the case is taken, records arrive, it goes to the specialist, and so on"
            }
            EmailUpdates::Essential => {
                "Only when I need to do something or something is ready for me (a message, a fee to decide on, the opinion, an answer, a call)"
            }
        }
    }

    /// Whether an update with this policy is emailed to someone who chose this.
    pub fn wants(self, policy: EmailPolicy) -> bool {
        match policy {
            EmailPolicy::Never => false,
            EmailPolicy::Always => true,
            EmailPolicy::Progress => self == EmailUpdates::EveryStep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_emails_still_brings_what_needs_the_family() {
        assert!(EmailUpdates::Essential.wants(UpdateKind::OpinionReady.email_policy()));
        assert!(EmailUpdates::Essential.wants(UpdateKind::FeeRequested.email_policy()));
        assert!(!EmailUpdates::Essential.wants(UpdateKind::RecordReceived.email_policy()));
        assert!(EmailUpdates::EveryStep.wants(UpdateKind::RecordReceived.email_policy()));
        assert!(!EmailUpdates::EveryStep.wants(UpdateKind::FollowUpAsked.email_policy()));
    }
}
