//! Every deadline a case has, computed in one place: business days in
//! America/Los_Angeles, minus weekends and the `holidays` table. A case's
//! `due_at` is the deadline of the state it is in, and `transition` writes
//! it in the same update as the state (it is written nowhere else).

use crate::domain::CaseStatus;
use crate::domain::business_days::Calendar;
use crate::web::format::pacific_date;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::PgExecutor;

/// A coordinator takes a new case within a business day.
pub const TAKE_BUSINESS_DAYS: u32 = 1;
/// Records are collected within two working weeks.
pub const COLLECT_BUSINESS_DAYS: u32 = 10;
/// The specialist is chosen within a business day of the records being complete.
pub const CHOOSE_BUSINESS_DAYS: u32 = 1;
/// Target and limit for the written opinion, counted from "records complete".
pub const TARGET_BUSINESS_DAYS: u32 = 5;
pub const LIMIT_BUSINESS_DAYS: u32 = 7;
/// Clarifying questions may be asked for 5 business days after delivery;
/// the case closes when that window ends.
pub const FOLLOW_UP_BUSINESS_DAYS: u32 = 5;
/// The clinician calls the family within 2 business days of the opinion.
pub const CALL_BUSINESS_DAYS: u32 = 2;
pub const MAX_FOLLOW_UPS: i64 = 3;

/// The hospital calendar with today's list of holidays.
pub async fn calendar(db: impl PgExecutor<'_>) -> anyhow::Result<Calendar> {
    let days =
        sqlx::query_scalar!(r#"select day as "day: jiff_sqlx::Date" from holidays order by day"#).fetch_all(db).await?;
    Ok(Calendar::new(days.into_iter().map(jiff_sqlx::Date::to_jiff))?)
}

/// What a case's deadlines are counted from, besides the moment it enters a state.
#[derive(Clone, Copy, Debug, Default)]
pub struct Basis {
    /// When the records were complete: the opinion's clock starts there.
    pub records_complete_at: Option<Timestamp>,
    /// Business days added to the opinion's deadline by paid re-reviews.
    pub extension_days: u32,
}

/// The deadline of `status` for a case that entered it at `at`. `None` for
/// states nobody works against a clock (a draft, a finished case).
pub fn due_at(calendar: &Calendar, status: CaseStatus, at: Timestamp, basis: Basis) -> Option<Timestamp> {
    let within = |n| Some(calendar.deadline_after(at, n));
    match status {
        CaseStatus::Submitted => within(TAKE_BUSINESS_DAYS),
        CaseStatus::CollectingRecords => within(COLLECT_BUSINESS_DAYS),
        CaseStatus::ReadyForReview => within(CHOOSE_BUSINESS_DAYS),
        CaseStatus::InReview => Some(
            calendar
                .deadline_after(basis.records_complete_at.unwrap_or(at), LIMIT_BUSINESS_DAYS + basis.extension_days),
        ),
        CaseStatus::OpinionDelivered => within(FOLLOW_UP_BUSINESS_DAYS),
        CaseStatus::Draft | CaseStatus::Closed | CaseStatus::Cancelled => None,
    }
}

/// When the clinician's call is due, for an opinion delivered at `delivered_at`.
pub fn call_due_at(calendar: &Calendar, delivered_at: Timestamp) -> Timestamp {
    calendar.deadline_after(delivered_at, CALL_BUSINESS_DAYS)
}

/// When the family can expect the opinion, as the case's state says now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Records are still being collected: 5 to 7 business days after they are all in.
    AfterRecords,
    /// The records are complete: between these two dates.
    Between(Date, Date),
    /// The window has passed and the specialist is still writing.
    Late(Date),
    /// It was delivered on this date.
    Delivered(Date),
    /// A draft, or a case that was cancelled.
    Nothing,
}

/// [`Expected`] for a case in `status` on `basis` (when its records were
/// complete, and the days paid re-reviews added), whose opinion was
/// delivered at `delivered_at`.
pub fn expected(
    calendar: &Calendar,
    status: CaseStatus,
    basis: Basis,
    delivered_at: Option<Timestamp>,
    now: Timestamp,
) -> Expected {
    match (status, basis.records_complete_at, delivered_at) {
        (CaseStatus::Submitted | CaseStatus::CollectingRecords, _, _) => Expected::AfterRecords,
        (CaseStatus::ReadyForReview | CaseStatus::InReview, Some(ready), _) => {
            let from = pacific_date(ready);
            let last = calendar.add_business_days(from, LIMIT_BUSINESS_DAYS + basis.extension_days);
            let target = calendar.add_business_days(from, TARGET_BUSINESS_DAYS + basis.extension_days);
            if pacific_date(now) > last { Expected::Late(last) } else { Expected::Between(target, last) }
        }
        (CaseStatus::OpinionDelivered | CaseStatus::Closed, _, Some(at)) => Expected::Delivered(pacific_date(at)),
        _ => Expected::Nothing,
    }
}

/// The first instant after the follow-up window (midnight Pacific after the
/// 5th business day following delivery); a question is in time before it.
pub fn follow_up_window_end(calendar: &Calendar, delivered_at: Timestamp) -> Timestamp {
    calendar.window_end(delivered_at, FOLLOW_UP_BUSINESS_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;
    use jiff::civil::date;

    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::Zoned>().expect(s).timestamp()
    }

    #[test]
    fn each_state_has_its_deadline_and_none_falls_on_a_weekend() {
        // Thanksgiving 2026 is Thursday the 26th.
        let cal = Calendar::new([jiff::civil::date(2026, 11, 26)]).unwrap();
        let wednesday = at("2026-11-25T16:00-08:00[America/Los_Angeles]");
        let end = |s| at(&format!("{s}T23:59:59.999999-08:00[America/Los_Angeles]"));
        let none = Basis::default();
        assert_eq!(due_at(&cal, Submitted, wednesday, none), Some(end("2026-11-27")), "Friday, not the holiday");
        assert_eq!(due_at(&cal, CollectingRecords, wednesday, none), Some(end("2026-12-10")));
        assert_eq!(due_at(&cal, ReadyForReview, wednesday, none), Some(end("2026-11-27")));
        // The opinion counts from the records, not from being sent, and moves with a paid re-review.
        let ready =
            Basis { records_complete_at: Some(at("2026-11-20T09:00-08:00[America/Los_Angeles]")), extension_days: 0 };
        assert_eq!(due_at(&cal, InReview, wednesday, ready), Some(end("2026-12-02")));
        let extended = Basis { extension_days: 3, ..ready };
        assert_eq!(due_at(&cal, InReview, wednesday, extended), Some(end("2026-12-07")));
        assert_eq!(due_at(&cal, OpinionDelivered, wednesday, none), Some(end("2026-12-03")));
        assert_eq!(call_due_at(&cal, wednesday), end("2026-11-30"));
        for finished in [Draft, Closed, Cancelled] {
            assert_eq!(due_at(&cal, finished, wednesday, none), None);
        }
    }

    #[test]
    fn the_follow_up_deadline_is_the_last_instant_of_the_window() {
        let cal = Calendar::new([]).unwrap();
        let delivered = at("2026-12-04T16:00-08:00[America/Los_Angeles]");
        let due = due_at(&cal, OpinionDelivered, delivered, Basis::default()).unwrap();
        assert_eq!(due + jiff::SignedDuration::from_micros(1), follow_up_window_end(&cal, delivered));
    }

    #[test]
    fn the_expected_date_follows_the_state() {
        let cal = Calendar::new([]).unwrap();
        let ready = at("2026-12-01T10:00-08:00[America/Los_Angeles]");
        let soon = at("2026-12-03T10:00-08:00[America/Los_Angeles]");
        let later = at("2026-12-14T10:00-08:00[America/Los_Angeles]");
        let on = |extension_days| Basis { records_complete_at: Some(ready), extension_days };
        assert_eq!(expected(&cal, CollectingRecords, Basis::default(), None, soon), Expected::AfterRecords);
        assert_eq!(
            expected(&cal, InReview, on(0), None, soon),
            Expected::Between(date(2026, 12, 8), date(2026, 12, 10))
        );
        // A paid re-review moves both dates.
        assert_eq!(
            expected(&cal, InReview, on(2), None, soon),
            Expected::Between(date(2026, 12, 10), date(2026, 12, 14))
        );
        assert_eq!(expected(&cal, InReview, on(0), None, later), Expected::Late(date(2026, 12, 10)));
        assert_eq!(expected(&cal, Closed, on(0), Some(soon), later), Expected::Delivered(date(2026, 12, 3)));
        assert_eq!(expected(&cal, Cancelled, on(0), None, later), Expected::Nothing);
    }
}
