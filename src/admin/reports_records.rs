//! Days to collect records, for `/admin/reports`: the record sources received
//! in the range, in business days from when the coordinator asked for them
//! (or, for records that came without being asked for, from the case's
//! submission) to when they arrived. Grouped by the one category a source
//! holds, whether its records need a translation: never by facility, a name
//! typed by a person. Reads `record_sources_received` (0050).

use crate::domain::business_days::Calendar;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// The distribution's bars, in business days.
pub const BANDS: [(&str, i64); 5] =
    [("0 to 2", 2), ("3 to 5", 5), ("6 to 10", 10), ("11 to 20", 20), ("Over 20", i64::MAX)];

/// The sources of one category received in the range.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Collected {
    pub label: &'static str,
    pub by_band: [u64; 5],
    /// Business days of each, sorted.
    days: Vec<i64>,
}

impl Collected {
    fn new(label: &'static str) -> Collected {
        Collected { label, ..Collected::default() }
    }

    fn add(&mut self, days: i64) {
        let band = BANDS.iter().position(|(_, most)| days <= *most).unwrap_or(BANDS.len() - 1);
        self.by_band[band] += 1;
        self.days.push(days);
    }

    pub fn count(&self) -> u64 {
        self.days.len() as u64
    }

    /// The nearest-rank percentile: the day count that `pct`% of sources came within.
    fn percentile(&self, pct: usize) -> Option<i64> {
        let rank = (self.days.len() * pct).div_ceil(100).max(1);
        self.days.get(rank - 1).copied()
    }

    /// "4" business days, or "—" when nothing came.
    pub fn median(&self) -> String {
        self.percentile(50).map_or_else(|| "—".into(), |d| d.to_string())
    }

    pub fn p90(&self) -> String {
        self.percentile(90).map_or_else(|| "—".into(), |d| d.to_string())
    }
}

/// English records, records needing a translation, and all of them.
#[derive(Debug, Default)]
pub struct RecordsCollected {
    pub groups: [Collected; 3],
}

pub async fn records_collected(
    conn: &mut PgConnection,
    calendar: &Calendar,
    from: Timestamp,
    to: Timestamp,
) -> sqlx::Result<RecordsCollected> {
    // A source asked for again after it arrived has a later requested_at:
    // the wait is then counted from the case's submission. The case is read
    // only for those (a join would read every case: 70 of 180 ms at 100,000).
    let rows = sqlx::query!(
        r#"select s.translation_required as "translation!",
                  coalesce(case when s.requested_at <= s.received_at then s.requested_at end,
                           (select c.submitted_at from cases c where c.id = s.case_id))
                      as "asked: jiff_sqlx::Timestamp",
                  s.received_at as "received!: jiff_sqlx::Timestamp"
           from record_sources s
           where s.received_at >= $1 and s.received_at < $2"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _
    )
    .fetch_all(conn)
    .await?;
    let mut groups = [
        Collected::new("Records in English"),
        Collected::new("Records needing a translation"),
        Collected::new("All sources"),
    ];
    for r in rows {
        // A source of a case never submitted has nothing to count from.
        let Some(asked) = r.asked else { continue };
        let days = calendar
            .business_days_between(calendar.local_date(asked.to_jiff()), calendar.local_date(r.received.to_jiff()))
            .max(0);
        groups[usize::from(r.translation)].add(days);
        groups[2].add(days);
    }
    for g in &mut groups {
        g.days.sort_unstable();
    }
    Ok(RecordsCollected { groups })
}

#[cfg(test)]
mod tests {
    use super::Collected;

    #[test]
    fn median_and_p90_are_nearest_rank() {
        let mut c = Collected::new("All");
        assert_eq!((c.median(), c.p90()), ("—".to_owned(), "—".to_owned()));
        for d in [1, 2, 3, 4, 5, 6, 7, 8, 9, 30] {
            c.add(d);
        }
        c.days.sort_unstable();
        assert_eq!((c.median(), c.p90(), c.count()), ("5".to_owned(), "9".to_owned(), 10));
        assert_eq!(c.by_band, [2, 3, 4, 0, 1]);
    }
}
