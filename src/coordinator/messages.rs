//! The coordinator's side of a case's thread: read it (audited, and read
//! for the whole care team), reply, and file a family's attachment into a
//! record source.

use super::actions::back;
use crate::audit::{self, Entry, Outcome};
use crate::cases::db::RecordSourceRow;
use crate::cases::messages::{self, MessageRow, Reader};
use crate::domain::text::MessageBody;
use crate::domain::{CaseId, MessageId, RecordSourceId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "coordinator/messages.html")]
pub struct MessagesPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    thread: Vec<MessageRow>,
    sources: Vec<RecordSourceRow>,
    body: String,
    errors: FormErrors,
}

async fn render(
    state: &AppState,
    page: PageContext,
    id: CaseId,
    body: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let case_number =
        sqlx::query_scalar!("select case_number from cases where id = $1 and status <> 'draft'", id as CaseId)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    let thread = messages::thread(&mut *conn, id).await?;
    let sources = crate::cases::db::record_sources(&mut *conn, id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = MessagesPage { page, case_id: id, case_number, thread, sources, body, errors };
    Ok((status, html(&page)?).into_response())
}

pub async fn messages_page(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let response = render(&state, page, id, String::new(), FormErrors::default()).await?;
    let entry = Entry::new("view_messages", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&state.db, entry).await?;
    messages::mark_read(&state.db, id, Reader::Team).await?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let Some(body) = errors.required_text::<{ MessageBody::MAX }>("body", &form.body, "A reply", "Write the reply.")
    else {
        return render(&state, page, id, form.body, errors).await;
    };
    let mut tx = state.db.begin().await?;
    match messages::post(&state, &mut tx, id, &me, &body, None).await {
        Ok(message) => {
            let entry =
                Entry::new("message_to_family", Outcome::Success).by(me.id, me.role).on("message", message).case(id);
            audit::record(&mut *tx, entry.from_ip(ip)).await?;
            messages::mark_read(&mut *tx, id, Reader::Team).await?;
            tx.commit().await?;
        }
        Err(AppError::Conflict(message)) => {
            drop(tx);
            errors.add("body", message);
            return render(&state, page, id, form.body, errors).await;
        }
        Err(e) => return Err(e),
    }
    flash_redirect(
        &session,
        &format!("/coordinator/cases/{id}/messages"),
        FlashKind::Success,
        "Reply sent. The family was emailed that there is a message.",
    )
    .await
}

#[derive(Deserialize)]
pub struct FileForm {
    #[serde(default)]
    source_id: String,
}

/// Files a family's attachment as a document of one of the case's sources.
pub async fn file_attachment(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, message)): Path<(CaseId, MessageId)>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let to = format!("/coordinator/cases/{id}/messages");
    let Some(source) = form.source_id.parse().ok().map(RecordSourceId) else {
        return flash_redirect(&session, &to, FlashKind::Error, "Choose the record source to file it under.").await;
    };
    let mut tx = state.db.begin().await?;
    let filed = match messages::file_attachment(&mut tx, id, message, source, me.id).await {
        Ok(Some(document)) => document,
        Ok(None) => return Err(AppError::NotFound),
        Err(AppError::Conflict(why)) => {
            return flash_redirect(&session, &to, FlashKind::Error, format!("The file was not filed. {why}")).await;
        }
        Err(e) => return Err(e),
    };
    crate::cases::db::touch(&mut tx, id).await?;
    let entry =
        Entry::new("message_attachment_filed", Outcome::Success).by(me.id, me.role).on("document", filed).case(id);
    audit::record(&mut *tx, entry.from_ip(ip)).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The file is now with the case's records.").await
}
