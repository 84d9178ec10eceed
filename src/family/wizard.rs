//! The case wizard: choose the child, basic information, the specialist
//! request and the review page. Every step saves; a draft can be resumed.
//! (Records and questions have their own pages.)

use super::db;
use super::draft::DraftCase;
use crate::audit::{self, Entry};
use crate::cases::db::{QuestionRow, RecordSourceRow};
use crate::domain::text::{CallTimes, CaseSummary, DoctorOrClinic, SpecialistNote};
use crate::domain::{CaseId, ChildId, EmailAddress, UserId};
use crate::domain::{PhoneNumber, time_zones};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family};
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
        Entry::new("case_opened", audit::Outcome::Success).by(user.id, user.role).on("case", case).from_ip(ip),
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
    contact_time_zone: String,
    #[serde(default)]
    call_times: String,
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

impl DetailsPage {
    pub fn time_zones(&self) -> &'static [(&'static str, &'static str)] {
        time_zones::CHOICES
    }
}

pub async fn details_form(page: PageContext, DraftCase { case, .. }: DraftCase) -> Result<Response, AppError> {
    let id = case.id;
    let form = DetailsForm {
        contact_email: case.contact_email.clone(),
        // A stored number reads back as it is dialled; older free text as typed.
        contact_phone: PhoneNumber::from_stored(&case.contact_phone)
            .map_or_else(|| case.contact_phone.clone(), |p| p.to_string()),
        contact_time_zone: case.contact_time_zone.clone(),
        call_times: case.call_times.clone(),
        diagnosis_summary: case.diagnosis_summary.clone(),
        treatment_summary: case.treatment_summary.clone(),
        treating_physician: case.treating_physician.clone(),
        treating_clinic: case.treating_clinic.clone(),
    };
    let steps = Steps { case: id, current: "details" };
    Ok(html(&DetailsPage { page, steps, case, form, errors: FormErrors::default() })?.into_response())
}

pub async fn save_details(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let id = case.id;
    let mut errors = FormErrors::default();
    let email = errors.check("contact_email", EmailAddress::parse(&form.contact_email));
    let phone = errors.check("contact_phone", PhoneNumber::parse(&form.contact_phone));
    let time_zone = errors.check(
        "contact_time_zone",
        time_zones::parse(&form.contact_time_zone).ok_or("Choose where you live, so we call at a good time for you."),
    );
    let call_times: Option<CallTimes> = errors.text("call_times", &form.call_times, "The best times to call");
    let diagnosis: Option<CaseSummary> = errors.required_text(
        "diagnosis_summary",
        &form.diagnosis_summary,
        "The diagnosis",
        "Describe your child's diagnosis, as you understand it.",
    );
    let treatment: Option<CaseSummary> = errors.text("treatment_summary", &form.treatment_summary, "The treatment");
    let physician: Option<DoctorOrClinic> =
        errors.text("treating_physician", &form.treating_physician, "The doctor's name");
    let clinic: Option<DoctorOrClinic> = errors.text("treating_clinic", &form.treating_clinic, "The clinic");
    let (
        Some(email),
        Some(phone),
        Some(time_zone),
        Some(call_times),
        Some(diagnosis),
        Some(treatment),
        Some(physician),
        Some(clinic),
    ) = (email, phone, time_zone, call_times, diagnosis, treatment, physician, clinic)
    else {
        let steps = Steps { case: id, current: "details" };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, html(&DetailsPage { page, steps, case, form, errors })?).into_response()
        );
    };
    sqlx::query!(
        r#"update cases set contact_email = $3, contact_phone = $4, diagnosis_summary = $5, treatment_summary = $6,
                            treating_physician = $7, treating_clinic = $8, contact_time_zone = $9, call_times = $10,
                            version = version + 1
           where id = $1 and family_id = $2 and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        email.as_str(),
        phone.e164(),
        diagnosis.as_str(),
        treatment.as_str(),
        physician.as_str(),
        clinic.as_str(),
        time_zone,
        call_times.as_str()
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
    DraftCase { case, .. }: DraftCase,
) -> Result<Response, AppError> {
    let id = case.id;
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
    DraftCase { user, case }: DraftCase,
    Form(form): Form<SpecialistForm>,
) -> Result<Response, AppError> {
    let id = case.id;
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
    let note: Option<SpecialistNote> = errors.text("note", &form.note, "The description");
    let Some(note) = note.filter(|_| errors.is_empty()) else {
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
    };
    sqlx::query!(
        r#"update cases set requested_specialist_id = $3, requested_specialist_note = $4, version = version + 1
           where id = $1 and family_id = $2 and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        chosen as Option<UserId>,
        note.as_str()
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
    pub questions: Vec<QuestionRow>,
    pub sources: Vec<RecordSourceRow>,
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
    let questions = crate::cases::db::questions(&state.db, case.id).await?;
    let sources = crate::cases::db::record_sources(&state.db, case.id).await?;
    Ok(ReviewPage {
        page,
        steps: Steps { case: case.id, current: "review" },
        case,
        questions,
        sources,
        fee: state.config.case_fee.to_string(),
        errors,
        email_verified: user.email_verified,
    })
}

pub async fn review_page(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
) -> Result<Response, AppError> {
    let page = review(&state, page, &user, case, FormErrors::default()).await?;
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SubmitForm {
    consent_emergency: Option<String>,
    consent_english: Option<String>,
    consent_no_insurance: Option<String>,
    consent_frozen: Option<String>,
    consent_limits: Option<String>,
}

/// `POST /family/cases/{id}/submit`: check everything, record consent, open
/// (or reuse) the payment attempt, then go to the card page.
pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    ClientIp(ip): ClientIp,
    Form(form): Form<SubmitForm>,
) -> Result<Response, AppError> {
    use crate::payments::attempt;
    let id = case.id;
    let mut errors = FormErrors::default();
    let questions = crate::cases::db::questions(&state.db, id).await?.len();
    let sources = crate::cases::db::record_sources(&state.db, id).await?.len();
    if !user.email_verified {
        errors.add(
            "email",
            "Confirm your email address first: we use it to tell you about your case. Use the link we sent you.",
        );
    }
    if case.diagnosis_summary.is_empty() {
        errors.add("details", "Describe your child's diagnosis under \"Basic information\".");
    }
    // The database refuses to submit a case without one; asking here, before
    // the card, means a payment never meets that refusal.
    if PhoneNumber::from_stored(&case.contact_phone).is_none() {
        errors.add(
            "details",
            "Give a phone number with its country code under \"Basic information\", for the clinician's call.",
        );
    }
    if sources == 0 {
        errors.add("records", "Add at least one place where your child's records are.");
    }
    if questions == 0 {
        errors.add("questions", "Please enter at least one question for the specialist.");
    }
    for (field, given, message) in [
        ("consent_emergency", &form.consent_emergency, "Confirm that this is not a medical emergency."),
        ("consent_english", &form.consent_english, "Confirm that the records are in English (or will be translated)."),
        (
            "consent_no_insurance",
            &form.consent_no_insurance,
            "Confirm that you understand no insurance claim is filed and no CPT code is given.",
        ),
        ("consent_frozen", &form.consent_frozen, "Confirm that nothing can be added once the review starts."),
        ("consent_limits", &form.consent_limits, "Confirm the limits of 5 questions and 3 follow-up questions."),
    ] {
        if given.is_none() {
            errors.add(field, message);
        }
    }
    if !errors.is_empty() {
        let page = review(&state, page, &user, case, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let recorded = sqlx::query!(
        "update cases set consented_at = $2 where id = $1 and status = 'draft'",
        id as CaseId,
        jiff_sqlx::ToSqlx::to_sqlx(state.clock.now()) as _
    )
    .execute(&state.db)
    .await?;
    if recorded.rows_affected() == 0 {
        return Ok(Redirect::to(&format!("/family/cases/{id}")).into_response());
    }
    match attempt::open(&state, id, crate::domain::Purpose::CaseFee).await? {
        Ok(payment) => {
            audit::record(
                &state.db,
                Entry::new("case_submit_started", audit::Outcome::Success)
                    .by(user.id, user.role)
                    .on("payment", payment.id)
                    .case(id)
                    .from_ip(ip),
            )
            .await?;
            Ok(Redirect::to(&format!("/family/cases/{id}/pay")).into_response())
        }
        Err(attempt::Outcome::Unreachable) => {
            let mut errors = FormErrors::default();
            errors.add("payment", crate::payments::UNREACHABLE);
            let page = review(&state, page, &user, case, errors).await?;
            Ok((StatusCode::SERVICE_UNAVAILABLE, html(&page)?).into_response())
        }
        Err(_) => Ok(Redirect::to(&format!("/family/cases/{id}")).into_response()),
    }
}
