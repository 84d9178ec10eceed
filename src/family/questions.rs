//! The family's questions for the specialist: add, edit, reorder, remove;
//! at most five (the database refuses a sixth), frozen once review starts.
//! The page is one form: every button on it (save, move, remove, a step)
//! first saves what was typed in every box, so nothing typed is lost.

use super::db;
use super::wizard::Steps;
use crate::cases::db::{LAST_QUESTION as KEEP_ONE, QUESTIONS_FROZEN as FROZEN, QuestionRow, questions};
use crate::domain::question::MAX_QUESTIONS;
use crate::domain::{CaseId, CaseStatus, QuestionId, QuestionText};
use crate::error::{AppError, Refusal, ResultExt, conflicts};
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sqlx::PgConnection;
use std::collections::HashMap;
use tower_sessions::Session;

const SIXTH: crate::i18n::Msg = crate::i18n::Msg("refusal-sixth-question");

/// What was typed on the page: each question's box (`q_<id>`), the new
/// question (`body`), the step to go to (`go`), and whether "Add question"
/// was the button (then an empty box is a mistake worth saying).
struct Typed {
    edits: HashMap<QuestionId, String>,
    new: String,
    go: String,
    adding: bool,
}

impl Typed {
    fn from_form(form: &HashMap<String, String>) -> Self {
        let edits = form
            .iter()
            .filter_map(|(k, v)| Some((QuestionId(k.strip_prefix("q_")?.parse().ok()?), v.clone())))
            .collect();
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        Typed { edits, new: get("body"), go: get("go"), adding: get("action") == "add" }
    }

    fn none() -> Self {
        Typed { edits: HashMap::new(), new: String::new(), go: String::new(), adding: false }
    }

    fn is_blank(&self, stored: &[QuestionRow]) -> bool {
        self.new.trim().is_empty() && stored.iter().all(|q| self.edits.get(&q.id).is_none_or(|t| t.trim() == q.body))
    }
}

#[derive(Template)]
#[template(path = "family/questions.html")]
pub struct QuestionsPage {
    page: PageContext,
    steps: Option<Steps>,
    case: db::CaseRow,
    questions: Vec<QuestionRow>,
    typed: Typed,
    errors: FormErrors,
    max: usize,
}

impl QuestionsPage {
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    pub fn full(&self) -> bool {
        self.questions.len() >= self.max
    }
    pub fn add_hint(&self) -> String {
        self.page.t(if self.full() { "questions-full" } else { "questions-add-hint" })
    }
    pub fn new_text(&self) -> &str {
        &self.typed.new
    }
    pub fn text_for<'a>(&'a self, q: &'a QuestionRow) -> &'a str {
        self.typed.edits.get(&q.id).map_or(&q.body, String::as_str)
    }
    pub fn error_for(&self, q: &QuestionRow) -> Option<&str> {
        self.errors.get(&format!("q_{}", q.id))
    }
    /// What was typed and not saved, for a frozen case's page (to copy).
    pub fn unsaved(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .questions
            .iter()
            .filter_map(|q| self.typed.edits.get(&q.id).filter(|t| t.trim() != q.body).map(String::as_str))
            .collect();
        if !self.typed.new.trim().is_empty() {
            out.push(&self.typed.new);
        }
        out
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    case: db::CaseRow,
    typed: Typed,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let questions = questions(&state.db, case.id).await?;
    let steps = (case.status == CaseStatus::Draft).then(|| Steps::new(case.id, "questions"));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = QuestionsPage { page, steps, case, questions, typed, errors, max: MAX_QUESTIONS };
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
    let errors = FormErrors::new(page.lang);
    render(&state, page, case, Typed::none(), errors).await
}

/// Saves every changed question and the new one, in the caller's
/// transaction (which has the case locked). The errors name the boxes.
/// `by` is who typed them: with two guardians, each question's last writer is kept.
async fn save_typed(
    conn: &mut PgConnection,
    lang: crate::i18n::Lang,
    case: CaseId,
    by: crate::domain::UserId,
    stored: &[QuestionRow],
    typed: &Typed,
) -> FormErrors {
    let mut errors = FormErrors::new(lang);
    let mut edits = Vec::new();
    for q in stored {
        match typed.edits.get(&q.id).filter(|t| t.trim() != q.body).map(|t| QuestionText::parse(t)) {
            Some(Ok(text)) => edits.push((q.id, text)),
            Some(Err(message)) => errors.add_owned(format!("q_{}", q.id), message),
            None => {}
        }
    }
    let new = match typed.new.trim() {
        "" if !typed.adding => None,
        raw => QuestionText::parse(raw).map_err(|m| errors.add("body", m)).ok(),
    };
    if !errors.is_empty() {
        return errors;
    }
    for (question, text) in edits {
        let done = sqlx::query!(
            "update case_questions set body = $3, written_by = $4 where id = $2 and case_id = $1",
            case as CaseId,
            question as QuestionId,
            text.as_str(),
            by as crate::domain::UserId
        )
        .execute(&mut *conn)
        .await
        .on_constraint("case_questions_frozen", || AppError::Conflict(FROZEN.into()));
        if let Err(e) = done {
            errors.add_owned(format!("q_{question}"), refusal(e));
            return errors;
        }
    }
    if let Some(text) = new {
        let inserted = sqlx::query!(
            r#"insert into case_questions (case_id, position, body, written_by)
               select $1, coalesce(max(position), 0) + 1, $2, $3 from case_questions where case_id = $1"#,
            case as CaseId,
            text.as_str(),
            by as crate::domain::UserId
        )
        .execute(&mut *conn)
        .await
        .map_err(|e| conflicts(e, &[("case_questions_max_five", SIXTH), ("case_questions_frozen", FROZEN)]));
        if let Err(e) = inserted {
            errors.add("body", refusal(e));
        }
    }
    errors
}

/// The sentence of a refusal (anything else is logged and said calmly).
fn refusal(e: AppError) -> Refusal {
    match e {
        AppError::Conflict(refusal) => refusal,
        other => {
            tracing::error!(error = ?other, "saving a question failed");
            crate::i18n::Msg("questions-try-again").into()
        }
    }
}

/// One of the page's buttons: saves what was typed, then does `then`.
async fn act(
    state: &AppState,
    session: &Session,
    page: PageContext,
    family: crate::domain::UserId,
    id: CaseId,
    form: HashMap<String, String>,
    then: Option<(QuestionId, Then)>,
) -> Result<Response, AppError> {
    let typed = Typed::from_form(&form);
    let mut tx = state.db.begin().await?;
    // Locking the case serialises two tabs saving at once.
    db::case(&mut tx, family, id, true).await?.ok_or(AppError::NotFound)?;
    let stored = questions(&mut *tx, id).await?;
    let unchanged = typed.is_blank(&stored);
    let mut errors = save_typed(&mut tx, page.lang, id, family, &stored, &typed).await;
    if errors.is_empty()
        && let Some((question, then)) = then
    {
        let done = match then {
            Then::Move(delta) => move_one(&mut tx, id, question, delta).await,
            Then::Remove => remove_one(&mut tx, id, question).await,
        };
        match done {
            Ok(()) => {}
            Err(AppError::NotFound) => return Err(AppError::NotFound),
            Err(e) => errors.add_owned(format!("q_{question}"), refusal(e)),
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let case = family_case(state, family, id).await?;
        return render(state, page, case, typed, errors).await;
    }
    if !unchanged || then.is_some() {
        crate::audit::record(
            &mut *tx,
            crate::audit::Entry::new("questions_edited", crate::audit::Outcome::Success)
                .by(family, crate::domain::Role::Family)
                .on("case", id)
                .case(id),
        )
        .await?;
    }
    tx.commit().await?;
    let (to, message) = match (then, Steps::named(&typed.go)) {
        (None, Some(_)) => (Steps::after(id, "questions", &typed.go), "questions-saved"),
        (None, None) if unchanged => (format!("/family/cases/{id}/questions"), "questions-nothing"),
        (None, None) => (format!("/family/cases/{id}/questions"), "questions-saved"),
        (Some((_, Then::Move(_))), _) => (format!("/family/cases/{id}/questions"), "questions-order-saved"),
        (Some((_, Then::Remove)), _) => (format!("/family/cases/{id}/questions"), "questions-removed"),
    };
    flash_redirect(session, &to, FlashKind::Success, page.t(message)).await
}

#[derive(Clone, Copy)]
enum Then {
    Move(i16),
    Remove,
}

/// `POST /family/cases/{id}/questions`: save, add the new question, or go to a step.
pub async fn save_questions(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    act(&state, &session, page, user.id, id, form, None).await
}

pub async fn remove_question(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, question)): Path<(CaseId, QuestionId)>,
    Form(mut form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    // What was typed into the question being removed goes with it.
    form.remove(&format!("q_{question}"));
    act(&state, &session, page, user.id, id, form, Some((question, Then::Remove))).await
}

pub async fn move_question(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, question)): Path<(CaseId, QuestionId)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let delta: i16 = if form.get("direction").map(String::as_str) == Some("up") { -1 } else { 1 };
    act(&state, &session, page, user.id, id, form, Some((question, Then::Move(delta)))).await
}

async fn remove_one(conn: &mut PgConnection, id: CaseId, question: QuestionId) -> Result<(), AppError> {
    let position = sqlx::query_scalar!(
        "delete from case_questions where id = $2 and case_id = $1 returning position",
        id as CaseId,
        question as QuestionId
    )
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| conflicts(e, &[("case_questions_frozen", FROZEN), ("case_questions_keep_one", KEEP_ONE)]))?
    .ok_or(AppError::NotFound)?;
    // Close the gap so positions stay 1..n (the unique key is checked at commit).
    sqlx::query!(
        "update case_questions set position = position - 1 where case_id = $1 and position > $2",
        id as CaseId,
        position
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn move_one(conn: &mut PgConnection, id: CaseId, question: QuestionId, delta: i16) -> Result<(), AppError> {
    let position = sqlx::query_scalar!(
        "select position from case_questions where id = $2 and case_id = $1",
        id as CaseId,
        question as QuestionId
    )
    .fetch_optional(&mut *conn)
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
    .execute(conn)
    .await
    .on_constraint("case_questions_frozen", || AppError::Conflict(FROZEN.into()))?;
    Ok(())
}
