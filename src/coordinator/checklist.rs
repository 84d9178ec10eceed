//! The record checklist: each source moves requested → received → digitized,
//! or is marked unavailable with a reason; coordinators add sources the
//! family did not list and upload the documents.

use crate::audit::{self, Entry, Outcome};
use crate::cases::db::RECORDS_FROZEN as FROZEN;
use crate::cases::documents::{UploadError, sanitize_filename};
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::{Facility, Language, RecordsDescription, UnavailableReason};
use crate::domain::{CaseId, DocumentId, RecordSourceId, RecordStatus, UserId};
use crate::error::{AppError, conflicts, constraint_of};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
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

pub async fn set_status(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let status = RecordStatus::parse(&form.status)
        .filter(|s| RecordStatus::MARKABLE.contains(s))
        .ok_or_else(|| AppError::BadRequest("unknown record status".into()))?;
    let reason = match (status, UnavailableReason::parse_required(&form.reason)) {
        (RecordStatus::Unavailable, Ok(reason)) => Some(reason),
        (RecordStatus::Unavailable, Err(e)) => {
            let why = e.message("The reason", "say why the records are unavailable.");
            return flash_redirect(&session, &back(id), FlashKind::Error, format!("Nothing was saved: {why}")).await;
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
    .await
    .map_err(|e| conflicts(e, &[("record_sources_frozen", FROZEN)]))?;
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
    session: Session,
    Coordinator(me): Coordinator,
    Path(id): Path<CaseId>,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let language = if form.language.trim().is_empty() { "English" } else { form.language.as_str() };
    let (Ok(facility), Ok(what), Ok(language)) = (
        Facility::parse_required(&form.facility),
        RecordsDescription::parse_required(&form.records_description),
        Language::parse_required(language),
    ) else {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Error,
            "Nothing was saved: give the facility (up to 200 characters), which records (up to 2,000) and their language.",
        )
        .await;
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
    .await
    .map_err(|e| conflicts(e, &[("record_sources_frozen", FROZEN)]))?
    .ok_or(AppError::NotFound)?;
    // The family signs a release for each location, this one too.
    tell_family(&state, &mut tx, id, Update::ReleaseNeeded(source)).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Record source added.").await
}

/// `multipart/form-data` with `csrf_token` first, then `file`. The file is
/// streamed to storage (never held whole in memory); the database row is
/// written last, and the stored object removed if the row is refused.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    // The CSRF middleware leaves multipart bodies to us: check the token
    // before a single byte of the file is read.
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
        return refuse(&session, id, FROZEN).await;
    }
    let count = sqlx::query_scalar!(r#"select count(*) as "n!" from documents where case_id = $1"#, id as CaseId)
        .fetch_one(&state.db)
        .await?;
    if count >= crate::cases::documents::MAX_FILES_PER_CASE {
        return refuse(&session, id, "This case already has the maximum of 40 files.").await;
    }

    let Ok(Some(field)) = multipart.next_field().await else {
        return refuse(&session, id, "Choose a file to upload.").await;
    };
    let name = sanitize_filename(field.file_name().unwrap_or("document"));
    let stored = match state.documents.put(&name, field).await {
        Ok(stored) => stored,
        Err(e) => {
            if e == UploadError::StorageUnavailable {
                tracing::error!("document storage unavailable");
            }
            return refuse(&session, id, e.message()).await;
        }
    };
    let inserted = sqlx::query!(
        r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id as "id: DocumentId""#,
        id as CaseId,
        source as RecordSourceId,
        stored.key,
        name,
        stored.content_type,
        stored.size,
        stored.sha256,
        me.id as UserId
    )
    .fetch_one(&state.db)
    .await;
    let document = match inserted {
        Ok(row) => row.id,
        Err(e) => {
            state.documents.delete(&stored.key).await;
            let message = match constraint_of(&e) {
                Some("documents_frozen") => FROZEN,
                Some("documents_max_forty") => "This case already has the maximum of 40 files.",
                _ => return Err(e.into()),
            };
            return refuse(&session, id, message).await;
        }
    };
    let entry = Entry::new("document_uploaded", Outcome::Success)
        .by(me.id, me.role)
        .on("document", document)
        .case(id)
        .from_ip(ip);
    audit::record(&state.db, entry).await?;
    flash_redirect(&session, &back(id), FlashKind::Success, format!("Uploaded {name}.")).await
}

/// An upload refused with a reason: back to the workspace, which shows it.
async fn refuse(session: &Session, id: CaseId, message: &str) -> Result<Response, AppError> {
    let mut response =
        flash_redirect(session, &back(id), FlashKind::Error, format!("The file was not uploaded. {message}")).await?;
    *response.status_mut() = axum::http::StatusCode::SEE_OTHER;
    Ok(response)
}
