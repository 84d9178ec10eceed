//! Building and running the app, shared by `serve` and the tests.

use crate::auth::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use crate::local_pg::LocalPg;
use crate::notify::mailer::Mailer;
use crate::state::AppState;
use anyhow::{Context, bail};
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

/// The group role the app serves as (migration 0024): `DATABASE_URL`'s
/// user is a member, and may add to `audit_log` but never change it.
pub const RUNTIME_ROLE: &str = "second_opinion_runtime";

/// The private cluster, when `DATABASE_URL` is unset (started, or joined).
pub async fn local_cluster(config: &Config) -> anyhow::Result<Option<LocalPg>> {
    match config.database_url {
        Some(_) => Ok(None),
        None => LocalPg::start(&config.var_dir).await.map(Some),
    }
}

/// The pool the app serves with: `DATABASE_URL`, or the private cluster's runtime login.
pub async fn connect(config: &Config, local: Option<&LocalPg>) -> anyhow::Result<PgPool> {
    let options = match (&config.database_url, local) {
        (Some(url), _) => url_options(url.expose(), "DATABASE_URL")?,
        (None, Some(local)) => local.runtime_options(),
        (None, None) => bail!("no DATABASE_URL and no private cluster"),
    };
    pool(options, config.database_pool_size).await
}

/// A small pool as the owner of the tables, for migrations and the
/// command-line tools: `DATABASE_OWNER_URL`, else `DATABASE_URL`, else the
/// private cluster's superuser.
pub async fn connect_owner(config: &Config, local: Option<&LocalPg>) -> anyhow::Result<PgPool> {
    let options = match (&config.database_owner_url, &config.database_url, local) {
        (Some(url), _, _) => url_options(url.expose(), "DATABASE_OWNER_URL")?,
        (None, Some(url), _) => url_options(url.expose(), "DATABASE_URL")?,
        (None, None, Some(local)) => local.connect_options(),
        (None, None, None) => bail!("no DATABASE_URL and no private cluster"),
    };
    pool(options, 2).await
}

fn url_options(url: &str, name: &str) -> anyhow::Result<PgConnectOptions> {
    PgConnectOptions::from_str(url).with_context(|| format!("{name} is not a valid postgres:// URL"))
}

/// Connects, retrying with backoff while the server is not up yet.
async fn pool(options: PgConnectOptions, size: u32) -> anyhow::Result<PgPool> {
    // A statement that runs away is stopped by the server, not left to pile up.
    let options = options.application_name("second-opinion").options([("statement_timeout", "10s")]);
    let mut delay = Duration::from_millis(250);
    loop {
        match PgPoolOptions::new()
            .max_connections(size)
            .acquire_timeout(Duration::from_secs(5))
            // sqlx pings every connection it hands out: a second round trip for
            // every query. Only one idle a while may have been dropped by the
            // server or a restart; one used a moment ago is as good as the
            // query's own answer (and a broken one fails that query, which the
            // person sees as the calm 503 page, and is then discarded).
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for <= IDLE_BEFORE_PING {
                        return Ok(true);
                    }
                    // A half-open connection can hang a ping: one that fails or
                    // misses the deadline is dropped, and the pool tries another.
                    let ping = tokio::time::timeout(PING_DEADLINE, sqlx::Connection::ping(conn)).await;
                    Ok(matches!(ping, Ok(Ok(()))))
                })
            })
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => return Ok(pool),
            Err(e) if delay < Duration::from_secs(8) => {
                tracing::warn!(error = %e, "database not reachable yet; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(e) => return Err(e).context("could not connect to the database"),
        }
    }
}

/// How long a pooled connection may sit unused before it is checked on the way out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(5);
/// How long that check may take before the connection is given up on.
const PING_DEADLINE: Duration = Duration::from_secs(2);

/// Every migration this binary knows, embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Runs the migrations (the session store's table is one of them), as the
/// owner, one at a time so a terminal sees how far they are. Returns how many
/// were applied now. The steps are sqlx's own `Migrator::run`: its lock (one
/// instance migrates, the others wait), refusal of a dirty or changed
/// migration, then each pending one in its own transaction.
pub async fn migrate(owner: &PgPool) -> anyhow::Result<usize> {
    use sqlx::migrate::Migrate;
    let mut conn = owner.acquire().await.context("connecting to migrate")?;
    conn.lock().await?;
    conn.ensure_migrations_table().await?;
    if let Some(version) = conn.dirty_version().await? {
        bail!("migration {version} was left half applied; repair it by hand");
    }
    let applied: std::collections::HashMap<i64, _> =
        conn.list_applied_migrations().await?.into_iter().map(|m| (m.version, m.checksum)).collect();
    let known: Vec<_> = MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).collect();
    if let Some(version) = applied.keys().find(|v| !MIGRATOR.version_exists(**v)) {
        bail!("the database has migration {version}, which this binary does not know (an older binary?)");
    }
    let mut pending = Vec::new();
    for m in known {
        match applied.get(&m.version) {
            Some(checksum) if *checksum != m.checksum => {
                bail!("migration {} was changed after it was applied", m.version)
            }
            Some(_) => {}
            None => pending.push(m),
        }
    }
    let bar = crate::progress::bar(pending.len(), "migrating");
    for m in &pending {
        bar.set_message(format!("{} {}", m.version, m.description));
        conn.apply(m).await.with_context(|| format!("running migration {} {}", m.version, m.description))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    conn.unlock().await?;
    Ok(pending.len())
}

/// Whether the role the app serves with could change or remove audit rows
/// (a superuser, the table's owner, or someone granted more than 0024 grants).
pub async fn can_rewrite_audit_log(db: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select (r.rolsuper
                   or has_table_privilege('audit_log', 'update')
                   or has_table_privilege('audit_log', 'delete')
                   or has_table_privilege('audit_log', 'truncate')
                   or pg_has_role(c.relowner, 'usage')) as "can!"
           from pg_roles r, pg_class c
           where r.rolname = current_user and c.oid = 'audit_log'::regclass"#
    )
    .fetch_one(db)
    .await
}

/// Production serves only as a role that can't rewrite the audit trail;
/// elsewhere (one superuser URL on a developer's server) it says so and goes on.
pub async fn check_runtime_role(db: &PgPool, env: crate::config::AppEnv) -> anyhow::Result<()> {
    if !can_rewrite_audit_log(db).await? {
        return Ok(());
    }
    if env == crate::config::AppEnv::Production {
        bail!(
            "DATABASE_URL connects as a role that can change or remove audit rows; serve as a login in role \
             {RUNTIME_ROLE} and migrate with DATABASE_OWNER_URL (README, \"Database roles\")"
        );
    }
    tracing::warn!(
        "DATABASE_URL's role can change or remove audit rows: fine for development, refused in production \
         (serve as a member of {RUNTIME_ROLE}, migrate with DATABASE_OWNER_URL)"
    );
    Ok(())
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
        let calendar = Arc::default();
        let state = AppState::new(crate::state::Shared {
            db,
            config: Arc::new(config),
            clock,
            hasher,
            payments,
            documents,
            csp,
            outbox_key,
            throttled,
            calendar,
            prices: Arc::default(),
            program: Arc::default(),
        });
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
                program: state.program.clone(),
            };
            tokio::spawn(crate::jobs::run(jobs, shutdown.clone()))
        });
        tokio::spawn(state.calendar.clone().watch(state.db.clone(), shutdown.clone()));
        tokio::spawn(state.prices.clone().watch(state.db.clone(), shutdown.clone()));
        tokio::spawn(state.program.clone().watch(state.db.clone(), shutdown.clone()));
        crate::metrics::handle();
        tokio::spawn(crate::metrics::upkeep(shutdown.clone()));
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
