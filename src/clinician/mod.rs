//! The clinician's side: follow-up calls that are due, and their cases.

use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::Clinician;
use crate::web::extract::{CurrentUser, Path};
use crate::web::format::date_time;
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/cases/{id}/follow-ups/{follow_up}/answer", post(answer_follow_up))
        .route("/cases/{id}/follow-ups/{follow_up}/escalate", post(escalate))
        .route("/cases/{id}/calls", post(log_call))
        .route("/cases/{id}/referrals/{referral}", post(record_referral))
}

pub struct ClinicianCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub child_name: String,
    pub opinion_delivered_at: Option<OffsetDateTime>,
    pub call_done: bool,
}

impl ClinicianCase {
    pub fn delivered(&self) -> String {
        self.opinion_delivered_at.map(date_time).unwrap_or_default()
    }
}

pub struct OpenFollowUp {
    pub id: uuid::Uuid,
    pub case_id: CaseId,
    pub case_number: String,
    pub about: String,
    pub body: String,
    pub escalated: bool,
}

pub struct OpenReferral {
    pub id: uuid::Uuid,
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
                  ch.first_name || ' ' || ch.last_name as "child_name!", c.opinion_delivered_at,
                  exists (select 1 from follow_up_calls f where f.case_id = c.id and f.completed_at is not null) as "call_done!"
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
        r#"select f.id, c.id as "case_id: CaseId", c.case_number, q.body as about, f.body, f.escalated_at is not null as "escalated!"
           from follow_up_questions f join cases c on c.id = f.case_id join case_questions q on q.id = f.question_id
           where c.clinician_id = $1 and f.answer is null order by f.asked_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    let referrals = sqlx::query_as!(
        OpenReferral,
        r#"select r.id, c.id as "case_id: CaseId", c.case_number, r.note
           from referral_requests r join cases c on c.id = r.case_id
           where c.clinician_id = $1 and r.status = 'requested' order by r.created_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    html(&HomePage { page, calls_due, cases, follow_ups, referrals })
}

/// The clinician's case, or 404.
async fn my_case(state: &AppState, me: UserId, id: CaseId) -> Result<String, AppError> {
    sqlx::query_scalar!(
        "select contact_email from cases where id = $1 and clinician_id = $2",
        id as CaseId,
        me as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// Records an answer to a clarifying question (by the clinician, or by the
/// specialist for an escalated one) and tells the family there is an update.
pub async fn answer(
    state: &AppState,
    me: &CurrentUser,
    contact_email: &str,
    case: CaseId,
    follow_up: uuid::Uuid,
    answer: &str,
    escalated_only: bool,
) -> Result<(), AppError> {
    let answer = answer.trim();
    if answer.is_empty() || answer.chars().count() > 10_000 {
        return Err(AppError::Conflict("An answer needs 1 to 10,000 characters; nothing was saved.".into()));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        r#"update follow_up_questions set answer = $3, answered_by = $4, answered_at = $5
           where id = $2 and case_id = $1 and answer is null and (not $6 or escalated_at is not null)"#,
        case as CaseId,
        follow_up,
        answer,
        me.id as UserId,
        now,
        escalated_only
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let link = format!("{}/family/cases/{case}/opinion", state.config.base_url);
    crate::notify::enqueue(&mut tx, now, contact_email, &crate::notify::Email::CaseUpdate { link }).await?;
    tx.commit().await?;
    Ok(())
}

async fn answer_follow_up(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, uuid::Uuid)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let contact = my_case(&state, me.id, id).await?;
    answer(&state, &me, &contact, id, follow_up, &form.answer, false).await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Answer sent; the family has been told.").await
}

/// Passes a question the clinician can't answer to the specialist, whose
/// answer is not guaranteed (the family's page says so).
async fn escalate(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, uuid::Uuid)>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let done = sqlx::query!(
        "update follow_up_questions set escalated_at = $3 where id = $2 and case_id = $1 and answer is null and escalated_at is null",
        id as CaseId,
        follow_up,
        state.clock.now()
    )
    .execute(&state.db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
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
    let notes = form.notes.trim();
    if notes.chars().count() > 4000 {
        return flash_redirect(
            &session,
            "/clinician",
            FlashKind::Error,
            "Nothing was saved: notes can be at most 4,000 characters.",
        )
        .await;
    }
    let now = state.clock.now();
    sqlx::query!(
        "insert into follow_up_calls (case_id, clinician_id, scheduled_for, completed_at, notes) values ($1, $2, $3, $4, $5)",
        id as CaseId,
        me.id as UserId,
        now,
        form.completed.is_some().then_some(now),
        notes
    )
    .execute(&state.db)
    .await?;
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
    Path((id, referral)): Path<(CaseId, uuid::Uuid)>,
    Form(form): Form<ReferralForm>,
) -> Result<Response, AppError> {
    my_case(&state, me.id, id).await?;
    let status = match form.status.as_str() {
        s @ ("visit_arranged" | "referral_sent" | "not_needed") => s,
        _ => return flash_redirect(&session, "/clinician", FlashKind::Error, "Choose what happened.").await,
    };
    sqlx::query!(
        "update referral_requests set status = $3, decided_by = $4, decided_at = $5 where id = $2 and case_id = $1",
        id as CaseId,
        referral,
        status,
        me.id as UserId,
        state.clock.now()
    )
    .execute(&state.db)
    .await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Saved; the family can see it.").await
}
