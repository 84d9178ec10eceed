//! A case's history in plain words, for the family and for staff.

use crate::domain::CaseStatus;
use crate::i18n::Msg;

/// One change of state (`case_events_list`, migration 0061).
#[derive(serde::Deserialize)]
pub struct TimelineEntry {
    #[serde(with = "crate::json_rows::timestamp")]
    pub at: jiff_sqlx::Timestamp,
    pub to_status: CaseStatus,
    pub note: Option<String>,
}

impl TimelineEntry {
    /// One sentence per kind of step, written for a parent (a message id).
    pub fn sentence(&self) -> Msg {
        match self.to_status {
            CaseStatus::Draft => Msg("timeline-draft"),
            CaseStatus::Submitted => Msg("timeline-submitted"),
            CaseStatus::CollectingRecords => Msg("timeline-collecting-records"),
            CaseStatus::ReadyForReview => Msg("timeline-ready-for-review"),
            CaseStatus::InReview => Msg("timeline-in-review"),
            CaseStatus::OpinionDelivered => Msg("timeline-opinion-delivered"),
            CaseStatus::Closed => Msg("timeline-closed"),
            CaseStatus::Cancelled => Msg("timeline-cancelled"),
        }
    }

    pub fn when(&self) -> String {
        crate::web::format::date_time(self.at)
    }
}
