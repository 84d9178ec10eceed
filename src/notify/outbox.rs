//! Writing to the outbox, in the caller's transaction: the email exists if
//! and only if the change it announces committed.

use super::messages::Email;
use crate::error::AppError;
use sqlx::PgConnection;

pub async fn enqueue(conn: &mut PgConnection, to: &str, email: &Email) -> Result<(), AppError> {
    let r = email.render()?;
    sqlx::query!(
        "insert into email_outbox (to_address, kind, subject, body_text, body_html) values ($1, $2, $3, $4, $5)",
        to,
        r.kind,
        r.subject,
        r.text,
        r.html
    )
    .execute(conn)
    .await?;
    Ok(())
}
