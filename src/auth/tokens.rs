//! Single-use links (email verification, password reset): 256 random bits
//! in the link, only their SHA-256 in the database, an expiry, used once.

use crate::domain::UserId;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "token_purpose", rename_all = "snake_case")]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    pub fn lifetime(self) -> SignedDuration {
        match self {
            Purpose::VerifyEmail => SignedDuration::from_hours(48),
            Purpose::ResetPassword => SignedDuration::from_mins(30),
        }
    }
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Creates a token and returns the secret part that goes into the link.
pub async fn issue(conn: &mut PgConnection, user: UserId, purpose: Purpose, now: Timestamp) -> sqlx::Result<String> {
    issue_for(conn, user, purpose, now + purpose.lifetime()).await
}

/// As [`issue`], with an explicit expiry (a new staff member gets a day to set a password).
pub async fn issue_for(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    expires_at: Timestamp,
) -> sqlx::Result<String> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query!(
        "insert into auth_tokens (token_hash, user_id, purpose, expires_at) values ($1, $2, $3, $4)",
        digest(&token),
        user as UserId,
        purpose as Purpose,
        expires_at.to_sqlx() as _
    )
    .execute(conn)
    .await?;
    Ok(token)
}

/// The user a live token belongs to, without using it up.
pub async fn peek(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: Timestamp,
) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar!(
        r#"select user_id as "user_id: UserId" from auth_tokens
           where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3"#,
        digest(token),
        purpose as Purpose,
        now.to_sqlx() as _
    )
    .fetch_optional(conn)
    .await
}

/// Uses the token up, atomically: of two concurrent uses exactly one wins.
pub async fn consume(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: Timestamp,
) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar!(
        r#"update auth_tokens set used_at = $3
           where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3
           returning user_id as "user_id: UserId""#,
        digest(token),
        purpose as Purpose,
        now.to_sqlx() as _
    )
    .fetch_optional(conn)
    .await
}

/// Links issued for this user and purpose since `since` (to limit email floods).
pub async fn issued_since(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    since: Timestamp,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from auth_tokens where user_id = $1 and purpose = $2 and created_at > $3"#,
        user as UserId,
        purpose as Purpose,
        since.to_sqlx() as _
    )
    .fetch_one(conn)
    .await
}
