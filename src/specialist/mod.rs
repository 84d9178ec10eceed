//! The specialist's side: only the cases sent to them, the records, and the
//! opinion form (draft, preview, sign).

pub mod opinion;
mod profile;
mod records;
mod signed;

use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::Specialist;
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
}

pub struct AssignedView {
    pub case: AssignedCase,
    pub age: i16,
    pub due: String,
    pub days_left: Option<i64>,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "specialist/home.html")]
struct HomePage {
    page: PageContext,
    cases: Vec<AssignedView>,
}

async fn home(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
) -> Result<Html<String>, AppError> {
    let cases = sqlx::query_as!(
        AssignedCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus",
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date", c.due_at as "due_at: jiff_sqlx::Timestamp",
                  (select count(*) from case_questions q where q.case_id = c.id) as "questions!",
                  (select count(*) from follow_up_questions f where f.case_id = c.id and f.escalated_at is not null and f.answer is null) as "open_follow_ups!"
           from cases c join children ch on ch.id = c.child_id
           where c.specialist_id = $1 and c.status in ('in_review', 'opinion_delivered')
             -- A delivered case stays on the list for a month, or while a question waits for them.
             and (c.status = 'in_review' or c.opinion_delivered_at > $2
                  or exists (select 1 from follow_up_questions f where f.case_id = c.id
                             and f.escalated_at is not null and f.answer is null))
           order by coalesce(c.due_at, 'infinity'), c.created_at"#,
        me.id as UserId,
        (state.clock.now() - jiff::SignedDuration::from_hours(24 * 30)).to_sqlx() as _
    )
    .fetch_all(&state.db)
    .await?;
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("view_specialist_home", crate::audit::Outcome::Success).by(me.id, me.role),
    )
    .await?;
    let now = state.clock.now();
    let today = crate::web::format::pacific_date(now);
    let calendar = state.calendar.get(&mut *state.db.acquire().await?).await?;
    let cases = cases
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
        .collect();
    html(&HomePage { page, cases })
}
