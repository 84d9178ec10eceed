//! The session store: tower-sessions' Postgres store, except that saving a
//! session that already exists only ever *updates* its row.
//!
//! tower-sessions saves a changed session with an upsert. A request that
//! loaded the session before a logout deleted it, and changed it after (a
//! flash, the once-a-minute activity stamp), would write it back — signed in
//! again. Here an ended session stays ended: its row is gone, the update
//! finds nothing, and the cookie that request sends back names no session.
//! New sessions (and new ids at sign-in) still go through `create`.

use jiff_sqlx::ToSqlx;
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

#[derive(Clone, Debug)]
pub struct Store {
    inner: PostgresStore,
    db: PgPool,
}

impl Store {
    pub fn new(db: PgPool) -> Self {
        Self { inner: PostgresStore::new(db.clone()), db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expiry = jiff::Timestamp::from_nanosecond(record.expiry_date.unix_timestamp_nanos()).map_err(backend)?;
        // Deliberately not an upsert: see the module comment.
        sqlx::query!(
            "update tower_sessions.session set data = $2, expiry_date = $3 where id = $1",
            record.id.to_string(),
            data,
            expiry.to_sqlx() as _
        )
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.inner.load(id).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.inner.delete(id).await
    }
}

/// Removes sessions past their expiry (the worker runs it every minute).
pub async fn delete_expired(db: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from tower_sessions.session where expiry_date < now()").execute(db).await?;
    Ok(done.rows_affected())
}
