//! The case wizard: choose the child, basic information, the specialist
//! request (records, questions and the review have their own files). Every
//! step saves what was typed whenever the person moves on by any of its
//! buttons: the step list is made of the form's own submit buttons, so that
//! works without JavaScript. What can't be saved is shown back with the
//! reason and a way to leave without it.

use super::db;
use super::draft::DraftCase;
pub use super::steps::Steps;
use crate::audit::{self, Entry};
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
    errors: FormErrors,
    chosen_child: String,
    screen: super::screen::Choice,
}

/// The page after an emergency answer: call 911, no case.
#[derive(Template)]
#[template(path = "family/safety_stop.html")]
pub struct SafetyStopPage {
    pub page: PageContext,
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
    let errors = FormErrors::new(page.lang);
    let page = NewCasePage { page, children, errors, chosen_child: String::new(), screen: Default::default() };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct OpenCaseForm {
    #[serde(default)]
    child_id: String,
    #[serde(default)]
    emergency: String,
    #[serde(default)]
    decision_soon: String,
}

pub async fn open_case(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Form(form): Form<OpenCaseForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new(page.lang);
    let child = form.child_id.parse().ok().map(ChildId);
    if child.is_none() {
        errors.add("child_id", crate::i18n::Msg("new-case-choose-child"));
    }
    let screen = super::screen::Choice { emergency: form.emergency, decision_soon: form.decision_soon };
    let answers = screen.parse(&mut errors);
    let (Some(child), Some(answers)) = (child, answers) else {
        let children = db::children(&state.db, user.id).await?;
        let page = NewCasePage { page, children, errors, chosen_child: form.child_id, screen };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Every answer is kept, an emergency too; another family's child is a 404.
    let screen = super::screen::record(&mut tx, user.id, child, answers, page.lang, now).await?;
    if answers.emergency {
        audit::record(
            &mut *tx,
            Entry::new("safety_screen_emergency", audit::Outcome::Success).by(user.id, user.role).from_ip(ip),
        )
        .await?;
        tx.commit().await?;
        return Ok(html(&SafetyStopPage { page })?.into_response());
    }
    let case = crate::cases::open_draft(&mut tx, user.id, child, screen, &user.email, None, now).await?;
    audit::record(
        &mut *tx,
        Entry::new("case_opened", audit::Outcome::Success).by(user.id, user.role).on("case", case).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/family/cases/{case}/details")).into_response())
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
    /// The step to go to after saving.
    #[serde(default)]
    go: String,
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
    pub fn time_zones(&self) -> Vec<(&'static str, String)> {
        time_zones::CHOICES.iter().map(|(name, label)| (*name, label.in_lang(self.page.lang))).collect()
    }
}

pub async fn details_form(page: PageContext, DraftCase { case, .. }: DraftCase) -> Result<Response, AppError> {
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
        go: String::new(),
    };
    let steps = Steps::new(case.id, "details");
    Ok(html(&DetailsPage { page, steps, case, form, errors: FormErrors::default() })?.into_response())
}

/// Saves the details, however far along they are (the review asks for
/// what is still missing), and goes to the step asked for.
pub async fn save_details(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let id = case.id;
    let mut errors = FormErrors::new(page.lang);
    let email = errors.check("contact_email", EmailAddress::parse(&form.contact_email));
    // A draft keeps what can be kept: no phone yet is fine (the review page
    // asks for it before paying); a phone that can't be dialled is said so.
    let phone = match form.contact_phone.trim() {
        "" => Some(None),
        raw => errors.check("contact_phone", PhoneNumber::parse(raw)).map(Some),
    };
    // Not sent (an older form): the time zone the case has stays.
    let time_zone = match form.contact_time_zone.trim() {
        "" => time_zones::parse(&case.contact_time_zone),
        raw => time_zones::parse(raw),
    };
    let time_zone = errors.check("contact_time_zone", time_zone.ok_or(crate::i18n::Msg("details-time-zone-missing")));
    let call_times: Option<CallTimes> =
        errors.text("call_times", &form.call_times, crate::i18n::Msg("details-call-times-noun"));
    let diagnosis: Option<CaseSummary> =
        errors.text("diagnosis_summary", &form.diagnosis_summary, crate::i18n::Msg("details-diagnosis-noun"));
    let treatment: Option<CaseSummary> =
        errors.text("treatment_summary", &form.treatment_summary, crate::i18n::Msg("details-treatment-noun"));
    let physician: Option<DoctorOrClinic> =
        errors.text("treating_physician", &form.treating_physician, crate::i18n::Msg("details-physician-noun"));
    let clinic: Option<DoctorOrClinic> =
        errors.text("treating_clinic", &form.treating_clinic, crate::i18n::Msg("details-clinic-noun"));
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
        let steps = Steps::new(id, "details").leaving(&form.go);
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, html(&DetailsPage { page, steps, case, form, errors })?).into_response()
        );
    };
    sqlx::query!(
        r#"update cases set contact_email = $3, contact_phone = $4, diagnosis_summary = $5, treatment_summary = $6,
                            treating_physician = $7, treating_clinic = $8, contact_time_zone = $9, call_times = $10,
                            version = version + 1
           where id = $1 and is_guardian(child_id, $2) and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        email.as_str(),
        phone.as_ref().map_or("", PhoneNumber::e164),
        diagnosis.as_str(),
        treatment.as_str(),
        physician.as_str(),
        clinic.as_str(),
        time_zone,
        call_times.as_str()
    )
    .execute(&state.db)
    .await?;
    audit::record(
        &state.db,
        Entry::new("case_details_edited", audit::Outcome::Success)
            .by(user.id, crate::domain::Role::Family)
            .on("case", id)
            .case(id),
    )
    .await?;
    Ok(Redirect::to(&Steps::after(id, "details", &form.go)).into_response())
}

pub struct SpecialistOption {
    pub id: UserId,
    pub name: String,
    pub specialty: String,
    pub credentials: String,
    pub accepting_cases: bool,
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

/// The specialists a family can ask for: those accepting cases, and the one
/// this case already asks for (a follow-on's) even if they are not now.
async fn directory(state: &AppState, requested: Option<UserId>) -> Result<Vec<SpecialistOption>, AppError> {
    Ok(sqlx::query_as!(
        SpecialistOption,
        r#"select u.id as "id: UserId", u.full_name as name, s.specialty, s.credentials, s.accepting_cases
           from specialists s join users u on u.id = s.user_id
           where u.disabled_at is null and (s.accepting_cases or s.user_id = $1)
           order by s.specialty, u.full_name"#,
        requested as Option<UserId>
    )
    .fetch_all(&state.db)
    .await?)
}

pub async fn specialist_form(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { case, .. }: DraftCase,
) -> Result<Response, AppError> {
    let chosen = case.requested_specialist_id.map(|s| s.to_string()).unwrap_or_default();
    let note = case.requested_specialist_note.clone();
    let page = SpecialistPage {
        page,
        steps: Steps::new(case.id, "specialist"),
        directory: directory(&state, case.requested_specialist_id).await?,
        case,
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
    #[serde(default)]
    go: String,
}

pub async fn save_specialist(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    Form(form): Form<SpecialistForm>,
) -> Result<Response, AppError> {
    let id = case.id;
    let directory = directory(&state, case.requested_specialist_id).await?;
    let mut errors = FormErrors::new(page.lang);
    let chosen = match form.specialist_id.as_str() {
        "" => None,
        raw => {
            let found = directory.iter().find(|s| s.id.to_string() == raw).map(|s| s.id);
            if found.is_none() {
                errors.add("specialist_id", crate::i18n::Msg("specialist-choose"));
            }
            found
        }
    };
    let note: Option<SpecialistNote> = errors.text("note", &form.note, crate::i18n::Msg("specialist-note-noun"));
    let Some(note) = note.filter(|_| errors.is_empty()) else {
        let page = SpecialistPage {
            page,
            steps: Steps::new(id, "specialist").leaving(&form.go),
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
           where id = $1 and is_guardian(child_id, $2) and status = 'draft'"#,
        id as CaseId,
        user.id as UserId,
        chosen as Option<UserId>,
        note.as_str()
    )
    .execute(&state.db)
    .await?;
    audit::record(
        &state.db,
        Entry::new("specialist_requested", audit::Outcome::Success)
            .by(user.id, crate::domain::Role::Family)
            .on("case", id)
            .case(id),
    )
    .await?;
    Ok(Redirect::to(&Steps::after(id, "specialist", &form.go)).into_response())
}
