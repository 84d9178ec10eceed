//! Additional fees on the family's side: see the amount and reason, pay
//! (the same intent-and-fulfil path as the case fee) or decline.

use crate::domain::{CaseId, Cents, UserId};
use crate::error::AppError;
use crate::payments::stripe::{GatewayError, IntentStatus};
use crate::payments::{Charge, Gateway, UNREACHABLE, db, fulfil};
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

struct Fee {
    amount_cents: i64,
    reason: String,
    kind: String,
}

/// The family's open fee request, or 404.
async fn open_fee(state: &AppState, family: UserId, case: CaseId, fee: uuid::Uuid) -> Result<Fee, AppError> {
    sqlx::query_as!(
        Fee,
        r#"select f.amount_cents, f.reason, f.kind from fee_requests f join cases c on c.id = f.case_id
           where f.id = $3 and f.case_id = $2 and c.family_id = $1 and f.status = 'requested'"#,
        family as UserId,
        case as CaseId,
        fee
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn decline(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path((id, fee)): Path<(CaseId, uuid::Uuid)>,
) -> Result<Response, AppError> {
    open_fee(&state, user.id, id, fee).await?;
    sqlx::query!(
        "update fee_requests set status = 'declined', decided_at = $2 where id = $1 and status = 'requested'",
        fee,
        state.clock.now()
    )
    .execute(&state.db)
    .await?;
    flash_redirect(
        &session,
        &format!("/family/cases/{id}"),
        FlashKind::Success,
        "You declined the additional review. Nothing was charged.",
    )
    .await
}

#[derive(Template)]
#[template(path = "family/pay_fee.html")]
pub struct PayFeePage {
    page: PageContext,
    case: CaseId,
    fee_id: uuid::Uuid,
    what: &'static str,
    reason: String,
    amount: String,
    stripe: Option<(String, String)>,
    error: Option<String>,
}

impl PayFeePage {
    pub fn pay_action(&self) -> String {
        format!("/family/cases/{}/fees/{}/pay", self.case, self.fee_id)
    }
    pub fn pay_amount(&self) -> &str {
        &self.amount
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    case: CaseId,
    fee_id: uuid::Uuid,
    fee: Fee,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = PayFeePage {
        page,
        case,
        fee_id,
        what: if fee.kind == "imaging" { "Imaging re-review" } else { "Pathology re-review" },
        reason: fee.reason,
        amount: Cents(fee.amount_cents).to_string(),
        stripe: state.config.stripe.as_ref().map(|s| (s.js_url.clone(), s.publishable_key.clone())),
        error,
    };
    Ok((status, html(&page)?).into_response())
}

/// Opens (or reuses) the attempt and its intent, then shows the card form.
pub async fn pay_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path((id, fee_id)): Path<(CaseId, uuid::Uuid)>,
) -> Result<Response, AppError> {
    let fee = open_fee(&state, user.id, id, fee_id).await?;
    let mut tx = state.db.begin().await?;
    let provider = if matches!(state.payments, Gateway::Stripe(_)) { "stripe" } else { "test_gateway" };
    let attempt = match db::open_fee_attempt(&mut tx, fee_id).await? {
        Some(open) => open,
        None => db::insert_fee_attempt(&mut tx, id, fee_id, fee.amount_cents, provider).await?,
    };
    if attempt.provider_payment_id.is_none() {
        let provider_id = match &state.payments {
            Gateway::Stripe(stripe) => {
                let key = format!("fee-{fee_id}-{}", attempt.attempt);
                match stripe
                    .create_payment_intent(attempt.amount_cents, id.0, "additional_fee", Some(fee_id), &key)
                    .await
                {
                    Ok(intent) => intent.id,
                    Err(e) => {
                        tracing::warn!(error = ?e, "could not create the PaymentIntent");
                        drop(tx);
                        let message = Some(UNREACHABLE.into());
                        return render(&state, page, id, fee_id, fee, message, StatusCode::SERVICE_UNAVAILABLE).await;
                    }
                }
            }
            Gateway::Test => format!("test_{}", attempt.id),
        };
        db::set_provider_id(&mut tx, attempt.id, &provider_id).await?;
    }
    tx.commit().await?;
    render(&state, page, id, fee_id, fee, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct PayForm {
    #[serde(default)]
    card_id: String,
    #[serde(default)]
    outcome: String,
}

pub async fn pay(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, fee_id)): Path<(CaseId, uuid::Uuid)>,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    let fee = open_fee(&state, user.id, id, fee_id).await?;
    let mut tx = state.db.begin().await?;
    let Some(attempt) = db::open_fee_attempt(&mut tx, fee_id).await? else {
        return Ok(Redirect::to(&format!("/family/cases/{id}/fees/{fee_id}/pay")).into_response());
    };
    let provider_id = attempt.provider_payment_id.clone().unwrap_or_default();
    let charge = match &state.payments {
        Gateway::Stripe(stripe) => {
            let key = format!("fee-{fee_id}-{}-confirm-{}", attempt.attempt, form.card_id);
            match stripe.confirm_with_card(&provider_id, &form.card_id, &key).await {
                Ok(intent) if intent.status == IntentStatus::Succeeded => Charge {
                    provider_payment_id: intent.id,
                    amount_cents: intent.amount,
                    currency: intent.currency,
                    case_id: intent.case_id,
                },
                Ok(_) | Err(GatewayError::CardDeclined(_)) => {
                    // A declined intent is not retried: the next try opens a new attempt.
                    sqlx::query!(
                        "update payments set status = 'failed', failure_message = 'declined' where id = $1",
                        attempt.id as crate::domain::PaymentId
                    )
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    let message = "Your card was declined. You have not been charged; you can try another card.";
                    return render(&state, page, id, fee_id, fee, Some(message.into()), StatusCode::PAYMENT_REQUIRED)
                        .await;
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "could not confirm the PaymentIntent");
                    drop(tx);
                    let message = Some(UNREACHABLE.into());
                    return render(&state, page, id, fee_id, fee, message, StatusCode::SERVICE_UNAVAILABLE).await;
                }
            }
        }
        Gateway::Test if form.outcome == "approve" => Charge {
            provider_payment_id: provider_id,
            amount_cents: attempt.amount_cents,
            currency: attempt.currency.clone(),
            case_id: Some(id.to_string()),
        },
        Gateway::Test => {
            let message = "Your card was declined (test gateway: no money moved).";
            return render(&state, page, id, fee_id, fee, Some(message.into()), StatusCode::PAYMENT_REQUIRED).await;
        }
    };
    tx.commit().await?;
    let mut tx = state.db.begin().await?;
    fulfil(&mut tx, &charge, Some(user.id), &state.config.base_url, state.clock.now()).await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &format!("/family/cases/{id}"),
        FlashKind::Success,
        "Payment received for the additional review. Thank you.",
    )
    .await
}
