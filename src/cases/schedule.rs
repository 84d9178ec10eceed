//! Turnaround dates: business days in America/Los_Angeles, minus the
//! `holidays` table (admin-editable).

use crate::domain::CaseStatus;
use crate::domain::business_days::Calendar;
use crate::web::format::{long_date, pacific_date};
use sqlx::PgExecutor;
use time::OffsetDateTime;

/// Target and limit for a written opinion, counted from "records complete".
pub const TARGET_BUSINESS_DAYS: u32 = 5;
pub const LIMIT_BUSINESS_DAYS: u32 = 7;

/// The hospital calendar with today's list of holidays.
pub async fn calendar(db: impl PgExecutor<'_>) -> anyhow::Result<Calendar> {
    let days: Vec<time::Date> = sqlx::query_scalar!("select day from holidays order by day").fetch_all(db).await?;
    Ok(Calendar::new(days.into_iter().map(crate::family::db::to_jiff))?)
}

/// "Opinion expected between DATE and DATE", once the records are complete.
pub fn expected_window(
    calendar: &Calendar,
    status: CaseStatus,
    ready_at: Option<OffsetDateTime>,
) -> Option<(String, String)> {
    let show = matches!(status, CaseStatus::ReadyForReview | CaseStatus::InReview);
    let from = pacific_date(ready_at.filter(|_| show)?);
    Some((
        long_date(calendar.add_business_days(from, TARGET_BUSINESS_DAYS)),
        long_date(calendar.add_business_days(from, LIMIT_BUSINESS_DAYS)),
    ))
}
