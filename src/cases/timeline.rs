//! A case's history in plain words, for the family and for staff.

use crate::domain::{CaseId, CaseStatus};
use crate::i18n::Msg;
use sqlx::PgExecutor;

pub struct TimelineEntry {
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

pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<TimelineEntry>> {
    sqlx::query_as!(
        TimelineEntry,
        r#"select at as "at: jiff_sqlx::Timestamp", to_status as "to_status: CaseStatus", note
           from case_events where case_id = $1 order by id"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}
