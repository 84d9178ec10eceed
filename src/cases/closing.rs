//! Closing a delivered case: what is still open (the checklist), the
//! coordinator's close, and the automatic one after the follow-up window,
//! which only closes cases whose checklist is clear.

use crate::domain::{CaseId, CaseStatus};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgExecutor;

/// Something still open on a delivered case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenItem {
    CallNotCompleted,
    FollowUpUnanswered,
    ReferralOpen,
    FeeUnpaid,
    FeeToPrice,
    /// The family may still ask clarifying questions until this instant (its last).
    WindowOpen(Timestamp),
}

impl OpenItem {
    pub fn sentence(&self) -> String {
        match self {
            OpenItem::CallNotCompleted => "The clinician's follow-up call has not been completed.".into(),
            OpenItem::FollowUpUnanswered => "A clarifying question is waiting for an answer.".into(),
            OpenItem::ReferralOpen => "A request for a visit or referral is still open.".into(),
            OpenItem::FeeUnpaid => "An additional fee is waiting for the family's decision.".into(),
            OpenItem::FeeToPrice => "The specialist's re-review suggestion has not been priced or set aside.".into(),
            OpenItem::WindowOpen(until) => {
                format!("The family can ask clarifying questions until {}.", crate::web::format::date_time(*until))
            }
        }
    }
}

/// The checklist of a case, from the flags triggers keep on it (migration 0015).
pub async fn open_items(db: impl PgExecutor<'_>, case: CaseId, now: Timestamp) -> sqlx::Result<Vec<OpenItem>> {
    let row = sqlx::query!(
        r#"select call_pending, follow_up_waiting, referral_open, fee_unpaid, fee_to_price,
                  status as "status: CaseStatus", due_at as "due_at: jiff_sqlx::Timestamp"
           from cases where id = $1"#,
        case as CaseId
    )
    .fetch_one(db)
    .await?;
    let mut items = Vec::new();
    for (open, item) in [
        (row.call_pending, OpenItem::CallNotCompleted),
        (row.follow_up_waiting, OpenItem::FollowUpUnanswered),
        (row.referral_open, OpenItem::ReferralOpen),
        (row.fee_unpaid, OpenItem::FeeUnpaid),
        (row.fee_to_price, OpenItem::FeeToPrice),
    ] {
        if open {
            items.push(item);
        }
    }
    if let (CaseStatus::OpinionDelivered, Some(due)) = (row.status, row.due_at)
        && due.to_jiff() >= now
    {
        items.push(OpenItem::WindowOpen(due.to_jiff()));
    }
    Ok(items)
}

/// Closes every delivered case whose follow-up window (its `due_at`, the
/// window's last instant) has ended and whose checklist is clear; the
/// others wait for a coordinator (listed as needing attention). Safe to run
/// from several processes: rows are claimed with SKIP LOCKED.
pub async fn close_after_window(db: &sqlx::PgPool, base_url: &str, now: Timestamp) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let due = sqlx::query_scalar!(
        r#"select id as "id: CaseId" from cases
           where status = 'opinion_delivered' and due_at < $1
             and not (call_pending or follow_up_waiting or referral_open or fee_unpaid or fee_to_price)
           order by due_at for update skip locked limit 100"#,
        now.to_sqlx() as _
    )
    .fetch_all(&mut *tx)
    .await?;
    for &case in &due {
        crate::cases::transition(
            &mut tx,
            case,
            CaseStatus::OpinionDelivered,
            CaseStatus::Closed,
            None,
            Some("Closed after the follow-up window."),
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        super::updates::tell(&mut tx, base_url, now, case, super::updates::Update::CaseClosed)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    tx.commit().await?;
    if !due.is_empty() {
        tracing::info!(closed = due.len(), "closed cases after their follow-up window");
    }
    Ok(due.len())
}
