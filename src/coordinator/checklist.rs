//! The record checklist: each source moves requested → received → digitized,
//! or is marked unavailable with a reason; coordinators add sources the
//! family did not list, upload the documents (the English translation marked
//! as such) and ask the family for a specific record. "Digitized" needs a
//! document, and records in another language a translation: the database
//! decides (migration 0015), and its refusal is said beside the source.

use super::workspace::{self, FormName, Typed};
use crate::audit::{self, Entry, Outcome};
use crate::cases::db::RECORDS_FROZEN as FROZEN;
use crate::cases::documents::{UploadError, sanitize_filename};
use crate::cases::record_requests;
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::{Facility, Language, RecordRequestBody, RecordsDescription, UnavailableReason};
use crate::domain::{CaseId, DocumentId, RecordRequestId, RecordSourceId, RecordStatus, UserId};
use crate::error::{AppError, constraint_of};
use crate::notify::Email;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

fn back(id: CaseId) -> String {
    format!("/coordinator/cases/{id}")
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

const NEEDS_DOCUMENT: &str = "Upload at least one document before marking it digitized.";
const NEEDS_TRANSLATION: &str = "These records are not in English: upload the English translation (tick \"These files are the English translation\") before marking them digitized.";

pub async fn set_status(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let status = RecordStatus::parse(&form.status)
        .filter(|s| RecordStatus::MARKABLE.contains(s))
        .ok_or_else(|| AppError::BadRequest("unknown record status".into()))?;
    let refuse = |field: &'static str, message: String| {
        let mut errors = FormErrors::default();
        errors.add(field, message);
        Typed::new(
            FormName::Status(source),
            vec![("status", form.status.clone()), ("reason", form.reason.clone())],
            errors,
        )
    };
    let reason = match (status, UnavailableReason::parse_required(&form.reason)) {
        (RecordStatus::Unavailable, Ok(reason)) => Some(reason),
        (RecordStatus::Unavailable, Err(e)) => {
            let why = e.message("The reason", "Say why the records are unavailable.");
            return workspace::render(&state, page, &me, ip, id, "", refuse("reason", why)).await;
        }
        _ => None,
    };
    let now = jiff_sqlx::ToSqlx::to_sqlx(state.clock.now());
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        r#"update record_sources set status = $3,
               requested_at = case when $3 = 'requested'::record_status then $4 else requested_at end,
               received_at = case when $3 in ('received', 'digitized') then coalesce(received_at, $4) else received_at end,
               digitized_at = case when $3 = 'digitized'::record_status then $4 else digitized_at end,
               unavailable_reason = $5
           where id = $2 and case_id = $1"#,
        id as CaseId,
        source as RecordSourceId,
        status as RecordStatus,
        now as _,
        reason.as_ref().map(UnavailableReason::as_str)
    )
    .execute(&mut *tx)
    .await;
    let done = match done {
        Ok(done) => done,
        Err(e) => {
            let message = match constraint_of(&e) {
                Some("record_sources_frozen") => FROZEN.to_string(),
                Some("record_sources_digitized_needs_document") => NEEDS_DOCUMENT.to_owned(),
                Some("record_sources_digitized_needs_translation") => NEEDS_TRANSLATION.to_owned(),
                _ => return Err(e.into()),
            };
            drop(tx);
            return workspace::render(&state, page, &me, ip, id, "", refuse("status", message)).await;
        }
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if matches!(status, RecordStatus::Received | RecordStatus::Digitized) {
        tell_family(&state, &mut tx, id, Update::RecordReceived(source)).await?;
    }
    crate::cases::db::touch(&mut tx, id).await?;
    let entry = Entry::new("record_status_changed", Outcome::Success)
        .by(me.id, me.role)
        .on("record_source", source)
        .case(id)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Checklist updated.").await
}

#[derive(Deserialize)]
pub struct SourceForm {
    #[serde(default)]
    facility: String,
    #[serde(default)]
    records_description: String,
    #[serde(default)]
    language: String,
}

pub async fn add_source(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let facility: Option<Facility> =
        errors.required_text("facility", &form.facility, "The facility", "Name the hospital, clinic or lab.");
    let what: Option<RecordsDescription> = errors.required_text(
        "records_description",
        &form.records_description,
        "The description",
        "Say which records, for example \"MRI of March 2026\".",
    );
    let language = if form.language.trim().is_empty() { "English" } else { form.language.as_str() };
    let language: Option<Language> = errors.text("language", language, "The language");
    let (Some(facility), Some(what), Some(language)) = (facility, what, language) else {
        let fields = vec![
            ("facility", form.facility),
            ("records_description", form.records_description),
            ("language", form.language),
        ];
        return workspace::render(&state, page, &me, ip, id, "", Typed::new(FormName::Source, fields, errors)).await;
    };
    let mut tx = state.db.begin().await?;
    let source = sqlx::query_scalar!(
        r#"insert into record_sources (case_id, facility, records_description, language, added_by)
           select id, $2, $3, $4, $5 from cases where id = $1 and status <> 'draft' returning id as "id: RecordSourceId""#,
        id as CaseId,
        facility.as_str(),
        what.as_str(),
        language.as_str(),
        me.id as UserId
    )
    .fetch_optional(&mut *tx)
    .await;
    let source = match source {
        Ok(Some(source)) => source,
        Ok(None) => return Err(AppError::NotFound),
        Err(e) if constraint_of(&e) == Some("record_sources_frozen") => {
            return flash_redirect(&session, &back(id), FlashKind::Error, FROZEN.to_string()).await;
        }
        Err(e) => return Err(e.into()),
    };
    // The family signs a release for each location, this one too.
    tell_family(&state, &mut tx, id, Update::ReleaseNeeded(source)).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Record source added.").await
}

#[derive(Deserialize)]
pub struct RecordRequestForm {
    #[serde(default)]
    source_id: String,
    #[serde(default)]
    request_body: String,
}

/// Asks the family for a specific record: on their case page, with an email
/// that there is an update (never what the record is).
pub async fn ask_family(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<RecordRequestForm>,
) -> Result<Response, AppError> {
    let source = match form.source_id.as_str() {
        "" => None,
        raw => Some(RecordSourceId(raw.parse().map_err(|_| AppError::BadRequest("unknown record source".into()))?)),
    };
    let body = match RecordRequestBody::parse_required(&form.request_body) {
        Ok(body) => body,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add("request_body", e.message("The request", "Say which record the family should send."));
            let fields = vec![("source_id", form.source_id), ("request_body", form.request_body)];
            let typed = Typed::new(FormName::RecordRequest, fields, errors);
            return workspace::render(&state, page, &me, ip, id, "", typed).await;
        }
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (status, _) = match crate::cases::db::lock_active(&mut tx, id).await? {
        Some(found) => found,
        None => return Err(AppError::NotFound),
    };
    if status.is_frozen() {
        return flash_redirect(&session, &back(id), FlashKind::Error, FROZEN.to_string()).await;
    }
    let request = record_requests::ask(&mut tx, id, source, &body, me.id, now).await?.ok_or(AppError::NotFound)?;
    let link = format!("{}/family/cases/{id}", state.config.base_url);
    // Each guardian, in their language.
    crate::cases::guardians::email_all(&mut tx, now, id, &Email::RecordRequested { link }, |_| true).await?;
    let entry = Entry::new("record_requested_from_family", Outcome::Success)
        .by(me.id, me.role)
        .on("record_request", request)
        .case(id)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The family was asked for the record and emailed.").await
}

pub async fn resolve_request(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, request)): Path<(CaseId, RecordRequestId)>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    if !record_requests::resolve(&mut tx, id, request, me.id, state.clock.now()).await? {
        return flash_redirect(&session, &back(id), FlashKind::Info, "That request was already marked received.").await;
    }
    let entry = Entry::new("record_request_resolved", Outcome::Success)
        .by(me.id, me.role)
        .on("record_request", request)
        .case(id)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Marked received.").await
}

/// `multipart/form-data`: `csrf_token` first, then `is_translation` if
/// ticked, then one or more `file`s. Each file is streamed to storage (never
/// held whole in memory) and its row written after it; a stored object whose
/// row is refused is removed. Files before a refused one stay uploaded, and
/// the message says which.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    // The CSRF middleware leaves multipart bodies to us: check the token
    // before a single byte of a file is read.
    let expected = crate::web::csrf::token(&session).await?;
    let token_field = multipart.next_field().await.map_err(|_| AppError::Csrf)?.ok_or(AppError::Csrf)?;
    if token_field.name() != Some("csrf_token") {
        return Err(AppError::Csrf);
    }
    let sent = token_field.text().await.map_err(|_| AppError::Csrf)?;
    if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(AppError::Csrf);
    }

    let belongs = sqlx::query_scalar!(
        r#"select c.status as "status: crate::domain::CaseStatus" from record_sources r join cases c on c.id = r.case_id
           where r.id = $2 and r.case_id = $1 and c.status <> 'draft'"#,
        id as CaseId,
        source as RecordSourceId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if belongs.is_frozen() {
        return refuse(&session, id, &[], &FROZEN.to_string()).await;
    }

    let mut is_translation = false;
    let mut uploaded: Vec<String> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refuse(&session, id, &uploaded, "The upload was interrupted. Try again.").await,
        };
        match field.name() {
            Some("is_translation") => {
                is_translation = field.text().await.is_ok_and(|v| v == "yes");
                continue;
            }
            Some("file") => {}
            _ => continue,
        }
        // A form posted with no file chosen still sends one empty, nameless part.
        if field.file_name().is_none_or(str::is_empty) {
            continue;
        }
        let name = sanitize_filename(field.file_name().unwrap_or("document"));
        let stored = match state.documents.put(&name, field).await {
            Ok(stored) => stored,
            Err(e) => {
                if e == UploadError::StorageUnavailable {
                    tracing::error!("document storage unavailable");
                }
                return refuse(&session, id, &uploaded, &format!("{name}: {}", e.message())).await;
            }
        };
        let inserted = sqlx::query!(
            r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by, is_translation)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id as "id: DocumentId""#,
            id as CaseId,
            source as RecordSourceId,
            stored.key,
            name,
            stored.content_type,
            stored.size,
            stored.sha256,
            me.id as UserId,
            is_translation
        )
        .fetch_one(&state.db)
        .await;
        let document = match inserted {
            Ok(row) => row.id,
            Err(e) => {
                state.documents.delete(&stored.key).await;
                let message = match constraint_of(&e) {
                    Some("documents_frozen") => FROZEN,
                    Some("documents_max_forty") => crate::cases::messages::FORTY_FILES,
                    _ => return Err(e.into()),
                };
                return refuse(&session, id, &uploaded, &format!("{name}: {message}")).await;
            }
        };
        let entry = Entry::new("document_uploaded", Outcome::Success)
            .by(me.id, me.role)
            .on("document", document)
            .case(id)
            .from_ip(ip.clone());
        audit::record(&state.db, entry).await?;
        uploaded.push(name);
    }
    if uploaded.is_empty() {
        return refuse(&session, id, &uploaded, "Choose a file to upload.").await;
    }
    let what = if is_translation { " as the English translation" } else { "" };
    flash_redirect(&session, &back(id), FlashKind::Success, format!("Uploaded {}{what}.", uploaded.join(", "))).await
}

/// An upload refused with a reason: back to the workspace, which shows it
/// (and which of the files chosen were uploaded before it).
async fn refuse(session: &Session, id: CaseId, uploaded: &[String], message: &str) -> Result<Response, AppError> {
    let before = if uploaded.is_empty() { String::new() } else { format!(" ({} were uploaded.)", uploaded.join(", ")) };
    let mut response =
        flash_redirect(session, &back(id), FlashKind::Error, format!("Not uploaded: {message}{before}")).await?;
    *response.status_mut() = axum::http::StatusCode::SEE_OTHER;
    Ok(response)
}
