//! The case wizard: choose the child, basic information, the specialist
//! request and the review page. Every step saves; a draft can be resumed.
//! (Records and questions have their own pages.)

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::domain::{CaseId, CaseStatus, ChildId, EmailAddress, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "family/new_case.html")]
pub struct NewCasePage {
    page: PageContext,
    children: Vec<db::ChildRow>,
    error: Option<&'static str>,
}

pub async fn new_case_form(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
) -> Result<Response, AppError> {
    let children = db::children(&state.db, user.id).await?;
    if children.is_empty() {
        return Ok(Redirect::to("/family/children/new?then=new-case").into_response());
    }
    Ok(html(&NewCasePage { page, children, error: None })?.into_response())
}

#[derive(Deserialize)]
pub struct OpenCaseForm {
    #[serde(default)]
    child_id: String,
}

pub async fn open_case(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Form(form): Form<OpenCaseForm>,
) -> Result<Response, AppError> {
    let child = form.child_id.parse().ok().map(ChildId);
    let Some(child) = child else {
        let children = db::children(&state.db, user.id).await?;
        let page = NewCasePage { page, children, error: Some("Choose the child this case is for.") };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let mut tx = state.db.begin().await?;
    // open_draft's foreign key refuses another family's child (→ 404).
    let case = crate::cases::open_draft(&mut tx, user.id, child, &user.email, None, state.clock.now()).await?;
    audit::record(
        &mut *tx,
        Entry::new("case_opened", Outcome::Success).by(user.id, user.role).on("case", case).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/family/cases/{case}/details")).into_response())
}

/// The step list shown above each wizard page.
pub struct Steps {
    pub case: CaseId,
    pub current: &'static str,
}

impl Steps {
    pub fn all(&self) -> [(&'static str, &'static str, String); 5] {
        let c = self.case;
        [
            ("details", "Basic information", format!("/family/cases/{c}/details")),
            ("records", "Where the records are", format!("/family/cases/{c}/records")),
            ("questions", "Your questions", format!("/family/cases/{c}/questions")),
            ("specialist", "Specialist request", format!("/family/cases/{c}/specialist")),
            ("review", "Review and pay", format!("/family/cases/{c}/review")),
        ]
    }
}

#[derive(Default, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    diagnosis_summary: String,
    #[serde(default)]
    treatment_summary: String,
    #[serde(default)]
    treating_physician: String,
    #[serde(default)]
    treating_clinic: String,
}

#[derive(Template)]
#[template(path = "family/details.html")]
pub struct DetailsPage {
    page: PageContext,
    steps: Steps,
    case: db::CaseRow,
    form: DetailsForm,
    errors: FormErrors,
}

/// The family's draft, or a redirect to its case page once submitted.
pub async fn draft(state: &AppState, family: UserId, id: CaseId) -> Result<Result<db::CaseRow, Response>, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)?;
    if case.status != CaseStatus::Draft {
        return Ok(Err(Redirect::to(&format!("/family/cases/{id}")).into_response()));
    }
    Ok(Ok(case))
}

pub async fn details_form(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = match draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let form = DetailsForm {
        contact_email: case.contact_email.clone(),
        contact_phone: case.contact_phone.clone(),
        diagnosis_summary: case.diagnosis_summary.clone(),
        treatment_summary: case.treatment_summary.clone(),
        treating_physician: case.treating_physician.clone(),
        treating_clinic: case.treating_clinic.clone(),
    };
    let steps = Steps { case: id, current: "details" };
    Ok(html(&DetailsPage { page, steps, case, form, errors: FormErrors::default() })?.into_response())
}

/// Trims and bounds a free-text field.
fn bounded(errors: &mut FormErrors, field: &'static str, value: &str, max: usize, label: &str) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, format!("{label} can be at most {max} characters."));
    }
    if value.contains('\0') {
        errors.add(field, format!("{label} contains a character we can't accept."));
    }
    value.to_owned()
}

pub async fn save_details(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let case = match draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let mut errors = FormErrors::default();
    let email = errors.check("contact_email", EmailAddress::parse(&form.contact_email));
    let phone = bounded(&mut errors, "contact_phone", &form.contact_phone, 40, "The phone number");
    let diagnosis = bounded(&mut errors, "diagnosis_summary", &form.diagnosis_summary, 4000, "The diagnosis");
    if diagnosis.is_empty() {
        errors.add("diagnosis_summary", "Describe your child's diagnosis, as you understand it.");
    }
    let treatment = bounded(&mut errors, "treatment_summary", &form.treatment_summary, 4000, "The treatment");
    let physician = bounded(&mut errors, "treating_physician", &form.treating_physician, 200, "The doctor's name");
    let clinic = bounded(&mut errors, "treating_clinic", &form.treating_clinic, 200, "The clinic");
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let steps = Steps { case: id, current: "details" };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, html(&DetailsPage { page, steps, case, form, errors })?).into_response()
        );
    };
    sqlx::query!(
        r#"update cases set contact_email = $3, contact_phone = $4, diagnosis_summary = $5, treatment_summary = $6,
                            treating_physician = $7, treating_clinic = $8, version = version + 1
           where id = $1 and family_id = $2 and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        email.as_str(),
        phone,
        diagnosis,
        treatment,
        physician,
        clinic
    )
    .execute(&state.db)
    .await?;
    Ok(Redirect::to(&format!("/family/cases/{id}/records")).into_response())
}

pub struct SpecialistOption {
    pub id: UserId,
    pub name: String,
    pub specialty: String,
}

#[derive(Template)]
#[template(path = "family/specialist.html")]
pub struct SpecialistPage {
    page: PageContext,
    steps: Steps,
    case: db::CaseRow,
    directory: Vec<SpecialistOption>,
    chosen: String,
    note: String,
    errors: FormErrors,
}

async fn directory(state: &AppState) -> Result<Vec<SpecialistOption>, AppError> {
    Ok(sqlx::query_as!(
        SpecialistOption,
        r#"select u.id as "id: UserId", u.full_name as name, s.specialty
           from specialists s join users u on u.id = s.user_id
           where s.accepting_cases and u.disabled_at is null order by s.specialty, u.full_name"#
    )
    .fetch_all(&state.db)
    .await?)
}

pub async fn specialist_form(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = match draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let chosen = case.requested_specialist_id.map(|s| s.to_string()).unwrap_or_default();
    let note = case.requested_specialist_note.clone();
    let page = SpecialistPage {
        page,
        steps: Steps { case: id, current: "specialist" },
        case,
        directory: directory(&state).await?,
        chosen,
        note,
        errors: FormErrors::default(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SpecialistForm {
    #[serde(default)]
    specialist_id: String,
    #[serde(default)]
    note: String,
}

pub async fn save_specialist(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<SpecialistForm>,
) -> Result<Response, AppError> {
    let case = match draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let directory = directory(&state).await?;
    let mut errors = FormErrors::default();
    let chosen = match form.specialist_id.as_str() {
        "" => None,
        raw => {
            let found = directory.iter().find(|s| s.id.to_string() == raw).map(|s| s.id);
            if found.is_none() {
                errors.add("specialist_id", "Choose a specialist from the list, or none.");
            }
            found
        }
    };
    let note = bounded(&mut errors, "note", &form.note, 1000, "The description");
    if !errors.is_empty() {
        let page = SpecialistPage {
            page,
            steps: Steps { case: id, current: "specialist" },
            case,
            directory,
            chosen: form.specialist_id,
            note: form.note,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    sqlx::query!(
        r#"update cases set requested_specialist_id = $3, requested_specialist_note = $4, version = version + 1
           where id = $1 and family_id = $2 and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        chosen as Option<UserId>,
        note
    )
    .execute(&state.db)
    .await?;
    Ok(Redirect::to(&format!("/family/cases/{id}/review")).into_response())
}

#[derive(Template)]
#[template(path = "family/review.html")]
pub struct ReviewPage {
    pub page: PageContext,
    pub steps: Steps,
    pub case: db::CaseRow,
    pub questions: Vec<db::QuestionRow>,
    pub sources: Vec<db::RecordSourceRow>,
    pub fee: String,
    pub errors: FormErrors,
    pub email_verified: bool,
}

/// Builds the review page (also re-rendered by `submit` when something is missing).
pub async fn review(
    state: &AppState,
    page: PageContext,
    user: &crate::web::extract::CurrentUser,
    case: db::CaseRow,
    errors: FormErrors,
) -> Result<ReviewPage, AppError> {
    let questions = db::questions(&state.db, case.id).await?;
    let sources = db::record_sources(&state.db, case.id).await?;
    Ok(ReviewPage {
        page,
        steps: Steps { case: case.id, current: "review" },
        case,
        questions,
        sources,
        fee: crate::domain::Cents(state.config.case_fee_cents).to_string(),
        errors,
        email_verified: user.email_verified,
    })
}

pub async fn review_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = match draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let page = review(&state, page, &user, case, FormErrors::default()).await?;
    Ok(html(&page)?.into_response())
}
