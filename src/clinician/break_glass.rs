//! `/clinician/break-glass`: in an emergency, a clinician opens a case that
//! is not theirs by its number, with a reason (see `cases::break_glass`).

use crate::cases::break_glass;
use crate::domain::text::BreakGlassReason;
use crate::domain::{CaseId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Clinician};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The form, as typed (kept on a refusal).
#[derive(Default, Deserialize)]
pub struct BreakGlassForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "clinician/break_glass.html")]
struct BreakGlassPage {
    page: PageContext,
    form: BreakGlassForm,
    errors: FormErrors,
}

fn render(page: PageContext, form: BreakGlassForm, errors: FormErrors) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&BreakGlassPage { page, form, errors })?).into_response())
}

pub async fn form_page(page: PageContext, _: Clinician) -> Result<Response, AppError> {
    render(page, BreakGlassForm::default(), FormErrors::default())
}

pub async fn open(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
    ClientIp(ip): ClientIp,
    Form(form): Form<BreakGlassForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let mut conn = state.db.acquire().await?;
    let case = sqlx::query!(
        r#"select id as "id: CaseId", clinician_id as "clinician: UserId" from cases
           where case_number = upper(btrim($1)) and status <> 'draft'"#,
        form.case_number
    )
    .fetch_optional(&mut *conn)
    .await?;
    if case.is_none() {
        errors.add("case_number", "No case has that number. Enter it whole, for example SO-2026-000123.");
    }
    let reason: Option<BreakGlassReason> =
        errors.required_text("reason", &form.reason, "The reason", "Say why you need to open this case now.");
    let (Some(case), Some(reason), true) = (case, reason, errors.is_empty()) else {
        return render(page, form, errors);
    };
    // Their own case needs no glass broken.
    if case.clinician != Some(me.id) {
        let mut tx = state.db.begin().await?;
        break_glass::open(&mut tx, case.id, &me, &reason, ip, state.clock.now()).await?;
        tx.commit().await?;
    }
    Ok(Redirect::to(&format!("/clinician/cases/{}", case.id)).into_response())
}
