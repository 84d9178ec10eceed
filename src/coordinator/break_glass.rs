//! A case another coordinator holds is outside this coordinator's assignment
//! (`cases::break_glass::Holders::access`): every route under
//! `/coordinator/cases/{id}` first asks for a reason, on the page itself, and
//! opens the case with it for twelve hours — audited, reviewed by the admin,
//! and shown to the family as break-glass. Cases still in the shared queue,
//! and the coordinator's own, open as before.

use crate::cases::break_glass::{self, Access, LASTS};
use crate::domain::CaseId;
use crate::domain::text::BreakGlassReason;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "coordinator/break_glass.html")]
struct ReasonPage {
    page: PageContext,
    id: CaseId,
    case_number: String,
    holder: String,
    hours: i64,
    form: ReasonForm,
    errors: FormErrors,
}

/// The case's id among a route's parameters (`{id}`, and maybe `{source}` …).
#[derive(Deserialize)]
pub struct CaseParam {
    id: CaseId,
}

/// The guard on a case's routes: through when the case is the
/// coordinator's to see, else the page asking for a reason (403).
pub async fn guard(
    State(state): State<AppState>,
    Coordinator(me): Coordinator,
    Path(CaseParam { id }): Path<CaseParam>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let holders = break_glass::holders(&mut conn, id, me.id, state.clock.now()).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    if holders.access(me.id, me.role).is_some() {
        return Ok(next.run(request).await);
    }
    let (mut parts, _) = request.into_parts();
    let page = PageContext::from_request_parts(&mut parts, &state).await?;
    render(&state, page, id, ReasonForm::default(), FormErrors::default(), StatusCode::FORBIDDEN).await
}

async fn render(
    state: &AppState,
    page: PageContext,
    id: CaseId,
    form: ReasonForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let case = sqlx::query!(
        r#"select c.case_number, coalesce(u.full_name, '') as "holder!"
           from cases c left join users u on u.id = c.coordinator_id where c.id = $1"#,
        id as CaseId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let page = ReasonPage {
        page,
        id,
        case_number: case.case_number,
        holder: case.holder,
        hours: LASTS.as_hours(),
        form,
        errors,
    };
    Ok((status, html(&page)?).into_response())
}

/// `POST /coordinator/cases/{id}/break-glass`: the reason opens the case.
pub async fn open(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let holders = break_glass::holders(&mut tx, id, me.id, now).await?.ok_or(AppError::NotFound)?;
    if holders.access(me.id, me.role) == Some(Access::Assigned) {
        return Ok(Redirect::to(&format!("/coordinator/cases/{id}")).into_response());
    }
    let mut errors = FormErrors::default();
    let reason: Option<BreakGlassReason> =
        errors.required_text("reason", &form.reason, "The reason", "Say why you need to open this case.");
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&state, page, id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    break_glass::open(&mut tx, id, &me, &reason, ip, now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/coordinator/cases/{id}")).into_response())
}
