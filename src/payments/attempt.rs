//! One owner for a payment attempt, whatever it pays for (the case fee or an
//! additional fee): opening it, confirming it, declining and reopening it.
//!
//! Paying is two transactions. The first locks what is being paid for, opens
//! the attempt (or reuses the open one: a unique index allows one) and gives
//! it a PaymentIntent with the idempotency key of that attempt, then commits,
//! so the intent is on record before any card is charged. The second locks it
//! again, confirms with the card and settles the outcome — paid (through
//! [`fulfil`]), declined (the attempt closes and the next opens at once),
//! 3-D Secure to complete in the browser, or still processing (the webhook
//! settles it). Only POST requests get here.

use super::db::{self, PaymentRow};
use super::stripe::{GatewayError, Intent, IntentStatus};
use super::{Charge, Fulfilment, Gateway, PurposeState, after_fulfil, fulfil, purpose_state};
use crate::domain::{CaseId, Cents, FeeRequestId, PaymentStatus, Provider, Purpose, UserId};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use sqlx::PgConnection;

/// How the family pays this time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Card {
    /// What Stripe.js tokenised in the browser (`card_…`, or `pm_…`): never card numbers.
    Token(String),
    /// Back from 3-D Secure in the browser: Stripe knows how it went.
    Authenticated,
    /// The test gateway's two buttons.
    Test { approve: bool },
}

impl Card {
    /// Reads the card form for this gateway; the error is the page's sentence.
    pub fn parse(gateway: &Gateway, card_id: &str, outcome: &str, authenticated: bool) -> Result<Card, Msg> {
        match gateway {
            Gateway::Test => Ok(Card::Test { approve: outcome == "approve" }),
            Gateway::Stripe(_) if authenticated => Ok(Card::Authenticated),
            Gateway::Stripe(_) if card_id.starts_with("card_") || card_id.starts_with("pm_") => {
                Ok(Card::Token(card_id.to_owned()))
            }
            Gateway::Stripe(_) => Err(Msg("pay-enter-card")),
        }
    }
}

/// How a payment went, for the page.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Paid(Fulfilment),
    /// The card was refused: the gateway's message, safe to show the payer.
    Declined(String),
    /// 3-D Secure: Stripe.js completes it in the browser with this secret.
    NeedsAction {
        client_secret: String,
    },
    /// The bank is still confirming; the webhook will settle it.
    Processing,
    /// The gateway could not be reached; nothing was charged that we know of.
    Unreachable,
    /// There is nothing to pay any more (already paid, withdrawn, cancelled).
    NotOpen,
}

/// Pays for `purpose` with `card`: opens (or reuses) the attempt, confirms it,
/// and settles what the gateway said.
pub async fn pay(
    state: &AppState,
    case: CaseId,
    purpose: Purpose,
    card: Card,
    actor: UserId,
) -> Result<Outcome, AppError> {
    let attempt = match open(state, case, purpose).await? {
        Ok(attempt) => attempt,
        Err(outcome) => return Ok(outcome),
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let PurposeState::Closed(_) = purpose_state(&mut tx, case, purpose).await? {
        return Ok(Outcome::NotOpen);
    }
    let attempt = db::by_id(&mut tx, attempt.id).await?;
    if attempt.status != PaymentStatus::Pending {
        return Ok(Outcome::NotOpen);
    }
    db::set_payer(&mut tx, attempt.id, actor).await?;
    let Some(intent_id) = attempt.provider_payment_id.clone() else { return Ok(Outcome::Unreachable) };
    let outcome = match (&state.payments, card) {
        (Gateway::Test, Card::Test { approve: true }) => {
            let test = Charge {
                provider_payment_id: intent_id,
                amount: attempt.amount,
                currency: attempt.currency.clone(),
                case_id: Some(case.to_string()),
                card: Some(("Test card".to_owned(), "4242".to_owned())),
            };
            Outcome::Paid(fulfil(&mut tx, &test, Some(actor), &state.config.base_url, now).await?)
        }
        (Gateway::Test, _) => {
            let message = "Your card was declined (test gateway: no money moved).";
            decline(&mut tx, &attempt, message).await?;
            Outcome::Declined(message.to_owned())
        }
        (Gateway::Stripe(stripe), card) => {
            let answer = match card {
                Card::Token(token) => {
                    let key = format!("{}-confirm-{token}", intent_key(case, purpose, attempt.attempt));
                    match stripe.confirm_with_card(&intent_id, &token, &key).await {
                        // A refusal that is not a decline (e.g. confirming an intent
                        // that already succeeded in another tab): ask how it stands.
                        Err(GatewayError::Other(_)) => stripe.retrieve_payment_intent(&intent_id).await,
                        answer => answer,
                    }
                }
                Card::Authenticated | Card::Test { .. } => stripe.retrieve_payment_intent(&intent_id).await,
            };
            match answer {
                Ok(intent) => match intent.status {
                    IntentStatus::Succeeded => {
                        let charge = Charge::of_intent(stripe, intent).await;
                        Outcome::Paid(fulfil(&mut tx, &charge, Some(actor), &state.config.base_url, now).await?)
                    }
                    IntentStatus::RequiresAction => match intent.client_secret {
                        Some(client_secret) => Outcome::NeedsAction { client_secret },
                        None => Outcome::Unreachable,
                    },
                    IntentStatus::Processing => Outcome::Processing,
                    _ => {
                        let message = intent.last_error.unwrap_or_else(|| {
                            "Your bank has not confirmed the payment. Please try again or use another card.".into()
                        });
                        decline(&mut tx, &attempt, &message).await?;
                        Outcome::Declined(message)
                    }
                },
                Err(GatewayError::CardDeclined(message)) => {
                    decline(&mut tx, &attempt, &message).await?;
                    Outcome::Declined(message)
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "could not confirm the PaymentIntent");
                    Outcome::Unreachable
                }
            }
        }
    };
    tx.commit().await?;
    if let Outcome::Paid(fulfilment) = &outcome {
        after_fulfil(&state.db, &state.payments, fulfilment, now).await?;
    }
    Ok(outcome)
}

/// Opens the attempt for `purpose`, or reuses the open one, and makes sure it
/// has its PaymentIntent. `Err` carries what to tell the family instead.
pub async fn open(state: &AppState, case: CaseId, purpose: Purpose) -> Result<Result<PaymentRow, Outcome>, AppError> {
    let mut tx = state.db.begin().await?;
    if let PurposeState::Closed(_) = purpose_state(&mut tx, case, purpose).await? {
        return Ok(Err(Outcome::NotOpen));
    }
    let mut attempt = match db::open_attempt(&mut tx, case, purpose).await? {
        Some(open) => open,
        None => {
            let amount = amount_for(&mut tx, state, case, purpose).await?;
            db::insert_attempt(&mut tx, case, purpose, amount, provider(&state.payments)).await?
        }
    };
    if attempt.provider_payment_id.is_none() {
        // Still holding the purpose's lock: a second tab waits here and then
        // finds this intent, so one attempt has exactly one intent.
        let provider_id = match &state.payments {
            Gateway::Stripe(stripe) => {
                let key = intent_key(case, purpose, attempt.attempt);
                match stripe.create_payment_intent(attempt.amount.0, case.0, purpose, &key).await {
                    Ok(intent) => intent.id,
                    Err(e) => {
                        tracing::warn!(error = ?e, "could not create the PaymentIntent");
                        // The attempt stays open; the next try reuses it and its key.
                        tx.commit().await?;
                        return Ok(Err(Outcome::Unreachable));
                    }
                }
            }
            Gateway::Test => format!("test_{}", attempt.id),
        };
        db::set_provider_id(&mut tx, attempt.id, &provider_id).await?;
        attempt.provider_payment_id = Some(provider_id);
    }
    tx.commit().await?;
    Ok(Ok(attempt))
}

/// The card was refused: this attempt closes with the gateway's message and
/// the next one opens at once (an intent that saw a decline can't always be
/// confirmed again; the new one gets its intent when it is paid).
pub async fn decline(conn: &mut PgConnection, attempt: &PaymentRow, message: &str) -> sqlx::Result<()> {
    db::mark_failed(&mut *conn, attempt.id, message).await?;
    db::insert_attempt(conn, attempt.case_id, attempt.purpose(), attempt.amount, attempt.provider).await?;
    Ok(())
}

/// The amount always comes from the server: the case's price (the one in
/// effect when it was started), or the fee the coordinator set. Never from a form.
async fn amount_for(conn: &mut PgConnection, state: &AppState, case: CaseId, purpose: Purpose) -> sqlx::Result<Cents> {
    match purpose {
        Purpose::CaseFee => super::price::of_case(conn, state.config.case_fee, case).await,
        Purpose::Fee(fee) => {
            sqlx::query_scalar!(
                r#"select amount_cents as "a: Cents" from fee_requests where id = $1"#,
                fee as FeeRequestId
            )
            .fetch_one(conn)
            .await
        }
    }
}

fn provider(gateway: &Gateway) -> Provider {
    match gateway {
        Gateway::Stripe(_) => Provider::Stripe,
        Gateway::Test => Provider::TestGateway,
    }
}

/// The idempotency key of an attempt's intent: one intent per attempt, however
/// often it is asked for.
fn intent_key(case: CaseId, purpose: Purpose, attempt: i32) -> String {
    match purpose {
        Purpose::CaseFee => format!("case-{case}-fee-{attempt}"),
        Purpose::Fee(fee) => format!("fee-{fee}-{attempt}"),
    }
}

/// For the webhook: a decline Stripe reported (the family may have closed the tab).
pub async fn declined_by_webhook(conn: &mut PgConnection, intent: &Intent) -> sqlx::Result<bool> {
    let Some(attempt) = db::by_provider_id(&mut *conn, &intent.id).await? else { return Ok(false) };
    if attempt.status != PaymentStatus::Pending {
        return Ok(false);
    }
    let message = intent.last_error.as_deref().unwrap_or("Your card was declined.");
    decline(conn, &attempt, message).await?;
    Ok(true)
}
