//! The coordinator's queue: active cases by due date, then age, filtered and
//! searched, with keyset pagination (no OFFSET), so page 500 costs what page
//! 1 costs at a million cases. Each filter has an index that keeps its order
//! (migrations 0009 and 0013).

use crate::domain::child::age_on;
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Coordinator, Query};
use crate::web::format::pacific_date;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use unicode_normalization::UnicodeNormalization;

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
    /// One of [`Need`]'s names: only cases that need that.
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub after: String,
}

/// What a case can need a person for: the flags triggers keep on the case
/// (migration 0015), each with its own partial index in the queue's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The safety screen: a treatment decision within a week (first, as the most urgent).
    DecisionSoon,
    Translation,
    FeeToPrice,
    FeeUnpaid,
    FollowUp,
    Call,
    Linked,
    SpecialistRequested,
}

impl Need {
    pub const ALL: [Need; 8] = [
        Need::DecisionSoon,
        Need::Translation,
        Need::FeeToPrice,
        Need::FeeUnpaid,
        Need::FollowUp,
        Need::Call,
        Need::Linked,
        Need::SpecialistRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Need::DecisionSoon => "decision_soon",
            Need::Translation => "translation",
            Need::FeeToPrice => "fee_to_price",
            Need::FeeUnpaid => "fee_unpaid",
            Need::FollowUp => "follow_up",
            Need::Call => "call",
            Need::Linked => "linked",
            Need::SpecialistRequested => "specialist_requested",
        }
    }

    pub fn parse(raw: &str) -> Option<Need> {
        Self::ALL.into_iter().find(|n| n.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Need::DecisionSoon => "Decision needed soon",
            Need::Translation => "Translation needed",
            Need::FeeToPrice => "Fee to price",
            Need::FeeUnpaid => "Fee unpaid",
            Need::FollowUp => "Follow-up waiting",
            Need::Call => "Call due",
            Need::Linked => "Linked case",
            Need::SpecialistRequested => "Specialist requested",
        }
    }

    /// The condition, exactly as the flag's index is declared.
    fn sql(self) -> &'static str {
        match self {
            Need::DecisionSoon => " and c.decision_needed_soon",
            Need::Translation => " and c.translation_pending",
            Need::FeeToPrice => " and c.fee_to_price",
            Need::FeeUnpaid => " and c.fee_unpaid",
            Need::FollowUp => " and c.follow_up_waiting",
            Need::Call => " and c.call_pending",
            Need::Linked => " and c.previous_case_id is not null",
            Need::SpecialistRequested => {
                " and (c.requested_specialist_id is not null or c.requested_specialist_note <> '')"
            }
        }
    }
}

/// A search for a case number: "SO-2026-000009", "so-2026-9", "000009" or "9".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NumberSearch {
    year: Option<u16>,
    seq: i64,
}

impl NumberSearch {
    fn parse(raw: &str) -> Option<Self> {
        let upper = raw.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix("SO").map_or(upper.as_str(), |r| r.trim_start_matches(['-', ' ']));
        let (year, digits) = match rest.split_once(['-', ' ']) {
            Some((year, digits)) if year.len() == 4 => (Some(year.parse().ok()?), digits),
            Some(_) => return None,
            None => (None, rest),
        };
        if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(NumberSearch { year, seq: digits.parse().ok()? })
    }
}

/// Where the previous page ended: the sort key of its last row.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cursor {
    due: Timestamp,
    created: Timestamp,
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
    fn decode(raw: &str) -> Option<(Option<Timestamp>, Timestamp, uuid::Uuid)> {
        let mut parts = raw.splitn(3, '.');
        let due: i64 = parts.next()?.parse().ok()?;
        let created: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        let due = if due == NO_DUE_MICROS { None } else { Some(from_micros(due)?) };
        Some((due, from_micros(created)?, id))
    }
}

fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

fn from_micros(m: i64) -> Option<Timestamp> {
    Timestamp::from_microsecond(m).ok()
}

/// One row of the queue.
pub struct QueueRow {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    /// As shown, e.g. "M.O.".
    pub child_initials: String,
    pub date_of_birth: jiff::civil::Date,
    pub entered_state_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub coordinator_name: Option<String>,
    pub records_total: i32,
    pub records_in: i32,
    /// The safety screen said a treatment decision is due within a week.
    pub decision_needed_soon: bool,
    pub translation_pending: bool,
    pub fee_to_price: bool,
    pub fee_unpaid: bool,
    pub follow_up_waiting: bool,
    pub call_pending: bool,
    pub call_due_at: Option<Timestamp>,
    pub linked: bool,
    pub specialist_requested: bool,
    /// Family messages nobody in the care team has read (kept on the case by a trigger).
    pub unread: i32,
}

impl QueueRow {
    /// The flags to show on the row, in [`Need`]'s order.
    pub fn needs(&self) -> Vec<Need> {
        let flags = [
            self.decision_needed_soon,
            self.translation_pending,
            self.fee_to_price,
            self.fee_unpaid,
            self.follow_up_waiting,
            self.call_pending,
            self.linked,
            self.specialist_requested,
        ];
        Need::ALL.into_iter().zip(flags).filter_map(|(need, on)| on.then_some(need)).collect()
    }
}

/// A row as the page shows it.
pub struct RowView {
    pub row: QueueRow,
    pub age: i16,
    pub days_in_state: i64,
    pub due: String,
    pub overdue: bool,
    pub call_overdue: bool,
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
    needs: [Need; 8],
    specialties: Vec<String>,
    attention: Vec<AttentionRow>,
}

/// A delivered case whose follow-up window ended with something still open:
/// the automatic closing leaves it to a person.
pub struct AttentionRow {
    pub id: CaseId,
    pub case_number: String,
    pub window_ended: jiff_sqlx::Timestamp,
    pub open: Vec<&'static str>,
}

impl AttentionRow {
    pub fn ended(&self) -> String {
        crate::web::format::date_time(self.window_ended)
    }
}

async fn attention(conn: &mut sqlx::PgConnection, now: Timestamp) -> sqlx::Result<Vec<AttentionRow>> {
    let rows = sqlx::query!(
        // A function, so that it is planned once per connection (migration 0057 says why).
        r#"select id as "id!: CaseId", case_number as "case_number!", due_at as "due_at!: jiff_sqlx::Timestamp",
                  call_pending as "call_pending!", follow_up_waiting as "follow_up_waiting!",
                  fee_unpaid as "fee_unpaid!", fee_to_price as "fee_to_price!", referral_open as "referral_open!"
           from cases_needing_attention($1)"#,
        now.to_sqlx() as _
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let open = [
                (r.call_pending, "call not completed"),
                (r.follow_up_waiting, "follow-up unanswered"),
                (r.referral_open, "referral open"),
                (r.fee_unpaid, "fee unpaid"),
                (r.fee_to_price, "fee to price"),
            ]
            .into_iter()
            .filter_map(|(on, what)| on.then_some(what))
            .collect();
            AttentionRow { id: r.id, case_number: r.case_number, window_ended: r.due_at, open }
        })
        .collect())
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
            ("need", &self.need),
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

pub async fn queue(
    State(state): State<AppState>,
    mut page: PageContext,
    Coordinator(me): Coordinator,
    Query(mut query): Query<QueueQuery>,
) -> Result<Html<String>, AppError> {
    // No case number, name or specialty holds a control character (and
    // PostgreSQL refuses NUL): leave them out of the search, and say so.
    let stripped = [&mut query.q, &mut query.specialty].map(crate::web::forms::strip_control);
    if stripped.contains(&true) {
        page.flash = Some(crate::web::page::Flash {
            kind: crate::web::page::FlashKind::Error,
            message: "The search contained a character we can't accept; it was left out.".into(),
        });
    }
    let now = state.clock.now();
    // One connection for the page's two queries: fewer pool round trips.
    let mut conn = state.db.acquire().await?;
    let rows = fetch(&mut conn, me.id, &query, now).await?;
    crate::audit::record(
        &mut *conn,
        crate::audit::Entry::new("view_queue", crate::audit::Outcome::Success).by(me.id, me.role),
    )
    .await?;
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
            age: age_on(row.date_of_birth, today),
            days_in_state: row.entered_state_at.map_or(0, |t| now.duration_since(t).as_hours() / 24),
            due: row.due_at.map(crate::web::format::date_time).unwrap_or_else(|| "—".into()),
            overdue: row.due_at.is_some_and(|d| d < now),
            call_overdue: row.call_pending && row.call_due_at.is_some_and(|d| d < now),
            row,
        })
        .collect();
    // The counts at the top and the specialty filter's choices, in one round trip.
    let side = sqlx::query!(
        r#"select array(select status from case_status_counts order by status) as "statuses!: Vec<CaseStatus>",
                  array(select n from case_status_counts order by status) as "counts!",
                  array(select distinct specialty from specialists order by specialty) as "specialties!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    let specialties = side.specialties;
    let counts = side.statuses.into_iter().zip(side.counts).collect::<Vec<_>>();
    // Active states only, in the order a case moves through them.
    let counts = ACTIVE.iter().filter_map(|s| counts.iter().find(|(c, _)| c == s).copied()).collect();
    // Only on the queue's front page: paging and searching don't repeat it.
    let attention =
        if query.after.is_empty() && query.q.is_empty() { attention(&mut conn, now).await? } else { vec![] };
    drop(conn);
    let next = next.map(|cursor| format!("/coordinator?{}", query.to_query_string(Some(&cursor))));
    html(&QueuePage { page, rows, counts, query, next, states: ACTIVE, needs: Need::ALL, specialties, attention })
}

/// What each queue row shows, all from the case (migration 0013 keeps the
/// child's and the checklist's copies there) and its coordinator's name.
const COLUMNS: &str = r#"select c.id, c.case_number, c.status, c.child_initials, c.child_date_of_birth,
       case c.status when 'submitted' then c.submitted_at when 'collecting_records' then c.collecting_records_at
            when 'ready_for_review' then c.ready_for_review_at when 'in_review' then c.in_review_at
            else c.opinion_delivered_at end as entered_state_at,
       c.due_at, c.created_at, u.full_name as coordinator_name, c.records_total, c.records_in,
       c.decision_needed_soon, c.translation_pending, c.fee_to_price, c.fee_unpaid, c.follow_up_waiting, c.call_pending, c.call_due_at,
       c.previous_case_id is not null as linked,
       (c.requested_specialist_id is not null or c.requested_specialist_note <> '') as specialist_requested,
       c.unread_by_team"#;

/// The queue's order, which its indexes keep (migrations 0009 and 0013).
const ORDER: &str = " order by coalesce(c.due_at, 'infinity'), c.created_at, c.id";

/// One page plus one row (to know whether there is a next page).
async fn fetch(
    conn: &mut sqlx::PgConnection,
    me: UserId,
    q: &QueueQuery,
    now: Timestamp,
) -> Result<Vec<QueueRow>, AppError> {
    let search = q.q.trim();
    let number = NumberSearch::parse(search);
    let by_name = !search.is_empty() && number.is_none();
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(COLUMNS);
    // A name search skips most cases on its way down the queue. It first
    // picks the page's ids from the index alone (each queue index carries the
    // search key), then reads those cases; without a search the page's rows
    // are read straight away. (The inner query's `c` is its own.)
    if by_name {
        sql.push(" from (select c.id from cases c");
    } else {
        sql.push(" from cases c left join users u on u.id = c.coordinator_id");
    }
    sql.push(
        " where c.status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered')",
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
        sql.push(" and coalesce(c.due_at, 'infinity') < ").push_bind(now.to_sqlx());
    }
    if !q.specialty.is_empty() {
        sql.push(" and exists (select 1 from specialists s where s.user_id = coalesce(c.specialist_id, c.requested_specialist_id) and s.specialty = ")
            .push_bind(q.specialty.clone())
            .push(")");
    }
    if let Some(need) = Need::parse(&q.need) {
        sql.push(need.sql());
    }
    if by_name {
        // The start of any word of the child's name (see migration 0013). A
        // plain function, not LIKE: what was typed needs no escaping, and its
        // selectivity is estimated alike for every search, so the cached
        // generic plan is used instead of planning each search anew. What was
        // typed is folded as the name was (`search_text`: accents dropped,
        // case folded), once per query (the subquery), after NFC, the form
        // names are stored in.
        sql.push(" and strpos(c.child_search, (select ' ' || search_text(")
            .push_bind(search.nfc().collect::<String>())
            .push("))) > 0");
    } else if let Some(number) = number {
        // The number's sequence part is unique and indexed; a year, if typed, must match too.
        sql.push(" and c.case_seq = ").push_bind(number.seq);
        if let Some(year) = number.year {
            sql.push(" and left(c.case_number, 8) = ").push_bind(format!("SO-{year}-"));
        }
    }
    if let Some((due, created, id)) = Cursor::decode(&q.after) {
        sql.push(" and (coalesce(c.due_at, 'infinity'), c.created_at, c.id) > (");
        match due {
            Some(due) => sql.push_bind(due.to_sqlx()),
            None => sql.push("'infinity'::timestamptz"),
        };
        sql.push(", ").push_bind(created.to_sqlx()).push(", ").push_bind(id).push(")");
    }
    // The limit is written into the text, not bound: with `limit $n` the
    // planner costs a generic plan for an unknown row count, finds it worse
    // than the custom plans and re-plans every execution (planning cost more
    // than running the query at a million cases). A constant lets the cached
    // generic plan serve every page.
    sql.push(ORDER).push(" limit ").push(PAGE_SIZE + 1);
    if by_name {
        sql.push(") as page join cases c on c.id = page.id left join users u on u.id = c.coordinator_id").push(ORDER);
    }
    let rows = sql.build().fetch_all(conn).await?;
    use sqlx::Row;
    rows.into_iter()
        .map(|r| {
            Ok(QueueRow {
                id: CaseId(r.try_get("id")?),
                case_number: r.try_get("case_number")?,
                status: r.try_get("status")?,
                child_initials: r.try_get("child_initials")?,
                date_of_birth: r.try_get::<jiff_sqlx::Date, _>("child_date_of_birth")?.to_jiff(),
                entered_state_at: r.try_get::<Option<jiff_sqlx::Timestamp>, _>("entered_state_at")?.map(Into::into),
                due_at: r.try_get::<Option<jiff_sqlx::Timestamp>, _>("due_at")?.map(Into::into),
                created_at: r.try_get::<jiff_sqlx::Timestamp, _>("created_at")?.to_jiff(),
                coordinator_name: r.try_get("coordinator_name")?,
                records_total: r.try_get("records_total")?,
                records_in: r.try_get("records_in")?,
                decision_needed_soon: r.try_get("decision_needed_soon")?,
                translation_pending: r.try_get("translation_pending")?,
                fee_to_price: r.try_get("fee_to_price")?,
                fee_unpaid: r.try_get("fee_unpaid")?,
                follow_up_waiting: r.try_get("follow_up_waiting")?,
                call_pending: r.try_get("call_pending")?,
                call_due_at: r.try_get::<Option<jiff_sqlx::Timestamp>, _>("call_due_at")?.map(Into::into),
                linked: r.try_get("linked")?,
                unread: r.try_get("unread_by_team")?,
                specialist_requested: r.try_get("specialist_requested")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_found_by_any_part_of_its_number() {
        let n = |year, seq| Some(NumberSearch { year, seq });
        assert_eq!(NumberSearch::parse("SO-2026-000009"), n(Some(2026), 9));
        assert_eq!(NumberSearch::parse("so-2026-9"), n(Some(2026), 9));
        assert_eq!(NumberSearch::parse("000009"), n(None, 9));
        assert_eq!(NumberSearch::parse(" 9 "), n(None, 9));
        assert_eq!(NumberSearch::parse("SO-000009"), n(None, 9));
        for not_a_number in ["sofia", "SO-", "SO-26-9", "2026-", "9a", "SO-2026-9-1", ""] {
            assert_eq!(NumberSearch::parse(not_a_number), None, "{not_a_number}");
        }
    }

    #[test]
    fn cursors_round_trip_and_junk_is_ignored() {
        let c =
            Cursor { due: Timestamp::UNIX_EPOCH, created: Timestamp::from_second(5).unwrap(), id: uuid::Uuid::nil() };
        let (due, created, id) = Cursor::decode(&c.encode(false)).unwrap();
        assert_eq!((due, created, id), (Some(c.due), c.created, c.id));
        assert_eq!(Cursor::decode(&c.encode(true)).unwrap().0, None);
        for junk in ["", "1.2", "a.b.c", "1.2.not-a-uuid", "' or 1=1 --"] {
            assert!(Cursor::decode(junk).is_none(), "{junk}");
        }
    }
}
