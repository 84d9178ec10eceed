//! The numbers behind `/admin/reports`, each from one indexed query: the
//! opinions delivered in the range (`cases_delivered`, 0029) and the open
//! cases (`cases_waiting`, an index-only scan). Business days are counted in Rust with the
//! hospital calendar, on the range's rows only, so the cost follows the
//! range, not the size of the table.

use crate::domain::CaseStatus;
use crate::domain::business_days::Calendar;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// Bars of the on-time chart: 0 to 10 business days, then "over 10".
pub const DAY_BUCKETS: usize = 12;
/// The opinion's promise: within 7 business days of the records being complete.
pub const WITHIN: i64 = 7;

/// Opinions delivered in the range, by business days from records complete.
#[derive(Debug, Default)]
pub struct OnTime {
    /// `counts[d]`: delivered `d` business days after records were complete (the last: more than 10).
    pub counts: [u64; DAY_BUCKETS],
    pub delivered: u64,
    pub within: u64,
    /// Per specialist (name): (delivered, within 7).
    pub by_specialist: BTreeMap<String, (u64, u64)>,
}

impl OnTime {
    /// "83%" of opinions within 7 business days, or "none delivered".
    pub fn share_within(&self) -> String {
        percent(self.within, self.delivered)
    }
}

pub fn percent(part: u64, whole: u64) -> String {
    match (part * 100 + whole / 2).checked_div(whole) {
        Some(p) => format!("{p}%"),
        None => "no opinions delivered".into(),
    }
}

pub async fn on_time(
    conn: &mut PgConnection,
    calendar: &Calendar,
    from: Timestamp,
    to: Timestamp,
) -> sqlx::Result<OnTime> {
    let rows = sqlx::query!(
        r#"select c.ready_for_review_at as "ready!: jiff_sqlx::Timestamp",
                  c.opinion_delivered_at as "delivered!: jiff_sqlx::Timestamp",
                  coalesce(u.full_name, 'No specialist') as "specialist!"
           from cases c left join users u on u.id = c.specialist_id
           where c.opinion_delivered_at >= $1 and c.opinion_delivered_at < $2 and c.ready_for_review_at is not null"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _
    )
    .fetch_all(conn)
    .await?;
    let mut report = OnTime::default();
    for r in rows {
        let days = calendar
            .business_days_between(calendar.local_date(r.ready.to_jiff()), calendar.local_date(r.delivered.to_jiff()))
            .max(0);
        report.counts[(days as usize).min(DAY_BUCKETS - 1)] += 1;
        report.delivered += 1;
        let within = days <= WITHIN;
        report.within += u64::from(within);
        let s = report.by_specialist.entry(r.specialist).or_default();
        s.0 += 1;
        s.1 += u64::from(within);
    }
    Ok(report)
}

/// Age bands of an open case, counted from when it entered its state.
pub const AGE_BANDS: [&str; 4] = ["Under 2 days", "2 to 6 days", "7 to 13 days", "14 days or more"];

/// Open cases now, by state and by how long they have been in it.
pub struct Waiting {
    pub status: CaseStatus,
    pub by_age: [u64; 4],
}

impl Waiting {
    pub fn total(&self) -> u64 {
        self.by_age.iter().sum()
    }
}

pub const OPEN: [CaseStatus; 5] = [
    CaseStatus::Submitted,
    CaseStatus::CollectingRecords,
    CaseStatus::ReadyForReview,
    CaseStatus::InReview,
    CaseStatus::OpinionDelivered,
];

pub async fn waiting(conn: &mut PgConnection, now: Timestamp) -> sqlx::Result<Vec<Waiting>> {
    let rows = sqlx::query!(
        // The counts kept per state and hour by migration 0048's trigger.
        r#"select status as "status!: CaseStatus",
                  width_bucket(extract(epoch from $1 - entered_hour) / 86400, array[2, 7, 14]::numeric[]) as "band!",
                  sum(cases)::bigint as "n!"
           from cases_waiting_hours
           group by 1, 2"#,
        now.to_sqlx() as _
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<Waiting> = OPEN.iter().map(|&status| Waiting { status, by_age: [0; 4] }).collect();
    for r in rows {
        if let Some(w) = out.iter_mut().find(|w| w.status == r.status) {
            w.by_age[(r.band.clamp(0, 3)) as usize] += r.n as u64;
        }
    }
    Ok(out)
}
