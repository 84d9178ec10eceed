//! Money that arrived in a way we did not ask for. Each is recorded once,
//! audited, and listed for an admin until someone reviews it. Ids and amounts
//! only: never health information.

use crate::audit::{self, Entry, Outcome};
use crate::domain::payment::AnomalyKind;
use crate::domain::{AnomalyId, CaseId, PaymentId, RefundId};
use sqlx::PgConnection;

/// An anomaly to record.
pub struct New {
    pub kind: AnomalyKind,
    pub payment: Option<PaymentId>,
    pub case: Option<CaseId>,
    /// As the gateway sent it, for payments we have no row for.
    pub provider_payment_id: Option<String>,
    pub detail: String,
    /// The refund the system asked for because of it, if any.
    pub refund: Option<RefundId>,
}

pub async fn record(conn: &mut PgConnection, new: New) -> sqlx::Result<AnomalyId> {
    let detail: String = new.detail.chars().take(500).collect();
    tracing::error!(kind = ?new.kind, payment = ?new.payment.map(|p| p.to_string()), "payment anomaly");
    let id = sqlx::query_scalar!(
        r#"insert into payment_anomalies (kind, payment_id, case_id, provider_payment_id, detail, refund_id)
           values ($1, $2, $3, $4, $5, $6) returning id as "id: AnomalyId""#,
        new.kind as AnomalyKind,
        new.payment as Option<PaymentId>,
        new.case as Option<CaseId>,
        new.provider_payment_id,
        detail,
        new.refund as Option<RefundId>
    )
    .fetch_one(&mut *conn)
    .await?;
    let entry = Entry::new("payment_anomaly", Outcome::Failure).on("payment_anomaly", id);
    audit::record(&mut *conn, new.case.map_or(entry.clone(), |case| entry.case(case))).await?;
    Ok(id)
}
