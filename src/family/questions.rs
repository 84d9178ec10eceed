//! The family's questions for the specialist: add, edit, reorder, remove;
//! at most five (the database refuses a sixth), frozen once review starts.

use super::db;
use super::wizard::Steps;
use crate::cases::db::{LAST_QUESTION as KEEP_ONE, QUESTIONS_FROZEN as FROZEN, QuestionRow, questions};
use crate::domain::question::MAX_QUESTIONS;
use crate::domain::{CaseId, CaseStatus, QuestionId, QuestionText};
use crate::error::{AppError, ResultExt, conflicts};
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

const SIXTH: &str = "A case can have at most 5 questions. Combine two questions, or replace one, to ask this.";

#[derive(Template)]
#[template(path = "family/questions.html")]
pub struct QuestionsPage {
    page: PageContext,
    steps: Option<Steps>,
    case: db::CaseRow,
    questions: Vec<QuestionRow>,
    /// What was typed into the "add" box, kept on error.
    new_text: String,
    new_error: Option<String>,
    /// A question whose edit was refused: its id, the text typed, the reason.
    edit: Option<(QuestionId, String, String)>,
    max: usize,
}

impl QuestionsPage {
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    pub fn full(&self) -> bool {
        self.questions.len() >= self.max
    }
    pub fn add_hint(&self) -> &'static str {
        if self.full() {
            "You already have 5 questions, the most a case can have. To ask this one, remove or combine another first."
        } else {
            "One question at a time, up to 2,000 characters."
        }
    }
    pub fn text_for(&self, q: &QuestionRow) -> String {
        match &self.edit {
            Some((id, text, _)) if *id == q.id => text.clone(),
            _ => q.body.clone(),
        }
    }
    pub fn error_for(&self, q: &QuestionRow) -> Option<&str> {
        match &self.edit {
            Some((id, _, error)) if *id == q.id => Some(error),
            _ => None,
        }
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    case: db::CaseRow,
    new_text: String,
    new_error: Option<String>,
    edit: Option<(QuestionId, String, String)>,
) -> Result<Response, AppError> {
    let questions = questions(&state.db, case.id).await?;
    let steps = (case.status == CaseStatus::Draft).then_some(Steps { case: case.id, current: "questions" });
    let status = if new_error.is_some() || edit.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = QuestionsPage { page, steps, case, questions, new_text, new_error, edit, max: MAX_QUESTIONS };
    Ok((status, html(&page)?).into_response())
}

async fn family_case(state: &AppState, family: crate::domain::UserId, id: CaseId) -> Result<db::CaseRow, AppError> {
    let mut conn = state.db.acquire().await?;
    db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)
}

pub async fn questions_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = family_case(&state, user.id, id).await?;
    render(&state, page, case, String::new(), None, None).await
}

#[derive(Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    body: String,
}

pub async fn add_question(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let text = match QuestionText::parse(&form.body) {
        Ok(text) => text,
        Err(message) => {
            let case = family_case(&state, user.id, id).await?;
            return render(&state, page, case, form.body, Some(message.into()), None).await;
        }
    };
    let mut tx = state.db.begin().await?;
    // Locking the case serialises two tabs adding at once.
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let inserted = sqlx::query!(
        r#"insert into case_questions (case_id, position, body)
           select $1, coalesce(max(position), 0) + 1, $2 from case_questions where case_id = $1"#,
        id as CaseId,
        text.as_str()
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| conflicts(e, &[("case_questions_max_five", SIXTH), ("case_questions_frozen", FROZEN)]));
    match inserted {
        Ok(_) => {
            tx.commit().await?;
            flash_redirect(&session, &format!("/family/cases/{id}/questions"), FlashKind::Success, "Question added.")
                .await
        }
        Err(AppError::Conflict(message)) => {
            drop(tx);
            let case = family_case(&state, user.id, id).await?;
            render(&state, page, case, form.body, Some(message), None).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_question(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, question)): Path<(CaseId, QuestionId)>,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let text = match QuestionText::parse(&form.body) {
        Ok(text) => text,
        Err(message) => {
            let case = family_case(&state, user.id, id).await?;
            return render(&state, page, case, String::new(), None, Some((question, form.body, message.into()))).await;
        }
    };
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let done = sqlx::query!(
        "update case_questions set body = $3 where id = $2 and case_id = $1",
        id as CaseId,
        question as QuestionId,
        text.as_str()
    )
    .execute(&mut *tx)
    .await
    .on_constraint("case_questions_frozen", || AppError::Conflict(FROZEN.into()));
    match done {
        Ok(done) if done.rows_affected() == 1 => {
            tx.commit().await?;
            flash_redirect(&session, &format!("/family/cases/{id}/questions"), FlashKind::Success, "Question saved.")
                .await
        }
        Ok(_) => Err(AppError::NotFound),
        Err(AppError::Conflict(message)) => {
            drop(tx);
            let case = family_case(&state, user.id, id).await?;
            render(&state, page, case, String::new(), None, Some((question, form.body, message))).await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_question(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path((id, question)): Path<(CaseId, QuestionId)>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let position = sqlx::query_scalar!(
        "delete from case_questions where id = $2 and case_id = $1 returning position",
        id as CaseId,
        question as QuestionId
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| conflicts(e, &[("case_questions_frozen", FROZEN), ("case_questions_keep_one", KEEP_ONE)]))?
    .ok_or(AppError::NotFound)?;
    // Close the gap so positions stay 1..n (the unique key is checked at commit).
    sqlx::query!(
        "update case_questions set position = position - 1 where case_id = $1 and position > $2",
        id as CaseId,
        position
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/questions"), FlashKind::Success, "Question removed.").await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    direction: String,
}

pub async fn move_question(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path((id, question)): Path<(CaseId, QuestionId)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let delta: i16 = if form.direction == "up" { -1 } else { 1 };
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let position = sqlx::query_scalar!(
        "select position from case_questions where id = $2 and case_id = $1",
        id as CaseId,
        question as QuestionId
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    // Swap with the neighbour; the deferred unique key allows the moment in between.
    sqlx::query!(
        r#"update case_questions set position = case when id = $2 then $4::smallint else $3::smallint end
           where case_id = $1 and (id = $2 or position = $4::smallint)
             and exists (select 1 from case_questions where case_id = $1 and position = $4::smallint)"#,
        id as CaseId,
        question as QuestionId,
        position,
        position + delta
    )
    .execute(&mut *tx)
    .await
    .on_constraint("case_questions_frozen", || AppError::Conflict(FROZEN.into()))?;
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/questions"), FlashKind::Success, "Order saved.").await
}
