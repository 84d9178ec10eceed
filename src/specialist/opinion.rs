//! Reviewing a case and writing the opinion: one answer per question, the
//! outcome, a summary and recommendations. Drafts are saved (and kept across
//! a sign-in timeout); signing needs the password again and makes the
//! opinion immutable — the database refuses any later change.

use crate::audit::{self, Entry, Outcome};
use crate::cases::db::{QuestionRow, SourceWithDocuments, questions};
use crate::cases::fees::{self, SuggestionRow};
use crate::cases::follow_ups::{self, Answerer, FollowUpRow};
use crate::cases::opinion::{self, Header, OpinionText, OpinionView, StoredOpinion};
use crate::cases::transition;
use crate::domain::opinion::OpinionOutcome;
use crate::domain::text::{FollowUpAnswer, OpinionText as LongText, PcpNotes, SuggestionReason};
use crate::domain::{CaseId, CaseStatus, FeeKind, FollowUpId, QuestionId, Role, Sex, UserId};
use crate::error::{AppError, conflicts};
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, MaybeUser, Path, SignedOut, Specialist};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use std::collections::HashMap;
use tower_sessions::Session;

const SIGNED: &str = "This opinion is signed and can no longer be changed.";

/// The case as the specialist sees it: the child's basics, never contact details.
pub struct ReviewCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub child_first_name: String,
    pub date_of_birth: jiff_sqlx::Date,
    pub sex: Sex,
    pub diagnosis_summary: String,
    pub treatment_summary: String,
    pub treating_physician: String,
    pub treating_clinic: String,
    pub due_at: Option<jiff_sqlx::Timestamp>,
}

/// Only cases sent to this specialist; anything else is "not found".
pub(super) async fn assigned(state: &AppState, me: UserId, id: CaseId) -> Result<ReviewCase, AppError> {
    sqlx::query_as!(
        ReviewCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus", ch.first_name as child_first_name,
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date", ch.sex as "sex: Sex", c.diagnosis_summary,
                  c.treatment_summary, c.treating_physician, c.treating_clinic, c.due_at as "due_at: jiff_sqlx::Timestamp"
           from cases c join children ch on ch.id = c.child_id
           where c.id = $1 and c.specialist_id = $2 and c.status in ('in_review', 'opinion_delivered', 'closed')"#,
        id as CaseId,
        me as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The opinion form as typed: what the page shows back, valid or not yet
/// (also what a session that timed out keeps until sign-in).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub outcome: String,
    pub summary: String,
    pub recommendations: String,
    pub pcp_notes: String,
    pub answers: HashMap<String, String>,
    #[serde(skip)]
    pub signed_at: Option<Timestamp>,
}

impl Draft {
    pub fn answer(&self, question: &QuestionId) -> &str {
        self.answers.get(&question.to_string()).map_or("", String::as_str)
    }

    pub fn outcome(&self) -> Option<OpinionOutcome> {
        OpinionOutcome::parse(&self.outcome)
    }

    fn from_stored(stored: &StoredOpinion) -> Self {
        Draft {
            outcome: stored.text.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            summary: stored.text.summary.clone(),
            recommendations: stored.text.recommendations.clone(),
            pcp_notes: stored.text.pcp_notes.clone(),
            answers: stored.text.answers.iter().map(|(q, a)| (q.to_string(), a.clone())).collect(),
            signed_at: stored.signed_at,
        }
    }

    /// The text as stored and shown, for these questions.
    fn text(&self, questions: &[QuestionRow]) -> OpinionText {
        OpinionText {
            outcome: self.outcome(),
            summary: self.summary.clone(),
            recommendations: self.recommendations.clone(),
            pcp_notes: self.pcp_notes.clone(),
            answers: questions.iter().map(|q| (q.id, self.answer(&q.id).to_owned())).collect(),
        }
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
        }
    }
}

/// The case's opinion as the form edits it (empty if none yet).
async fn load_draft(state: &AppState, case: CaseId) -> Result<Draft, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(opinion::load(&mut conn, case).await?.as_ref().map(Draft::from_stored).unwrap_or_default())
}

#[derive(Template)]
#[template(path = "specialist/case.html")]
pub struct CasePage {
    page: PageContext,
    case: ReviewCase,
    age: i16,
    questions: Vec<QuestionRow>,
    sources: Vec<SourceWithDocuments>,
    draft: Draft,
    restored: bool,
    errors: FormErrors,
    outcomes: [OpinionOutcome; 3],
    follow_ups: Vec<FollowUpRow>,
    suggestions: Vec<SuggestionRow>,
    re_review: ReReviewTyped,
    fee_kinds: [FeeKind; 2],
}

/// The re-review form as typed, kept when it is refused.
#[derive(Default)]
pub struct ReReviewTyped {
    kind: String,
    reason: String,
    errors: FormErrors,
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
    render_with(state, page, case, draft, restored, errors, ReReviewTyped::default()).await
}

async fn render_with(
    state: &AppState,
    page: PageContext,
    case: ReviewCase,
    draft: Draft,
    restored: bool,
    errors: FormErrors,
    re_review: ReReviewTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let questions = questions(&mut *conn, case.id).await?;
    let sources = crate::cases::db::sources_with_documents(&mut conn, case.id).await?;
    let follow_ups = follow_ups::for_case(&mut *conn, case.id, true).await?;
    let suggestions = fees::for_case(&mut *conn, case.id).await?;
    drop(conn);
    let today = crate::web::format::pacific_date(state.clock.now());
    let age = crate::domain::child::age_on(case.date_of_birth.to_jiff(), today);
    let failed = !errors.is_empty() || !re_review.errors.is_empty();
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
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
        suggestions,
        re_review,
        fee_kinds: FeeKind::ALL,
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
    let entry = Entry::new("view_case", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&state.db, entry).await?;
    // What was typed when the session timed out comes back once, unsaved.
    let pending: Option<(CaseId, Draft)> = crate::auth::session::take_kept(&session, me.id, PENDING_KEY).await?;
    let saved = load_draft(&state, id).await?;
    let (draft, restored) = match pending {
        Some((case, draft)) if case == id && saved.signed_at.is_none() => (draft, true),
        _ => (saved, false),
    };
    render(&state, page, case, draft, restored, FormErrors::default()).await
}

/// Checks the lengths (the database's) and characters; with `complete`,
/// also that every question is answered, the outcome chosen and the summary written.
fn validate(draft: &Draft, questions: &[QuestionRow], complete: bool) -> FormErrors {
    let mut errors = FormErrors::default();
    let _: Option<LongText> = errors.text("summary", &draft.summary, "The summary");
    let _: Option<LongText> = errors.text("recommendations", &draft.recommendations, "The recommendations");
    let _: Option<PcpNotes> = errors.text("pcp_notes", &draft.pcp_notes, "The notes for the primary care provider");
    for q in questions {
        let answer = draft.answer(&q.id);
        if let Err(e) = LongText::parse(answer) {
            errors.add_owned(format!("answer_{}", q.id), e.message("An answer", ""));
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
        // Kept only for the person whose session just timed out; a visitor
        // who was never signed in leaves nothing behind.
        if let Some(Extension(ended)) = &signed_out {
            crate::auth::session::keep_for_sign_in(&session, ended, PENDING_KEY, (id, &draft)).await?;
        }
        let reason = signed_out.map_or("ended", |s| s.0.reason);
        let next = form_urlencoded::byte_serialize(format!("/specialist/cases/{id}").as_bytes()).collect::<String>();
        return Ok(Redirect::to(&format!("/login?next={next}&reason={reason}")).into_response());
    };
    if me.role != Role::Specialist {
        return Err(AppError::NotFound);
    }
    let case = assigned(&state, me.id, id).await?;
    let questions = questions(&state.db, id).await?;
    let errors = validate(&draft, &questions, false);
    if !errors.is_empty() {
        return render(&state, page, case, draft, false, errors).await;
    }
    if case.status != CaseStatus::InReview {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    store_draft(&state, &me, id, &draft, &questions).await?;
    let entry = Entry::new("opinion_draft_saved", Outcome::Success).by(me.id, me.role).on("case", id).case(id);
    audit::record(&state.db, entry).await?;
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
    questions: &[QuestionRow],
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
    opinion: OpinionView,
    header: Header,
    error: Option<&'static str>,
}

async fn header(state: &AppState, case: CaseId) -> Result<Header, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(opinion::header(&mut conn, case).await?)
}

pub async fn preview(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let draft = load_draft(&state, id).await?;
    let questions = questions(&state.db, id).await?;
    let opinion = OpinionView::new(&questions, &draft.text(&questions), &me.full_name, draft.signed_at);
    let entry = Entry::new("view_opinion_preview", Outcome::Success).by(me.id, me.role).on("case", id).case(id);
    audit::record(&state.db, entry).await?;
    let header = header(&state, id).await?;
    Ok(html(&PreviewPage { page, case, opinion, header, error: None })?.into_response())
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
    let draft = load_draft(&state, id).await?;
    if draft.signed_at.is_some() || case.status != CaseStatus::InReview {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    let questions = questions(&state.db, id).await?;
    let errors = validate(&draft, &questions, true);
    if !errors.is_empty() {
        return render(&state, page, case, draft, false, errors).await;
    }
    let stored = crate::auth::db::password_hash(&state.db, me.id).await?;
    if !state.hasher.verify(&form.password, Some(stored)).await? {
        let opinion = OpinionView::new(&questions, &draft.text(&questions), &me.full_name, None);
        let error = Some("Your password is not right. The opinion was not signed.");
        let page = PreviewPage { page, case, opinion, header: header(&state, id).await?, error };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let signed = sqlx::query!(
        "update opinions set signed_at = $2 where case_id = $1 and signed_at is null",
        id as CaseId,
        now.to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    if signed.rows_affected() != 1 {
        return Err(AppError::Conflict(SIGNED.into()));
    }
    transition(&mut tx, id, CaseStatus::InReview, CaseStatus::OpinionDelivered, Some(me.id), None, now).await?;
    crate::cases::updates::tell_family(&state, &mut tx, id, crate::cases::updates::Update::OpinionReady).await?;
    let entry = Entry::new("opinion_signed", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
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

/// The specialist suggests an imaging or pathology re-review: the
/// coordinator's queue flags it "to price", and this page shows what became
/// of it. A refusal comes back here with what was typed.
pub async fn suggest_re_review(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ReReviewForm>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let mut errors = FormErrors::default();
    let kind = errors.check("re_review_kind", FeeKind::parse(&form.kind).ok_or("Choose imaging or pathology."));
    let reason: Option<SuggestionReason> = errors.required_text(
        "re_review_reason",
        &form.reason,
        "The reason",
        "Say why a re-review would help: the coordinator prices it from this.",
    );
    let (Some(kind), Some(reason)) = (kind, reason) else {
        let draft = load_draft(&state, id).await?;
        let typed = ReReviewTyped { kind: form.kind, reason: form.reason, errors };
        return render_with(&state, page, case, draft, false, FormErrors::default(), typed).await;
    };
    if !matches!(case.status, CaseStatus::InReview | CaseStatus::OpinionDelivered) {
        return flash_redirect(
            &session,
            &format!("/specialist/cases/{id}"),
            FlashKind::Error,
            "A re-review can be suggested only while the case is open.",
        )
        .await;
    }
    let mut tx = state.db.begin().await?;
    let suggestion = fees::suggest(&mut tx, id, kind, &reason, me.id, state.clock.now()).await?;
    audit::record(
        &mut *tx,
        Entry::new("re_review_suggested", Outcome::Success)
            .by(me.id, me.role)
            .on("fee_suggestion", suggestion)
            .case(id)
            .from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &format!("/specialist/cases/{id}"),
        FlashKind::Success,
        "Sent to the care coordinator, who will price it and ask the family. Its outcome shows on this page.",
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
    Path((id, follow_up)): Path<(CaseId, FollowUpId)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    assigned(&state, me.id, id).await?;
    let answer = match FollowUpAnswer::parse_required(&form.answer) {
        Ok(answer) => answer,
        Err(e) => {
            let why = e.message("An answer", "write the answer.");
            let to = format!("/specialist/cases/{id}");
            return flash_redirect(&session, &to, FlashKind::Error, format!("Nothing was sent: {why}")).await;
        }
    };
    let mut tx = state.db.begin().await?;
    follow_ups::answer(&state, &mut tx, me.id, Answerer::Specialist, id, follow_up, &answer).await?;
    let entry =
        Entry::new("follow_up_answered", Outcome::Success).by(me.id, me.role).on("follow_up", follow_up).case(id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &format!("/specialist/cases/{id}"),
        FlashKind::Success,
        "Your answer was sent; the family has been told.",
    )
    .await
}
