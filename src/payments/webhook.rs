//! `POST /webhooks/stripe`: signature checked on the raw body (5-minute
//! tolerance), each event id handled once (`stripe_events`), its effect in
//! the same transaction — a crash before commit makes Stripe deliver again.

use super::stripe::{Event, WebhookError};
use super::{Charge, Fulfilment, Gateway, after_fulfil, attempt, db, fulfil, refunds};
use crate::domain::RefundStatus;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// Outside the session and CSRF layers: Stripe signs instead.
pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/stripe", post(receive))
}

async fn receive(State(state): State<AppState>, headers: HeaderMap, body: String) -> (StatusCode, &'static str) {
    let Gateway::Stripe(stripe) = &state.payments else {
        return (StatusCode::NOT_FOUND, "not found");
    };
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    let event = match stripe.verify_event(&body, signature, state.clock.now().as_second()) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = ?e, "webhook refused");
            let reason = match e {
                WebhookError::MissingSignature => "missing signature",
                WebhookError::BadSignature => "bad signature",
                WebhookError::StaleTimestamp => "timestamp outside tolerance",
                WebhookError::Malformed => "malformed event",
            };
            return (StatusCode::BAD_REQUEST, reason);
        }
    };
    match handle(&state, stripe, event).await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            // Nothing committed: Stripe retries later.
            tracing::error!(error = ?e, "webhook processing failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "retry later")
        }
    }
}

async fn handle(state: &AppState, stripe: &super::stripe::StripeGateway, event: Event) -> anyhow::Result<()> {
    let (event_id, kind) = match &event {
        Event::PaymentIntentSucceeded { event_id, .. } => (event_id.clone(), "payment_intent.succeeded"),
        Event::PaymentIntentFailed { event_id, .. } => (event_id.clone(), "payment_intent.payment_failed"),
        Event::ChargeRefunded { event_id, .. } => (event_id.clone(), "charge.refunded"),
        Event::RefundFailed { event_id, .. } => (event_id.clone(), "refund.failed"),
        Event::Other { event_id, kind } => (event_id.clone(), kind.as_str()),
    };
    let kind = kind.to_owned();
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let first = sqlx::query!(
        "insert into stripe_events (id, kind) values ($1, $2) on conflict (id) do nothing",
        event_id,
        kind
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        tracing::info!(event_id, "duplicate webhook event ignored");
        return Ok(());
    }
    let mut fulfilment = None;
    let outcome = match event {
        Event::PaymentIntentSucceeded { intent, .. } => {
            let charge = Charge::of_intent(stripe, intent).await;
            let done = fulfil(&mut tx, &charge, None, &state.config.base_url, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let outcome = match &done {
                Fulfilment::Done(_) => "fulfilled",
                Fulfilment::AlreadyDone(_) => "already fulfilled",
                Fulfilment::Refunding(..) => "anomaly: paid for a closed purpose; refund asked for",
                Fulfilment::Anomaly => "anomaly: not a payment we asked for",
            };
            fulfilment = Some(done);
            outcome.to_owned()
        }
        Event::PaymentIntentFailed { intent, .. } => {
            if attempt::declined_by_webhook(&mut tx, &intent).await? {
                "declined; the next attempt is open".to_owned()
            } else {
                "declined (already settled)".to_owned()
            }
        }
        Event::ChargeRefunded { payment_intent, refund_id, amount_refunded, .. } => {
            match db::by_provider_id(&mut tx, &payment_intent).await? {
                Some(payment) if amount_refunded >= payment.amount.0 => {
                    let refund_id = refund_id.unwrap_or_else(|| format!("refund_of_{payment_intent}"));
                    match refunds::for_payment(&mut tx, payment.id).await? {
                        Some((id, RefundStatus::Requested | RefundStatus::Manual)) => {
                            refunds::succeeded(&mut tx, id, payment.id, &refund_id, now).await?;
                            "refund confirmed".to_owned()
                        }
                        Some(_) => "refund already recorded".to_owned(),
                        None => {
                            refunds::record_made_at_gateway(&mut tx, &payment, &refund_id, now).await?;
                            "refund made at Stripe recorded".to_owned()
                        }
                    }
                }
                Some(_) => "partial refund ignored".to_owned(),
                None => "ignored: not our payment".to_owned(),
            }
        }
        Event::RefundFailed { refund_id, reason, .. } => match refunds::by_provider_id(&mut tx, &refund_id).await? {
            Some((id, payment, case)) => {
                let why = reason.unwrap_or_else(|| "unknown".into());
                refunds::failed(&mut tx, id, payment, case, Some(&refund_id), &format!("Stripe: {why}"), now).await?;
                "refund failed; shown to admins".to_owned()
            }
            None => "ignored: not our refund".to_owned(),
        },
        Event::Other { .. } => "ignored".to_owned(),
    };
    sqlx::query!("update stripe_events set outcome = $2 where id = $1", event_id, outcome).execute(&mut *tx).await?;
    tx.commit().await?;
    // The event is handled; a refund that can't be made right now is the worker's to retry.
    if let Some(fulfilment) = fulfilment
        && let Err(e) = after_fulfil(&state.db, &state.payments, &fulfilment, now).await
    {
        tracing::warn!(error = %e, "refund after a webhook not made yet; the worker retries");
    }
    Ok(())
}
