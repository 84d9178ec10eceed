//! Where the child's records are: one or more record sources, each with the
//! family's signed release (added together, so a draft never has a
//! location without one; a location the coordinator adds later gets its own
//! "sign the release" form). A source in another language is flagged for
//! translation (records must be in English). Moving on from this step with a
//! location typed either adds it or says it was not added.

use super::db;
use super::wizard::Steps;
use crate::audit::{self, Entry, Outcome};
pub(super) use crate::cases::db::RECORDS_FROZEN as FROZEN;
use crate::cases::db::{RecordSourceRow, record_sources};
use crate::cases::releases::{self, ReleaseForm, ReleaseRow};
use crate::domain::text::{ContactPhone, DateRange, DoctorOrClinic, Facility, Language, RecordsDescription};
use crate::domain::{CaseId, CaseStatus, RecordSourceId, Relationship, UserId};
use crate::error::{AppError, conflicts};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::format::pacific_date;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
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
    #[serde(flatten)]
    release: ReleaseForm,
    /// The step to go to afterwards (a step button, or "Continue").
    #[serde(default)]
    go: String,
    /// Where the person was going when what they typed was not added yet
    /// (kept in the page, so "Add it" and "Continue without it" go there).
    #[serde(default)]
    then: String,
    /// "Continue without adding it": leave what was typed behind.
    #[serde(default)]
    discard: String,
}

impl SourceForm {
    /// Whether anything of a new location was typed (the language starts as "English").
    fn is_blank(&self) -> bool {
        [&self.facility, &self.contact_name, &self.phone, &self.records_description, &self.date_range]
            .iter()
            .all(|f| f.trim().is_empty())
            && self.release.release_signer.trim().is_empty()
    }
}

#[derive(Template)]
#[template(path = "family/records.html")]
pub struct RecordsPage {
    page: PageContext,
    steps: Option<Steps>,
    case: db::CaseRow,
    sources: Vec<RecordSourceRow>,
    releases: Vec<ReleaseRow>,
    form: SourceForm,
    errors: FormErrors,
    /// What was typed was not added (the person tried to move on).
    not_added: bool,
    /// A release refused for one location: which, what was typed, why.
    signing: Option<(RecordSourceId, ReleaseForm, FormErrors)>,
    /// A release form as first shown (the expiry a year from today).
    blank_release: ReleaseForm,
    relationships: [Relationship; 3],
    notice: Option<String>,
}

impl RecordsPage {
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    pub fn any_translation(&self) -> bool {
        self.sources.iter().any(|s| s.translation_required)
    }
    pub fn release_of(&self, s: &RecordSourceRow) -> Option<&ReleaseRow> {
        releases::of(&self.releases, s.id)
    }
    /// The release form of an unsigned location: as typed if it was refused.
    pub fn signing_form(&self, s: &RecordSourceRow) -> &ReleaseForm {
        match &self.signing {
            Some((id, form, _)) if *id == s.id => form,
            _ => &self.blank_release,
        }
    }
    pub fn signing_error(&self, s: &RecordSourceRow, field: &str) -> Option<&str> {
        match &self.signing {
            Some((id, _, errors)) if *id == s.id => errors.get(field),
            _ => None,
        }
    }
}

pub(super) struct Shown {
    pub(super) form: SourceForm,
    pub(super) errors: FormErrors,
    pub(super) not_added: bool,
    pub(super) signing: Option<(RecordSourceId, ReleaseForm, FormErrors)>,
    pub(super) notice: Option<String>,
}

pub(super) async fn render(
    state: &AppState,
    page: PageContext,
    case: db::CaseRow,
    shown: Shown,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let sources = record_sources(&mut *conn, case.id).await?;
    let releases = releases::for_case(&mut *conn, case.id).await?;
    let steps = (case.status == CaseStatus::Draft).then(|| Steps::new(case.id, "records"));
    let refused = !shown.errors.is_empty() || shown.signing.is_some();
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = RecordsPage {
        page,
        steps,
        case,
        sources,
        releases,
        form: shown.form,
        errors: shown.errors,
        not_added: shown.not_added,
        signing: shown.signing,
        blank_release: ReleaseForm::new(pacific_date(state.clock.now())),
        relationships: Relationship::ALL,
        notice: shown.notice,
    };
    Ok((status, html(&page)?).into_response())
}

pub(super) fn fresh_form(state: &AppState) -> SourceForm {
    SourceForm {
        language: "English".into(),
        release: ReleaseForm::new(pacific_date(state.clock.now())),
        ..SourceForm::default()
    }
}

pub(super) async fn family_case(state: &AppState, family: UserId, id: CaseId) -> Result<db::CaseRow, AppError> {
    let mut conn = state.db.acquire().await?;
    db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)
}

pub(super) fn shown(form: SourceForm, errors: FormErrors) -> Shown {
    Shown { form, errors, not_added: false, signing: None, notice: None }
}

pub async fn records_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = family_case(&state, user.id, id).await?;
    let form = fresh_form(&state);
    render(&state, page, case, shown(form, FormErrors::default())).await
}

/// Adds a location with its release; or, moving on, adds what was typed
/// (saying so if it can't be) or nothing if nothing was.
pub async fn add_source(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(mut form): Form<SourceForm>,
) -> Result<Response, AppError> {
    if form.go.is_empty() {
        form.go = std::mem::take(&mut form.then);
    }
    let moving_on = !form.go.is_empty();
    let next = Steps::after(id, "records", &form.go);
    if moving_on && (form.is_blank() || form.discard == "1") {
        return Ok(Redirect::to(&next).into_response());
    }
    let mut errors = FormErrors::new(page.lang);
    let facility: Option<Facility> = errors.required_text(
        "facility",
        &form.facility,
        crate::i18n::Msg("records-facility-noun"),
        crate::i18n::Msg("records-facility-missing"),
    );
    let contact: Option<DoctorOrClinic> =
        errors.text("contact_name", &form.contact_name, crate::i18n::Msg("records-contact-noun"));
    let phone: Option<ContactPhone> = errors.text("phone", &form.phone, crate::i18n::Msg("records-phone-noun"));
    let what: Option<RecordsDescription> = errors.required_text(
        "records_description",
        &form.records_description,
        crate::i18n::Msg("records-description-noun"),
        crate::i18n::Msg("records-description-missing"),
    );
    let dates: Option<DateRange> = errors.text("date_range", &form.date_range, crate::i18n::Msg("records-dates-noun"));
    let language: Option<Language> = errors.required_text(
        "language",
        &form.language,
        crate::i18n::Msg("records-language-noun"),
        crate::i18n::Msg("records-language-missing"),
    );
    let now = state.clock.now();
    let release = form.release.parse(pacific_date(now), &mut errors);
    let (Some(facility), Some(contact), Some(phone), Some(what), Some(dates), Some(language), Some(release)) =
        (facility, contact, phone, what, dates, language, release)
    else {
        let case = family_case(&state, user.id, id).await?;
        return render(&state, page, case, Shown { not_added: moving_on, ..shown(form, errors) }).await;
    };
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let inserted = sqlx::query_scalar!(
        r#"insert into record_sources (case_id, facility, contact_name, phone, records_description, date_range, language, added_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id as "id: RecordSourceId""#,
        id as CaseId,
        facility.as_str(),
        contact.as_str(),
        phone.as_str(),
        what.as_str(),
        dates.as_str(),
        language.as_str(),
        user.id as UserId
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| conflicts(e, &[("record_sources_frozen", FROZEN)]));
    let source = match inserted {
        Ok(source) => source,
        Err(AppError::Conflict(message)) => {
            drop(tx);
            errors.add("facility", message);
            let case = family_case(&state, user.id, id).await?;
            return render(&state, page, case, Shown { not_added: moving_on, ..shown(form, errors) }).await;
        }
        Err(e) => return Err(e),
    };
    let release = releases::sign(&mut tx, id, source, &release, user.id, ip.as_deref(), now).await?;
    audit::record(
        &mut *tx,
        Entry::new("release_signed", Outcome::Success)
            .by(user.id, user.role)
            .on("release", release)
            .case(id)
            .from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let to = if moving_on { next } else { format!("/family/cases/{id}/records") };
    flash_redirect(&session, &to, FlashKind::Success, page.t("records-added")).await
}

/// Removes a location nobody has started on. The button belongs to the
/// step's form, so a location being typed meanwhile is kept on the page.
pub async fn remove_source(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let back = format!("/family/cases/{id}/records");
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
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
        return flash_redirect(&session, &back, FlashKind::Info, page.t("records-in-progress")).await;
    }
    audit::record(
        &mut *tx,
        Entry::new("record_source_removed", Outcome::Success)
            .by(user.id, user.role)
            .on("record_source", source)
            .case(id),
    )
    .await?;
    tx.commit().await?;
    if form.is_blank() {
        return flash_redirect(&session, &back, FlashKind::Success, page.t("records-removed")).await;
    }
    let case = family_case(&state, user.id, id).await?;
    let notice = Some(page.t("records-removed-typing"));
    render(&state, page, case, Shown { notice, ..shown(form, FormErrors::default()) }).await
}
