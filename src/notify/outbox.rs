//! Writing to the outbox, in the caller's transaction: the email exists if
//! and only if the change it announces committed.

use super::messages::Email;
use crate::error::AppError;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// Queues `email` to `to`, due at once (`now` is the app clock's).
pub async fn enqueue(conn: &mut PgConnection, now: Timestamp, to: &str, email: &Email) -> Result<(), AppError> {
    let r = email.render()?;
    sqlx::query!(
        r#"insert into email_outbox (to_address, kind, subject, body_text, body_html, next_attempt_at)
           values ($1, $2, $3, $4, $5, $6)"#,
        to,
        r.kind,
        r.subject,
        r.text,
        r.html,
        now.to_sqlx() as _
    )
    .execute(conn)
    .await?;
    Ok(())
}
