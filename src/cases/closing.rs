//! Cases close by themselves once the follow-up window has passed.

use crate::clock::Clock;
use crate::domain::{CaseId, CaseStatus};

/// Closes every delivered case whose follow-up window (its `due_at`) has
/// ended. Safe to run from several processes: rows are claimed with SKIP LOCKED.
pub async fn close_after_window(db: &sqlx::PgPool, clock: &dyn Clock) -> anyhow::Result<usize> {
    let now = clock.now();
    let mut tx = db.begin().await?;
    let due = sqlx::query_scalar!(
        r#"select id as "id: CaseId" from cases
           where status = 'opinion_delivered' and due_at <= $1
           order by due_at for update skip locked limit 100"#,
        now
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
        sqlx::query!("update cases set due_at = null where id = $1", case as CaseId).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if !due.is_empty() {
        tracing::info!(closed = due.len(), "closed cases after their follow-up window");
    }
    Ok(due.len())
}
