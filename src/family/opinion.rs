//! The family's opinion page (printable), clarifying follow-up questions
//! within the window, and asking for help with a visit or referral.

use crate::audit::{self, Entry, Outcome};
use crate::cases::db::{QuestionRow, questions};
use crate::cases::follow_ups::{self, FollowUpRow};
use crate::cases::opinion::{self, Header, OpinionView};
use crate::cases::schedule::{MAX_FOLLOW_UPS, calendar, follow_up_window_end};
use crate::cases::shares::{self, ShareRow};
use crate::cases::updates::{self, Update};
use crate::domain::text::{FollowUpBody, ReferralNote};
use crate::domain::{CaseId, CaseStatus, FollowUpId, QuestionId, ReferralId, ReferralStatus, UserId};
use crate::error::{AppError, conflicts};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(serde::Deserialize)]
pub struct ReferralRow {
    pub note: String,
    pub status: ReferralStatus,
}

#[derive(Template)]
#[template(path = "family/opinion.html")]
pub struct OpinionPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    child_name: String,
    opinion: OpinionView,
    header: Header,
    questions: Vec<QuestionRow>,
    follow_ups: Vec<FollowUpRow>,
    left: i64,
    window_open: bool,
    window_closes: Timestamp,
    referrals: Vec<ReferralRow>,
    shares: Vec<ShareRow>,
    /// A link just created, shown once so the family can copy it.
    new_link: Option<String>,
    now: Timestamp,
    body: String,
    question_id: String,
    errors: FormErrors,
}

impl OpinionPage {
    /// A request the clinician has not answered yet: no need to ask twice.
    pub fn referral_pending(&self) -> bool {
        self.referrals.iter().any(|r| r.status == ReferralStatus::Requested)
    }
    pub fn link_state(&self, s: &ShareRow) -> shares::LinkState {
        s.state(self.now)
    }
}

/// Requests for help with a visit or referral, oldest first.
pub async fn referrals(db: impl sqlx::PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<ReferralRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_referrals_list($1) as "list!: sqlx::types::Json<Vec<ReferralRow>>""#,
        case as CaseId
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

/// The family's case with a signed opinion, or 404.
async fn delivered(
    state: &AppState,
    family: UserId,
    id: CaseId,
) -> Result<(String, String, CaseStatus, Timestamp), AppError> {
    let row = sqlx::query!(
        r#"select c.case_number, coalesce(ch.preferred_name, ch.first_name) || ' ' || ch.last_name as "child!",
                  c.status as "status: CaseStatus", c.opinion_delivered_at as "delivered!: jiff_sqlx::Timestamp"
           from cases c join children ch on ch.id = c.child_id
           where c.id = $1 and is_guardian(c.child_id, $2) and c.opinion_delivered_at is not null"#,
        id as CaseId,
        family as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.case_number, row.child, row.status, row.delivered.to_jiff()))
}

/// What the page shows back: a follow-up as typed and why it was refused,
/// or a share link just made.
#[derive(Default)]
struct Shown {
    body: String,
    question_id: String,
    errors: FormErrors,
    new_link: Option<String>,
}

async fn render(
    state: &AppState,
    page: PageContext,
    id: CaseId,
    family: UserId,
    shown: Shown,
) -> Result<Response, AppError> {
    let Shown { body, question_id, errors, new_link } = shown;
    let (case_number, child_name, status, delivered_at) = delivered(state, family, id).await?;
    let mut conn = state.db.acquire().await?;
    let signed = opinion::load_signed(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let questions = questions(&mut *conn, id).await?;
    let opinion = OpinionView::of(&questions, &signed);
    let header = opinion::header(&mut conn, id).await?;
    let follow_ups = follow_ups::for_case(&mut *conn, id, false).await?;
    let referrals = referrals(&mut *conn, id).await?;
    let shares = shares::for_case(&mut *conn, id).await?;
    let calendar = state.calendar.get(&mut conn).await?;
    let now = state.clock.now();
    let end = follow_up_window_end(&calendar, delivered_at);
    let left = MAX_FOLLOW_UPS - follow_ups.len() as i64;
    let window_open = status == CaseStatus::OpinionDelivered && now < end;
    let status_code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OpinionPage {
        page,
        case_id: id,
        case_number,
        child_name,
        opinion,
        header,
        questions,
        follow_ups,
        left,
        window_open,
        // The last moment a question is in time (the window's end is exclusive).
        window_closes: end.checked_sub(jiff::SignedDuration::from_nanos(1)).unwrap_or(end),
        referrals,
        shares,
        new_link,
        now,
        body,
        question_id,
        errors,
    };
    Ok((status_code, html(&page)?).into_response())
}

pub async fn opinion_page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let new_link = super::shares::take_new_link(&session, id).await?;
    let response = render(&state, page, id, user.id, Shown { new_link, ..Shown::default() }).await?;
    let entry = Entry::new("view_opinion", Outcome::Success).by(user.id, user.role).on("case", id).case(id).from_ip(ip);
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

const FOURTH: crate::i18n::Msg = crate::i18n::Msg("refusal-fourth-follow-up");

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
    let mut errors = FormErrors::new(page.lang);
    let body: Option<FollowUpBody> =
        errors.required_text("body", &form.body, Msg("follow-up-label-in-error"), Msg("follow-up-missing"));
    let question = form.question_id.parse::<uuid::Uuid>().ok().map(QuestionId);
    let questions = questions(&state.db, id).await?;
    let question = question.filter(|q| questions.iter().any(|x| x.id == *q));
    if question.is_none() {
        errors.add("question_id", Msg("follow-up-choose-question"));
    }
    if status != CaseStatus::OpinionDelivered || now >= follow_up_window_end(&calendar(&state.db).await?, delivered_at)
    {
        errors.add("body", Msg("follow-up-window-closed"));
    }
    let (Some(question), Some(body), true) = (question, body, errors.is_empty()) else {
        let shown = Shown { body: form.body, question_id: form.question_id, errors, new_link: None };
        return render(&state, page, id, user.id, shown).await;
    };
    let mut tx = state.db.begin().await?;
    sqlx::query!("select id from cases where id = $1 for update", id as CaseId).fetch_one(&mut *tx).await?;
    let asked =
        sqlx::query_scalar!(r#"select count(*) as "n!" from follow_up_questions where case_id = $1"#, id as CaseId)
            .fetch_one(&mut *tx)
            .await?;
    let inserted = sqlx::query_scalar!(
        r#"insert into follow_up_questions (case_id, position, question_id, body, asked_at, asked_by)
           values ($1, $2, $3, $4, $5, $6)
           returning id as "id: FollowUpId""#,
        id as CaseId,
        (asked + 1) as i16,
        question as QuestionId,
        body.as_str(),
        now.to_sqlx() as _,
        user.id as crate::domain::UserId
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        conflicts(e, &[("follow_up_questions_max_three", FOURTH), ("follow_up_questions_position_key", FOURTH)])
    });
    match inserted {
        Ok(follow_up) => {
            updates::record(&mut tx, id, Update::FollowUpAsked(follow_up), now).await?;
            audit::record(
                &mut *tx,
                Entry::new("follow_up_asked", Outcome::Success)
                    .by(user.id, user.role)
                    .on("follow_up", follow_up)
                    .case(id),
            )
            .await?;
            tx.commit().await?;
            flash_redirect(
                &session,
                &format!("/family/cases/{id}/opinion"),
                FlashKind::Success,
                page.t("follow-up-sent"),
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            drop(tx);
            let mut errors = FormErrors::new(page.lang);
            errors.add("body", message);
            let shown = Shown { body: form.body, question_id: form.question_id, errors, new_link: None };
            render(&state, page, id, user.id, shown).await
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
    lang: Lang,
    Path(id): Path<CaseId>,
    Form(form): Form<ReferralForm>,
) -> Result<Response, AppError> {
    delivered(&state, user.id, id).await?;
    let Ok(note) = ReferralNote::parse(&form.note) else {
        return flash_redirect(
            &session,
            &format!("/family/cases/{id}/opinion"),
            FlashKind::Error,
            lang.t("referral-note-refused"),
        )
        .await;
    };
    let mut tx = state.db.begin().await?;
    let referral = sqlx::query_scalar!(
        r#"insert into referral_requests (case_id, note, requested_by) values ($1, $2, $3)
           returning id as "id: ReferralId""#,
        id as CaseId,
        note.as_str(),
        user.id as crate::domain::UserId
    )
    .fetch_one(&mut *tx)
    .await?;
    updates::record(&mut tx, id, Update::ReferralRequested(referral), state.clock.now()).await?;
    audit::record(
        &mut *tx,
        Entry::new("referral_asked", Outcome::Success).by(user.id, user.role).on("referral", referral).case(id),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/opinion"), FlashKind::Success, lang.t("referral-sent-flash"))
        .await
}
