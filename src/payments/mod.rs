//! Payments: the case fee at submission (and, later, additional fees),
//! through Stripe PaymentIntents or the bannered local test gateway.
//!
//! Exactly once: a payment becomes `succeeded` — and its case `submitted` —
//! only inside [`fulfil`], which both the family's return to our page and the
//! `payment_intent.succeeded` webhook call. It locks the payment row, checks
//! amount, currency and case against what we asked for, and does nothing the
//! second time.

pub mod checkout;
pub mod db;
pub mod receipt;
pub mod stripe;
pub mod webhook;

use crate::audit::{self, Entry, Outcome};
use crate::cases::transition;
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use sqlx::PgConnection;
use std::sync::Arc;
use time::OffsetDateTime;

/// Shown when the gateway can't be reached while taking a payment.
pub const UNREACHABLE: &str =
    "We couldn't reach the payment service. You have not been charged. Please try again in a minute.";

/// Who takes the money.
#[derive(Clone)]
pub enum Gateway {
    Stripe(Arc<stripe::StripeGateway>),
    /// No Stripe keys: the page says TEST MODE and no money moves.
    Test,
}

/// What the gateway reports about a successful charge.
#[derive(Debug)]
pub struct Charge {
    pub provider_payment_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub case_id: Option<String>,
}

/// What [`fulfil`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Fulfilment {
    /// The payment is recorded and the case moved to `submitted`, just now.
    Done(CaseId),
    /// It had already been done; nothing changed.
    AlreadyDone(CaseId),
    /// Something did not match: recorded, nothing marked paid.
    Anomaly(String),
}

/// Records a successful charge once, in the caller's transaction.
#[tracing::instrument(skip_all, fields(payment = %charge.provider_payment_id))]
pub async fn fulfil(
    conn: &mut PgConnection,
    charge: &Charge,
    actor: Option<UserId>,
    base_url: &str,
    at: OffsetDateTime,
) -> Result<Fulfilment, AppError> {
    let Some(payment) = db::payment_by_provider_id(&mut *conn, &charge.provider_payment_id).await? else {
        return anomaly(conn, None, "unknown payment").await;
    };
    let case_matches = charge.case_id.as_deref() == Some(payment.case_id.to_string().as_str());
    if !case_matches || charge.amount_cents != payment.amount_cents || charge.currency != payment.currency {
        let why = format!(
            "mismatch: case {}, amount {} (expected {}), currency {}",
            if case_matches { "ok" } else { "differs" },
            charge.amount_cents,
            payment.amount_cents,
            charge.currency
        );
        return anomaly(conn, Some(payment.case_id), &why).await;
    }
    if payment.status != "pending" {
        return Ok(Fulfilment::AlreadyDone(payment.case_id));
    }
    db::mark_succeeded(&mut *conn, payment.id, at).await?;
    if let Some(fee) = payment.fee_request_id {
        // An additional fee: the case stays where it is.
        sqlx::query!("update fee_requests set status = 'paid', decided_at = $2 where id = $1", fee, at)
            .execute(&mut *conn)
            .await?;
        let mut entry = Entry::new("fee_paid", Outcome::Success).on("payment", payment.id);
        entry.case_id = Some(payment.case_id.0);
        audit::record(&mut *conn, entry).await?;
        return Ok(Fulfilment::Done(payment.case_id));
    }
    let (status, family_email) = db::lock_case(&mut *conn, payment.case_id).await?;
    if status != CaseStatus::Draft {
        // Paid for a case that is no longer a draft (cancelled in another tab):
        // keep the money visible to staff rather than lose it.
        return anomaly(conn, Some(payment.case_id), "paid a case that is not a draft").await;
    }
    transition(conn, payment.case_id, CaseStatus::Draft, CaseStatus::Submitted, actor, None, at).await?;
    // A coordinator should take a new case within a day: the queue's first deadline.
    sqlx::query!("update cases set due_at = $2 where id = $1", payment.case_id as CaseId, at + time::Duration::days(1))
        .execute(&mut *conn)
        .await?;
    let link = format!("{base_url}/family/cases/{}", payment.case_id);
    notify::enqueue(conn, at, &family_email, &Email::PaymentReceived { link }).await?;
    let mut entry = Entry::new("payment_succeeded", Outcome::Success).on("payment", payment.id);
    entry.case_id = Some(payment.case_id.0);
    audit::record(&mut *conn, entry).await?;
    tracing::info!(case = %payment.case_id, "case fee paid; case submitted");
    Ok(Fulfilment::Done(payment.case_id))
}

async fn anomaly(conn: &mut PgConnection, case: Option<CaseId>, why: &str) -> Result<Fulfilment, AppError> {
    tracing::error!(why, "payment anomaly: not marked paid");
    let mut entry = Entry::new("payment_anomaly", Outcome::Failure);
    entry.case_id = case.map(|c| c.0);
    audit::record(&mut *conn, entry).await?;
    Ok(Fulfilment::Anomaly(why.to_owned()))
}

/// Cancels a case before review, refunding its case fee if it was paid.
/// The caller holds the case's row lock and commits. The refund key is fixed
/// per payment, so a retry after a crash gets Stripe's same refund, never a
/// second one. Returns whether a refund was made.
pub async fn refund_and_cancel(
    state: &crate::state::AppState,
    conn: &mut PgConnection,
    case: CaseId,
    status: CaseStatus,
    actor: UserId,
    note: &str,
) -> Result<bool, AppError> {
    let now = state.clock.now();
    let mut refunded = false;
    if let Some(paid) = db::paid_case_fee(&mut *conn, case).await? {
        let refund_id = match (&state.payments, paid.provider_payment_id.as_deref()) {
            (Gateway::Stripe(stripe), Some(pi)) if paid.provider == "stripe" => {
                let key = format!("case-{case}-refund-{}", paid.attempt);
                stripe.refund(pi, &key).await.map_err(|e| {
                    tracing::warn!(error = ?e, "refund failed");
                    AppError::Conflict(
                        "We couldn't reach the payment service to make the refund, so nothing was changed. Please try again in a minute.".into(),
                    )
                })?
                .id
            }
            _ => format!("test_refund_{}", paid.id),
        };
        db::mark_refunded(&mut *conn, paid.id, &refund_id, now).await?;
        refunded = true;
    }
    db::close_open_attempts(&mut *conn, case).await?;
    let note = if refunded { format!("{note} The case fee was refunded.") } else { note.to_owned() };
    transition(&mut *conn, case, status, CaseStatus::Cancelled, Some(actor), Some(&note), now).await?;
    sqlx::query!("update cases set due_at = null where id = $1", case as CaseId).execute(&mut *conn).await?;
    let (_, contact) = db::lock_case(&mut *conn, case).await?;
    let link = format!("{}/family/cases/{case}", state.config.base_url);
    notify::enqueue(&mut *conn, now, &contact, &Email::CaseUpdate { link }).await?;
    Ok(refunded)
}
