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
    let (status, family_email) = db::lock_case(&mut *conn, payment.case_id).await?;
    if status != CaseStatus::Draft {
        // Paid for a case that is no longer a draft (cancelled in another tab):
        // keep the money visible to staff rather than lose it.
        return anomaly(conn, Some(payment.case_id), "paid a case that is not a draft").await;
    }
    transition(conn, payment.case_id, CaseStatus::Draft, CaseStatus::Submitted, actor, Some("Case fee paid."), at)
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
