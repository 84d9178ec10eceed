//! `GET /messages/{id}/attachment`: a file a family attached to a message,
//! for those in the thread — the family, any care coordinator, the case's
//! clinician — as an attachment that can never run in our origin, checked
//! against its SHA-256, and audited.

use super::documents::content_disposition;
use super::messages;
use crate::audit::{self, Entry, Outcome};
use crate::domain::{CaseId, MessageId, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, Path};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Whether `user` is in `case`'s thread.
pub async fn in_thread(state: &AppState, user: &CurrentUser, case: CaseId) -> Result<bool, AppError> {
    let row = sqlx::query!(
        r#"select is_guardian(child_id, $2) as "guardian!", clinician_id as "clinician_id: UserId"
           from cases where id = $1"#,
        case as CaseId,
        user.id as UserId
    )
    .fetch_optional(&state.db)
    .await?;
    Ok(row.is_some_and(|r| match user.role {
        // Either guardian of the child, while they are one.
        Role::Family => r.guardian,
        Role::Coordinator => true,
        Role::Clinician => r.clinician_id == Some(user.id),
        Role::Specialist | Role::Admin => false,
    }))
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<MessageId>,
) -> Result<Response, AppError> {
    let file = messages::attachment(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !in_thread(&state, &user, file.case_id).await? {
        return Err(AppError::NotFound);
    }
    let entry = |outcome| {
        Entry::new("download_message_attachment", outcome)
            .by(user.id, user.role)
            .on("message", id)
            .case(file.case_id)
            .from_ip(ip.clone())
    };
    let Some(bytes) = state.documents.get_verified(&file.key, &file.sha256).await.map_err(AppError::Internal)? else {
        tracing::error!(message = %id, "stored attachment does not match its SHA-256: refused");
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
    let bad = |e: axum::http::header::InvalidHeaderValue| AppError::Internal(e.into());
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&file.content_type).map_err(bad)?);
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&content_disposition(&file.name)).map_err(bad)?);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    Ok(response)
}
