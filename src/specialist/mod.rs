//! The specialist's side: only the cases sent to them, the records, and the
//! opinion form (draft, preview, sign).

pub mod opinion;
mod profile;
mod records;
mod signed;

use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Query, Specialist};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::{get, post};
use jiff_sqlx::ToSqlx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/profile", get(profile::profile_page).post(profile::save_profile))
        .route("/cases/{id}", get(opinion::case_page))
        .route("/cases/{id}/opinion", post(opinion::save))
        .route("/cases/{id}/preview", get(opinion::preview))
        .route("/cases/{id}/sign", post(opinion::sign))
        .route("/cases/{id}/signed", get(signed::signed))
        .route("/cases/{id}/re-review", post(opinion::suggest_re_review))
        .route("/cases/{id}/records/{document}", get(records::view))
        .route("/cases/{id}/follow-ups/{follow_up}", post(opinion::answer_follow_up))
}

pub struct AssignedCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub date_of_birth: jiff_sqlx::Date,
    pub due_at: Option<jiff_sqlx::Timestamp>,
    pub questions: i64,
    pub open_follow_ups: i64,
    /// Which list the case is on: waiting for the specialist, or delivered lately.
    pub waiting: bool,
}

pub struct AssignedView {
    pub case: AssignedCase,
    pub age: i16,
    pub due: String,
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// Cases shown at a time in each list.
const PER_PAGE: u32 = 25;

/// `?waiting=25&delivered=0`: where each list's page starts, counting from 0.
#[derive(serde::Deserialize, Default, Clone, Copy)]
pub struct HomeQuery {
    #[serde(default)]
    waiting: u32,
    #[serde(default)]
    delivered: u32,
}

/// One page of one list, and the links to the pages beside it.
pub struct Listed {
    pub cases: Vec<AssignedView>,
    pub from: u32,
    /// Whether a case follows the page.
    pub more: bool,
}

impl Listed {
    fn new(mut cases: Vec<AssignedView>, from: u32) -> Listed {
        let more = cases.len() > PER_PAGE as usize;
        cases.truncate(PER_PAGE as usize);
        Listed { cases, from, more }
    }
    pub fn first_shown(&self) -> u32 {
        self.from + 1
    }
    pub fn last_shown(&self) -> u32 {
        self.from + self.cases.len() as u32
    }
    pub fn previous(&self) -> Option<u32> {
        (self.from > 0).then(|| self.from.saturating_sub(PER_PAGE))
    }
    pub fn next(&self) -> Option<u32> {
        self.more.then_some(self.from + PER_PAGE)
    }
}

#[derive(Template)]
#[template(path = "specialist/home.html")]
struct HomePage {
    page: PageContext,
    waiting: Listed,
    delivered: Listed,
}

async fn home(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
    Query(at): Query<HomeQuery>,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    // Two pages in one statement, each one case longer than it shows (so
    // the page knows whether another follows): what waits for the
    // specialist, most urgent first — the cases in review, read in the order
    // of their index (0055), and any delivered case with a follow-up question
    // sent to them; then what they delivered in the last 30 days, newest first.
    // The child's date of birth is the case's own copy (kept by 0013's triggers).
    let rows = sqlx::query_as!(
        AssignedCase,
        r#"with waiting as (
               (select c.id, coalesce(c.due_at, 'infinity') as due, c.created_at from cases c
                where c.specialist_id = $1 and c.status = 'in_review'
                order by coalesce(c.due_at, 'infinity'), c.created_at, c.id
                limit $3::bigint + $4::bigint)
               union all
               (select c.id, coalesce(c.due_at, 'infinity'), c.created_at from cases c
                where c.specialist_id = $1 and c.status = 'opinion_delivered'
                  and c.id in (select f.case_id from follow_up_questions f
                               where f.answer is null and f.escalated_at is not null))),
           waiting_page as (select id from waiting order by due, created_at, id limit $3 offset $4),
           delivered as (
               -- In the order of cases_specialist_delivered (0060).
               select c.id from cases c
               where c.specialist_id = $1 and c.status = 'opinion_delivered' and c.opinion_delivered_at > $2
                 and not exists (select 1 from follow_up_questions f
                                 where f.case_id = c.id and f.escalated_at is not null and f.answer is null)
               order by c.opinion_delivered_at desc, c.id
               limit $3 offset $5),
           shown as (select id, true as waiting from waiting_page union all select id, false from delivered)
           select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus",
                  c.child_date_of_birth as "date_of_birth: jiff_sqlx::Date", c.due_at as "due_at: jiff_sqlx::Timestamp",
                  (select count(*) from case_questions q where q.case_id = c.id) as "questions!",
                  (select count(*) from follow_up_questions f
                   where f.case_id = c.id and f.escalated_at is not null and f.answer is null) as "open_follow_ups!",
                  shown.waiting as "waiting!"
           from shown join cases c on c.id = shown.id
           order by shown.waiting desc, case when shown.waiting then coalesce(c.due_at, 'infinity') end,
                    c.opinion_delivered_at desc, c.created_at, c.id"#,
        me.id as UserId,
        (now - jiff::SignedDuration::from_hours(24 * 30)).to_sqlx() as _,
        i64::from(PER_PAGE + 1),
        i64::from(at.waiting),
        i64::from(at.delivered)
    )
    .fetch_all(&state.db)
    .await?;
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("view_specialist_home", crate::audit::Outcome::Success).by(me.id, me.role),
    )
    .await?;
    let today = crate::web::format::pacific_date(now);
    let calendar = state.calendar.get(&mut *state.db.acquire().await?).await?;
    let (waiting, delivered): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|case| {
            let in_review = case.status == CaseStatus::InReview;
            let due_date = case.due_at.filter(|_| in_review).map(crate::web::format::pacific_date);
            AssignedView {
                age: crate::domain::child::age_on(case.date_of_birth.to_jiff(), today),
                due: case.due_at.filter(|_| in_review).map(crate::web::format::date_time).unwrap_or_else(|| "—".into()),
                days_left: due_date.map(|d| calendar.business_days_between(today, d)),
                overdue: in_review && case.due_at.is_some_and(|d| d.to_jiff() < now),
                case,
            }
        })
        .partition(|v| v.case.waiting);
    let waiting = Listed::new(waiting, at.waiting);
    let delivered = Listed::new(delivered, at.delivered);
    html(&HomePage { page, waiting, delivered })
}
