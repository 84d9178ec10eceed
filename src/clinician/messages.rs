//! The clinician's side of their cases' threads: read (audited, and read for
//! the care team) and reply.

use crate::audit::{self, Entry, Outcome};
use crate::cases::messages::{self, MessageRow, Reader};
use crate::domain::text::MessageBody;
use crate::domain::{CaseId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Clinician, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "clinician/messages.html")]
pub struct MessagesPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    thread: Vec<MessageRow>,
    body: String,
    errors: FormErrors,
}

async fn render(
    state: &AppState,
    page: PageContext,
    me: UserId,
    id: CaseId,
    body: String,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let case_number = sqlx::query_scalar!(
        "select case_number from cases where id = $1 and clinician_id = $2",
        id as CaseId,
        me as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let thread = messages::thread(&state.db, id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&MessagesPage { page, case_id: id, case_number, thread, body, errors })?).into_response())
}

pub async fn messages_page(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let response = render(&state, page, me.id, id, String::new(), FormErrors::default()).await?;
    let entry = Entry::new("view_messages", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&state.db, entry).await?;
    messages::mark_read(&state.db, id, Reader::Team).await?;
    Ok(response)
}

#[derive(serde::Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Clinician(me): Clinician,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let Some(body) = errors.required_text::<{ MessageBody::MAX }>("body", &form.body, "A reply", "Write the reply.")
    else {
        return render(&state, page, me.id, id, form.body, errors).await;
    };
    super::my_case(&state, &me, id).await?;
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
            return render(&state, page, me.id, id, form.body, errors).await;
        }
        Err(e) => return Err(e),
    }
    flash_redirect(&session, &format!("/clinician/cases/{id}/messages"), FlashKind::Success, "Reply sent.").await
}
