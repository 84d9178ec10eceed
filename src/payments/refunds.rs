//! Refunds, exactly once. A refund is *asked for* in the transaction that
//! needs it (`request`: one row per payment, insert-or-nothing), and *made*
//! after that transaction committed (`make`): at Stripe with the idempotency
//! key `refund-{id}`, so a retry after a crash or an outage gets Stripe's
//! same refund, never a second one. The payment is marked `refunded` only
//! once the gateway said the money went back. The worker retries what is
//! still `requested` (`make_due`).

use super::anomalies;
use super::stripe::{GatewayError, RefundState};
use super::{Gateway, db};
use crate::audit::{self, Entry, Outcome};
use crate::domain::payment::{AnomalyKind, RefundReason};
use crate::domain::{CaseId, Cents, PaymentId, PaymentStatus, Provider, RefundId, RefundStatus, UserId};
use crate::error::AppError;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgPool};

/// Asks for the whole of `payment` back, once: a second request for the
/// same payment returns the first one's id and changes nothing.
pub async fn request(
    conn: &mut PgConnection,
    payment: PaymentId,
    reason: RefundReason,
    by: Option<UserId>,
    at: Timestamp,
) -> sqlx::Result<RefundId> {
    let inserted = sqlx::query_scalar!(
        r#"insert into refunds (payment_id, amount_cents, reason, requested_by, requested_at, next_attempt_at)
           select id, amount_cents, $2, $3, $4, $4 from payments where id = $1
           on conflict (payment_id) do nothing
           returning id as "id: RefundId""#,
        payment as PaymentId,
        reason as RefundReason,
        by as Option<UserId>,
        at.to_sqlx() as _
    )
    .fetch_optional(&mut *conn)
    .await?;
    match inserted {
        Some(id) => Ok(id),
        None => {
            sqlx::query_scalar!(
                r#"select id as "id: RefundId" from refunds where payment_id = $1"#,
                payment as PaymentId
            )
            .fetch_one(conn)
            .await
        }
    }
}

/// Where a refund stands after [`make`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// The money went back (or, through the test gateway, never moved).
    Refunded,
    /// Not made yet (the gateway could not be reached, or says pending); the worker retries.
    Pending,
    /// A Stripe payment while this server has no Stripe keys: refund it in Stripe.
    Manual,
    /// The gateway refused: recorded as an anomaly for an admin.
    Failed,
}

struct Due {
    id: RefundId,
    payment_id: PaymentId,
    case_id: CaseId,
    amount: Cents,
    provider: Provider,
    provider_payment_id: Option<String>,
    provider_refund_id: Option<String>,
    attempts: i32,
}

/// Makes the refund at the gateway, if it is still to be made. Safe to call
/// from several places at once: the row is locked while the gateway answers.
pub async fn make(db: &PgPool, gateway: &Gateway, id: RefundId, now: Timestamp) -> Result<Made, AppError> {
    let mut tx = db.begin().await?;
    let Some(due) = sqlx::query_as!(
        Due,
        r#"select r.id as "id: RefundId", r.payment_id as "payment_id: PaymentId", p.case_id as "case_id: CaseId",
                  r.amount_cents as "amount: Cents", p.provider as "provider: Provider", p.provider_payment_id,
                  r.provider_refund_id, r.attempts
           from refunds r join payments p on p.id = r.payment_id
           where r.id = $1 and r.status = 'requested'
           for update of r"#,
        id as RefundId
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        let status =
            sqlx::query_scalar!(r#"select status as "s: RefundStatus" from refunds where id = $1"#, id as RefundId)
                .fetch_one(&mut *tx)
                .await?;
        return Ok(match status {
            RefundStatus::Succeeded => Made::Refunded,
            RefundStatus::Manual => Made::Manual,
            RefundStatus::Failed => Made::Failed,
            RefundStatus::Requested => Made::Pending,
        });
    };
    let answer = match (due.provider, gateway, due.provider_payment_id.as_deref()) {
        (Provider::TestGateway, _, _) => Ok((format!("test_refund_{}", due.id), RefundState::Succeeded)),
        (Provider::Stripe, Gateway::Stripe(stripe), Some(intent)) => match &due.provider_refund_id {
            // Stripe said "pending" before: ask how it went (a replay of the
            // create call would return the old answer).
            Some(refund) => stripe.retrieve_refund(refund).await.map(|r| (r.id, r.state)),
            None => stripe.refund(intent, &format!("refund-{}", due.id)).await.map(|r| (r.id, r.state)),
        },
        (Provider::Stripe, _, _) => {
            sqlx::query!("update refunds set status = 'manual' where id = $1", id as RefundId)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::warn!(refund = %id, "a Stripe payment must be refunded in Stripe: this server has no Stripe keys");
            return Ok(Made::Manual);
        }
    };
    let made = match answer {
        Ok((refund_id, RefundState::Succeeded)) => {
            succeeded(&mut tx, due.id, due.payment_id, &refund_id, now).await?;
            Made::Refunded
        }
        Ok((refund_id, RefundState::Pending)) => {
            sqlx::query!(
                "update refunds set provider_refund_id = $2, attempts = attempts + 1, next_attempt_at = $3 where id = $1",
                id as RefundId,
                refund_id,
                (now + backoff(due.attempts + 1)).to_sqlx() as _
            )
            .execute(&mut *tx)
            .await?;
            Made::Pending
        }
        Ok((refund_id, RefundState::Failed)) => {
            let why = "Stripe says the refund failed";
            failed(&mut tx, due.id, due.payment_id, due.case_id, Some(&refund_id), why, now).await?;
            Made::Failed
        }
        Err(GatewayError::Unreachable) => {
            sqlx::query!(
                "update refunds set attempts = attempts + 1, next_attempt_at = $2 where id = $1",
                id as RefundId,
                (now + backoff(due.attempts + 1)).to_sqlx() as _
            )
            .execute(&mut *tx)
            .await?;
            Made::Pending
        }
        Err(e) => {
            failed(&mut tx, due.id, due.payment_id, due.case_id, None, &e.to_string(), now).await?;
            Made::Failed
        }
    };
    tx.commit().await?;
    tracing::info!(refund = %id, amount = due.amount.0, outcome = ?made, "refund");
    Ok(made)
}

/// Makes every refund that is due (the worker's chore); returns how many were tried.
pub async fn make_due(db: &PgPool, gateway: &Gateway, now: Timestamp) -> anyhow::Result<usize> {
    let due = sqlx::query_scalar!(
        r#"select id as "id: RefundId" from refunds where status = 'requested' and next_attempt_at <= $1
           order by next_attempt_at limit 20"#,
        now.to_sqlx() as _
    )
    .fetch_all(db)
    .await?;
    for &id in &due {
        make(db, gateway, id, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(due.len())
}

/// 1 min, 2 min, 4 min … capped at an hour.
fn backoff(attempts: i32) -> SignedDuration {
    SignedDuration::from_secs((60_i64 << (attempts.clamp(1, 7) - 1)).min(3600))
}

/// The gateway confirmed the money went back (our call, or its webhook).
pub async fn succeeded(
    conn: &mut PgConnection,
    id: RefundId,
    payment: PaymentId,
    provider_refund_id: &str,
    at: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"update refunds set status = 'succeeded', provider_refund_id = $2, completed_at = $3,
                  attempts = attempts + 1, failure_message = null
           where id = $1"#,
        id as RefundId,
        provider_refund_id,
        at.to_sqlx() as _
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update payments set status = 'refunded' where id = $1 and status = 'succeeded'",
        payment as PaymentId
    )
    .execute(&mut *conn)
    .await?;
    audit::record(&mut *conn, Entry::new("refund_succeeded", Outcome::Success).on("refund", id)).await
}

/// The gateway refused or failed the refund: the payment stands as paid, and
/// an admin sees an anomaly to act on.
pub async fn failed(
    conn: &mut PgConnection,
    id: RefundId,
    payment: PaymentId,
    case: CaseId,
    provider_refund_id: Option<&str>,
    why: &str,
    at: Timestamp,
) -> sqlx::Result<()> {
    let why: String = why.chars().take(400).collect();
    sqlx::query!(
        r#"update refunds set status = 'failed', provider_refund_id = coalesce($2, provider_refund_id),
                  failure_message = $3, completed_at = $4, attempts = attempts + 1
           where id = $1"#,
        id as RefundId,
        provider_refund_id,
        why,
        at.to_sqlx() as _
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update payments set status = 'succeeded' where id = $1 and status = 'refunded'",
        payment as PaymentId
    )
    .execute(&mut *conn)
    .await?;
    anomalies::record(
        conn,
        anomalies::New {
            kind: AnomalyKind::RefundFailed,
            payment: Some(payment),
            case: Some(case),
            provider_payment_id: None,
            detail: format!("Refund {id} failed: {why}"),
            refund: Some(id),
        },
    )
    .await?;
    tracing::error!(refund = %id, "refund failed; shown to admins");
    Ok(())
}

/// A payment's refund row, for webhook events that name the payment.
pub async fn for_payment(
    conn: &mut PgConnection,
    payment: PaymentId,
) -> sqlx::Result<Option<(RefundId, RefundStatus)>> {
    Ok(sqlx::query!(
        r#"select id as "id: RefundId", status as "status: RefundStatus" from refunds where payment_id = $1 for update"#,
        payment as PaymentId
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.id, r.status)))
}

/// A refund by the gateway's id, for `refund.failed`.
pub async fn by_provider_id(
    conn: &mut PgConnection,
    provider_refund_id: &str,
) -> sqlx::Result<Option<(RefundId, PaymentId, CaseId)>> {
    Ok(sqlx::query!(
        r#"select r.id as "id: RefundId", r.payment_id as "payment_id: PaymentId", p.case_id as "case_id: CaseId"
           from refunds r join payments p on p.id = r.payment_id where r.provider_refund_id = $1 for update of r"#,
        provider_refund_id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.id, r.payment_id, r.case_id)))
}

/// A refund someone made in Stripe's dashboard, learned from `charge.refunded`.
pub async fn record_made_at_gateway(
    conn: &mut PgConnection,
    payment: &db::PaymentRow,
    provider_refund_id: &str,
    at: Timestamp,
) -> sqlx::Result<()> {
    if payment.status != PaymentStatus::Succeeded {
        return Ok(());
    }
    let id = request(conn, payment.id, RefundReason::MadeAtGateway, None, at).await?;
    succeeded(conn, id, payment.id, provider_refund_id, at).await
}
