//! Building and running the app, shared by `serve` and the tests.

use crate::auth::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use crate::local_pg::LocalPg;
use crate::notify::mailer::Mailer;
use crate::state::AppState;
use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// How long requests in flight at shutdown get to finish.
const DRAIN: Duration = Duration::from_secs(60);

/// Sessions that never signed in (a form's CSRF token) live this long unused.
const ANONYMOUS_SESSION: tower_sessions::cookie::time::Duration = tower_sessions::cookie::time::Duration::minutes(30);

/// The database to use: `DATABASE_URL`, or a private cluster started here.
pub async fn connect(config: &Config) -> anyhow::Result<(PgPool, Option<LocalPg>)> {
    let (options, local) = match &config.database_url {
        Some(url) => {
            (PgConnectOptions::from_str(url.expose()).context("DATABASE_URL is not a valid postgres:// URL")?, None)
        }
        None => {
            let local = LocalPg::start(&config.var_dir).await?;
            (local.connect_options(), Some(local))
        }
    };
    // A statement that runs away is stopped by the server, not left to pile up.
    let options = options.application_name("second-opinion").options([("statement_timeout", "10s")]);
    let mut delay = Duration::from_millis(250);
    let pool = loop {
        match PgPoolOptions::new()
            .max_connections(config.database_pool_size)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => break pool,
            Err(e) if delay < Duration::from_secs(8) => {
                tracing::warn!(error = %e, "database not reachable yet; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(e) => return Err(e).context("could not connect to the database"),
        }
    };
    Ok((pool, local))
}

/// Every migration this binary knows, embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Runs the migrations (the session store's table is one of them).
pub async fn migrate(db: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(db).await.context("running migrations")
}

/// A built app: its listener is bound, so tests know the port before it runs.
pub struct App {
    listener: TcpListener,
    state: AppState,
    mailer: Mailer,
}

impl App {
    pub async fn build(config: Config, db: PgPool, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let listener = TcpListener::bind(config.listen_addr())
            .await
            .with_context(|| format!("binding {}", config.listen_addr()))?;
        Self::with_listener(config, listener, db, clock)
    }

    /// As [`App::build`], on a listener the caller bound (tests bind port 0
    /// first, so `BASE_URL` can name the real port).
    pub fn with_listener(
        config: Config,
        listener: TcpListener,
        db: PgPool,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<App> {
        // Every date on every page is the hospital's: without its time zone, don't start.
        crate::domain::business_days::load_time_zone()
            .context("the time zone database has no America/Los_Angeles (on Debian: apt-get install tzdata)")?;
        config.program.install()?;
        let mailer = Mailer::from_config(&config)?;
        let hasher = Hasher::new(config.hash_permits);
        let payments = match &config.stripe {
            Some(stripe) => crate::payments::Gateway::Stripe(Arc::new(crate::payments::stripe::StripeGateway::new(
                stripe.secret_key.expose(),
                stripe.api_base.as_deref(),
                stripe.webhook_secret.expose(),
            )?)),
            None => crate::payments::Gateway::Test,
        };
        let csp = crate::web::headers::content_security_policy(&config)?;
        let documents = crate::cases::documents::Storage::from_config(&config)?;
        let outbox_key = crate::notify::seal::OutboxKey::from_secret(&config.secret_key);
        let throttled = Arc::new(crate::auth::throttle::Episodes::default());
        let state =
            AppState { db, config: Arc::new(config), clock, hasher, payments, documents, csp, outbox_key, throttled };
        Ok(App { listener, state, mailer })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Serves until `shutdown` fires; in-flight requests and the email in hand finish first.
    pub async fn run(self, shutdown: CancellationToken, with_worker: bool) -> anyhow::Result<()> {
        let App { listener, state, mailer } = self;
        let https = state.config.https();
        let store = crate::auth::session_store::Store::new(state.db.clone());
        let sessions = SessionManagerLayer::new(store)
            .with_name(if https { "__Host-so_session" } else { "so_session" })
            .with_secure(https)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(ANONYMOUS_SESSION));
        let worker = with_worker.then(|| {
            let jobs = crate::jobs::Jobs {
                db: state.db.clone(),
                mailer,
                outbox_key: state.outbox_key.clone(),
                mail_from: state.config.mail_from.clone(),
                payments: state.payments.clone(),
                clock: state.clock.clone(),
                base_url: state.config.base_url.clone(),
            };
            tokio::spawn(crate::jobs::run(jobs, shutdown.clone()))
        });
        crate::metrics::handle();
        let router = crate::app::router(state, sessions);
        let serving = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .into_future();
        // Requests in flight at shutdown get DRAIN to finish (an upload on a
        // slow link is the longest); then the process stops regardless.
        let drained = {
            let shutdown = shutdown.clone();
            async move {
                shutdown.cancelled().await;
                tokio::time::sleep(DRAIN).await;
            }
        };
        let served = tokio::select! {
            served = serving => served,
            () = drained => {
                tracing::warn!(?DRAIN, "requests still in flight after the drain limit; stopping anyway");
                Ok(())
            }
        };
        shutdown.cancel();
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        served.context("serving HTTP")
    }
}
