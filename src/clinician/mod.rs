//! The clinician's side: follow-up calls that are due, and their cases.

mod messages;
mod schedule;

use crate::audit::{self, Entry, Outcome};
use crate::cases::follow_ups::{self, Answerer};
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::{CallNotes, FollowUpAnswer};
use crate::domain::{CaseId, CaseStatus, FollowUpId, ReferralId, ReferralStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Clinician, CurrentUser, Path};
use crate::web::format::date_time;
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/cases/{id}/follow-ups/{follow_up}/answer", post(answer_follow_up))
        .route("/cases/{id}/follow-ups/{follow_up}/escalate", post(escalate))
        .route("/cases/{id}/calls", post(log_call))
        .route("/cases/{id}/calls/schedule", post(schedule::schedule_call))
        .route("/cases/{id}/messages", get(messages::messages_page).post(messages::reply))
        .route("/cases/{id}/referrals/{referral}", post(record_referral))
}

pub struct ClinicianCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub child_name: String,
    pub opinion_delivered_at: Option<jiff_sqlx::Timestamp>,
    pub call_done: bool,
    /// Family messages nobody in the care team has read yet.
    pub unread: i32,
}

impl ClinicianCase {
    pub fn delivered(&self) -> String {
        self.opinion_delivered_at.map(date_time).unwrap_or_default()
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
    calls_due: Vec<ClinicianCase>,
    cases: Vec<ClinicianCase>,
    follow_ups: Vec<OpenFollowUp>,
    referrals: Vec<OpenReferral>,
}

async fn home(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
) -> Result<Html<String>, AppError> {
    let all = sqlx::query_as!(
        ClinicianCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus",
                  ch.first_name || ' ' || ch.last_name as "child_name!",
                  c.opinion_delivered_at as "opinion_delivered_at: jiff_sqlx::Timestamp",
                  exists (select 1 from follow_up_calls f where f.case_id = c.id and f.completed_at is not null) as "call_done!",
                  c.unread_by_team as unread
           from cases c join children ch on ch.id = c.child_id
           where c.clinician_id = $1 and c.status not in ('closed', 'cancelled')
           order by c.opinion_delivered_at nulls last, c.created_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    let (calls_due, cases): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|c| c.status == CaseStatus::OpinionDelivered && !c.call_done);
    let follow_ups = sqlx::query_as!(
        OpenFollowUp,
        r#"select f.id as "id: FollowUpId", c.id as "case_id: CaseId", c.case_number, q.body as about, f.body,
                  f.escalated_at is not null as "escalated!"
           from follow_up_questions f join cases c on c.id = f.case_id join case_questions q on q.id = f.question_id
           where c.clinician_id = $1 and f.answer is null order by f.asked_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    let referrals = sqlx::query_as!(
        OpenReferral,
        r#"select r.id as "id: ReferralId", c.id as "case_id: CaseId", c.case_number, r.note
           from referral_requests r join cases c on c.id = r.case_id
           where c.clinician_id = $1 and r.status = 'requested' order by r.created_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    html(&HomePage { page, calls_due, cases, follow_ups, referrals })
}

/// The clinician's case, or 404.
async fn my_case(state: &AppState, me: UserId, id: CaseId) -> Result<(), AppError> {
    sqlx::query_scalar!(
        "select 1 as \"one!\" from cases where id = $1 and clinician_id = $2",
        id as CaseId,
        me as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// Audits a clinician's action on a case, in the caller's transaction.
async fn audited(
    conn: &mut sqlx::PgConnection,
    me: &CurrentUser,
    action: &'static str,
    case: CaseId,
    entity: (&'static str, String),
) -> Result<(), AppError> {
    let entry = Entry::new(action, Outcome::Success).by(me.id, me.role).on(entity.0, entity.1).case(case);
    Ok(audit::record(conn, entry).await?)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

async fn answer_follow_up(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, FollowUpId)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let answer = match FollowUpAnswer::parse_required(&form.answer) {
        Ok(answer) => answer,
        Err(e) => {
            let why = e.message("An answer", "write the answer.");
            return flash_redirect(&session, "/clinician", FlashKind::Error, format!("Nothing was sent: {why}")).await;
        }
    };
    let mut tx = state.db.begin().await?;
    follow_ups::answer(&state, &mut tx, me.id, Answerer::Clinician, id, follow_up, &answer).await?;
    audited(&mut tx, &me, "follow_up_answered", id, ("follow_up", follow_up.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Answer sent; the family has been told.").await
}

/// Passes a question the clinician can't answer to the specialist, whose
/// answer is not guaranteed (the family's page says so).
async fn escalate(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, FollowUpId)>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let mut tx = state.db.begin().await?;
    follow_ups::escalate(&mut tx, id, follow_up, state.clock.now()).await?;
    audited(&mut tx, &me, "follow_up_escalated", id, ("follow_up", follow_up.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Sent to the specialist.").await
}

#[derive(Deserialize)]
pub struct CallForm {
    #[serde(default)]
    notes: String,
    completed: Option<String>,
}

async fn log_call(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path(id): Path<CaseId>,
    Form(form): Form<CallForm>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let notes = match CallNotes::parse(&form.notes) {
        Ok(notes) => notes,
        Err(e) => {
            let why = e.message("The notes", "");
            return flash_redirect(&session, "/clinician", FlashKind::Error, format!("Nothing was saved: {why}")).await;
        }
    };
    let now = state.clock.now().to_sqlx();
    let mut tx = state.db.begin().await?;
    let call = sqlx::query_scalar!(
        "insert into follow_up_calls (case_id, clinician_id, scheduled_for, completed_at, notes) values ($1, $2, $3, $4, $5) returning id",
        id as CaseId,
        me.id as UserId,
        now as _,
        form.completed.is_some().then_some(now) as _,
        notes.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    if form.completed.is_some() {
        tell_family(&state, &mut tx, id, Update::CallDone).await?;
    }
    audited(&mut tx, &me, "call_logged", id, ("follow_up_call", call.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Call logged.").await
}

#[derive(Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    status: String,
}

async fn record_referral(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, referral)): Path<(CaseId, ReferralId)>,
    Form(form): Form<ReferralForm>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let Some(status) = ReferralStatus::parse_outcome(&form.status) else {
        return flash_redirect(&session, "/clinician", FlashKind::Error, "Choose what happened.").await;
    };
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        "update referral_requests set status = $3, decided_by = $4, decided_at = $5 where id = $2 and case_id = $1",
        id as CaseId,
        referral as ReferralId,
        status as ReferralStatus,
        me.id as UserId,
        state.clock.now().to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tell_family(&state, &mut tx, id, Update::ReferralUpdated(referral)).await?;
    audited(&mut tx, &me, "referral_recorded", id, ("referral", referral.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Saved; the family can see it.").await
}
