//! The wizard's last step: everything on one page, the consents, and
//! "Submit and pay", which checks what is left (the same list the dashboard
//! shows), records consent and opens the payment attempt.

use super::db;
use super::draft::DraftCase;
use super::progress::{Missing, situation};
use super::wizard::Steps;
use crate::audit::{self, Entry};
use crate::cases::db::{QuestionRow, RecordSourceRow};
use crate::cases::releases::{self, ReleaseRow};
use crate::domain::CaseId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "family/review.html")]
pub struct ReviewPage {
    pub page: PageContext,
    pub steps: Steps,
    pub case: db::CaseRow,
    pub questions: Vec<QuestionRow>,
    pub sources: Vec<RecordSourceRow>,
    pub releases: Vec<ReleaseRow>,
    pub fee: String,
    pub errors: FormErrors,
    pub email_verified: bool,
}

impl ReviewPage {
    pub fn release_of(&self, s: &RecordSourceRow) -> Option<&ReleaseRow> {
        releases::of(&self.releases, s.id)
    }
}

/// Builds the review page (also re-rendered by `submit` when something is missing).
pub async fn review(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    case: db::CaseRow,
    errors: FormErrors,
) -> Result<ReviewPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let questions = crate::cases::db::questions(&mut *conn, case.id).await?;
    let sources = crate::cases::db::record_sources(&mut *conn, case.id).await?;
    let releases = releases::for_case(&mut *conn, case.id).await?;
    let fee = crate::payments::price::of_case(&mut conn, state.config.case_fee, case.id).await?;
    // Nothing here is typed, so the step list is plain links.
    let steps = Steps { form: None, ..Steps::new(case.id, "review") };
    Ok(ReviewPage {
        page,
        steps,
        case,
        questions,
        sources,
        releases,
        fee: fee.to_string(),
        errors,
        email_verified: user.email_verified,
    })
}

pub async fn review_page(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
) -> Result<Response, AppError> {
    let page = review(&state, page, &user, case, FormErrors::default()).await?;
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SubmitForm {
    consent_emergency: Option<String>,
    consent_english: Option<String>,
    consent_no_insurance: Option<String>,
    consent_frozen: Option<String>,
    consent_limits: Option<String>,
}

/// `POST /family/cases/{id}/submit`: check everything, record consent, open
/// (or reuse) the payment attempt, then go to the card page.
pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    ClientIp(ip): ClientIp,
    Form(form): Form<SubmitForm>,
) -> Result<Response, AppError> {
    use crate::payments::attempt;
    let id = case.id;
    let mut errors = FormErrors::new(page.lang);
    let now = state.clock.now();
    let left = {
        let mut conn = state.db.acquire().await?;
        let calendar = state.calendar.get(&mut conn).await?;
        situation(&mut conn, id, user.email_verified, &calendar, now).await?.missing
    };
    for missing in left {
        match missing {
            Missing::Email => errors.add("email", crate::i18n::Msg("review-missing-email")),
            Missing::Diagnosis => errors.add("details", crate::i18n::Msg("review-missing-diagnosis")),
            // The database refuses to submit without one; asking here, before
            // the card, means a payment never meets that refusal.
            Missing::Phone => errors.add("details", crate::i18n::Msg("review-missing-phone")),
            Missing::Records => errors.add("records", crate::i18n::Msg("review-missing-records")),
            Missing::Release { facility, .. } => {
                errors.add("records", page.t1("review-missing-release", "facility", facility))
            }
            Missing::Questions => errors.add("questions", crate::i18n::Msg("review-missing-questions")),
        }
    }
    for (field, given, message) in [
        ("consent_emergency", &form.consent_emergency, crate::i18n::Msg("consent-emergency-missing")),
        ("consent_english", &form.consent_english, crate::i18n::Msg("consent-english-missing")),
        ("consent_no_insurance", &form.consent_no_insurance, crate::i18n::Msg("consent-no-insurance-missing")),
        ("consent_frozen", &form.consent_frozen, crate::i18n::Msg("consent-frozen-missing")),
        ("consent_limits", &form.consent_limits, crate::i18n::Msg("consent-limits-missing")),
    ] {
        if given.is_none() {
            errors.add(field, message);
        }
    }
    if !errors.is_empty() {
        let page = review(&state, page, &user, case, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let recorded = sqlx::query!(
        "update cases set consented_at = $2, consented_by = $3 where id = $1 and status = 'draft'",
        id as CaseId,
        jiff_sqlx::ToSqlx::to_sqlx(now) as _,
        user.id as crate::domain::UserId
    )
    .execute(&state.db)
    .await?;
    if recorded.rows_affected() == 0 {
        return Ok(Redirect::to(&format!("/family/cases/{id}")).into_response());
    }
    match attempt::open(&state, id, crate::domain::Purpose::CaseFee).await? {
        Ok(payment) => {
            audit::record(
                &state.db,
                Entry::new("case_submit_started", audit::Outcome::Success)
                    .by(user.id, user.role)
                    .on("payment", payment.id)
                    .case(id)
                    .from_ip(ip),
            )
            .await?;
            Ok(Redirect::to(&format!("/family/cases/{id}/pay")).into_response())
        }
        Err(attempt::Outcome::Unreachable) => {
            let mut errors = FormErrors::new(page.lang);
            errors.add("payment", page.t("pay-unreachable"));
            let page = review(&state, page, &user, case, errors).await?;
            Ok((StatusCode::SERVICE_UNAVAILABLE, html(&page)?).into_response())
        }
        Err(_) => Ok(Redirect::to(&format!("/family/cases/{id}")).into_response()),
    }
}
