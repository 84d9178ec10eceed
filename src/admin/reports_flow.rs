//! Cases entering and leaving each state per week, for `/admin/reports`: the
//! changes of state (`case_events`) in the range, by the Pacific week
//! (Monday to Sunday) they happened in. Read from the counts kept per hour and
//! pair of states by migration 0051's trigger, never counted per view.

use crate::domain::CaseStatus;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// The states a case moves through once submitted; a draft is not yet a case
/// of the program (its leaving is the entering of `Submitted` or `Cancelled`).
pub const STATES: [CaseStatus; 7] = [
    CaseStatus::Submitted,
    CaseStatus::CollectingRecords,
    CaseStatus::ReadyForReview,
    CaseStatus::InReview,
    CaseStatus::OpinionDelivered,
    CaseStatus::Closed,
    CaseStatus::Cancelled,
];

/// One week: `entered[i]` and `left[i]` for `STATES[i]`.
#[derive(Debug, PartialEq, Eq)]
pub struct Week {
    /// Its Monday.
    pub monday: Date,
    pub entered: [u64; 7],
    pub left: [u64; 7],
}

/// The Monday of the week `day` falls in.
fn monday_of(day: Date) -> Date {
    day.saturating_sub(jiff::Span::new().days(i64::from(day.weekday().to_monday_zero_offset())))
}

/// Every week that overlaps `first..=last`, in order, even the quiet ones.
pub async fn case_flow(
    conn: &mut PgConnection,
    from: Timestamp,
    to: Timestamp,
    first: Date,
    last: Date,
) -> sqlx::Result<Vec<Week>> {
    let tz = crate::domain::business_days::TIME_ZONE;
    let rows = sqlx::query!(
        r#"select (date_trunc('week', hour at time zone $3))::date as "week!: jiff_sqlx::Date",
                  from_status as "from_status: CaseStatus", to_status as "to_status: CaseStatus",
                  sum(events)::bigint as "n!"
           from case_event_hours where hour >= $1 and hour < $2
           group by 1, 2, 3"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        tz
    )
    .fetch_all(conn)
    .await?;
    let mut weeks = Vec::new();
    let mut monday = monday_of(first);
    while monday <= last {
        weeks.push(Week { monday, entered: [0; 7], left: [0; 7] });
        monday = monday.saturating_add(jiff::Span::new().days(7));
    }
    let index = |s: Option<CaseStatus>| s.and_then(|s| STATES.iter().position(|x| *x == s));
    for r in rows {
        let Some(week) = weeks.iter_mut().find(|w| w.monday == r.week.to_jiff()) else { continue };
        let n = r.n.max(0) as u64;
        if let Some(i) = index(Some(r.to_status)) {
            week.entered[i] += n;
        }
        if let Some(i) = index(r.from_status) {
            week.left[i] += n;
        }
    }
    Ok(weeks)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    #[test]
    fn a_week_starts_on_monday() {
        assert_eq!(super::monday_of(date(2026, 11, 29)), date(2026, 11, 23)); // a Sunday
        assert_eq!(super::monday_of(date(2026, 11, 30)), date(2026, 11, 30));
        assert_eq!(super::monday_of(date(2026, 12, 2)), date(2026, 11, 30));
    }
}
