//! The states of a case, mirrored by the `case_status` Postgres enum (which
//! also refuses the transitions the spec does not draw).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "case_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Submitted,
    CollectingRecords,
    ReadyForReview,
    InReview,
    OpinionDelivered,
    Closed,
    Cancelled,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Submitted => "submitted",
            CaseStatus::CollectingRecords => "collecting_records",
            CaseStatus::ReadyForReview => "ready_for_review",
            CaseStatus::InReview => "in_review",
            CaseStatus::OpinionDelivered => "opinion_delivered",
            CaseStatus::Closed => "closed",
            CaseStatus::Cancelled => "cancelled",
        }
    }

    /// What a family reads on a badge.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Draft => "Draft",
            CaseStatus::Submitted => "Submitted",
            CaseStatus::CollectingRecords => "Collecting records",
            CaseStatus::ReadyForReview => "Records complete",
            CaseStatus::InReview => "With the specialist",
            CaseStatus::OpinionDelivered => "Opinion ready",
            CaseStatus::Closed => "Closed",
            CaseStatus::Cancelled => "Cancelled",
        }
    }

    /// Questions and records can no longer change (the database agrees).
    pub fn is_frozen(self) -> bool {
        matches!(self, CaseStatus::InReview | CaseStatus::OpinionDelivered | CaseStatus::Closed | CaseStatus::Cancelled)
    }

    /// A family or coordinator may still cancel (with a refund once paid).
    pub fn can_cancel(self) -> bool {
        matches!(
            self,
            CaseStatus::Draft | CaseStatus::Submitted | CaseStatus::CollectingRecords | CaseStatus::ReadyForReview
        )
    }

    /// The spec's drawn transitions (the database holds the same list).
    pub fn can_move_to(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted)
                | (Submitted, CollectingRecords)
                | (CollectingRecords, ReadyForReview)
                | (ReadyForReview, InReview)
                | (InReview, OpinionDelivered)
                | (OpinionDelivered, Closed)
        ) || (to == Cancelled && self.can_cancel())
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::{self, *};

    const ALL: [CaseStatus; 8] =
        [Draft, Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered, Closed, Cancelled];

    #[test]
    fn cancelling_is_possible_only_before_review() {
        let cancellable: Vec<_> = ALL.into_iter().filter(|s| s.can_move_to(Cancelled)).collect();
        assert_eq!(cancellable, [Draft, Submitted, CollectingRecords, ReadyForReview]);
    }

    #[test]
    fn finished_cases_go_nowhere() {
        for to in ALL {
            assert!(!Closed.can_move_to(to) && !Cancelled.can_move_to(to));
        }
    }

    #[test]
    fn frozen_exactly_from_review_on() {
        let frozen: Vec<_> = ALL.into_iter().filter(|s| s.is_frozen()).collect();
        assert_eq!(frozen, [InReview, OpinionDelivered, Closed, Cancelled]);
    }
}
