//! `GET /documents/{id}`: a record's bytes, for those allowed — the case's
//! coordinator (or any, while no one has taken it), its clinician, the
//! specialist it was sent to, or one who broke the glass on it — as an
//! attachment that can never run in our origin, checked against its SHA-256,
//! and audited.

use crate::audit::{self, Entry, Outcome};
use crate::cases::break_glass::{self, Access};
use crate::cases::documents::content_disposition;
use crate::domain::{CaseId, CaseStatus, DocumentId, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, Path, Query};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct DownloadQuery {
    /// `?inline=1`: show an image in the page (PDFs are always attachments).
    #[serde(default)]
    inline: String,
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<DocumentId>,
    Query(query): Query<DownloadQuery>,
) -> Result<Response, AppError> {
    let row = sqlx::query!(
        r#"select d.case_id as "case_id: CaseId", d.storage_key, d.original_name, d.content_type, d.sha256,
                  c.specialist_id as "specialist_id: UserId",
                  c.status as "status: CaseStatus"
           from documents d join cases c on c.id = d.case_id where d.id = $1"#,
        id as DocumentId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    // Coordinators and clinicians as for the case itself (their assignment,
    // else a break-glass opening, audited as such); the specialist while it is theirs.
    let action = match user.role {
        Role::Coordinator | Role::Clinician => {
            let mut conn = state.db.acquire().await?;
            let holders = break_glass::holders(&mut conn, row.case_id, user.id, state.clock.now()).await?;
            match holders.and_then(|h| h.access(user.id, user.role)) {
                Some(Access::Assigned) => "download_document",
                Some(Access::BrokenGlass) => "download_document_break_glass",
                None => return Err(AppError::NotFound),
            }
        }
        Role::Specialist if row.specialist_id == Some(user.id) && row.status != CaseStatus::Cancelled => {
            "download_document"
        }
        Role::Specialist | Role::Family | Role::Admin => return Err(AppError::NotFound),
    };
    let entry = |outcome| {
        Entry::new(action, outcome).by(user.id, user.role).on("document", id).case(row.case_id).from_ip(ip.clone())
    };
    let Some(bytes) = state.documents.get_verified(&row.storage_key, &row.sha256).await.map_err(AppError::Internal)?
    else {
        tracing::error!(document = %id, "stored document does not match its SHA-256: refused");
        audit::record(&state.db, entry(Outcome::Failure)).await?;
        return Ok((
            StatusCode::CONFLICT,
            "This file is unavailable because it failed its integrity check. Staff have been notified.",
        )
            .into_response());
    };
    audit::record(&state.db, entry(Outcome::Success)).await?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&row.content_type).map_err(|e| AppError::Internal(e.into()))?);
    // Images can be previewed in the page: with nosniff, a checked image type
    // and a sandbox policy they can't run anything. PDFs always download.
    let disposition = content_disposition(&row.original_name);
    let disposition = if query.inline == "1" && row.content_type.starts_with("image/") {
        disposition.replacen("attachment", "inline", 1)
    } else {
        disposition
    };
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.into()))?,
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    Ok(response)
}
