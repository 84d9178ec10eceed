//! The hospital calendar kept in memory for the pages that show dates, so a
//! family's dashboard doesn't re-read the `holidays` table on every view.
//!
//! A trigger on `holidays` (migration 0034) notifies `holidays_changed` on
//! any change; every instance listens and forgets its copy, so a holiday added
//! anywhere counts on every instance's next page. While the listener is not
//! connected (starting, or PostgreSQL restarting) nothing is cached: notices
//! sent then would be missed. `transition` keeps reading the table itself,
//! inside its transaction: deadlines are written from the database as it is.

use super::schedule;
use crate::domain::business_days::Calendar;
use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const CHANNEL: &str = "holidays_changed";

/// The calendar as of the last change any instance was told of.
#[derive(Default)]
pub struct CalendarCache {
    current: RwLock<Option<Arc<Calendar>>>,
    /// Bumped by every forget: a load that started before one is not kept.
    changes: AtomicU64,
    /// Whether the listener is connected, so that no change can go unheard.
    listening: AtomicBool,
}

impl CalendarCache {
    /// The calendar, from memory when it can be trusted, else from `conn`.
    pub async fn get(&self, conn: &mut PgConnection) -> anyhow::Result<Arc<Calendar>> {
        if self.listening.load(Ordering::Acquire)
            && let Some(calendar) = self.read().clone()
        {
            return Ok(calendar);
        }
        let seen = self.changes.load(Ordering::Acquire);
        let calendar = Arc::new(schedule::calendar(conn).await?);
        let mut current = self.write();
        if self.listening.load(Ordering::Acquire) && self.changes.load(Ordering::Acquire) == seen {
            *current = Some(calendar.clone());
        }
        Ok(calendar)
    }

    /// Drops the copy: the next page reads the table again. (The admin's own
    /// change calls it too, so their next page needn't wait for the notice.)
    pub fn forget(&self) {
        let mut current = self.write();
        self.changes.fetch_add(1, Ordering::AcqRel);
        *current = None;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Arc<Calendar>>> {
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Arc<Calendar>>> {
        self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Listens for changes until `shutdown`, reconnecting after a lost connection.
    pub async fn watch(self: Arc<Self>, db: PgPool, shutdown: CancellationToken) {
        loop {
            match listen(&db).await {
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
                        "lost the holidays listener; reading the calendar from the database until it is back"
                    );
                }
                Err(e) => tracing::warn!(error = %e, "could not listen for holiday changes yet"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

async fn listen(db: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(db).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
