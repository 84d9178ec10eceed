//! Calls on time for `/admin/reports`: the clinician's follow-up calls that
//! fell due in the range (`cases.call_due_at`, set by `transition` with the
//! opinion) and whether the first completed attempt came by that deadline.
//! Reads the range's cases through `cases_call_due` (0044) and each one's
//! completed attempt through `follow_up_calls_case_at` (0015).

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// Calls due in the range, by what became of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CallsOnTime {
    pub due: u64,
    pub on_time: u64,
    pub late: u64,
    /// Not completed, and the deadline has passed.
    pub missed: u64,
    /// Not completed, and the deadline is still ahead.
    pub not_yet_due: u64,
}

impl CallsOnTime {
    /// The chart's bars and the CSV's rows, in the table's order.
    pub fn rows(&self) -> [(&'static str, &'static str, u64); 5] {
        [
            ("due", "Due in the range", self.due),
            ("completed_on_time", "Completed by the deadline", self.on_time),
            ("completed_late", "Completed after it", self.late),
            ("not_completed_past_deadline", "Not completed, deadline passed", self.missed),
            ("not_completed_not_yet_due", "Not completed, not yet due", self.not_yet_due),
        ]
    }

    /// "75%" of the calls due in the range completed by their deadline.
    pub fn share_on_time(&self) -> String {
        match (self.on_time * 100 + self.due / 2).checked_div(self.due) {
            Some(p) => format!("{p}%"),
            None => "no calls due".into(),
        }
    }
}

pub async fn calls_on_time(
    conn: &mut PgConnection,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> sqlx::Result<CallsOnTime> {
    let r = sqlx::query!(
        r#"select count(*) as "due!",
                  count(*) filter (where k.first <= c.call_due_at) as "on_time!",
                  count(*) filter (where k.first > c.call_due_at) as "late!",
                  count(*) filter (where k.first is null and c.call_due_at < $3) as "missed!",
                  count(*) filter (where k.first is null and c.call_due_at >= $3) as "not_yet_due!"
           from cases c
           left join lateral (
               select min(k.at) as first from follow_up_calls k where k.case_id = c.id and k.outcome = 'completed'
           ) k on true
           where c.call_due_at >= $1 and c.call_due_at < $2"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        now.to_sqlx() as _
    )
    .fetch_one(conn)
    .await?;
    let n = |v: i64| v.max(0) as u64;
    Ok(CallsOnTime {
        due: n(r.due),
        on_time: n(r.on_time),
        late: n(r.late),
        missed: n(r.missed),
        not_yet_due: n(r.not_yet_due),
    })
}
