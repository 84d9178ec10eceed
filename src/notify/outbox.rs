//! Writing to the outbox, in the caller's transaction: the email exists if
//! and only if the change it announces committed.
//!
//! A message whose link is a credential (confirm an address, reset a
//! password, a staff invitation) is sealed before it is written
//! ([`enqueue_sealed`]); the others carry nothing but "sign in to read it".
//! Once sent, every body is forgotten.

use super::messages::Email;
use super::seal::OutboxKey;
use crate::error::AppError;
use crate::i18n::Lang;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// At most this many emails a stranger could trigger (sign-up, reset,
/// confirmation) go to one address an hour; more would be a mail bomb.
pub const MAX_UNASKED_PER_HOUR: i64 = 5;

/// The two bodies of a message, as they are sealed.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Bodies {
    pub text: String,
    pub html: String,
}

/// Queues `email` to `to`, due at once (`now` is the app clock's), in the
/// language of the account with that address (English if none chose one).
/// A message with a credential in its link is refused here: it must be sealed.
pub async fn enqueue(conn: &mut PgConnection, now: Timestamp, to: &str, email: &Email) -> Result<(), AppError> {
    let lang = language_of(conn, to).await?;
    enqueue_in(conn, now, to, lang, email).await
}

/// [`enqueue`] in `lang`: for the family, whose language the caller knows
/// (a case's contact address need not be an account's).
pub async fn enqueue_in(
    conn: &mut PgConnection,
    now: Timestamp,
    to: &str,
    lang: Lang,
    email: &Email,
) -> Result<(), AppError> {
    if email.carries_credential() {
        return Err(AppError::Internal(anyhow::anyhow!("a {} email must be sealed: use enqueue_sealed", email.kind())));
    }
    insert(conn, None, now, to, lang, email).await
}

/// Queues `email` with its bodies sealed under `key`.
pub async fn enqueue_sealed(
    conn: &mut PgConnection,
    key: &OutboxKey,
    now: Timestamp,
    to: &str,
    email: &Email,
) -> Result<(), AppError> {
    let lang = language_of(conn, to).await?;
    insert(conn, Some(key), now, to, lang, email).await
}

/// [`enqueue_sealed`] in `lang`: an invitation to an address that may have
/// no account yet goes out in the inviter's language.
pub async fn enqueue_sealed_in(
    conn: &mut PgConnection,
    key: &OutboxKey,
    now: Timestamp,
    to: &str,
    lang: Lang,
    email: &Email,
) -> Result<(), AppError> {
    insert(conn, Some(key), now, to, lang, email).await
}

/// The language the account at `to` chose (staff never choose: English).
async fn language_of(conn: &mut PgConnection, to: &str) -> Result<Lang, AppError> {
    let chosen = sqlx::query_scalar!(
        r#"select language as "language: Lang" from users where email = $1 and role = 'family'"#,
        to.trim().to_lowercase()
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    Ok(chosen.unwrap_or_default())
}

async fn insert(
    conn: &mut PgConnection,
    key: Option<&OutboxKey>,
    now: Timestamp,
    to: &str,
    lang: Lang,
    email: &Email,
) -> Result<(), AppError> {
    if email.unasked() {
        let lately = sqlx::query_scalar!(
            r#"select count(*) as "n!" from email_outbox
               where to_address = $1 and kind = any($2) and created_at > $3"#,
            to,
            &Email::UNASKED_KINDS.map(str::to_owned),
            (now - SignedDuration::from_hours(1)).to_sqlx() as _
        )
        .fetch_one(&mut *conn)
        .await?;
        if lately >= MAX_UNASKED_PER_HOUR {
            tracing::warn!(
                kind = email.kind(),
                "an unasked-for email was not queued: this address got enough this hour"
            );
            return Ok(());
        }
    }
    let r = email.render(lang)?;
    let id = uuid::Uuid::new_v4();
    let (text, html, sealed) = match key {
        Some(key) => {
            let bodies = serde_json::to_vec(&Bodies { text: r.text, html: r.html }).map_err(anyhow::Error::from)?;
            (None, None, Some(key.seal(id, &bodies)))
        }
        None => (Some(r.text), Some(r.html), None),
    };
    sqlx::query!(
        r#"insert into email_outbox (id, to_address, kind, subject, body_text, body_html, body_sealed, next_attempt_at, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $8)"#,
        id,
        to,
        r.kind,
        r.subject,
        text,
        html,
        sealed,
        now.to_sqlx() as _
    )
    .execute(conn)
    .await?;
    Ok(())
}
