//! The coordinator's queue: active cases by due date, then age, filtered and
//! searched, with keyset pagination (no OFFSET), so page 500 costs what page
//! 1 costs at a million cases. Each filter has an index that keeps its order
//! (migrations 0009).

use crate::domain::child::age_on;
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::family::db::to_jiff;
use crate::state::AppState;
use crate::web::extract::Coordinator;
use crate::web::format::pacific_date;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use time::OffsetDateTime;

pub const PAGE_SIZE: i64 = 50;
const ACTIVE: [CaseStatus; 5] = [
    CaseStatus::Submitted,
    CaseStatus::CollectingRecords,
    CaseStatus::ReadyForReview,
    CaseStatus::InReview,
    CaseStatus::OpinionDelivered,
];

#[derive(Clone, Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub unassigned: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub specialty: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub after: String,
}

/// Where the previous page ended: the sort key of its last row.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cursor {
    due: OffsetDateTime,
    created: OffsetDateTime,
    id: uuid::Uuid,
}

/// "Infinity" for cases with no deadline: Postgres sorts `'infinity'` last,
/// and this stands in for it in cursors.
const NO_DUE_MICROS: i64 = i64::MAX;

impl Cursor {
    fn encode(&self, due_is_infinite: bool) -> String {
        let due = if due_is_infinite { NO_DUE_MICROS } else { micros(self.due) };
        format!("{due}.{}.{}", micros(self.created), self.id.simple())
    }

    /// `None` for anything malformed: the queue then starts from the top.
    fn decode(raw: &str) -> Option<(Option<OffsetDateTime>, OffsetDateTime, uuid::Uuid)> {
        let mut parts = raw.splitn(3, '.');
        let due: i64 = parts.next()?.parse().ok()?;
        let created: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        let due = if due == NO_DUE_MICROS { None } else { Some(from_micros(due)?) };
        Some((due, from_micros(created)?, id))
    }
}

fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

fn from_micros(m: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(m) * 1_000).ok()
}

/// One row of the queue.
pub struct QueueRow {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: time::Date,
    pub entered_state_at: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub coordinator_name: Option<String>,
    pub records_total: i64,
    pub records_in: i64,
}

/// A row as the page shows it.
pub struct RowView {
    pub row: QueueRow,
    pub initials: String,
    pub age: i16,
    pub days_in_state: i64,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "coordinator/queue.html")]
struct QueuePage {
    page: PageContext,
    rows: Vec<RowView>,
    counts: Vec<(CaseStatus, i64)>,
    query: QueueQuery,
    next: Option<String>,
    states: [CaseStatus; 5],
    specialties: Vec<String>,
}

impl QueueQuery {
    /// These filters as a query string (for links), optionally with a cursor.
    pub fn to_query_string(&self, after: Option<&str>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("state", &self.state),
            ("mine", &self.mine),
            ("unassigned", &self.unassigned),
            ("overdue", &self.overdue),
            ("specialty", &self.specialty),
            ("q", &self.q),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        if let Some(after) = after {
            s.append_pair("after", after);
        }
        s.finish()
    }
}

/// Escapes LIKE's wildcards so a search for "50%" means those characters.
pub fn like_prefix(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 1);
    for c in raw.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

pub async fn queue(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    Query(query): Query<QueueQuery>,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    // One connection for the page's three queries: fewer pool round trips.
    let mut conn = state.db.acquire().await?;
    let rows = fetch(&mut conn, me.id, &query, now).await?;
    let (rows, next) = if rows.len() as i64 > PAGE_SIZE {
        let mut rows = rows;
        rows.truncate(PAGE_SIZE as usize);
        let last = rows
            .last()
            .map(|r| (Cursor { due: r.due_at.unwrap_or(now), created: r.created_at, id: r.id.0 }, r.due_at.is_none()));
        (rows, last.map(|(c, inf)| c.encode(inf)))
    } else {
        (rows, None)
    };
    let today = pacific_date(now);
    let rows = rows
        .into_iter()
        .map(|row| RowView {
            initials: format!(
                "{}.{}.",
                row.first_name.chars().next().unwrap_or('?'),
                row.last_name.chars().next().unwrap_or('?')
            ),
            age: age_on(to_jiff(row.date_of_birth), today),
            days_in_state: row.entered_state_at.map_or(0, |t| (now - t).whole_days()),
            due: row.due_at.map(crate::web::format::date_time).unwrap_or_else(|| "—".into()),
            overdue: row.due_at.is_some_and(|d| d < now),
            row,
        })
        .collect();
    let counts = sqlx::query!(r#"select status as "status: CaseStatus", n from case_status_counts"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|r| ACTIVE.contains(&r.status))
        .map(|r| (r.status, r.n))
        .collect::<Vec<_>>();
    // In the order a case moves through them.
    let counts = ACTIVE.iter().filter_map(|s| counts.iter().find(|(c, _)| c == s).copied()).collect();
    let specialties = sqlx::query_scalar!("select distinct specialty from specialists order by specialty")
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    let next = next.map(|cursor| format!("/coordinator?{}", query.to_query_string(Some(&cursor))));
    html(&QueuePage { page, rows, counts, query, next, states: ACTIVE, specialties })
}

/// One page plus one row (to know whether there is a next page).
async fn fetch(
    conn: &mut sqlx::PgConnection,
    me: UserId,
    q: &QueueQuery,
    now: OffsetDateTime,
) -> Result<Vec<QueueRow>, AppError> {
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
        r#"select c.id, c.case_number, c.status, ch.first_name, ch.last_name, ch.date_of_birth,
                  case c.status when 'submitted' then c.submitted_at when 'collecting_records' then c.collecting_records_at
                       when 'ready_for_review' then c.ready_for_review_at when 'in_review' then c.in_review_at
                       else c.opinion_delivered_at end as entered_state_at,
                  c.due_at, c.created_at, u.full_name as coordinator_name,
                  rp.records_total, rp.records_in
           from cases c
           join children ch on ch.id = c.child_id
           left join users u on u.id = c.coordinator_id
           -- One pass over the case's sources for both numbers.
           cross join lateral (
               select count(*) as records_total,
                      count(*) filter (where r.status in ('received', 'digitized', 'unavailable')) as records_in
               from record_sources r where r.case_id = c.id
           ) as rp
           where c.status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered')"#,
    );
    if let Some(status) = ACTIVE.iter().find(|s| s.as_str() == q.state) {
        sql.push(" and c.status = ").push_bind(*status);
    }
    if q.mine == "1" {
        sql.push(" and c.coordinator_id = ").push_bind(me);
    }
    if q.unassigned == "1" {
        sql.push(" and c.coordinator_id is null");
    }
    if q.overdue == "1" {
        sql.push(" and coalesce(c.due_at, 'infinity') < ").push_bind(now);
    }
    if !q.specialty.is_empty() {
        sql.push(" and exists (select 1 from specialists s where s.user_id = coalesce(c.specialist_id, c.requested_specialist_id) and s.specialty = ")
            .push_bind(q.specialty.clone())
            .push(")");
    }
    let search = q.q.trim();
    if !search.is_empty() {
        if search.to_ascii_uppercase().starts_with("SO-") {
            sql.push(" and c.case_number = ").push_bind(search.to_ascii_uppercase());
        } else {
            let pattern = like_prefix(search);
            sql.push(" and (lower(ch.first_name) like ")
                .push_bind(pattern.clone())
                .push(" escape '\\' or lower(ch.last_name) like ")
                .push_bind(pattern)
                .push(" escape '\\')");
        }
    }
    if let Some((due, created, id)) = Cursor::decode(&q.after) {
        sql.push(" and (coalesce(c.due_at, 'infinity'), c.created_at, c.id) > (");
        match due {
            Some(due) => sql.push_bind(due),
            None => sql.push("'infinity'::timestamptz"),
        };
        sql.push(", ").push_bind(created).push(", ").push_bind(id).push(")");
    }
    sql.push(" order by coalesce(c.due_at, 'infinity'), c.created_at, c.id limit ").push_bind(PAGE_SIZE + 1);
    let rows = sql.build().fetch_all(conn).await?;
    use sqlx::Row;
    rows.into_iter()
        .map(|r| {
            Ok(QueueRow {
                id: CaseId(r.try_get("id")?),
                case_number: r.try_get("case_number")?,
                status: r.try_get("status")?,
                first_name: r.try_get("first_name")?,
                last_name: r.try_get("last_name")?,
                date_of_birth: r.try_get("date_of_birth")?,
                entered_state_at: r.try_get("entered_state_at")?,
                due_at: r.try_get("due_at")?,
                created_at: r.try_get("created_at")?,
                coordinator_name: r.try_get("coordinator_name")?,
                records_total: r.try_get("records_total")?,
                records_in: r.try_get("records_in")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_prefix("50%_a\\"), "50\\%\\_a\\\\%");
        assert_eq!(like_prefix("Oka"), "oka%");
    }

    #[test]
    fn cursors_round_trip_and_junk_is_ignored() {
        let c = Cursor {
            due: OffsetDateTime::UNIX_EPOCH,
            created: OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(5),
            id: uuid::Uuid::nil(),
        };
        let (due, created, id) = Cursor::decode(&c.encode(false)).unwrap();
        assert_eq!((due, created, id), (Some(c.due), c.created, c.id));
        assert_eq!(Cursor::decode(&c.encode(true)).unwrap().0, None);
        for junk in ["", "1.2", "a.b.c", "1.2.not-a-uuid", "' or 1=1 --"] {
            assert!(Cursor::decode(junk).is_none(), "{junk}");
        }
    }
}
