//! Submit and pay: the review page's consents, then the payment page.
//!
//! One open attempt per case (a unique index), created or reused under a row
//! lock, so double clicks and two tabs share one PaymentIntent. The amount is
//! always the configured fee; nothing about the price is read from a form.

use super::stripe::{GatewayError, Intent, IntentStatus};
use super::{Charge, Fulfilment, Gateway, UNREACHABLE, db, fulfil};
use crate::audit::{self, Entry, Outcome};
use crate::domain::{CaseId, CaseStatus, Cents};
use crate::error::AppError;
use crate::family::db as family_db;
use crate::family::wizard;
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

const PAID: &str = "Payment received. Your case is submitted: a care coordinator will take it from here.";

#[derive(Deserialize)]
pub struct SubmitForm {
    consent_emergency: Option<String>,
    consent_english: Option<String>,
    consent_no_insurance: Option<String>,
    consent_frozen: Option<String>,
    consent_limits: Option<String>,
}

/// `POST /family/cases/{id}/submit`: check everything, record consent, open
/// (or reuse) the payment attempt, then go to the payment page.
pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<SubmitForm>,
) -> Result<Response, AppError> {
    let case = match wizard::draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let mut errors = FormErrors::default();
    let questions = family_db::questions(&state.db, id).await?.len();
    let sources = family_db::record_sources(&state.db, id).await?.len();
    if !user.email_verified {
        errors.add(
            "email",
            "Confirm your email address first: we use it to tell you about your case. Use the link we sent you.",
        );
    }
    if case.diagnosis_summary.is_empty() {
        errors.add("details", "Describe your child's diagnosis under \"Basic information\".");
    }
    if sources == 0 {
        errors.add("records", "Add at least one place where your child's records are.");
    }
    if questions == 0 {
        errors.add("questions", "Please enter at least one question for the specialist.");
    }
    for (field, given, message) in [
        ("consent_emergency", &form.consent_emergency, "Confirm that this is not a medical emergency."),
        ("consent_english", &form.consent_english, "Confirm that the records are in English (or will be translated)."),
        (
            "consent_no_insurance",
            &form.consent_no_insurance,
            "Confirm that you understand no insurance claim is filed and no CPT code is given.",
        ),
        ("consent_frozen", &form.consent_frozen, "Confirm that nothing can be added once the review starts."),
        ("consent_limits", &form.consent_limits, "Confirm the limits of 5 questions and 3 follow-up questions."),
    ] {
        if given.is_none() {
            errors.add(field, message);
        }
    }
    if !errors.is_empty() {
        let page = wizard::review(&state, page, &user, case, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }

    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let locked = family_db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    if locked.status != CaseStatus::Draft {
        return Ok(Redirect::to(&format!("/family/cases/{id}")).into_response());
    }
    sqlx::query!("update cases set consented_at = $2 where id = $1", id as CaseId, now).execute(&mut *tx).await?;
    let provider = match state.payments {
        Gateway::Stripe(_) => "stripe",
        Gateway::Test => "test_gateway",
    };
    let payment = match db::open_case_fee(&mut tx, id).await? {
        Some(open) => open,
        None => db::insert_case_fee(&mut tx, id, state.config.case_fee_cents, provider).await?,
    };
    if payment.provider_payment_id.is_none() {
        // Still holding the payment row's lock: a second tab waits here and
        // then finds this intent, so one attempt has exactly one intent.
        let provider_id = match &state.payments {
            Gateway::Stripe(stripe) => {
                let key = format!("case-{id}-fee-{}", payment.attempt);
                match stripe.create_payment_intent(payment.amount_cents, id.0, "case_fee", None, &key).await {
                    Ok(intent) => intent.id,
                    Err(e) => {
                        tracing::warn!(error = ?e, "could not create the PaymentIntent");
                        drop(tx);
                        let case = wizard::draft(&state, user.id, id).await?.map_err(|_| AppError::NotFound)?;
                        let mut errors = FormErrors::default();
                        errors.add("payment", UNREACHABLE);
                        let page = wizard::review(&state, page, &user, case, errors).await?;
                        return Ok((StatusCode::SERVICE_UNAVAILABLE, html(&page)?).into_response());
                    }
                }
            }
            Gateway::Test => format!("test_{}", payment.id),
        };
        db::set_provider_id(&mut tx, payment.id, &provider_id).await?;
    }
    let mut entry = Entry::new("case_submit_started", Outcome::Success)
        .by(user.id, user.role)
        .on("payment", payment.id)
        .from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/family/cases/{id}/pay")).into_response())
}

#[derive(Template)]
#[template(path = "family/pay.html")]
pub struct PayPage {
    page: PageContext,
    case: family_db::CaseRow,
    fee: String,
    /// Stripe.js URL and publishable key; `None` in test mode.
    stripe: Option<(String, String)>,
    error: Option<String>,
}

impl PayPage {
    pub fn pay_action(&self) -> String {
        format!("/family/cases/{}/pay", self.case.id)
    }
    pub fn pay_amount(&self) -> &str {
        &self.fee
    }
}

async fn render_pay(
    state: &AppState,
    page: PageContext,
    case: family_db::CaseRow,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let stripe = state.config.stripe.as_ref().map(|s| (s.js_url.clone(), s.publishable_key.clone()));
    let fee = Cents(state.config.case_fee_cents).to_string();
    Ok((status, html(&PayPage { page, case, fee, stripe, error })?).into_response())
}

/// Fulfils from a succeeded intent, in one transaction; the redirect after.
async fn fulfil_intent(
    state: &AppState,
    session: &Session,
    user: &CurrentUser,
    intent: &Intent,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let charge = Charge {
        provider_payment_id: intent.id.clone(),
        amount_cents: intent.amount,
        currency: intent.currency.clone(),
        case_id: intent.case_id.clone(),
    };
    let outcome = fulfil(&mut tx, &charge, Some(user.id), &state.config.base_url, state.clock.now()).await?;
    tx.commit().await?;
    match outcome {
        Fulfilment::Done(case) | Fulfilment::AlreadyDone(case) => {
            flash_redirect(session, &format!("/family/cases/{case}"), FlashKind::Success, PAID).await
        }
        Fulfilment::Anomaly(_) => Err(AppError::Conflict(
            "We received a payment we could not match to this case. You will not be charged twice; our team has been alerted and will contact you.".into(),
        )),
    }
}

/// `GET /family/cases/{id}/pay`: the card form, or — when the family comes
/// back after paying — the server asks Stripe and fulfils.
pub async fn pay_page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = match wizard::draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let mut conn = state.db.begin().await?;
    let Some(payment) = db::open_case_fee(&mut conn, id).await? else {
        return Ok(Redirect::to(&format!("/family/cases/{id}/review")).into_response());
    };
    drop(conn);
    if let (Gateway::Stripe(stripe), Some(pi)) = (&state.payments, &payment.provider_payment_id) {
        match stripe.retrieve_payment_intent(pi).await {
            Ok(intent) if intent.status == IntentStatus::Succeeded => {
                return fulfil_intent(&state, &session, &user, &intent).await;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "could not retrieve the PaymentIntent"),
        }
    }
    render_pay(&state, page, case, payment.failure_message, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct PayForm {
    /// Stripe.js's tokenised card (`card_…`); never card numbers.
    #[serde(default)]
    card_id: String,
    /// Test gateway only: "approve" or "decline".
    #[serde(default)]
    outcome: String,
}

/// `POST /family/cases/{id}/pay`: confirm the intent server-side with the
/// card Stripe.js tokenised (or run the test gateway), then fulfil.
pub async fn pay(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    let case = match wizard::draft(&state, user.id, id).await? {
        Ok(case) => case,
        Err(redirect) => return Ok(redirect),
    };
    let mut tx = state.db.begin().await?;
    let Some(payment) = db::open_case_fee(&mut tx, id).await? else {
        return Ok(Redirect::to(&format!("/family/cases/{id}")).into_response());
    };
    let Some(provider_id) = payment.provider_payment_id.clone() else {
        return Ok(Redirect::to(&format!("/family/cases/{id}/review")).into_response());
    };
    match &state.payments {
        Gateway::Stripe(stripe) => {
            if !form.card_id.starts_with("card_") && !form.card_id.starts_with("pm_") {
                drop(tx);
                let message = "Enter your card details in the card field, then press Pay.".to_owned();
                return render_pay(&state, page, case, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            let key = format!("case-{id}-fee-{}-confirm-{}", payment.attempt, form.card_id);
            match stripe.confirm_with_card(&provider_id, &form.card_id, &key).await {
                Ok(intent) if intent.status == IntentStatus::Succeeded => {
                    tx.commit().await?;
                    fulfil_intent(&state, &session, &user, &intent).await
                }
                Ok(intent) => {
                    let message = intent.last_error.unwrap_or_else(|| {
                        "Your bank has not confirmed the payment. Please try again or use another card.".into()
                    });
                    declined(&state, tx, &payment, id, &message).await?;
                    render_pay(&state, page, case, Some(message), StatusCode::PAYMENT_REQUIRED).await
                }
                Err(GatewayError::CardDeclined(message)) => {
                    declined(&state, tx, &payment, id, &message).await?;
                    render_pay(&state, page, case, Some(message), StatusCode::PAYMENT_REQUIRED).await
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "could not confirm the PaymentIntent");
                    drop(tx);
                    render_pay(&state, page, case, Some(UNREACHABLE.into()), StatusCode::SERVICE_UNAVAILABLE).await
                }
            }
        }
        Gateway::Test => {
            if form.outcome != "approve" {
                let message = "Your card was declined (test gateway: no money moved).";
                declined(&state, tx, &payment, id, message).await?;
                return render_pay(&state, page, case, Some(message.into()), StatusCode::PAYMENT_REQUIRED).await;
            }
            let charge = Charge {
                provider_payment_id: provider_id,
                amount_cents: payment.amount_cents,
                currency: payment.currency.clone(),
                case_id: Some(id.to_string()),
            };
            fulfil(&mut tx, &charge, Some(user.id), &state.config.base_url, state.clock.now()).await?;
            tx.commit().await?;
            flash_redirect(&session, &format!("/family/cases/{id}"), FlashKind::Success, PAID).await
        }
    }
}

/// After a decline: close this attempt and open the next one with a fresh
/// intent (an intent that saw a decline can't always be confirmed again).
async fn declined(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    payment: &db::PaymentRow,
    id: CaseId,
    message: &str,
) -> Result<(), AppError> {
    db::mark_failed(&mut tx, payment.id, message).await?;
    let next = db::insert_case_fee(&mut tx, id, state.config.case_fee_cents, &payment.provider).await?;
    match &state.payments {
        Gateway::Stripe(stripe) => {
            let key = format!("case-{id}-fee-{}", next.attempt);
            match stripe.create_payment_intent(next.amount_cents, id.0, "case_fee", None, &key).await {
                Ok(intent) => db::set_provider_id(&mut tx, next.id, &intent.id).await?,
                // Without a new intent the family goes back through "Submit and pay".
                Err(e) => tracing::warn!(error = ?e, "could not open the next payment attempt"),
            }
        }
        Gateway::Test => db::set_provider_id(&mut tx, next.id, &format!("test_{}", next.id)).await?,
    }
    tx.commit().await?;
    Ok(())
}
