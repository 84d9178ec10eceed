//! Reference tables kept in memory for the pages that show them — the
//! hospital calendar (holidays) and the case fee schedule — so a page doesn't
//! re-read a table that changes a few times a year on every view.
//!
//! A trigger on each table (migrations 0034 and 0049) notifies its channel on
//! any change; every instance listens and forgets its copy, so a change made
//! anywhere (the admin's page, or by hand) counts on every instance's next
//! page. While the listener is not connected (starting, or PostgreSQL
//! restarting) nothing is cached: notices sent then would be missed. Writes
//! that depend on the table (`transition`'s deadlines, a payment's amount)
//! read it themselves, inside their transaction.

use crate::domain::business_days::Calendar;
use crate::payments::price::FeeSchedule;
use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A table worth keeping in memory, and how to read it.
pub trait Reference: Sized + Send + Sync + 'static {
    /// What its trigger notifies on any change.
    const CHANNEL: &'static str;
    fn load(conn: &mut PgConnection) -> impl Future<Output = anyhow::Result<Self>> + Send;
}

impl Reference for Calendar {
    const CHANNEL: &'static str = "holidays_changed";
    async fn load(conn: &mut PgConnection) -> anyhow::Result<Self> {
        crate::cases::schedule::calendar(conn).await
    }
}

impl Reference for FeeSchedule {
    const CHANNEL: &'static str = "prices_changed";
    async fn load(conn: &mut PgConnection) -> anyhow::Result<Self> {
        Ok(FeeSchedule::load(conn).await?)
    }
}

/// The table as of the last change any instance was told of.
pub struct Cache<T> {
    current: RwLock<Option<Arc<T>>>,
    /// The last copy read, kept through a forget: for what must answer while
    /// the database is away (`program::in_effect`), never for a write.
    last: RwLock<Option<Arc<T>>>,
    /// Bumped by every forget: a load that started before one is not kept.
    changes: AtomicU64,
    /// Whether the listener is connected, so that no change can go unheard.
    listening: AtomicBool,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache {
            current: RwLock::new(None),
            last: RwLock::new(None),
            changes: AtomicU64::new(0),
            listening: AtomicBool::new(false),
        }
    }
}

impl<T: Reference> Cache<T> {
    /// The copy in memory, when it can be trusted (no connection needed).
    pub fn cached(&self) -> Option<Arc<T>> {
        self.read().clone().filter(|_| self.listening.load(Ordering::Acquire))
    }

    /// The table, from memory when it can be trusted, else from `conn`.
    pub async fn get(&self, conn: &mut PgConnection) -> anyhow::Result<Arc<T>> {
        if let Some(value) = self.cached() {
            return Ok(value);
        }
        let seen = self.changes.load(Ordering::Acquire);
        let value = Arc::new(T::load(conn).await?);
        *self.last.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(value.clone());
        let mut current = self.write();
        if self.listening.load(Ordering::Acquire) && self.changes.load(Ordering::Acquire) == seen {
            *current = Some(value.clone());
        }
        Ok(value)
    }

    /// The last copy read, however old (it may predate changes not yet heard of).
    pub fn last(&self) -> Option<Arc<T>> {
        self.last.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Drops the copy: the next page reads the table again. (The admin's own
    /// change calls it too, so their next page needn't wait for the notice.)
    pub fn forget(&self) {
        let mut current = self.write();
        self.changes.fetch_add(1, Ordering::AcqRel);
        *current = None;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Arc<T>>> {
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Arc<T>>> {
        self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Listens for changes until `shutdown`, reconnecting after a lost connection.
    pub async fn watch(self: Arc<Self>, db: PgPool, shutdown: CancellationToken) {
        loop {
            match listen(&db, T::CHANNEL).await {
                Ok(mut listener) => {
                    // Whatever changed while no one listened is read afresh.
                    self.forget();
                    self.listening.store(true, Ordering::Release);
                    loop {
                        tokio::select! {
                            () = shutdown.cancelled() => return,
                            notice = listener.try_recv() => match notice {
                                Ok(Some(_)) => self.forget(),
                                Ok(None) | Err(_) => break,
                            },
                        }
                    }
                    self.listening.store(false, Ordering::Release);
                    self.forget();
                    tracing::warn!(
                        channel = T::CHANNEL,
                        "lost a listener; reading its table from the database until it is back"
                    );
                }
                Err(e) => tracing::warn!(channel = T::CHANNEL, error = %e, "could not listen for changes yet"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

async fn listen(db: &PgPool, channel: &str) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(db).await?;
    listener.listen(channel).await?;
    Ok(listener)
}
