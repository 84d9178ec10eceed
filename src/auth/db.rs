//! Queries on `users` for sign-in and account pages.

use crate::domain::{EmailAddress, Role, UserId};
use sqlx::{PgConnection, PgExecutor};

/// What the session check needs about its user, every request: read with
/// the session itself (`session_store`), as JSON.
#[derive(serde::Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub role: Role,
    pub full_name: String,
    pub email: String,
    pub email_verified: bool,
    pub disabled: bool,
    pub session_generation: i32,
    pub language: Option<crate::i18n::Lang>,
}

/// The account a sign-in attempt names, if it exists and is enabled.
pub struct LoginUser {
    pub id: UserId,
    pub role: Role,
    pub password_hash: String,
    pub session_generation: i32,
}

#[tracing::instrument(skip_all)]
pub async fn login_user(db: impl PgExecutor<'_>, email: &EmailAddress) -> sqlx::Result<Option<LoginUser>> {
    sqlx::query_as!(
        LoginUser,
        r#"select id as "id: UserId", role as "role: Role", password_hash, session_generation
           from users where email = $1 and disabled_at is null"#,
        email.as_str()
    )
    .fetch_optional(db)
    .await
}

#[tracing::instrument(skip_all)]
pub async fn password_hash(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<String> {
    sqlx::query_scalar!("select password_hash from users where id = $1", id as UserId).fetch_one(db).await
}

/// Sets a new password and ends every session (returns the new generation).
#[tracing::instrument(skip_all)]
pub async fn set_password(conn: &mut PgConnection, id: UserId, phc: &str) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"update users set password_hash = $2, session_generation = session_generation + 1
           where id = $1 returning session_generation"#,
        id as UserId,
        phc
    )
    .fetch_one(conn)
    .await
}

/// Creates an account; `None` when the email is taken (the caller must not say so).
#[tracing::instrument(skip_all)]
pub async fn insert_user(
    conn: &mut PgConnection,
    email: &EmailAddress,
    full_name: &str,
    role: Role,
    phc: &str,
    verified: bool,
) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar!(
        r#"insert into users (email, full_name, role, password_hash, email_verified_at)
           values ($1, $2, $3, $4, case when $5 then now() end)
           on conflict (email) do nothing
           returning id as "id: UserId""#,
        email.as_str(),
        full_name,
        role as Role,
        phc,
        verified
    )
    .fetch_optional(conn)
    .await
}

#[tracing::instrument(skip_all)]
pub async fn user_id_by_email(db: impl PgExecutor<'_>, email: &EmailAddress) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar!(
        r#"select id as "id: UserId" from users where email = $1 and disabled_at is null"#,
        email.as_str()
    )
    .fetch_optional(db)
    .await
}

#[tracing::instrument(skip_all)]
pub async fn email_of(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<String> {
    sqlx::query_scalar!("select email from users where id = $1", id as UserId).fetch_one(db).await
}
