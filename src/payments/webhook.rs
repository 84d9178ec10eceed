//! `POST /webhooks/stripe`: signature checked on the raw body (5-minute
//! tolerance), each event id handled once (`stripe_events`), fulfilment in
//! the same transaction — a crash before commit makes Stripe deliver again.

use super::stripe::{Event, WebhookError};
use super::{Charge, Fulfilment, Gateway, fulfil};
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
    let event = match stripe.verify_event(&body, signature, state.clock.now().unix_timestamp()) {
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
    match handle(&state, event).await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            // Nothing committed: Stripe retries later.
            tracing::error!(error = ?e, "webhook processing failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "retry later")
        }
    }
}

async fn handle(state: &AppState, event: Event) -> anyhow::Result<()> {
    let (event_id, kind) = match &event {
        Event::PaymentIntentSucceeded { event_id, .. } => (event_id.clone(), "payment_intent.succeeded".to_owned()),
        Event::PaymentIntentFailed { event_id, .. } => (event_id.clone(), "payment_intent.payment_failed".to_owned()),
        Event::Other { event_id, kind } => (event_id.clone(), kind.clone()),
    };
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
    let outcome = match event {
        Event::PaymentIntentSucceeded { intent, .. } => {
            let charge = Charge {
                provider_payment_id: intent.id,
                amount_cents: intent.amount,
                currency: intent.currency,
                case_id: intent.case_id,
            };
            match fulfil(&mut tx, &charge, None, &state.config.base_url, state.clock.now())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                Fulfilment::Done(_) => "fulfilled".to_owned(),
                Fulfilment::AlreadyDone(_) => "already fulfilled".to_owned(),
                Fulfilment::Anomaly(why) => format!("anomaly: {why}"),
            }
        }
        Event::PaymentIntentFailed { .. } => "payment failed (the family sees Stripe's message on the page)".to_owned(),
        Event::Other { .. } => "ignored".to_owned(),
    };
    sqlx::query!("update stripe_events set outcome = $2 where id = $1", event_id, outcome).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
