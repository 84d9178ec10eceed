//! Cases close by themselves once the follow-up window has passed.

use crate::domain::{CaseId, CaseStatus};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

/// Closes every delivered case whose follow-up window (its `due_at`, the
/// window's last instant) has ended. Safe to run from several processes:
/// rows are claimed with SKIP LOCKED.
pub async fn close_after_window(db: &sqlx::PgPool, base_url: &str, now: Timestamp) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let due = sqlx::query_scalar!(
        r#"select id as "id: CaseId" from cases
           where status = 'opinion_delivered' and due_at < $1
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
