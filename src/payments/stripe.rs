//! Stripe adapter: PaymentIntents, refunds and webhook verification, for api.stripe.com and localstripe alike.
//!
//! Every API call goes through async-stripe's client and typed request builders, but responses are read into our
//! own minimal structs: localstripe's PaymentIntent lacks fields async-stripe's generated types require
//! (`amount_capturable`, `amount_received`, `confirmation_method`, `payment_method_types`), so they fail to parse.
//! The one request difference between real and fake is in `create_payment_intent`. Nothing here logs or sends
//! health information: Stripe only sees amounts, our case id and a fee purpose.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use ::stripe::StripeRequest;
use ::stripe::{ApiErrorsCode, ApiErrorsType, Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError};
use anyhow::{Context, ensure};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use stripe_client_core::{RequestBuilder, StripeMethod};
use stripe_core::PaymentIntentAllowedPaymentMethodTypes as AllowedTypes;
use stripe_core::payment_intent::{
    CancelPaymentIntent, ConfirmPaymentIntent, CreatePaymentIntent, RetrievePaymentIntent, UpdatePaymentIntent,
};
use stripe_core::refund::{CreateRefund, RetrieveRefund};
use uuid::Uuid;

use crate::domain::Purpose;

/// Maximum age (either direction) of a webhook signature timestamp, as in Stripe's own libraries.
const WEBHOOK_TOLERANCE_SECS: u64 = 300;

/// Our handle on Stripe: an async-stripe client plus the webhook signing secret.
#[derive(Clone)]
pub struct StripeGateway {
    client: Client,
    webhook_secret: String,
    /// `api_base` was given, i.e. localstripe: see `create_payment_intent`.
    fake: bool,
}

/// The parts of a PaymentIntent the app uses.
#[derive(Clone)]
pub struct Intent {
    /// `pi_…`
    pub id: String,
    /// Handed to Stripe.js for 3-D Secure; a secret, so `Debug` redacts it.
    pub client_secret: Option<String>,
    /// USD cents.
    pub amount: i64,
    /// Lower-case ISO code, e.g. `usd`.
    pub currency: String,
    /// Where the intent stands.
    pub status: IntentStatus,
    /// `metadata[case_id]`.
    pub case_id: Option<String>,
    /// `metadata[purpose]`: `case_fee` or `additional_fee`.
    pub purpose: Option<String>,
    /// `metadata[fee_request_id]`, for additional fees.
    pub fee_request_id: Option<String>,
    /// Stripe's message for the last failed attempt (e.g. "Your card was declined.").
    pub last_error: Option<String>,
    /// The card it was paid with (`card_…` or `pm_…`), for the receipt's brand and last four.
    pub payment_method: Option<String>,
}

/// PaymentIntent status; `Other` covers states the app never creates (e.g. `requires_capture`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntentStatus {
    Succeeded,
    Processing,
    RequiresPaymentMethod,
    RequiresConfirmation,
    RequiresAction,
    Canceled,
    Other,
}

/// A refund as Stripe reports it.
#[derive(Clone, Debug)]
pub struct Refund {
    /// `re_…`
    pub id: String,
    /// USD cents.
    pub amount: i64,
    pub state: RefundState,
}

/// Where a refund stands at Stripe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundState {
    Succeeded,
    /// `pending` or `requires_action`, or a state we don't know: ask again later.
    Pending,
    /// `failed` or `canceled`.
    Failed,
}

impl RefundState {
    fn parse(status: Option<&str>) -> Self {
        match status {
            Some("succeeded") => RefundState::Succeeded,
            Some("failed" | "canceled") => RefundState::Failed,
            _ => RefundState::Pending,
        }
    }
}

/// A verified webhook event.
#[derive(Clone, Debug)]
pub enum Event {
    /// `payment_intent.succeeded`
    PaymentIntentSucceeded { event_id: String, intent: Intent },
    /// `payment_intent.payment_failed`
    PaymentIntentFailed { event_id: String, intent: Intent },
    /// `charge.refunded`: money went back (our refund, or one made in Stripe's dashboard).
    ChargeRefunded { event_id: String, payment_intent: String, refund_id: Option<String>, amount_refunded: i64 },
    /// `refund.failed`: a refund Stripe had accepted did not go through.
    RefundFailed { event_id: String, refund_id: String, reason: Option<String> },
    /// Anything else; acknowledge and ignore.
    Other { event_id: String, kind: String },
}

/// Why a Stripe API call failed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The card was refused; the string is Stripe's message, safe to show the payer.
    #[error("card declined: {0}")]
    CardDeclined(String),
    /// Stripe could not be reached or did not answer within 10 s. A refused connection means nothing was charged;
    /// after a timeout the outcome is unknown until `retrieve_payment_intent` or the webhook says so (retrying with
    /// the same idempotency key is safe).
    #[error("payment service unreachable")]
    Unreachable,
    /// Anything else (bad request, auth, unparseable answer). The text carries no PHI.
    #[error("payment service error: {0}")]
    Other(String),
}

/// Why a webhook delivery was rejected.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("missing Stripe-Signature header")]
    MissingSignature,
    #[error("bad webhook signature")]
    BadSignature,
    #[error("webhook timestamp outside tolerance")]
    StaleTimestamp,
    #[error("malformed webhook payload")]
    Malformed,
}

/// Only the fields we read, so Stripe's and localstripe's answers both parse. miniserde is what async-stripe's
/// `send` deserialises with; serde parses `data.object` of webhook events.
#[derive(miniserde::Deserialize, serde::Deserialize)]
struct RawIntent {
    id: String,
    client_secret: Option<String>,
    amount: i64,
    currency: String,
    status: String,
    metadata: Option<BTreeMap<String, String>>,
    last_payment_error: Option<RawPaymentError>,
    payment_method: Option<String>,
}

#[derive(miniserde::Deserialize, serde::Deserialize)]
struct RawPaymentError {
    message: Option<String>,
}

#[derive(miniserde::Deserialize)]
struct RawRefund {
    id: String,
    amount: i64,
    status: Option<String>,
}

/// A PaymentMethod (`pm_…`, brand and last four under `card`) or a legacy
/// Card (`card_…`, at the top level): Stripe answers both on this path.
#[derive(miniserde::Deserialize)]
struct RawPaymentMethod {
    card: Option<RawCard>,
    brand: Option<String>,
    last4: Option<String>,
}

#[derive(miniserde::Deserialize)]
struct RawCard {
    brand: Option<String>,
    last4: Option<String>,
}

/// `charge.refunded`'s object: a Charge.
#[derive(serde::Deserialize)]
struct RawCharge {
    payment_intent: Option<String>,
    amount_refunded: i64,
    refunds: Option<RawList>,
}

#[derive(serde::Deserialize)]
struct RawList {
    data: Vec<RawRefundRef>,
}

#[derive(serde::Deserialize)]
struct RawRefundRef {
    id: String,
}

/// `refund.failed`'s object: a Refund.
#[derive(serde::Deserialize)]
struct RawFailedRefund {
    id: String,
    failure_reason: Option<String>,
}

/// Not `stripe_webhook::Event`: `construct_event` fails with `BadParse` on localstripe's events (no `request`,
/// no `pending_webhooks`, and a PaymentIntent missing required fields).
#[derive(serde::Deserialize)]
struct RawEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: RawEventData,
}

#[derive(serde::Deserialize)]
struct RawEventData {
    object: serde_json::Value,
}

impl StripeGateway {
    /// Builds the client. `api_base` overrides `https://api.stripe.com/` and is meant for localstripe only: with it
    /// set, PaymentIntents are created without `allowed_payment_method_types`, which localstripe rejects.
    pub fn new(secret_key: &str, api_base: Option<&str>, webhook_secret: &str) -> anyhow::Result<Self> {
        ensure!(!secret_key.is_empty(), "Stripe secret key is empty");
        // An empty HMAC key would let anyone sign webhooks.
        ensure!(!webhook_secret.is_empty(), "Stripe webhook secret is empty");
        // The async client has no timeout by default.
        let mut builder = ClientBuilder::new(secret_key).timeout(Duration::from_secs(10));
        if let Some(base) = api_base {
            // async-stripe appends `v1/…` to the base, so a base with a path needs its trailing slash.
            let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
            builder = builder.url(base);
        }
        let client = builder.build().context("building the Stripe client")?;
        Ok(Self { client, webhook_secret: webhook_secret.to_owned(), fake: api_base.is_some() })
    }

    /// Creates an unconfirmed card PaymentIntent. Metadata carries only the case id, the purpose and the fee
    /// request id — never any health information.
    pub async fn create_payment_intent(
        &self,
        amount_cents: i64,
        case_id: Uuid,
        purpose: Purpose,
        idempotency_key: &str,
    ) -> Result<Intent, GatewayError> {
        if amount_cents <= 0 {
            return Err(GatewayError::Other("invalid amount".into()));
        }
        let mut metadata = std::collections::HashMap::from([
            ("case_id".to_owned(), case_id.to_string()),
            ("purpose".to_owned(), purpose.kind().as_str().to_owned()),
        ]);
        if let Some(fee_request_id) = purpose.fee_request() {
            metadata.insert("fee_request_id".to_owned(), fee_request_id.to_string());
        }
        let mut req = CreatePaymentIntent::new(amount_cents, stripe_types::Currency::USD).metadata(metadata);
        // Without this, real Stripe (API 2026-09-30.endive, pinned by async-stripe; `payment_method_types` is gone
        // there) enables automatic payment methods and then refuses a server-side confirm lacking `return_url`.
        // localstripe answers 400 "Unexpected" to it (and to `automatic_payment_methods`, `return_url`), so the
        // fake gets amount, currency and metadata only.
        if !self.fake {
            req = req.allowed_payment_method_types(vec![AllowedTypes::Card]);
        }
        let raw: RawIntent = self.send("create_payment_intent", &case_id.to_string(), &req, idempotency_key).await?;
        Ok(raw.into())
    }

    /// Fetches a PaymentIntent (GET, no idempotency key needed).
    pub async fn retrieve_payment_intent(&self, id: &str) -> Result<Intent, GatewayError> {
        check_id(id, &["pi_"])?;
        let raw: RawIntent = RetrievePaymentIntent::new(id)
            .build()
            .customize()
            .send(&self.client)
            .await
            .map_err(|e| map_error("retrieve_payment_intent", id, e))?;
        Ok(raw.into())
    }

    /// Attaches the card the browser tokenised (Stripe.js `createToken` → `token.card.id`, `card_…`; `pm_…` also
    /// accepted) and confirms, server-side. Two POSTs, update then confirm, because localstripe answers 500 "Not
    /// implemented" to a confirm carrying `payment_method`; their idempotency keys are `{idempotency_key}-pm` and
    /// `{idempotency_key}-confirm` (so keep keys ≤ 247 chars, one per payment attempt). `RequiresAction` status
    /// means 3-D Secure in the browser.
    pub async fn confirm_with_card(
        &self,
        intent_id: &str,
        card_id: &str,
        idempotency_key: &str,
    ) -> Result<Intent, GatewayError> {
        check_id(intent_id, &["pi_"])?;
        check_id(card_id, &["card_", "pm_"])?;
        let attach = UpdatePaymentIntent::new(intent_id).payment_method(card_id);
        let _: RawIntent = self.send("attach_card", intent_id, &attach, &format!("{idempotency_key}-pm")).await?;
        let confirm = ConfirmPaymentIntent::new(intent_id);
        let raw: RawIntent =
            self.send("confirm_payment_intent", intent_id, &confirm, &format!("{idempotency_key}-confirm")).await?;
        Ok(raw.into())
    }

    /// Cancels a PaymentIntent nobody should pay any more (a cancelled case, a withdrawn fee).
    pub async fn cancel_payment_intent(&self, intent_id: &str, idempotency_key: &str) -> Result<(), GatewayError> {
        check_id(intent_id, &["pi_"])?;
        let _: RawIntent = self
            .send("cancel_payment_intent", intent_id, &CancelPaymentIntent::new(intent_id), idempotency_key)
            .await?;
        Ok(())
    }

    /// The card's brand and last four digits, as Stripe knows them. `None` if Stripe can't say (the receipt
    /// then names the card without them).
    pub async fn card_details(&self, payment_method: &str) -> Option<(String, String)> {
        check_id(payment_method, &["pm_", "card_"]).ok()?;
        let raw: RawPaymentMethod =
            RequestBuilder::new(StripeMethod::Get, format!("/payment_methods/{payment_method}"))
                .customize()
                .send(&self.client)
                .await
                .map_err(|e| map_error("retrieve_payment_method", payment_method, e))
                .ok()?;
        let (brand, last4) = match raw.card {
            Some(card) => (card.brand, card.last4),
            None => (raw.brand, raw.last4),
        };
        let last4 = last4.filter(|l| l.len() == 4 && l.bytes().all(|b| b.is_ascii_digit()))?;
        let brand: String = brand.unwrap_or_else(|| "Card".into()).chars().take(40).collect();
        let mut chars = brand.chars();
        let brand = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        Some((brand, last4))
    }

    /// How a refund Stripe once answered `pending` for stands now.
    pub async fn retrieve_refund(&self, refund_id: &str) -> Result<Refund, GatewayError> {
        check_id(refund_id, &["re_", "pyr_"])?;
        let raw: RawRefund = RetrieveRefund::new(refund_id)
            .build()
            .customize()
            .send(&self.client)
            .await
            .map_err(|e| map_error("retrieve_refund", refund_id, e))?;
        Ok(Refund { id: raw.id, amount: raw.amount, state: RefundState::parse(raw.status.as_deref()) })
    }

    /// Refunds the whole payment of a succeeded PaymentIntent.
    pub async fn refund(&self, intent_id: &str, idempotency_key: &str) -> Result<Refund, GatewayError> {
        check_id(intent_id, &["pi_"])?;
        let req = CreateRefund::new().payment_intent(intent_id);
        let raw: RawRefund = self.send("refund", intent_id, &req, idempotency_key).await?;
        Ok(Refund { id: raw.id, amount: raw.amount, state: RefundState::parse(raw.status.as_deref()) })
    }

    /// Verifies a webhook delivery and decodes it. `payload` must be the raw request body, `signature_header` the
    /// `Stripe-Signature` header (empty if absent) and `now_unix` the current Unix time (injectable for tests).
    /// Stripe's scheme: HMAC-SHA256 keyed with the whole `whsec_…` secret over `"{t}.{payload}"`, any `v1` may
    /// match, and `t` must be within 300 s of `now_unix`.
    pub fn verify_event(&self, payload: &str, signature_header: &str, now_unix: i64) -> Result<Event, WebhookError> {
        if signature_header.trim().is_empty() {
            return Err(WebhookError::MissingSignature);
        }
        let (mut timestamp, mut signatures) = (None, Vec::new());
        for part in signature_header.split(',') {
            match part.trim().split_once('=') {
                Some(("t", t)) => timestamp = Some(t),
                Some(("v1", sig)) => signatures.extend(hex::decode(sig).ok()),
                _ => {} // v0 and future schemes are ignored, as Stripe recommends.
            }
        }
        let t_raw = timestamp.ok_or(WebhookError::BadSignature)?;
        let t: i64 = t_raw.parse().map_err(|_| WebhookError::BadSignature)?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.webhook_secret.as_bytes()).map_err(|_| WebhookError::BadSignature)?;
        mac.update(t_raw.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        // `verify_slice` compares in constant time.
        if !signatures.iter().any(|sig| mac.clone().verify_slice(sig).is_ok()) {
            return Err(WebhookError::BadSignature);
        }
        if now_unix.abs_diff(t) > WEBHOOK_TOLERANCE_SECS {
            return Err(WebhookError::StaleTimestamp);
        }
        let event: RawEvent = serde_json::from_str(payload).map_err(|_| WebhookError::Malformed)?;
        let intent = || serde_json::from_value::<RawIntent>(event.data.object.clone()).map(Intent::from);
        Ok(match event.kind.as_str() {
            "payment_intent.succeeded" => Event::PaymentIntentSucceeded {
                intent: intent().map_err(|_| WebhookError::Malformed)?,
                event_id: event.id,
            },
            "payment_intent.payment_failed" => Event::PaymentIntentFailed {
                intent: intent().map_err(|_| WebhookError::Malformed)?,
                event_id: event.id,
            },
            "charge.refunded" => {
                let charge: RawCharge =
                    serde_json::from_value(event.data.object).map_err(|_| WebhookError::Malformed)?;
                Event::ChargeRefunded {
                    event_id: event.id,
                    payment_intent: charge.payment_intent.ok_or(WebhookError::Malformed)?,
                    refund_id: charge.refunds.and_then(|l| l.data.into_iter().next()).map(|r| r.id),
                    amount_refunded: charge.amount_refunded,
                }
            }
            "refund.failed" => {
                let refund: RawFailedRefund =
                    serde_json::from_value(event.data.object).map_err(|_| WebhookError::Malformed)?;
                Event::RefundFailed { event_id: event.id, refund_id: refund.id, reason: refund.failure_reason }
            }
            _ => Event::Other { event_id: event.id, kind: event.kind },
        })
    }

    /// Sends a POST with an `Idempotency-Key` through async-stripe, reading the answer into `T`.
    async fn send<T: miniserde::Deserialize>(
        &self,
        op: &'static str,
        object_id: &str,
        req: &impl StripeRequest,
        idempotency_key: &str,
    ) -> Result<T, GatewayError> {
        let key = IdempotencyKey::new(idempotency_key).map_err(|e| GatewayError::Other(e.to_string()))?;
        req.build()
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(|e| map_error(op, object_id, e))
    }
}

impl fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeGateway").finish_non_exhaustive() // keeps the secrets out of logs
    }
}

impl fmt::Debug for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Intent")
            .field("id", &self.id)
            .field("amount", &self.amount)
            .field("currency", &self.currency)
            .field("status", &self.status)
            .field("case_id", &self.case_id)
            .field("purpose", &self.purpose)
            .field("fee_request_id", &self.fee_request_id)
            .field("last_error", &self.last_error)
            .field("payment_method", &self.payment_method)
            .finish_non_exhaustive()
    }
}

impl From<RawIntent> for Intent {
    fn from(raw: RawIntent) -> Self {
        let mut metadata = raw.metadata.unwrap_or_default();
        let status = match raw.status.as_str() {
            "succeeded" => IntentStatus::Succeeded,
            "processing" => IntentStatus::Processing,
            "requires_payment_method" => IntentStatus::RequiresPaymentMethod,
            "requires_confirmation" => IntentStatus::RequiresConfirmation,
            "requires_action" => IntentStatus::RequiresAction,
            "canceled" => IntentStatus::Canceled,
            _ => IntentStatus::Other,
        };
        Intent {
            id: raw.id,
            client_secret: raw.client_secret,
            amount: raw.amount,
            currency: raw.currency,
            status,
            case_id: metadata.remove("case_id"),
            purpose: metadata.remove("purpose"),
            fee_request_id: metadata.remove("fee_request_id"),
            last_error: raw.last_payment_error.and_then(|e| e.message),
            payment_method: raw.payment_method,
        }
    }
}

/// Stripe ids go into URL paths: allow only the expected prefix and `[A-Za-z0-9_]`.
fn check_id(id: &str, prefixes: &[&str]) -> Result<(), GatewayError> {
    let ok = prefixes.iter().any(|p| id.len() > p.len() && id.starts_with(p))
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok { Ok(()) } else { Err(GatewayError::Other("invalid Stripe id".into())) }
}

/// Maps async-stripe's error, logging ids and codes only (never Stripe's free text or our payloads).
fn map_error(op: &'static str, object_id: &str, err: StripeError) -> GatewayError {
    match err {
        StripeError::Stripe(e, status) => {
            tracing::warn!(op, object_id, status, code = ?e.code, kind = ?e.type_, "Stripe refused the request");
            // Real Stripe says `type=card_error`; localstripe says `invalid_request_error` + `code=card_declined`.
            if matches!(e.type_, ApiErrorsType::CardError) || matches!(e.code, Some(ApiErrorsCode::CardDeclined)) {
                GatewayError::CardDeclined(e.message.unwrap_or_else(|| "Your card was declined.".to_owned()))
            } else {
                GatewayError::Other(format!("Stripe answered {status} ({:?})", e.code))
            }
        }
        StripeError::ClientError(_) | StripeError::Timeout => {
            tracing::warn!(op, object_id, "Stripe unreachable or timed out");
            GatewayError::Unreachable
        }
        other => {
            tracing::error!(op, object_id, error = %other, "Stripe call failed");
            GatewayError::Other(other.to_string())
        }
    }
}
