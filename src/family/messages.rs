//! The family's thread with their care team: read it (which marks it read)
//! and write, with one file attached if they like (checked like a record).

use super::db;
use crate::cases::documents::{UploadError, sanitize_filename};
use crate::cases::messages::{self, MessageRow, Reader};
use crate::domain::CaseId;
use crate::domain::text::MessageBody;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::forms::FormErrors;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "family/messages.html")]
pub struct MessagesPage {
    page: PageContext,
    case: db::CaseRow,
    thread: Vec<MessageRow>,
    body: String,
    errors: FormErrors,
}

impl MessagesPage {
    /// A thread is open while the case is being worked (the database agrees).
    pub fn open(&self) -> bool {
        !matches!(
            self.case.status,
            crate::domain::CaseStatus::Draft | crate::domain::CaseStatus::Closed | crate::domain::CaseStatus::Cancelled
        )
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    case: db::CaseRow,
    body: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let thread = messages::thread(&state.db, case.id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&MessagesPage { page, case, thread, body, errors })?).into_response())
}

async fn family_case(state: &AppState, family: crate::domain::UserId, id: CaseId) -> Result<db::CaseRow, AppError> {
    let mut conn = state.db.acquire().await?;
    db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)
}

pub async fn messages_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = family_case(&state, user.id, id).await?;
    messages::mark_read(&state.db, id, Reader::Family).await?;
    render(&state, page, case, String::new(), FormErrors::default()).await
}

/// `multipart/form-data`: `csrf_token`, then `body`, then `file` (may be empty).
pub async fn send_message(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    crate::web::csrf::multipart_token(&session, &mut multipart).await?;
    let case = family_case(&state, user.id, id).await?;
    let bad = |_| AppError::BadRequest("unreadable message form".into());
    let mut typed = String::new();
    if let Some(field) = multipart.next_field().await.map_err(bad)?
        && field.name() == Some("body")
    {
        typed = field.text().await.map_err(bad)?;
    }
    let lang = page.lang;
    let mut errors = FormErrors::new(lang);
    let Some(body) = errors.text::<{ MessageBody::MAX }>("body", &typed, Msg("messages-label-in-error")) else {
        return render(&state, page, case, typed, errors).await;
    };
    // The file, if one was chosen (an empty file input still sends a part).
    let mut stored = None;
    if let Some(field) = multipart.next_field().await.map_err(bad)?
        && field.name() == Some("file")
        && field.file_name().is_some_and(|n| !n.is_empty())
    {
        let name = sanitize_filename(field.file_name().unwrap_or("document"));
        match state.documents.put(&name, field).await {
            Ok(file) => stored = Some((name, file)),
            Err(e) => {
                if e == UploadError::StorageUnavailable {
                    tracing::error!("document storage unavailable");
                }
                // The storage's reason stays in English (documents.rs words it for staff too).
                errors.add("file", lang.t1("messages-file-not-attached", "reason", e.message()));
                return render(&state, page, case, typed, errors).await;
            }
        }
    }
    if body.is_empty() && stored.is_none() {
        errors.add("body", Msg("messages-empty"));
        return render(&state, page, case, typed, errors).await;
    }
    let mut tx = state.db.begin().await?;
    let attachment = stored.as_ref().map(|(name, file)| (name.as_str(), file));
    let posted = messages::post(&state, &mut tx, id, &user, &body, attachment).await;
    match posted {
        Ok(_) => tx.commit().await?,
        Err(e) => {
            drop(tx);
            if let Some((_, file)) = &stored {
                state.documents.delete(&file.key).await;
            }
            return match e {
                AppError::Conflict(message) => {
                    errors.add("body", message);
                    render(&state, page, case, typed, errors).await
                }
                other => Err(other),
            };
        }
    }
    flash_redirect(&session, &format!("/family/cases/{id}/messages"), FlashKind::Success, lang.t("messages-sent")).await
}
