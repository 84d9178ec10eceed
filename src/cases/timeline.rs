//! A case's history in plain words, for the family and for staff.

use crate::domain::{CaseId, CaseStatus};
use sqlx::PgExecutor;

pub struct TimelineEntry {
    pub at: jiff_sqlx::Timestamp,
    pub to_status: CaseStatus,
    pub note: Option<String>,
}

impl TimelineEntry {
    /// One sentence per kind of step, written for a parent.
    pub fn sentence(&self) -> &'static str {
        match self.to_status {
            CaseStatus::Draft => "You opened the case.",
            CaseStatus::Submitted => "The case was submitted and the fee was paid.",
            CaseStatus::CollectingRecords => "A care coordinator took the case and began collecting records.",
            CaseStatus::ReadyForReview => "All records were collected.",
            CaseStatus::InReview => "The case was sent to the specialist for review.",
            CaseStatus::OpinionDelivered => "The specialist's written opinion is ready.",
            CaseStatus::Closed => "The case was closed.",
            CaseStatus::Cancelled => "The case was cancelled.",
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
