//! The session store, on `tower_sessions.session`, with two differences from
//! tower-sessions' own Postgres store.
//!
//! Saving a session that already exists only ever *updates* its row.
//! tower-sessions' store saves with an upsert: a request that loaded the
//! session before a logout deleted it, and changed it after (a flash, the
//! once-a-minute activity stamp), would write it back — signed in again. Here
//! an ended session stays ended: its row is gone, the update finds nothing,
//! and the cookie that request sends back names no session. New sessions (and
//! new ids at sign-in) go through `create`.
//!
//! Loading a session reads its user in the same statement. Every signed-in
//! request needs both; the row's `user_id` (written from the session's sign-in
//! record) lets one round trip bring them, always as the database has them
//! now. The user travels to [`super::session::authenticate`] in the record,
//! under a key that is never saved.

use crate::domain::UserId;
use jiff_sqlx::ToSqlx;
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// Where a loaded record carries its user; stripped before every write.
pub(super) const USER_KEY: &str = "__user";

#[derive(Clone, Debug)]
pub struct Store {
    db: PgPool,
}

impl Store {
    pub fn new(db: PgPool) -> Self {
        Self { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// The record as it is stored: without the user a load put in it.
fn encode(record: &Record) -> session_store::Result<(Vec<u8>, jiff::Timestamp, Option<UserId>)> {
    let owner = super::session::owner(record);
    let data = if record.data.contains_key(USER_KEY) {
        let mut stored = record.clone();
        stored.data.remove(USER_KEY);
        rmp_serde::to_vec(&stored)
    } else {
        rmp_serde::to_vec(record)
    }
    .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expiry = jiff::Timestamp::from_nanosecond(record.expiry_date.unix_timestamp_nanos()).map_err(backend)?;
    Ok((data, expiry, owner))
}

#[async_trait::async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id colliding is next to impossible; if it does, another id.
        loop {
            let (data, expiry, owner) = encode(record)?;
            let inserted = sqlx::query!(
                "insert into tower_sessions.session (id, data, expiry_date, user_id) values ($1, $2, $3, $4)
                 on conflict (id) do nothing",
                record.id.to_string(),
                data,
                expiry.to_sqlx() as _,
                owner as Option<UserId>
            )
            .execute(&self.db)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, expiry, owner) = encode(record)?;
        // Deliberately not an upsert: see the module comment.
        sqlx::query!(
            "update tower_sessions.session set data = $2, expiry_date = $3, user_id = $4 where id = $1",
            record.id.to_string(),
            data,
            expiry.to_sqlx() as _,
            owner as Option<UserId>
        )
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        // The user as `SessionUser`'s JSON, or null for a session no one signed in to.
        let Some(row) = sqlx::query!(
            r#"select s.data,
                      case when u.id is not null then json_build_object(
                          'id', u.id, 'role', u.role, 'full_name', u.full_name, 'email', u.email,
                          'email_verified', u.email_verified_at is not null, 'disabled', u.disabled_at is not null,
                          'session_generation', u.session_generation, 'language', u.language) end as "user: serde_json::Value"
               from tower_sessions.session s left join users u on u.id = s.user_id
               where s.id = $1 and s.expiry_date > now()"#,
            id.to_string()
        )
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        let mut record: Record =
            rmp_serde::from_slice(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if let Some(user) = row.user {
            record.data.insert(USER_KEY.to_owned(), user);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!("delete from tower_sessions.session where id = $1", id.to_string())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Removes sessions past their expiry (the worker runs it every minute).
pub async fn delete_expired(db: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from tower_sessions.session where expiry_date < now()").execute(db).await?;
    Ok(done.rows_affected())
}
