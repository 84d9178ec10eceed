//! Payments: the case fee at submission and additional fees, through Stripe
//! PaymentIntents or the bannered local test gateway.
//!
//! - [`attempt`] owns a payment attempt for any purpose: open or reuse it,
//!   confirm it, decline and reopen.
//! - [`fulfil`] is the one function that records a charge: both the family's
//!   return to our page and the `payment_intent.succeeded` webhook call it.
//!   It locks the payment row, checks amount, currency and case, and does
//!   nothing the second time. A charge whose purpose is already paid for or
//!   closed is an anomaly, and its refund is asked for at once.
//! - [`refunds`] gives money back exactly once; [`anomalies`] keeps what an
//!   admin must look at.

pub mod anomalies;
pub mod attempt;
pub mod db;
pub mod price;
pub mod refunds;
pub mod stripe;
pub mod webhook;

use crate::audit::{self, Entry, Outcome};
use crate::cases::transition;
use crate::domain::payment::{AnomalyKind, RefundReason};
use crate::domain::{CaseId, CaseStatus, Cents, FeeRequestId, FeeStatus, PaymentStatus, Purpose, RefundId, UserId};
use crate::error::AppError;
use crate::notify::Email;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;

/// Who takes the money.
#[derive(Clone)]
pub enum Gateway {
    Stripe(Arc<stripe::StripeGateway>),
    /// No Stripe keys: the page says TEST MODE and no money moves.
    Test,
}

impl Gateway {
    /// Cancels PaymentIntents we closed (a cancelled case, a withdrawn fee),
    /// after the transaction that closed them committed. Best effort: an
    /// intent that is confirmed anyway arrives as a late success, which is
    /// refunded.
    pub async fn cancel_intents(&self, intents: &[String]) {
        let Gateway::Stripe(stripe) = self else { return };
        for intent in intents.iter().filter(|i| i.starts_with("pi_")) {
            if let Err(e) = stripe.cancel_payment_intent(intent, &format!("{intent}-cancel")).await {
                tracing::warn!(error = %e, intent, "could not cancel a PaymentIntent; a late success will be refunded");
            }
        }
    }
}

/// What the gateway reports about a successful charge.
#[derive(Debug)]
pub struct Charge {
    pub provider_payment_id: String,
    pub amount: Cents,
    pub currency: String,
    pub case_id: Option<String>,
    /// Card brand and last four digits, for the receipt.
    pub card: Option<(String, String)>,
}

impl Charge {
    /// A succeeded PaymentIntent, with its card as Stripe knows it.
    pub async fn of_intent(stripe: &stripe::StripeGateway, intent: stripe::Intent) -> Charge {
        let card = match &intent.payment_method {
            Some(pm) => stripe.card_details(pm).await,
            None => None,
        };
        Charge {
            provider_payment_id: intent.id,
            amount: Cents(intent.amount),
            currency: intent.currency,
            case_id: intent.case_id,
            card,
        }
    }
}

/// What [`fulfil`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Fulfilment {
    /// The charge paid for its purpose just now: the case is submitted, or the fee paid.
    Done(CaseId),
    /// It had already been recorded; nothing changed.
    AlreadyDone(CaseId),
    /// Charged, but the purpose was already paid for or closed (a second
    /// tab, a cancelled case, a withdrawn fee): recorded as an anomaly, and
    /// the refund asked for. The caller makes it once its transaction commits.
    Refunding(CaseId, RefundId),
    /// Not a payment of ours, or not what we asked for: recorded, nothing marked paid.
    Anomaly,
}

/// Whether a purpose can still be paid for, read under its row lock.
enum PurposeState {
    Open,
    /// Paid for or closed; a charge for it must go back, for this reason.
    Closed(RefundReason),
}

/// Locks what the payment pays for (the case, or the fee request) and says
/// whether it is still waiting for the money.
async fn purpose_state(conn: &mut PgConnection, case: CaseId, purpose: Purpose) -> sqlx::Result<PurposeState> {
    Ok(match purpose {
        Purpose::CaseFee => {
            let status = sqlx::query_scalar!(
                r#"select status as "status: CaseStatus" from cases where id = $1 for update"#,
                case as CaseId
            )
            .fetch_one(&mut *conn)
            .await?;
            match status {
                CaseStatus::Draft => PurposeState::Open,
                CaseStatus::Cancelled => PurposeState::Closed(RefundReason::CaseCancelled),
                _ => PurposeState::Closed(RefundReason::DuplicatePayment),
            }
        }
        Purpose::Fee(fee) => {
            let status = sqlx::query_scalar!(
                r#"select status as "status: FeeStatus" from fee_requests where id = $1 for update"#,
                fee as FeeRequestId
            )
            .fetch_one(&mut *conn)
            .await?;
            match status {
                FeeStatus::Requested => PurposeState::Open,
                FeeStatus::Paid => PurposeState::Closed(RefundReason::DuplicatePayment),
                FeeStatus::Declined | FeeStatus::Waived | FeeStatus::Withdrawn => {
                    PurposeState::Closed(RefundReason::FeeWithdrawn)
                }
            }
        }
    })
}

/// Records a successful charge once, in the caller's transaction.
#[tracing::instrument(skip_all, fields(payment = %charge.provider_payment_id))]
pub async fn fulfil(
    conn: &mut PgConnection,
    charge: &Charge,
    actor: Option<UserId>,
    base_url: &str,
    at: Timestamp,
) -> Result<Fulfilment, AppError> {
    let Some(payment) = db::by_provider_id(&mut *conn, &charge.provider_payment_id).await? else {
        let detail = format!("A success was reported for {}, which we have no record of.", charge.provider_payment_id);
        let new = anomalies::New {
            kind: AnomalyKind::UnknownPayment,
            payment: None,
            case: None,
            provider_payment_id: Some(charge.provider_payment_id.clone()),
            detail,
            refund: None,
        };
        anomalies::record(conn, new).await?;
        return Ok(Fulfilment::Anomaly);
    };
    let case = payment.case_id;
    let case_matches = charge.case_id.as_deref() == Some(case.to_string().as_str());
    if !case_matches || charge.amount != payment.amount || charge.currency != payment.currency {
        let detail = format!(
            "Charged {} {} for case {} ({}); we asked for {} {}.",
            charge.amount,
            charge.currency,
            charge.case_id.as_deref().unwrap_or("none"),
            if case_matches { "the right case" } else { "another case" },
            payment.amount,
            payment.currency
        );
        let new = anomalies::New {
            kind: AnomalyKind::Mismatch,
            payment: Some(payment.id),
            case: Some(case),
            provider_payment_id: None,
            detail,
            refund: None,
        };
        anomalies::record(conn, new).await?;
        return Ok(Fulfilment::Anomaly);
    }
    if matches!(payment.status, PaymentStatus::Succeeded | PaymentStatus::Refunded) {
        return Ok(Fulfilment::AlreadyDone(case));
    }
    // Pending, or an attempt we had closed (declined, cancelled) that the
    // gateway now says was paid after all.
    let late = payment.status != PaymentStatus::Pending;
    let purpose = payment.purpose();
    match purpose_state(&mut *conn, case, purpose).await? {
        PurposeState::Open => {
            db::mark_succeeded(&mut *conn, payment.id, true, charge.card.as_ref(), at).await?;
            if late {
                // The family paid after all: the attempt opened since is not needed.
                db::cancel_open(&mut *conn, case, Some(purpose)).await?;
                let new = anomalies::New {
                    kind: AnomalyKind::LateSuccess,
                    payment: Some(payment.id),
                    case: Some(case),
                    provider_payment_id: None,
                    detail: format!(
                        "Attempt {} was closed as {:?}, then paid; it was accepted.",
                        payment.attempt, payment.status
                    ),
                    refund: None,
                };
                anomalies::record(&mut *conn, new).await?;
            }
            match purpose {
                Purpose::CaseFee => {
                    transition(conn, case, CaseStatus::Draft, CaseStatus::Submitted, actor, None, at).await?;
                    crate::cases::db::lock(&mut *conn, case).await?;
                    let link = format!("{base_url}/family/cases/{case}");
                    let email = Email::PaymentReceived { link };
                    crate::cases::guardians::email_all(conn, at, case, &email, |_| true).await?;
                    audit::record(
                        &mut *conn,
                        Entry::new("payment_succeeded", Outcome::Success).on("payment", payment.id).case(case),
                    )
                    .await?;
                    tracing::info!(%case, "case fee paid; case submitted");
                }
                Purpose::Fee(fee) => {
                    let moves = sqlx::query_scalar!(
                        "update fee_requests set status = 'paid', decided_at = $2, decided_by = $3 where id = $1
                         returning moves_opinion_days",
                        fee as FeeRequestId,
                        at.to_sqlx() as _,
                        actor as Option<UserId>
                    )
                    .fetch_one(&mut *conn)
                    .await?;
                    // The re-review takes time: the opinion's deadline moves by what the coordinator set.
                    crate::cases::transition::extend_opinion(conn, case, moves).await?;
                    crate::cases::updates::record(conn, case, crate::cases::updates::Update::FeePaid(fee), at).await?;
                    audit::record(
                        &mut *conn,
                        Entry::new("fee_paid", Outcome::Success).on("payment", payment.id).case(case),
                    )
                    .await?;
                }
            }
            Ok(Fulfilment::Done(case))
        }
        PurposeState::Closed(reason) => {
            db::mark_succeeded(&mut *conn, payment.id, false, charge.card.as_ref(), at).await?;
            let refund = refunds::request(&mut *conn, payment.id, reason, None, at).await?;
            let new = anomalies::New {
                kind: AnomalyKind::LateSuccess,
                payment: Some(payment.id),
                case: Some(case),
                provider_payment_id: None,
                detail: format!(
                    "Attempt {} ({:?}) was paid when its purpose was no longer open ({reason:?}); refund asked for.",
                    payment.attempt, payment.status
                ),
                refund: Some(refund),
            };
            anomalies::record(&mut *conn, new).await?;
            Ok(Fulfilment::Refunding(case, refund))
        }
    }
}

/// After the transaction that recorded `fulfilment` committed: makes the
/// refund it asked for, if any.
pub async fn after_fulfil(
    db: &PgPool,
    gateway: &Gateway,
    fulfilment: &Fulfilment,
    now: Timestamp,
) -> Result<(), AppError> {
    if let Fulfilment::Refunding(_, refund) = fulfilment {
        refunds::make(db, gateway, *refund, now).await?;
    }
    Ok(())
}

/// What cancelling a case does with its money, in the caller's transaction
/// (which holds the case's lock): fees still asked for are withdrawn, open
/// attempts closed, and every payment refunded.
pub struct Released {
    pub refunds: Vec<RefundId>,
    /// PaymentIntents to cancel at Stripe once the transaction committed.
    pub intents: Vec<String>,
}

pub async fn release_case(conn: &mut PgConnection, case: CaseId, by: UserId, at: Timestamp) -> sqlx::Result<Released> {
    // Withdraw first: a fee being paid right now holds its row, and once that
    // payment commits, the refunds below see it.
    sqlx::query!(
        "update fee_requests set status = 'withdrawn', decided_at = $2, decided_by = $3 where case_id = $1 and status = 'requested'",
        case as CaseId,
        at.to_sqlx() as _,
        by as UserId
    )
    .execute(&mut *conn)
    .await?;
    let intents = db::cancel_open(&mut *conn, case, None).await?;
    let mut ids = Vec::new();
    for payment in db::refundable(&mut *conn, case).await? {
        ids.push(refunds::request(&mut *conn, payment, RefundReason::CaseCancelled, Some(by), at).await?);
    }
    Ok(Released { refunds: ids, intents })
}

/// After the cancellation committed: cancels the intents and makes the
/// refunds. Returns how the refunds stand, for the page's message.
pub async fn after_release(db: &PgPool, gateway: &Gateway, released: &Released, now: Timestamp) -> Vec<refunds::Made> {
    gateway.cancel_intents(&released.intents).await;
    let mut made = Vec::new();
    for &refund in &released.refunds {
        match refunds::make(db, gateway, refund, now).await {
            Ok(m) => made.push(m),
            Err(e) => {
                tracing::warn!(error = %e, %refund, "refund not made yet; the worker retries");
                made.push(refunds::Made::Pending);
            }
        }
    }
    made
}

/// The family declines, or the coordinator waives, a fee still asked for:
/// it closes with its open attempt. `None` if it was no longer asked for.
/// Returns the intents to cancel once the transaction committed.
pub async fn close_fee(
    conn: &mut PgConnection,
    case: CaseId,
    fee: FeeRequestId,
    to: FeeStatus,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<Option<Vec<String>>> {
    let closed = sqlx::query!(
        "update fee_requests set status = $3, decided_at = $4, decided_by = $5 where id = $2 and case_id = $1 and status = 'requested'",
        case as CaseId,
        fee as FeeRequestId,
        to as FeeStatus,
        at.to_sqlx() as _,
        by as UserId
    )
    .execute(&mut *conn)
    .await?;
    if closed.rows_affected() == 0 {
        return Ok(None);
    }
    Ok(Some(db::cancel_open(conn, case, Some(Purpose::Fee(fee))).await?))
}

/// Where a purpose can be paid after a GET of its card page: if the family
/// comes back after paying (a closed tab, 3-D Secure), the server asks
/// Stripe — never the query string — and records what it says.
pub async fn settle_if_paid(
    state: &crate::state::AppState,
    case: CaseId,
    purpose: Purpose,
    actor: UserId,
) -> Result<Option<Fulfilment>, AppError> {
    let Gateway::Stripe(stripe) = &state.payments else { return Ok(None) };
    let intent_id = {
        let mut conn = state.db.acquire().await?;
        sqlx::query_scalar!(
            r#"select provider_payment_id from payments
               where case_id = $1 and purpose = $2 and fee_request_id is not distinct from $3 and status = 'pending'"#,
            case as CaseId,
            purpose.kind() as crate::domain::PurposeKind,
            purpose.fee_request() as Option<FeeRequestId>
        )
        .fetch_optional(&mut *conn)
        .await?
        .flatten()
    };
    let Some(intent_id) = intent_id else { return Ok(None) };
    let intent = match stripe.retrieve_payment_intent(&intent_id).await {
        Ok(intent) if intent.status == stripe::IntentStatus::Succeeded => intent,
        Ok(_) => return Ok(None),
        Err(e) => {
            tracing::warn!(error = ?e, "could not retrieve the PaymentIntent");
            return Ok(None);
        }
    };
    let charge = Charge::of_intent(stripe, intent).await;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let fulfilment = fulfil(&mut tx, &charge, Some(actor), &state.config.base_url, now).await?;
    tx.commit().await?;
    after_fulfil(&state.db, &state.payments, &fulfilment, now).await?;
    Ok(Some(fulfilment))
}
