//! The family's opinion page (printable), clarifying follow-up questions
//! within the window, and asking for help with a visit or referral.

use crate::audit::{self, Entry, Outcome};
use crate::cases::schedule::{MAX_FOLLOW_UPS, calendar, describe_window_end, follow_up_window_end};
use crate::domain::opinion::OpinionOutcome;
use crate::domain::{CaseId, CaseStatus, QuestionId, UserId};
use crate::error::{AppError, conflicts};
use crate::specialist::opinion::{Draft, load_draft};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::format::date_time;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::Session;

/// The opinion as the family reads it (also the specialist's preview).
pub struct OpinionView {
    pub outcome: Option<OpinionOutcome>,
    pub answers: Vec<(i16, String, String)>,
    pub summary: String,
    pub recommendations: String,
    pub pcp_notes: String,
    pub specialist_name: String,
    pub signed: Option<String>,
}

impl OpinionView {
    pub async fn build(state: &AppState, case: CaseId, draft: Draft, specialist_name: &str) -> Result<Self, AppError> {
        let questions = crate::family::db::questions(&state.db, case).await?;
        Ok(OpinionView {
            outcome: draft.outcome(),
            answers: questions.iter().map(|q| (q.position, q.body.clone(), draft.answer(&q.id).to_owned())).collect(),
            summary: draft.summary.clone(),
            recommendations: draft.recommendations.clone(),
            pcp_notes: draft.pcp_notes.clone(),
            specialist_name: if draft.specialist_name.is_empty() {
                specialist_name.to_owned()
            } else {
                draft.specialist_name.clone()
            },
            signed: draft.signed_at.map(date_time),
        })
    }
}

pub struct FollowUpRow {
    pub position: i16,
    pub about: i16,
    pub body: String,
    pub answer: Option<String>,
    pub escalated: bool,
}

pub struct ReferralRow {
    pub note: String,
    pub status: String,
}

impl ReferralRow {
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "visit_arranged" => "A visit with the expert has been arranged.",
            "referral_sent" => "The referral has been sent.",
            "not_needed" => "Closed: not needed.",
            _ => "Requested: the clinician will contact you.",
        }
    }
}

#[derive(Template)]
#[template(path = "family/opinion.html")]
pub struct OpinionPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    child_name: String,
    opinion: OpinionView,
    questions: Vec<crate::family::db::QuestionRow>,
    follow_ups: Vec<FollowUpRow>,
    left: i64,
    window_open: bool,
    window_closes: String,
    referrals: Vec<ReferralRow>,
    body: String,
    question_id: String,
    errors: FormErrors,
}

impl OpinionPage {
    /// A request the clinician has not answered yet: no need to ask twice.
    pub fn referral_pending(&self) -> bool {
        self.referrals.iter().any(|r| r.status == "requested")
    }
}

/// The family's case with a signed opinion, or 404.
async fn delivered(
    state: &AppState,
    family: UserId,
    id: CaseId,
) -> Result<(String, String, CaseStatus, OffsetDateTime), AppError> {
    let row = sqlx::query!(
        r#"select c.case_number, coalesce(ch.preferred_name, ch.first_name) || ' ' || ch.last_name as "child!",
                  c.status as "status: CaseStatus", c.opinion_delivered_at as "delivered!"
           from cases c join children ch on ch.id = c.child_id
           where c.id = $1 and c.family_id = $2 and c.opinion_delivered_at is not null"#,
        id as CaseId,
        family as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.case_number, row.child, row.status, row.delivered))
}

async fn render(
    state: &AppState,
    page: PageContext,
    id: CaseId,
    family: UserId,
    body: String,
    question_id: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (case_number, child_name, status, delivered_at) = delivered(state, family, id).await?;
    let draft = load_draft(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let opinion = OpinionView::build(state, id, draft, "").await?;
    let questions = crate::family::db::questions(&state.db, id).await?;
    let follow_ups = sqlx::query_as!(
        FollowUpRow,
        r#"select f.position, q.position as about, f.body, f.answer, f.escalated_at is not null as "escalated!"
           from follow_up_questions f join case_questions q on q.id = f.question_id where f.case_id = $1 order by f.position"#,
        id as CaseId
    )
    .fetch_all(&state.db)
    .await?;
    let referrals = sqlx::query_as!(
        ReferralRow,
        "select note, status from referral_requests where case_id = $1 order by created_at",
        id as CaseId
    )
    .fetch_all(&state.db)
    .await?;
    let calendar = calendar(&state.db).await?;
    let end = follow_up_window_end(&calendar, delivered_at);
    let left = MAX_FOLLOW_UPS - follow_ups.len() as i64;
    let window_open = status == CaseStatus::OpinionDelivered && state.clock.now() < end;
    let status_code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OpinionPage {
        page,
        case_id: id,
        case_number,
        child_name,
        opinion,
        questions,
        follow_ups,
        left,
        window_open,
        window_closes: describe_window_end(&calendar, end),
        referrals,
        body,
        question_id,
        errors,
    };
    Ok((status_code, html(&page)?).into_response())
}

pub async fn opinion_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let response = render(&state, page, id, user.id, String::new(), String::new(), FormErrors::default()).await?;
    let mut entry = Entry::new("view_opinion", Outcome::Success).by(user.id, user.role).on("case", id).from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&state.db, entry).await?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    question_id: String,
    #[serde(default)]
    body: String,
}

const FOURTH: &str = "You have used all 3 follow-up questions for this case.";

/// Asks a clarifying question: at most 3, about one original question, while
/// the case is `opinion_delivered` and before the window closes. The case row
/// is locked, so concurrent posts are counted one after another (and the
/// database's position check refuses a fourth regardless).
pub async fn ask_follow_up(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let (_, _, status, delivered_at) = delivered(&state, user.id, id).await?;
    let mut errors = FormErrors::default();
    let body = form.body.trim();
    if body.is_empty() {
        errors.add("body", "Write your clarifying question.");
    } else if body.chars().count() > 2000 {
        errors.add("body", "A follow-up question can be at most 2,000 characters.");
    }
    let question = form.question_id.parse::<uuid::Uuid>().ok().map(QuestionId);
    let questions = crate::family::db::questions(&state.db, id).await?;
    let question = question.filter(|q| questions.iter().any(|x| x.id == *q));
    if question.is_none() {
        errors.add("question_id", "Choose which of your questions this clarifies.");
    }
    if status != CaseStatus::OpinionDelivered || now >= follow_up_window_end(&calendar(&state.db).await?, delivered_at)
    {
        errors.add("body", "The follow-up window for this case has closed: follow-up questions can be asked within 5 business days of the opinion.");
    }
    let Some(question) = question.filter(|_| errors.is_empty()) else {
        return render(&state, page, id, user.id, form.body, form.question_id, errors).await;
    };
    let mut tx = state.db.begin().await?;
    sqlx::query!("select id from cases where id = $1 for update", id as CaseId).fetch_one(&mut *tx).await?;
    let asked =
        sqlx::query_scalar!(r#"select count(*) as "n!" from follow_up_questions where case_id = $1"#, id as CaseId)
            .fetch_one(&mut *tx)
            .await?;
    let inserted = sqlx::query!(
        "insert into follow_up_questions (case_id, position, question_id, body, asked_at) values ($1, $2, $3, $4, $5)",
        id as CaseId,
        (asked + 1) as i16,
        question as QuestionId,
        body,
        now
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        conflicts(e, &[("follow_up_questions_max_three", FOURTH), ("follow_up_questions_position_key", FOURTH)])
    });
    match inserted {
        Ok(_) => {
            tx.commit().await?;
            flash_redirect(
                &session,
                &format!("/family/cases/{id}/opinion"),
                FlashKind::Success,
                "Your question was sent. We will email you when there is an answer.",
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            drop(tx);
            let mut errors = FormErrors::default();
            errors.add("body", message);
            render(&state, page, id, user.id, form.body, form.question_id, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    note: String,
}

pub async fn ask_referral(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<ReferralForm>,
) -> Result<Response, AppError> {
    delivered(&state, user.id, id).await?;
    let note = form.note.trim();
    if note.chars().count() > 2000 {
        return flash_redirect(
            &session,
            &format!("/family/cases/{id}/opinion"),
            FlashKind::Error,
            "Nothing was sent: the note can be at most 2,000 characters.",
        )
        .await;
    }
    sqlx::query!("insert into referral_requests (case_id, note) values ($1, $2)", id as CaseId, note)
        .execute(&state.db)
        .await?;
    flash_redirect(
        &session,
        &format!("/family/cases/{id}/opinion"),
        FlashKind::Success,
        "Your request was sent. The clinician will contact you.",
    )
    .await
}
