//! Sign-in throttling: at most 10 failures per account and 100 per address
//! in 15 minutes. Checked before the password is, so the right password does
//! not unlock an account under attack until the window passes.

use crate::error::AppError;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sqlx::PgPool;

pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);
pub const MAX_PER_ACCOUNT: i64 = 10;
pub const MAX_PER_IP: i64 = 100;

/// `Some(minutes to wait)` when this email or address has failed too often.
pub async fn blocked_for(db: &PgPool, email: &str, ip: Option<&str>, now: Timestamp) -> Result<Option<i64>, AppError> {
    let since = now - WINDOW;
    let row = sqlx::query!(
        r#"select
             count(*) filter (where email = $1) as "by_account!",
             count(*) filter (where client_ip = $2) as "by_ip!",
             min(at) filter (where email = $1) as "oldest_for_account: jiff_sqlx::Timestamp"
           from login_failures
           where at > $3 and (email = $1 or client_ip = $2)"#,
        email,
        ip,
        since.to_sqlx() as _
    )
    .fetch_one(db)
    .await?;
    if row.by_account >= MAX_PER_ACCOUNT || row.by_ip >= MAX_PER_IP {
        let oldest = row.oldest_for_account.map_or(now, jiff_sqlx::Timestamp::to_jiff);
        let wait = ((oldest + WINDOW).duration_since(now).as_secs() / 60).max(1);
        return Ok(Some(wait));
    }
    Ok(None)
}

pub async fn record_failure(db: &PgPool, email: &str, ip: Option<&str>, now: Timestamp) -> Result<(), AppError> {
    sqlx::query!(
        "insert into login_failures (email, client_ip, at) values ($1, $2, $3)",
        email,
        ip,
        now.to_sqlx() as _
    )
    .execute(db)
    .await?;
    Ok(())
}
