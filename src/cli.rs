//! Subcommands: `serve` (the default), `migrate`, `seed-demo`, `seed-load`,
//! `create-user`, and the backup tools `export-documents`, `import-documents`,
//! `verify-documents`.

use crate::clock::SystemClock;
use crate::config::{AppEnv, Config};
use crate::domain::{EmailAddress, NewPassword, PersonName, Role};
use crate::startup::{self, App};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

#[derive(Parser)]
#[command(name = "second-opinion", about = "Online pediatric second opinions", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Create the demo accounts and sample data (idempotent; refused in production).
    SeedDemo,
    /// Generate N realistic cases (states, records, questions, events) for benchmarks.
    SeedLoad {
        #[arg(long)]
        cases: u64,
    },
    /// Copy every stored document (local directory or S3 bucket) into a directory (for backups).
    ExportDocuments {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put every file of a directory made by export-documents into the document store.
    ImportDocuments {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Check that every document the database names is stored with its recorded SHA-256.
    VerifyDocuments,
    /// Create an account; the password is read from standard input.
    CreateUser {
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// For specialists: their specialty in the directory.
        #[arg(long)]
        specialty: Option<String>,
    },
}

pub fn main() -> ExitCode {
    // Both rustls back ends can end up in the dependency graph; choose one.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("second-opinion: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    crate::telemetry::init(config.log_json);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("second-opinion: could not start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate(&config).await,
            Command::SeedDemo => {
                if config.env == AppEnv::Production {
                    bail!("seed-demo is refused when APP_ENV=production");
                }
                let storage = crate::cases::documents::Storage::from_config(&config)?;
                let key = crate::auth::second_factor::key(&config.secret_key);
                with_db(&config, |db| crate::seed::seed_demo(db, storage, key)).await
            }
            Command::SeedLoad { cases } => {
                if config.env == AppEnv::Production {
                    bail!("seed-load is refused when APP_ENV=production");
                }
                with_db(&config, |db| crate::seed::seed_load(db, cases)).await
            }
            Command::ExportDocuments { to } => {
                crate::backup::export(&crate::cases::documents::Storage::from_config(&config)?, &to).await
            }
            Command::ImportDocuments { from } => {
                crate::backup::import(&crate::cases::documents::Storage::from_config(&config)?, &from).await
            }
            Command::VerifyDocuments => {
                let storage = crate::cases::documents::Storage::from_config(&config)?;
                with_db(&config, |db| async move { crate::backup::verify(&db, &storage).await }).await
            }
            Command::CreateUser { role, email, name, specialty } => {
                let role = Role::parse(&role).with_context(|| {
                    format!("--role must be one of family, coordinator, clinician, specialist, admin (not {role:?})")
                })?;
                let email = EmailAddress::parse(&email).map_err(anyhow::Error::msg)?;
                let name = PersonName::parse(&name).map_err(anyhow::Error::msg)?;
                let password = read_password()?;
                with_db(&config, |db| async move {
                    crate::seed::create_user(&db, role, &email, &name, &password, specialty.as_deref()).await
                })
                .await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "stopped");
            eprintln!("second-opinion: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Connects as the owner of the tables (starting the private cluster if
/// needed), migrates, runs `work` (the command-line tools work as the owner)
/// and stops the private cluster again.
async fn with_db<F, Fut>(config: &Config, work: F) -> anyhow::Result<()>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let local = startup::local_cluster(config).await?;
    let owner = migrated(config, local.as_ref()).await?;
    let result = work(owner.clone()).await;
    owner.close().await;
    drop(local);
    result
}

/// `migrate`: the migrations, then a summary of what it did and how long it took.
async fn migrate(config: &Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let local = startup::local_cluster(config).await?;
    let owner = startup::connect_owner(config, local.as_ref()).await?;
    let applied = startup::migrate(&owner).await;
    if let (Ok(_), Some(local)) = (&applied, local.as_ref()) {
        local.create_runtime_login(&owner).await?;
    }
    owner.close().await;
    drop(local);
    let applied = applied?;
    let known = startup::MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).count();
    let noun = if applied == 1 { "migration" } else { "migrations" };
    println!("migrated {applied} {noun} ({known} known) in {}", crate::progress::took(started.elapsed()));
    Ok(())
}

/// The owner's pool, after the migrations ran (and, on the private
/// cluster, its runtime login exists).
async fn migrated(config: &Config, local: Option<&crate::local_pg::LocalPg>) -> anyhow::Result<sqlx::PgPool> {
    let owner = startup::connect_owner(config, local).await?;
    startup::migrate(&owner).await?;
    if let Some(local) = local {
        local.create_runtime_login(&owner).await?;
    }
    Ok(owner)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let local = startup::local_cluster(&config).await?;
    migrated(&config, local.as_ref()).await?.close().await;
    // Requests are served as the runtime role, which can't rewrite the audit log.
    let db = startup::connect(&config, local.as_ref()).await?;
    startup::check_runtime_role(&db, config.env).await?;
    let base_url = config.base_url.clone();
    let test_mode = config.payments_test_mode();
    let mail_to_files = config.smtp_url.is_none();
    let app = App::build(config, db.clone(), Arc::new(SystemClock)).await?;
    tracing::info!(
        url = %base_url,
        local_database = local.is_some(),
        mail_to_files,
        payments_test_mode = test_mode,
        "Second Opinion is ready at {base_url}"
    );
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    let served = app.run(shutdown, true).await;
    db.close().await;
    drop(local);
    served
}

async fn stop_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => {
            let _ = ctrl_c.await;
            shutdown.cancel();
            return;
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
    tracing::info!("stopping: finishing requests in flight");
    shutdown.cancel();
}

/// One line, or the same line twice; prompted without echo on a terminal.
fn read_password() -> anyhow::Result<NewPassword> {
    let stdin = std::io::stdin();
    let (first, second) = if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Same password again: ")?;
        (first, Some(second))
    } else {
        let mut lines = stdin.lock().lines();
        let first = lines.next().context("no password on standard input")??;
        let second = lines.next().transpose()?.filter(|l| !l.is_empty());
        (first, second)
    };
    if second.is_some_and(|s| s != first) {
        bail!("the two passwords differ");
    }
    NewPassword::parse(&first).map_err(anyhow::Error::msg)
}
