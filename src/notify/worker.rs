//! Delivering the outbox: claims one due row at a time with `FOR UPDATE SKIP
//! LOCKED` (so several processes can run it), sends it, and marks it sent or
//! schedules a retry in the same transaction. A crash between the SMTP reply
//! and the commit can send one duplicate; that is accepted (at least once).
//! `jobs` runs it, beside the other periodic chores.

use super::mailer::{Mailer, Outgoing, SendError};
use super::outbox::Bodies;
use super::seal::OutboxKey;
use crate::clock::Clock;
use jiff::SignedDuration;
use jiff_sqlx::ToSqlx;
use sqlx::PgPool;

/// After this many failed attempts a message is `dead` and shown to admins.
pub const MAX_ATTEMPTS: i32 = 8;

/// Delivers one due message; `Ok(false)` when there was none.
pub async fn deliver_one(
    db: &PgPool,
    mailer: &Mailer,
    key: &OutboxKey,
    from: &str,
    clock: &dyn Clock,
) -> anyhow::Result<bool> {
    let now = clock.now();
    let mut tx = db.begin().await?;
    let Some(row) = sqlx::query!(
        r#"select id, to_address, subject, body_text, body_html, body_sealed, attempts from email_outbox
           where status = 'pending' and next_attempt_at <= $1
           order by next_attempt_at
           for update skip locked
           limit 1"#,
        now.to_sqlx() as _
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let bodies = match (&row.body_sealed, row.body_text, row.body_html) {
        (Some(sealed), _, _) => {
            key.open(row.id, sealed).and_then(|plain| serde_json::from_slice::<Bodies>(&plain).ok())
        }
        (None, Some(text), Some(html)) => Some(Bodies { text, html }),
        _ => None,
    };
    let sent = match &bodies {
        // Not permanent: the process with the right key can still send it.
        None => Err(SendError {
            permanent: false,
            message: "the body could not be opened: it was sealed under another APP_SECRET_KEY".into(),
        }),
        Some(b) => {
            let outgoing =
                Outgoing { id: row.id, to: &row.to_address, subject: &row.subject, text: &b.text, html: &b.html };
            mailer.send(from, outgoing).await
        }
    };
    match sent {
        Ok(()) => {
            // Sent: the body (and any link in it) is forgotten.
            sqlx::query!(
                r#"update email_outbox set status = 'sent', sent_at = $2, attempts = attempts + 1,
                          body_text = null, body_html = null, body_sealed = null
                   where id = $1"#,
                row.id,
                now.to_sqlx() as _
            )
            .execute(&mut *tx)
            .await?;
            tracing::info!(email_id = %row.id, "email sent");
        }
        Err(e) => {
            let attempts = row.attempts + 1;
            let dead = e.permanent || attempts >= MAX_ATTEMPTS;
            sqlx::query!(
                r#"update email_outbox set attempts = $2, last_error = $3, next_attempt_at = $4,
                          status = case when $5 then 'dead'::email_status else status end
                   where id = $1"#,
                row.id,
                attempts,
                e.message,
                (now + backoff(attempts)).to_sqlx() as _,
                dead
            )
            .execute(&mut *tx)
            .await?;
            if dead {
                tracing::error!(email_id = %row.id, attempts, permanent = e.permanent, "email given up; see the admin email page");
            } else {
                tracing::warn!(email_id = %row.id, attempts, "email send failed; will retry");
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// 30 s, 1 min, 2 min … capped at an hour.
pub fn backoff(attempts: i32) -> SignedDuration {
    let exp = attempts.clamp(1, 8) - 1;
    SignedDuration::from_secs((30_i64 << exp).min(3600))
}
