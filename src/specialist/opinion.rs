//! Reviewing a case and writing the opinion: one answer per question, the
//! outcome, a summary and recommendations. Drafts are saved (and kept across
//! a sign-in timeout); signing needs the password again and makes the
//! opinion immutable — the database refuses any later change.

use crate::audit::{self, Entry, Outcome};
use crate::cases::schedule::{calendar, follow_up_window_end};
use crate::cases::transition;
use crate::domain::opinion::OpinionOutcome;
use crate::domain::{CaseId, CaseStatus, QuestionId, Role, UserId};
use crate::error::{AppError, conflicts};
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, MaybeUser, Path, SignedOut, Specialist};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions::Session;

const MAX_TEXT: usize = 20_000;
const SIGNED: &str = "This opinion is signed and can no longer be changed.";

/// The case as the specialist sees it: the child's basics, never contact details.
pub struct ReviewCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub child_first_name: String,
    pub date_of_birth: time::Date,
    pub sex: String,
    pub diagnosis_summary: String,
    pub treatment_summary: String,
    pub treating_physician: String,
    pub treating_clinic: String,
    pub due_at: Option<OffsetDateTime>,
    pub contact_email: String,
}

/// Only cases sent to this specialist; anything else is "not found".
async fn assigned(state: &AppState, me: UserId, id: CaseId) -> Result<ReviewCase, AppError> {
    sqlx::query_as!(
        ReviewCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus", ch.first_name as child_first_name,
                  ch.date_of_birth, ch.sex, c.diagnosis_summary, c.treatment_summary, c.treating_physician, c.treating_clinic,
                  c.due_at, c.contact_email
           from cases c join children ch on ch.id = c.child_id
           where c.id = $1 and c.specialist_id = $2 and c.status in ('in_review', 'opinion_delivered', 'closed')"#,
        id as CaseId,
        me as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The opinion as written so far (or signed).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub outcome: String,
    pub summary: String,
    pub recommendations: String,
    pub pcp_notes: String,
    pub answers: HashMap<String, String>,
    #[serde(skip)]
    pub signed_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub specialist_name: String,
}

impl Draft {
    pub fn answer(&self, question: &QuestionId) -> &str {
        self.answers.get(&question.to_string()).map_or("", String::as_str)
    }

    pub fn outcome(&self) -> Option<OpinionOutcome> {
        OpinionOutcome::parse(&self.outcome)
    }

    /// From the form's fields: `answer_<question id>` for each answer.
    fn from_form(form: &HashMap<String, String>) -> Self {
        let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Draft {
            outcome: get("outcome"),
            summary: get("summary"),
            recommendations: get("recommendations"),
            pcp_notes: get("pcp_notes"),
            answers: form
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("answer_")?.to_owned(), v.trim().to_owned())))
                .collect(),
            signed_at: None,
            specialist_name: String::new(),
        }
    }
}

pub async fn load_draft(db: &sqlx::PgPool, case: CaseId) -> Result<Option<Draft>, AppError> {
    let Some(row) = sqlx::query!(
        r#"select o.id, o.outcome as "outcome: OpinionOutcome", o.summary, o.recommendations, o.pcp_notes, o.signed_at, u.full_name
           from opinions o join users u on u.id = o.specialist_id where o.case_id = $1"#,
        case as CaseId
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let answers = sqlx::query!("select question_id, body from opinion_answers where opinion_id = $1", row.id)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|a| (a.question_id.to_string(), a.body))
        .collect();
    Ok(Some(Draft {
        outcome: row.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
        summary: row.summary,
        recommendations: row.recommendations,
        pcp_notes: row.pcp_notes,
        answers,
        signed_at: row.signed_at,
        specialist_name: row.full_name,
    }))
}

pub struct SourceView {
    pub facility: String,
    pub records_description: String,
    pub translation_required: bool,
    pub language: String,
    pub status: String,
    pub documents: Vec<(uuid::Uuid, String, bool)>,
}

pub struct FollowUpView {
    pub id: uuid::Uuid,
    pub position: i16,
    pub about: i16,
    pub body: String,
    pub answer: Option<String>,
}

#[derive(Template)]
#[template(path = "specialist/case.html")]
pub struct CasePage {
    page: PageContext,
    case: ReviewCase,
    age: i16,
    questions: Vec<crate::family::db::QuestionRow>,
    sources: Vec<SourceView>,
    draft: Draft,
    restored: bool,
    errors: FormErrors,
    outcomes: [OpinionOutcome; 3],
    follow_ups: Vec<FollowUpView>,
}

impl CasePage {
    pub fn due(&self) -> Option<String> {
        self.case.due_at.filter(|_| self.case.status == CaseStatus::InReview).map(crate::web::format::date_time)
    }
    pub fn signed(&self) -> bool {
        self.draft.signed_at.is_some()
    }
    pub fn error_for(&self, q: &QuestionId) -> Option<&str> {
        self.errors.get(&format!("answer_{q}"))
    }
}

const PENDING_KEY: &str = "pending_opinion";

async fn render(
    state: &AppState,
    page: PageContext,
    case: ReviewCase,
    draft: Draft,
    restored: bool,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let questions = crate::family::db::questions(&state.db, case.id).await?;
    let docs = sqlx::query!(
        "select id, record_source_id, original_name, content_type from documents where case_id = $1 order by created_at",
        case.id as CaseId
    )
    .fetch_all(&state.db)
    .await?;
    let sources = sqlx::query!(
        r#"select id, facility, records_description, translation_required as "translation_required!", language, status::text as "status!"
           from record_sources where case_id = $1 order by created_at"#,
        case.id as CaseId
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|s| SourceView {
        documents: docs
            .iter()
            .filter(|d| d.record_source_id == s.id)
            .map(|d| (d.id, d.original_name.clone(), d.content_type.starts_with("image/")))
            .collect(),
        facility: s.facility,
        records_description: s.records_description,
        translation_required: s.translation_required,
        language: s.language,
        status: s.status,
    })
    .collect();
    let follow_ups = sqlx::query_as!(
        FollowUpView,
        r#"select f.id, f.position, q.position as about, f.body, f.answer
           from follow_up_questions f join case_questions q on q.id = f.question_id
           where f.case_id = $1 and f.escalated_at is not null order by f.position"#,
        case.id as CaseId
    )
    .fetch_all(&state.db)
    .await?;
    let today = crate::web::format::pacific_date(state.clock.now());
    let age = crate::domain::child::age_on(crate::family::db::to_jiff(case.date_of_birth), today);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CasePage {
        page,
        case,
        age,
        questions,
        sources,
        draft,
        restored,
        errors,
        outcomes: OpinionOutcome::ALL,
        follow_ups,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn case_page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let mut entry = Entry::new("view_case", Outcome::Success).by(me.id, me.role).on("case", id).from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&state.db, entry).await?;
    // What was typed when the session timed out comes back once, unsaved.
    let pending: Option<(CaseId, Draft)> = match session.get(PENDING_KEY).await? {
        Some(pending) => {
            session.remove::<(CaseId, Draft)>(PENDING_KEY).await?;
            Some(pending)
        }
        None => None,
    };
    let saved = load_draft(&state.db, id).await?.unwrap_or_default();
    let (draft, restored) = match pending {
        Some((case, draft)) if case == id && saved.signed_at.is_none() => (draft, true),
        _ => (saved, false),
    };
    render(&state, page, case, draft, restored, FormErrors::default()).await
}

/// Checks the lengths; with `complete`, also that every question is answered.
fn validate(draft: &Draft, questions: &[crate::family::db::QuestionRow], complete: bool) -> FormErrors {
    let mut errors = FormErrors::default();
    for (field, text) in
        [("summary", &draft.summary), ("recommendations", &draft.recommendations), ("pcp_notes", &draft.pcp_notes)]
    {
        if text.chars().count() > MAX_TEXT {
            errors.add(field, "This can be at most 20,000 characters.");
        }
    }
    for q in questions {
        let answer = draft.answer(&q.id);
        if answer.chars().count() > MAX_TEXT {
            errors.add_owned(format!("answer_{}", q.id), "An answer can be at most 20,000 characters.");
        } else if complete && answer.is_empty() {
            errors.add_owned(format!("answer_{}", q.id), format!("Answer question {} before signing.", q.position));
        }
    }
    if complete {
        if draft.outcome().is_none() {
            errors.add("outcome", "Choose the outcome of the opinion before signing.");
        }
        if draft.summary.is_empty() {
            errors.add("summary", "Write a summary for the family before signing.");
        }
    }
    errors
}

/// Saves the draft. A post whose session just timed out keeps what was typed
/// in the next session and asks for sign-in; nothing is lost.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    MaybeUser(user): MaybeUser,
    signed_out: Option<Extension<SignedOut>>,
    Path(id): Path<CaseId>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let draft = Draft::from_form(&form);
    let Some(me) = user else {
        session.insert(PENDING_KEY, (id, &draft)).await?;
        let reason = signed_out.map_or("ended", |s| s.0.0);
        let next = form_urlencoded::byte_serialize(format!("/specialist/cases/{id}").as_bytes()).collect::<String>();
        return Ok(Redirect::to(&format!("/login?next={next}&reason={reason}")).into_response());
    };
    if me.role != Role::Specialist {
        return Err(AppError::NotFound);
    }
    let case = assigned(&state, me.id, id).await?;
    let questions = crate::family::db::questions(&state.db, id).await?;
    let errors = validate(&draft, &questions, false);
    if !errors.is_empty() {
        return render(&state, page, case, draft, false, errors).await;
    }
    if case.status != CaseStatus::InReview {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    store_draft(&state, &me, id, &draft, &questions).await?;
    if form.get("action").map(String::as_str) == Some("preview") {
        return Ok(Redirect::to(&format!("/specialist/cases/{id}/preview")).into_response());
    }
    flash_redirect(&session, &format!("/specialist/cases/{id}"), FlashKind::Success, "Draft saved.").await
}

async fn store_draft(
    state: &AppState,
    me: &CurrentUser,
    id: CaseId,
    draft: &Draft,
    questions: &[crate::family::db::QuestionRow],
) -> Result<(), AppError> {
    let frozen = |e| conflicts(e, &[("opinions_signed_immutable", SIGNED)]);
    let mut tx = state.db.begin().await?;
    let opinion = sqlx::query_scalar!(
        r#"insert into opinions (case_id, specialist_id, outcome, summary, recommendations, pcp_notes)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (case_id) do update set outcome = $3, summary = $4, recommendations = $5, pcp_notes = $6
           returning id"#,
        id as CaseId,
        me.id as UserId,
        draft.outcome() as Option<OpinionOutcome>,
        draft.summary,
        draft.recommendations,
        draft.pcp_notes
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(frozen)?;
    for q in questions {
        sqlx::query!(
            r#"insert into opinion_answers (opinion_id, question_id, body) values ($1, $2, $3)
               on conflict (opinion_id, question_id) do update set body = $3"#,
            opinion,
            q.id as QuestionId,
            draft.answer(&q.id)
        )
        .execute(&mut *tx)
        .await
        .map_err(frozen)?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "specialist/preview.html")]
pub struct PreviewPage {
    page: PageContext,
    case: ReviewCase,
    opinion: crate::family::opinion::OpinionView,
    error: Option<&'static str>,
}

pub async fn preview(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let draft = load_draft(&state.db, id).await?.unwrap_or_default();
    let opinion = crate::family::opinion::OpinionView::build(&state, id, draft, &me.full_name).await?;
    Ok(html(&PreviewPage { page, case, opinion, error: None })?.into_response())
}

#[derive(serde::Deserialize)]
pub struct SignForm {
    #[serde(default)]
    password: String,
}

pub async fn sign(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let draft = load_draft(&state.db, id).await?.unwrap_or_default();
    if draft.signed_at.is_some() || case.status != CaseStatus::InReview {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    let questions = crate::family::db::questions(&state.db, id).await?;
    let errors = validate(&draft, &questions, true);
    if !errors.is_empty() {
        return render(&state, page, case, draft, false, errors).await;
    }
    let stored = crate::auth::db::password_hash(&state.db, me.id).await?;
    if !state.hasher.verify(&form.password, Some(stored)).await? {
        let opinion = crate::family::opinion::OpinionView::build(&state, id, draft, &me.full_name).await?;
        let page =
            PreviewPage { page, case, opinion, error: Some("Your password is not right. The opinion was not signed.") };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let signed =
        sqlx::query!("update opinions set signed_at = $2 where case_id = $1 and signed_at is null", id as CaseId, now)
            .execute(&mut *tx)
            .await?;
    if signed.rows_affected() != 1 {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    transition(&mut tx, id, CaseStatus::InReview, CaseStatus::OpinionDelivered, Some(me.id), None, now).await?;
    let window_end = follow_up_window_end(&calendar(&mut *tx).await?, now);
    sqlx::query!("update cases set due_at = $2 where id = $1", id as CaseId, window_end).execute(&mut *tx).await?;
    let link = format!("{}/family/cases/{id}/opinion", state.config.base_url);
    notify::enqueue(&mut tx, now, &case.contact_email, &Email::OpinionReady { link }).await?;
    let mut entry = Entry::new("opinion_signed", Outcome::Success).by(me.id, me.role).on("case", id).from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        "/specialist",
        FlashKind::Success,
        "The opinion is signed and the family has been told it is ready.",
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct ReReviewForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

/// The specialist suggests an imaging or pathology re-review; the coordinator
/// prices it and asks the family (a staff-only note carries it).
pub async fn suggest_re_review(
    State(state): State<AppState>,
    session: Session,
    Specialist(me): Specialist,
    Path(id): Path<CaseId>,
    Form(form): Form<ReReviewForm>,
) -> Result<Response, AppError> {
    assigned(&state, me.id, id).await?;
    let kind = if form.kind == "pathology" { "pathology" } else { "imaging" };
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return flash_redirect(
            &session,
            &format!("/specialist/cases/{id}"),
            FlashKind::Error,
            "Nothing was sent: give a reason (up to 2,000 characters).",
        )
        .await;
    }
    let body = format!("The specialist suggests a {kind} re-review (please price it and ask the family): {reason}");
    sqlx::query!(
        "insert into case_notes (case_id, author_id, to_family, body, created_at) values ($1, $2, false, $3, $4)",
        id as CaseId,
        me.id as UserId,
        body,
        state.clock.now()
    )
    .execute(&state.db)
    .await?;
    flash_redirect(
        &session,
        &format!("/specialist/cases/{id}"),
        FlashKind::Success,
        "Sent to the care coordinator, who will price it and ask the family.",
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// An escalated clarifying question, answered by the specialist.
pub async fn answer_follow_up(
    State(state): State<AppState>,
    session: Session,
    Specialist(me): Specialist,
    Path((id, follow_up)): Path<(CaseId, uuid::Uuid)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    crate::clinician::answer(&state, &me, &case.contact_email, id, follow_up, &form.answer, true).await?;
    flash_redirect(
        &session,
        &format!("/specialist/cases/{id}"),
        FlashKind::Success,
        "Your answer was sent; the family has been told.",
    )
    .await
}
