//! Where the child's records are: one or more record sources. A source in
//! another language is flagged for translation (records must be in English).

use super::db;
use super::wizard::Steps;
use crate::cases::db::{RECORDS_FROZEN as FROZEN, RecordSourceRow, record_sources};
use crate::domain::text::{ContactPhone, DateRange, DoctorOrClinic, Facility, Language, RecordsDescription};
use crate::domain::{CaseId, CaseStatus, RecordSourceId, UserId};
use crate::error::{AppError, conflicts};
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Default, Deserialize)]
pub struct SourceForm {
    #[serde(default)]
    facility: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    records_description: String,
    #[serde(default)]
    date_range: String,
    #[serde(default)]
    language: String,
}

#[derive(Template)]
#[template(path = "family/records.html")]
pub struct RecordsPage {
    page: PageContext,
    steps: Option<Steps>,
    case: db::CaseRow,
    sources: Vec<RecordSourceRow>,
    form: SourceForm,
    errors: FormErrors,
}

impl RecordsPage {
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    pub fn any_translation(&self) -> bool {
        self.sources.iter().any(|s| s.translation_required)
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    case: db::CaseRow,
    form: SourceForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let sources = record_sources(&state.db, case.id).await?;
    let steps = (case.status == CaseStatus::Draft).then_some(Steps { case: case.id, current: "records" });
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&RecordsPage { page, steps, case, sources, form, errors })?).into_response())
}

async fn family_case(state: &AppState, family: UserId, id: CaseId) -> Result<db::CaseRow, AppError> {
    let mut conn = state.db.acquire().await?;
    db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)
}

pub async fn records_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = family_case(&state, user.id, id).await?;
    let form = SourceForm { language: "English".into(), ..SourceForm::default() };
    render(&state, page, case, form, FormErrors::default()).await
}

pub async fn add_source(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let facility: Option<Facility> =
        errors.required_text("facility", &form.facility, "The place", "Enter the hospital, clinic or doctor's office.");
    let contact: Option<DoctorOrClinic> = errors.text("contact_name", &form.contact_name, "The contact");
    let phone: Option<ContactPhone> = errors.text("phone", &form.phone, "The phone number");
    let what: Option<RecordsDescription> = errors.required_text(
        "records_description",
        &form.records_description,
        "The description",
        "Say which records they hold, for example MRI images, pathology reports, clinic notes.",
    );
    let dates: Option<DateRange> = errors.text("date_range", &form.date_range, "The dates");
    let language: Option<Language> = errors.required_text(
        "language",
        &form.language,
        "The language",
        "Enter the language the records are written in.",
    );
    let (Some(facility), Some(contact), Some(phone), Some(what), Some(dates), Some(language)) =
        (facility, contact, phone, what, dates, language)
    else {
        let case = family_case(&state, user.id, id).await?;
        return render(&state, page, case, form, errors).await;
    };
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let inserted = sqlx::query!(
        r#"insert into record_sources (case_id, facility, contact_name, phone, records_description, date_range, language, added_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id as CaseId,
        facility.as_str(),
        contact.as_str(),
        phone.as_str(),
        what.as_str(),
        dates.as_str(),
        language.as_str(),
        user.id as UserId
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| conflicts(e, &[("record_sources_frozen", FROZEN)]));
    match inserted {
        Ok(_) => {
            tx.commit().await?;
            flash_redirect(
                &session,
                &format!("/family/cases/{id}/records"),
                FlashKind::Success,
                "Record location added.",
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            drop(tx);
            errors.add("facility", message);
            let case = family_case(&state, user.id, id).await?;
            render(&state, page, case, form, errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_source(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    // Only sources nobody has started working on can be taken back.
    let done = sqlx::query!(
        "delete from record_sources where id = $2 and case_id = $1 and status = 'not_requested'",
        id as CaseId,
        source as RecordSourceId
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| conflicts(e, &[("record_sources_frozen", FROZEN)]))?;
    if done.rows_affected() == 0 {
        // Another case's source in this case's URL is not found (and audited), like any other.
        let ours = sqlx::query_scalar!(
            r#"select exists (select 1 from record_sources where id = $2 and case_id = $1) as "ours!""#,
            id as CaseId,
            source as RecordSourceId
        )
        .fetch_one(&mut *tx)
        .await?;
        if !ours {
            return Err(AppError::NotFound);
        }
        return flash_redirect(
            &session,
            &format!("/family/cases/{id}/records"),
            FlashKind::Info,
            "That record location is already being worked on, so it stays. Call your coordinator to change it.",
        )
        .await;
    }
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/records"), FlashKind::Success, "Record location removed.")
        .await
}
