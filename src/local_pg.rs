//! A private PostgreSQL cluster under `var/pg`, for running with no
//! configuration: created on first start, reused after, reachable only
//! through a Unix socket, stopped when the app stops.

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use std::path::{Path, PathBuf};
use std::process::Command;

const DATABASE: &str = "second_opinion";
const PORT: u16 = 5432;

/// A running private cluster; dropping it stops the server.
pub struct LocalPg {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    as_postgres_user: bool,
}

impl LocalPg {
    /// Creates (first time) and starts the cluster, and makes sure the app's database exists.
    pub async fn start(var_dir: &Path) -> anyhow::Result<Self> {
        let bin = find_binaries()?;
        std::fs::create_dir_all(var_dir.join("pg")).with_context(|| format!("creating {}", var_dir.display()))?;
        let root = var_dir.join("pg").canonicalize()?;
        // initdb refuses to run as root; Debian's `postgres` user runs the server then.
        let as_postgres_user = is_root();
        let pg = LocalPg { data: root.join("data"), socket_dir: socket_dir(&root)?, bin, as_postgres_user };
        if !pg.data.join("PG_VERSION").exists() {
            tracing::info!(dir = %pg.data.display(), "creating a private PostgreSQL cluster (first run)");
            std::fs::create_dir_all(&pg.data)?;
            pg.own(&pg.data)?;
            pg.run("initdb", &["-D", path(&pg.data)?, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])?;
        }
        if pg.run("pg_ctl", &["status", "-D", path(&pg.data)?]).is_ok() {
            tracing::info!("reusing the private PostgreSQL server that is already running");
        } else {
            // A pid file left by a crash would make the server refuse to start.
            let _ = std::fs::remove_file(pg.data.join("postmaster.pid"));
            let options =
                format!("-c listen_addresses='' -k {} -p {PORT} -c max_connections=100", path(&pg.socket_dir)?);
            let log = root.join("server.log");
            if !log.exists() {
                std::fs::write(&log, "")?;
            }
            pg.own(&log)?;
            pg.run("pg_ctl", &["start", "-w", "-t", "60", "-D", path(&pg.data)?, "-l", path(&log)?, "-o", &options])
                .with_context(|| format!("starting PostgreSQL; its log is {}", log.display()))?;
        }
        pg.create_database().await?;
        Ok(pg)
    }

    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.socket_dir).port(PORT).username("postgres").database(DATABASE)
    }

    async fn create_database(&self) -> anyhow::Result<()> {
        use sqlx::{Connection, Executor};
        let mut conn = sqlx::PgConnection::connect_with(&self.connect_options().database("postgres")).await?;
        let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut conn)
            .await?;
        if !exists {
            conn.execute(format!("create database {DATABASE}").as_str()).await?;
        }
        Ok(())
    }

    pub fn stop(&self) {
        match path(&self.data).and_then(|d| self.run("pg_ctl", &["stop", "-D", d, "-m", "fast", "-w"])) {
            Ok(()) => tracing::info!("private PostgreSQL server stopped"),
            Err(e) => tracing::warn!(error = %e, "could not stop the private PostgreSQL server"),
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let exe = self.bin.join(program);
        let output = if self.as_postgres_user {
            Command::new("runuser").arg("-u").arg("postgres").arg("--").arg(&exe).args(args).output()
        } else {
            Command::new(&exe).args(args).output()
        }
        .with_context(|| format!("running {}", exe.display()))?;
        if !output.status.success() {
            bail!("{program} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
        }
        Ok(())
    }

    /// Hands a path to the `postgres` user when we run the server as that user.
    fn own(&self, p: &Path) -> anyhow::Result<()> {
        if self.as_postgres_user {
            let status = Command::new("chown").arg("-R").arg("postgres:postgres").arg(p).status()?;
            if !status.success() {
                bail!("could not give {} to the postgres user", p.display());
            }
        }
        Ok(())
    }
}

impl Drop for LocalPg {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `initdb`, `pg_ctl` and `postgres` from PATH, else the newest
/// `/usr/lib/postgresql/*/bin`.
fn find_binaries() -> anyhow::Result<PathBuf> {
    let complete = |dir: &Path| ["initdb", "pg_ctl", "postgres"].iter().all(|b| dir.join(b).is_file());
    let from_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find_map(|dir| {
            let pg_ctl = dir.join("pg_ctl").canonicalize().ok()?;
            let real = pg_ctl.parent()?.to_path_buf();
            complete(&real).then_some(real)
        });
    if let Some(dir) = from_path {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| complete(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).context(
        "No PostgreSQL server found (initdb, pg_ctl, postgres). Install it, for example on Debian or Ubuntu: \
         `sudo apt-get install postgresql`, or set DATABASE_URL to use an existing server.",
    )
}

/// The socket lives beside the data, unless that path is too long for a
/// Unix socket (about 100 bytes); then a per-checkout folder under /tmp.
fn socket_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let preferred = root.join("run");
    let dir = if preferred.as_os_str().len() + 16 <= 100 {
        preferred
    } else {
        use sha2::{Digest, Sha256};
        let tag = hex::encode(&Sha256::digest(root.as_os_str().as_encoded_bytes())[..6]);
        std::env::temp_dir().join(format!("second-opinion-pg-{tag}"))
    };
    std::fs::create_dir_all(&dir)?;
    if is_root() {
        Command::new("chown").arg("postgres:postgres").arg(&dir).status()?;
    }
    Ok(dir)
}

fn path(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("the var directory path must be valid UTF-8")
}

fn is_root() -> bool {
    // The effective uid, read from /proc (no unsafe libc call needed).
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}
