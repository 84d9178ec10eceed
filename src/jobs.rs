//! The periodic work every process runs beside the web server: delivering
//! the email outbox, making refunds that are due, and closing cases whose
//! follow-up window has ended. Each claims its rows with SKIP LOCKED or a
//! row lock, so several processes can run it at once.

use crate::clock::Clock;
use crate::notify::mailer::Mailer;
use crate::payments::Gateway;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// What the jobs need; cheap to clone.
pub struct Jobs {
    pub db: PgPool,
    pub mailer: Mailer,
    pub outbox_key: crate::notify::seal::OutboxKey,
    pub mail_from: String,
    pub payments: Gateway,
    pub clock: Arc<dyn Clock>,
    /// The public address, for the links in the emails the jobs send.
    pub base_url: String,
    /// The program's names as the admin set them, for the emails.
    pub program: Arc<crate::reference_cache::Cache<crate::program::Overrides>>,
}

/// How often the slower chores run.
const CHORES_EVERY: Duration = Duration::from_secs(60);

/// Runs until `shutdown` fires, finishing the email in hand first.
pub async fn run(jobs: Jobs, shutdown: CancellationToken) {
    tracing::info!("background jobs started");
    let mut last_chores = Instant::now() - CHORES_EVERY;
    loop {
        if last_chores.elapsed() >= CHORES_EVERY {
            last_chores = Instant::now();
            chores(&jobs).await;
        }
        let started = Instant::now();
        let delivered = deliver_one(&jobs).await;
        // An empty look at the outbox is not a run worth counting.
        if !matches!(delivered, Ok(false)) {
            crate::metrics::job_ran("email", started, delivered.is_ok());
        }
        let idle = match delivered {
            Ok(true) => false,
            Ok(false) => true,
            Err(e) => {
                tracing::warn!(error = %e, "email delivery could not reach the database");
                true
            }
        };
        if idle {
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
        } else if shutdown.is_cancelled() {
            break;
        }
    }
    tracing::info!("background jobs stopped");
}

/// Sends one email from the outbox, if one is due, in the program's names in effect now.
pub async fn deliver_one(jobs: &Jobs) -> anyhow::Result<bool> {
    let program = crate::program::in_effect(&jobs.program, &jobs.db).await;
    let sending = crate::notify::worker::deliver_one(
        &jobs.db,
        &jobs.mailer,
        &jobs.outbox_key,
        &jobs.mail_from,
        jobs.clock.as_ref(),
    );
    crate::program::scope(program, sending).await
}

/// Refunds due for another try, cases whose follow-up window ended,
/// sessions past their expiry, and sign-in attempts too old to count. Each
/// run is counted and timed for `/metrics` (`job_runs_total`).
pub async fn chores(jobs: &Jobs) {
    let now = jobs.clock.now();
    let started = Instant::now();
    let refunds = crate::payments::refunds::make_due(&jobs.db, &jobs.payments, now).await;
    if let Err(e) = &refunds {
        tracing::warn!(error = %e, "making due refunds failed; will retry");
    }
    crate::metrics::job_ran("refunds", started, refunds.is_ok());
    let started = Instant::now();
    let closing = crate::cases::closing::close_after_window(&jobs.db, &jobs.base_url, now).await;
    if let Err(e) = &closing {
        tracing::warn!(error = %e, "closing cases after their window failed; will retry");
    }
    crate::metrics::job_ran("closing", started, closing.is_ok());
    let started = Instant::now();
    let sessions = crate::auth::session_store::delete_expired(&jobs.db).await;
    if let Err(e) = &sessions {
        tracing::warn!(error = %e, "deleting expired sessions failed; will retry");
    }
    crate::metrics::job_ran("expired_sessions", started, sessions.is_ok());
    let started = Instant::now();
    let throttle = crate::auth::throttle::forget_old(&jobs.db, now).await;
    if let Err(e) = &throttle {
        tracing::warn!(error = %e, "forgetting old sign-in attempts failed; will retry");
    }
    crate::metrics::job_ran("old_sign_in_attempts", started, throttle.is_ok());
}
