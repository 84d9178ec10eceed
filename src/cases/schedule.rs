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

/// Clarifying questions may be asked for 5 business days after delivery.
pub const FOLLOW_UP_BUSINESS_DAYS: u32 = 5;
pub const MAX_FOLLOW_UPS: i64 = 3;

/// The first instant after the follow-up window (midnight Pacific after the
/// 5th business day following delivery).
pub fn follow_up_window_end(calendar: &Calendar, delivered_at: OffsetDateTime) -> OffsetDateTime {
    let start = jiff::Timestamp::from_second(delivered_at.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let end = calendar.window_end(start, FOLLOW_UP_BUSINESS_DAYS);
    OffsetDateTime::from_unix_timestamp(end.as_second()).unwrap_or(delivered_at)
}

/// "Friday, December 11, 2026, 11:59 p.m. Pacific Time"
pub fn describe_window_end(calendar: &Calendar, end: OffsetDateTime) -> String {
    let end = jiff::Timestamp::from_second(end.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    calendar.describe_deadline(end)
}
