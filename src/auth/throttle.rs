//! Sign-in throttling: at most 10 failures per account and 100 per address
//! in 15 minutes. Checked before the password is, so the right password does
//! not unlock an account under attack until the window passes.

use crate::error::AppError;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_PER_ACCOUNT: i64 = 10;
pub const MAX_PER_IP: i64 = 100;

/// `Some(minutes to wait)` when this email or address has failed too often.
pub async fn blocked_for(
    db: &PgPool,
    email: &str,
    ip: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<i64>, AppError> {
    let since = now - WINDOW;
    let row = sqlx::query!(
        r#"select
             count(*) filter (where email = $1) as "by_account!",
             count(*) filter (where client_ip = $2) as "by_ip!",
             min(at) filter (where email = $1) as oldest_for_account
           from login_failures
           where at > $3 and (email = $1 or client_ip = $2)"#,
        email,
        ip,
        since
    )
    .fetch_one(db)
    .await?;
    if row.by_account >= MAX_PER_ACCOUNT || row.by_ip >= MAX_PER_IP {
        let oldest = row.oldest_for_account.unwrap_or(now);
        let wait = (oldest + WINDOW - now).whole_minutes().max(1);
        return Ok(Some(wait));
    }
    Ok(None)
}

pub async fn record_failure(db: &PgPool, email: &str, ip: Option<&str>, now: OffsetDateTime) -> Result<(), AppError> {
    sqlx::query!("insert into login_failures (email, client_ip, at) values ($1, $2, $3)", email, ip, now)
        .execute(db)
        .await?;
    Ok(())
}
