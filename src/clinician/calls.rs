//! The clinician's home: the follow-up calls (overdue, due, done) with
//! everything needed to make one — the parent, the phone, the family's local
//! time and when they like to be called — then clarifying questions and
//! referral requests. Logging an attempt happens on the case's page.

use super::case_view::{self, CallForm};
use super::{audited, my_case};
use crate::cases::calls::{self, Attempt};
use crate::cases::updates::{Update, tell_family};
use crate::domain::child::age_on;
use crate::domain::text::CallNotes;
use crate::domain::{CallOutcome, CaseId, FollowUpId, PhoneNumber, ReferralId, ReferralStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Clinician, Path, Query};
use crate::web::format::{date_time, pacific_date};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use tower_sessions::Session;

/// A delivered case of this clinician's, as its call card needs it.
pub struct CallRow {
    pub id: CaseId,
    pub case_number: String,
    pub parent_name: String,
    pub contact_phone: String,
    pub contact_time_zone: String,
    pub call_times: String,
    pub child_first_name: String,
    pub date_of_birth: jiff_sqlx::Date,
    pub call_due_at: Option<jiff_sqlx::Timestamp>,
    pub call_pending: bool,
    pub attempts: i64,
    pub last_outcome: Option<CallOutcome>,
    pub last_at: Option<jiff_sqlx::Timestamp>,
    pub next_attempt_at: Option<jiff_sqlx::Timestamp>,
    /// The time the family was told, until an attempt is logged.
    pub call_scheduled_for: Option<jiff_sqlx::Timestamp>,
    /// Family messages nobody in the care team has read yet.
    pub unread: i32,
    /// The language the family reads: the call card says "Prefers Spanish".
    pub family_language: crate::i18n::Lang,
}

/// Where a call stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    Overdue,
    Due,
    Done,
}

/// A call card as the page shows it.
pub struct CallCard {
    pub row: CallRow,
    pub state: CallState,
    pub phone: Option<PhoneNumber>,
    pub age: i16,
    /// "Tuesday 9:14 a.m. in Central Time (US and Canada)"
    pub family_time: String,
    /// The next attempt the clinician set, or the call's deadline.
    pub due: Option<String>,
}

impl CallCard {
    fn new(row: CallRow, now: Timestamp) -> Self {
        let due_at =
            row.call_scheduled_for.or(row.next_attempt_at).or(row.call_due_at).map(jiff_sqlx::Timestamp::to_jiff);
        let state = match (row.call_pending, due_at) {
            (false, _) => CallState::Done,
            (true, Some(due)) if due < now => CallState::Overdue,
            (true, _) => CallState::Due,
        };
        CallCard {
            state,
            phone: PhoneNumber::from_stored(&row.contact_phone),
            age: age_on(row.date_of_birth.to_jiff(), pacific_date(now)),
            family_time: crate::web::format::family_time(&row.contact_time_zone, now),
            due: due_at.map(date_time),
            row,
        }
    }
    pub fn last(&self) -> Option<String> {
        Some(format!("{} ({})", self.row.last_outcome?.label(), date_time(self.row.last_at?)))
    }
}

pub struct OpenFollowUp {
    pub id: FollowUpId,
    pub case_id: CaseId,
    pub case_number: String,
    pub about: String,
    pub body: String,
    pub escalated: bool,
}

/// A case of this clinician's whose opinion is not delivered yet: its messages.
pub struct OtherCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: crate::domain::CaseStatus,
    pub child_name: String,
    pub unread: i32,
}

pub struct OpenReferral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub case_number: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "clinician/home.html")]
struct HomePage {
    page: PageContext,
    calls: CallsPage,
    totals: Totals,
    overdue: Vec<CallCard>,
    due: Vec<CallCard>,
    done: Vec<CallCard>,
    follow_ups: Vec<OpenFollowUp>,
    referrals: Vec<OpenReferral>,
    others: Vec<OtherCase>,
    outcomes: [ReferralStatus; 3],
    answer: Option<TypedAnswer>,
}

/// An answer refused for what was typed: shown again under its question.
pub struct TypedAnswer {
    pub follow_up: FollowUpId,
    pub text: String,
    pub error: String,
}

impl HomePage {
    fn typed(&self, follow_up: &FollowUpId) -> Option<&TypedAnswer> {
        self.answer.as_ref().filter(|a| a.follow_up == *follow_up)
    }
}

/// `?from=25`: where the page of calls to make starts.
#[derive(serde::Deserialize, Default)]
pub struct HomeQuery {
    #[serde(default)]
    from: u32,
}

/// Calls to make shown at a time, most urgent first.
const CALLS_PER_PAGE: u32 = 25;
/// Calls completed lately, and cases before the opinion, shown at most.
const RECENT_SHOWN: i64 = 25;

/// How many calls there are, beyond the page shown.
pub struct Totals {
    pub overdue: i64,
    pub due: i64,
    pub done: i64,
    pub others: i64,
}

/// Which calls to make the page shows: `from` is the first, counting from 0.
pub struct CallsPage {
    pub from: u32,
    pub shown: usize,
    pub total: i64,
}

impl CallsPage {
    pub fn first_shown(&self) -> u32 {
        self.from + 1
    }
    pub fn last_shown(&self) -> u32 {
        self.from + self.shown as u32
    }
    pub fn previous(&self) -> Option<u32> {
        (self.from > 0).then(|| self.from.saturating_sub(CALLS_PER_PAGE))
    }
    pub fn next(&self) -> Option<u32> {
        (i64::from(self.last_shown()) < self.total).then_some(self.from + CALLS_PER_PAGE)
    }
}

pub async fn home(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    render_home(&state, page, &me, q.from, None).await
}

/// The home page; with a refused answer, 422 and the answer as typed.
pub async fn render_home(
    state: &AppState,
    page: PageContext,
    me: &crate::web::extract::CurrentUser,
    from: u32,
    answer: Option<TypedAnswer>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let since = jiff_sqlx::ToSqlx::to_sqlx(now - jiff::SignedDuration::from_hours(24 * 30));
    let mut conn = state.db.acquire().await?;
    // A page of the calls to make in the order of one index, then the calls
    // completed lately: the last attempt is read for the cards shown, not
    // for every call the clinician has. A function, so that it is planned
    // once per connection (migration 0058 says why).
    let rows = sqlx::query_as!(
        CallRow,
        r#"select id as "id!: CaseId", case_number as "case_number!", parent_name as "parent_name!",
                  contact_phone as "contact_phone!", contact_time_zone as "contact_time_zone!",
                  call_times as "call_times!", child_first_name as "child_first_name!",
                  date_of_birth as "date_of_birth!: jiff_sqlx::Date",
                  call_due_at as "call_due_at: jiff_sqlx::Timestamp", call_pending as "call_pending!",
                  attempts as "attempts!", last_outcome as "last_outcome?: CallOutcome",
                  last_at as "last_at?: jiff_sqlx::Timestamp", next_attempt_at as "next_attempt_at: jiff_sqlx::Timestamp",
                  call_scheduled_for as "call_scheduled_for: jiff_sqlx::Timestamp", unread as "unread!",
                  family_language as "family_language!: crate::i18n::Lang"
           from clinician_calls($1, $2, $3, $4, $5)"#,
        me.id as UserId,
        since as _,
        i64::from(CALLS_PER_PAGE),
        i64::from(from),
        RECENT_SHOWN
    )
    .fetch_all(&mut *conn)
    .await?;
    // The headings count every call, from the same indexes, without reading the cases.
    let totals = sqlx::query_as!(
        Totals,
        r#"select p.overdue as "overdue!", p.pending - p.overdue as "due!",
                  (select count(distinct k.case_id) from follow_up_calls k join cases d on d.id = k.case_id
                   where k.outcome = 'completed' and k.at > $3 and d.clinician_id = $1 and not d.call_pending) as "done!",
                  (select count(*) from cases where clinician_id = $1 and opinion_delivered_at is null
                   and status not in ('closed', 'cancelled')) as "others!"
           from (select count(*) as pending,
                        count(*) filter (where coalesce(call_scheduled_for, call_retry_at, call_due_at) < $2) as overdue
                 from cases where clinician_id = $1 and call_pending) p"#,
        me.id as UserId,
        now.to_sqlx() as _,
        since as _
    )
    .fetch_one(&mut *conn)
    .await?;
    let (mut overdue, mut due, mut done) = (Vec::new(), Vec::new(), Vec::new());
    for card in rows.into_iter().map(|row| CallCard::new(row, now)) {
        match card.state {
            CallState::Overdue => overdue.push(card),
            CallState::Due => due.push(card),
            CallState::Done => done.push(card),
        }
    }
    let follow_ups = sqlx::query_as!(
        OpenFollowUp,
        r#"select f.id as "id: FollowUpId", c.id as "case_id: CaseId", c.case_number, q.body as about, f.body,
                  f.escalated_at is not null as "escalated!"
           from follow_up_questions f join cases c on c.id = f.case_id join case_questions q on q.id = f.question_id
           where c.clinician_id = $1 and f.answer is null order by f.asked_at"#,
        me.id as UserId
    )
    .fetch_all(&mut *conn)
    .await?;
    let referrals = sqlx::query_as!(
        OpenReferral,
        r#"select r.id as "id: ReferralId", c.id as "case_id: CaseId", c.case_number, r.note
           from referral_requests r join cases c on c.id = r.case_id
           where c.clinician_id = $1 and r.status = 'requested' order by r.created_at"#,
        me.id as UserId
    )
    .fetch_all(&mut *conn)
    .await?;
    // The limit is written out: as a parameter it kept PostgreSQL from
    // keeping a plan for the statement (it planned it on every view, 0.5 ms).
    const _: () = assert!(RECENT_SHOWN == 25, "the limit below");
    let others = sqlx::query_as!(
        OtherCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: crate::domain::CaseStatus",
                  ch.first_name || ' ' || ch.last_name as "child_name!", c.unread_by_team as unread
           from cases c join children ch on ch.id = c.child_id
           where c.clinician_id = $1 and c.opinion_delivered_at is null and c.status not in ('closed', 'cancelled')
           order by c.unread_by_team > 0 desc, c.created_at desc limit 25"#,
        me.id as UserId
    )
    .fetch_all(&mut *conn)
    .await?;
    // The page names children and quotes their families' questions: a view of health information.
    let entry = crate::audit::Entry::new("view_clinician_home", crate::audit::Outcome::Success).by(me.id, me.role);
    crate::audit::record(&mut *conn, entry).await?;
    let status = if answer.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let calls = CallsPage { from, shown: overdue.len() + due.len(), total: totals.overdue + totals.due };
    let page = HomePage {
        page,
        calls,
        totals,
        overdue,
        due,
        done,
        follow_ups,
        referrals,
        others,
        outcomes: ReferralStatus::OUTCOMES,
        answer,
    };
    Ok((status, html(&page)?).into_response())
}

/// `POST /clinician/cases/{id}/calls`: one attempt, with its outcome, notes
/// and (when the family was not reached) the next try.
pub async fn log_call(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Clinician(me): Clinician,
    Path(id): Path<CaseId>,
    Form(form): Form<CallForm>,
) -> Result<Response, AppError> {
    my_case(&state, &me, id).await?;
    let mut errors = FormErrors::default();
    let outcome = CallOutcome::parse(&form.outcome);
    if outcome.is_none() {
        errors.add("outcome", "Choose how the call went.");
    }
    let notes: Option<CallNotes> = errors.text("notes", &form.notes, "The notes");
    let next = match form.next_attempt.trim() {
        "" => None,
        raw => match parse_pacific(raw) {
            Some(at) if at > state.clock.now() => Some(at),
            Some(_) => {
                errors.add("next_attempt", "The next attempt must be in the future.");
                None
            }
            None => {
                errors.add("next_attempt", "Enter the next attempt as a date and time, for example 2026-12-03 10:00.");
                None
            }
        },
    };
    let (Some(outcome), Some(notes), true) = (outcome, notes, errors.is_empty()) else {
        return case_view::render(&state, page, &me, id, crate::cases::break_glass::Access::Assigned, form, errors)
            .await;
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let call = calls::log(&mut tx, id, me.id, &Attempt { outcome, notes, next_attempt_at: next }, now).await?;
    if outcome == CallOutcome::Completed {
        tell_family(&state, &mut tx, id, Update::CallDone).await?;
    }
    audited(&mut tx, &me, "call_logged", id, ("follow_up_call", call.to_string())).await?;
    tx.commit().await?;
    let message = match outcome {
        CallOutcome::Completed => "Call logged as completed.",
        _ => "Attempt logged.",
    };
    flash_redirect(&session, &format!("/clinician/cases/{id}"), FlashKind::Success, message).await
}

/// `2026-12-03T10:00` from a `datetime-local` input, as Pacific time.
fn parse_pacific(raw: &str) -> Option<Timestamp> {
    let local: jiff::civil::DateTime = raw.replace(' ', "T").parse().ok()?;
    local.to_zoned(crate::domain::business_days::time_zone().clone()).ok().map(|z| z.timestamp())
}
