//! A read-only view of one of the clinician's cases: the child's basics,
//! the family's questions and records, the signed opinion, the clarifying
//! questions and their answers, referral requests, and the call's attempts
//! with the form to log the next one. Every view is audited.

use super::access;
use crate::audit::{self, Entry, Outcome};
use crate::cases::after_opinion::AfterOpinion;
use crate::cases::break_glass::Access;
use crate::cases::db::{QuestionRow, SourceWithDocuments};
use crate::domain::child::age_on;
use crate::domain::{CallOutcome, CaseId, CaseStatus, PhoneNumber, Sex};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Clinician, CurrentUser, Path};
use crate::web::format::{date, pacific_date};
use crate::web::forms::FormErrors;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The attempt form, as typed (kept on a refusal).
#[derive(Default, Deserialize)]
pub struct CallForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub notes: String,
    /// `datetime-local`, Pacific time.
    #[serde(default)]
    pub next_attempt: String,
}

pub struct Header {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub parent_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_time_zone: String,
    pub call_times: String,
    pub child_first_name: String,
    pub date_of_birth: jiff_sqlx::Date,
    pub sex: Sex,
    pub diagnosis_summary: String,
    pub treatment_summary: String,
}

#[derive(Template)]
#[template(path = "clinician/case.html")]
struct CasePage {
    page: PageContext,
    case: Header,
    phone: Option<PhoneNumber>,
    age: i16,
    family_time: String,
    questions: Vec<QuestionRow>,
    sources: Vec<SourceWithDocuments>,
    after: AfterOpinion,
    form: CallForm,
    errors: FormErrors,
    outcomes: [CallOutcome; 3],
    /// Opened by break-glass: to read, not to act on.
    glass: bool,
}

impl CasePage {
    fn dob(&self) -> String {
        date(self.case.date_of_birth)
    }
}

pub async fn case_view(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let access = access(&state, &me, id).await?;
    let entry = Entry::new(access.view_action(), Outcome::Success).by(me.id, me.role).on("case", id).case(id);
    audit::record(&state.db, entry.from_ip(ip)).await?;
    render(&state, page, &me, id, access, CallForm::default(), FormErrors::default()).await
}

/// The page, with the attempt form as typed and its errors (422 if any).
pub async fn render(
    state: &AppState,
    page: PageContext,
    me: &CurrentUser,
    id: CaseId,
    access: Access,
    form: CallForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = sqlx::query_as!(
        Header,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus", u.full_name as parent_name,
                  c.contact_email, c.contact_phone, c.contact_time_zone, c.call_times, ch.first_name as child_first_name,
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date", ch.sex as "sex: Sex", c.diagnosis_summary,
                  c.treatment_summary
           from cases c join users u on u.id = c.family_id join children ch on ch.id = c.child_id
           where c.id = $1 and (c.clinician_id = $2 or $3)"#,
        id as CaseId,
        me.id as crate::domain::UserId,
        access == Access::BrokenGlass
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let page = CasePage {
        page,
        phone: PhoneNumber::from_stored(&case.contact_phone),
        age: age_on(case.date_of_birth.to_jiff(), pacific_date(now)),
        family_time: crate::web::format::family_time(&case.contact_time_zone, now),
        questions: crate::cases::db::questions(&mut *conn, id).await?,
        sources: crate::cases::db::sources_with_documents(&mut conn, id).await?,
        after: AfterOpinion::load(&mut conn, id).await?,
        case,
        form,
        outcomes: CallOutcome::ALL,
        glass: access == Access::BrokenGlass,
        errors,
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&page)?).into_response())
}
