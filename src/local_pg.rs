//! A private PostgreSQL cluster, for running with no configuration: created
//! on first start, reused after, stopped by the last app process using it.
//!
//! Where it lives: `var/pg` for a normal user. As root, the server runs as
//! the `postgres` user, who can't enter a checkout under root's home (0700 on
//! a fresh machine); the cluster then lives in postgres's own home, at
//! `~postgres/second-opinion/<12 hex digits of the var directory's path>`.
//! Either way `var/private-postgres` names the directory.
//!
//! Who can reach it: no TCP at all; a Unix socket in a directory only the
//! server's user can enter (0700), and peer authentication mapping exactly
//! the app's OS user (and `postgres`) to the database user `postgres`.
//!
//! Who stops it: every process using it registers itself (`holders/<pid>`,
//! under a file lock); the last one out stops it — and only if an app
//! process started it. A `migrate` beside a running `serve` leaves it alone.

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use std::fs::File;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

const DATABASE: &str = "second_opinion";
/// The login the app serves with here: a member of the runtime role
/// (migration 0024), so even on a laptop it can't rewrite the audit log.
const RUNTIME_LOGIN: &str = "second_opinion";
const PORT: u16 = 5432;
/// Unix socket paths are limited to about 107 bytes; the socket's own name takes 16.
const MAX_SOCKET_DIR: usize = 90;

/// A private cluster this process is using; dropping it lets go of it.
pub struct LocalPg {
    bin: PathBuf,
    root: PathBuf,
    socket_dir: PathBuf,
    as_postgres_user: bool,
}

impl LocalPg {
    /// Creates (first time) and starts the cluster if it isn't running, and
    /// makes sure the app's database exists.
    pub async fn start(var_dir: &Path) -> anyhow::Result<Self> {
        let bin = find_binaries()?;
        std::fs::create_dir_all(var_dir).with_context(|| format!("creating {}", var_dir.display()))?;
        let var_dir = var_dir.canonicalize()?;
        let as_postgres_user = is_root();
        let root = if as_postgres_user {
            postgres_home()?.join("second-opinion").join(tag(&var_dir))
        } else {
            var_dir.join("pg")
        };
        std::fs::create_dir_all(root.join("holders"))?;
        std::fs::write(var_dir.join("private-postgres"), format!("{}\n", root.display()))?;
        let mut pg = LocalPg { bin, socket_dir: PathBuf::new(), root, as_postgres_user };
        {
            let _lock = pg.lock()?;
            pg.socket_dir = pg.socket_dir()?;
            pg.prune_holders();
            if pg.running() {
                tracing::info!(cluster = %pg.root.display(), "using the private PostgreSQL server that is already running");
            } else {
                pg.init_and_start()?;
            }
            std::fs::write(pg.root.join("holders").join(std::process::id().to_string()), "")?;
        }
        pg.create_database().await?;
        Ok(pg)
    }

    /// As the superuser, who owns the tables and runs the migrations.
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.socket_dir).port(PORT).username("postgres").database(DATABASE)
    }

    /// As the app's runtime login (after [`LocalPg::create_runtime_login`]).
    pub fn runtime_options(&self) -> PgConnectOptions {
        self.connect_options().username(RUNTIME_LOGIN)
    }

    /// The runtime login, a member of the role the migrations made; run
    /// after migrating, as the owner.
    pub async fn create_runtime_login(&self, owner: &sqlx::PgPool) -> anyhow::Result<()> {
        let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_roles where rolname = $1)")
            .bind(RUNTIME_LOGIN)
            .fetch_one(owner)
            .await?;
        if !exists {
            sqlx::query(&format!("create role {RUNTIME_LOGIN} login in role {}", crate::startup::RUNTIME_ROLE))
                .execute(owner)
                .await
                .context("creating the private cluster's runtime login")?;
        }
        Ok(())
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    fn lock(&self) -> anyhow::Result<File> {
        let file = File::options().create(true).truncate(false).write(true).open(self.root.join("app.lock"))?;
        file.lock().context("locking the private cluster")?;
        Ok(file)
    }

    fn running(&self) -> bool {
        path(&self.data()).and_then(|d| self.run("pg_ctl", &["status", "-D", d])).is_ok()
    }

    fn init_and_start(&self) -> anyhow::Result<()> {
        let data = self.data();
        if self.as_postgres_user {
            self.own(self.root.parent().unwrap_or(&self.root))?;
            self.own(&self.root)?;
        }
        if !data.join("PG_VERSION").exists() {
            tracing::info!(cluster = %self.root.display(), "creating a private PostgreSQL cluster (first run)");
            std::fs::create_dir_all(&data)?;
            self.own(&data)?;
            let args = ["-D", path(&data)?, "-U", "postgres", "--auth-local=peer", "--auth-host=reject", "-E", "UTF8"];
            self.run("initdb", &[&args[..], &["--locale=C"]].concat())?;
        }
        // Written at every start, so a cluster from an older version (trust
        // authentication) becomes private too.
        let me = current_user()?;
        std::fs::write(
            data.join("pg_hba.conf"),
            "# Only the app's own OS user, through the socket (see local_pg.rs).\nlocal all all peer map=app\n",
        )?;
        std::fs::write(
            data.join("pg_ident.conf"),
            format!("app {me} postgres\napp {me} {RUNTIME_LOGIN}\napp postgres postgres\n"),
        )?;
        self.own(&data.join("pg_hba.conf"))?;
        self.own(&data.join("pg_ident.conf"))?;
        // A pid file left by a crash would make the server refuse to start.
        let _ = std::fs::remove_file(data.join("postmaster.pid"));
        let log = self.root.join("server.log");
        if !log.exists() {
            std::fs::write(&log, "")?;
        }
        self.own(&log)?;
        let options = format!(
            "-c listen_addresses='' -k {} -p {PORT} -c unix_socket_permissions=0700 -c max_connections=100",
            path(&self.socket_dir)?
        );
        self.run("pg_ctl", &["start", "-w", "-t", "60", "-D", path(&data)?, "-l", path(&log)?, "-o", &options])
            .with_context(|| format!("starting PostgreSQL; its log is {}", log.display()))?;
        std::fs::write(self.root.join("started-by-app"), "")?;
        Ok(())
    }

    /// Forgets processes that died without letting go (a SIGKILL).
    fn prune_holders(&self) {
        for entry in std::fs::read_dir(self.root.join("holders")).into_iter().flatten().flatten() {
            let alive = entry.file_name().to_str().is_some_and(|pid| Path::new("/proc").join(pid).exists());
            if !alive {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Lets go of the cluster; the last process out stops it, if an app
    /// process started it.
    pub fn stop(&self) {
        let Ok(_lock) = self.lock() else { return };
        let _ = std::fs::remove_file(self.root.join("holders").join(std::process::id().to_string()));
        self.prune_holders();
        let others = std::fs::read_dir(self.root.join("holders")).into_iter().flatten().count();
        if others > 0 || !self.root.join("started-by-app").exists() {
            return;
        }
        match path(&self.data()).and_then(|d| self.run("pg_ctl", &["stop", "-D", d, "-m", "fast", "-w"])) {
            Ok(()) => {
                let _ = std::fs::remove_file(self.root.join("started-by-app"));
                tracing::info!("private PostgreSQL server stopped");
            }
            Err(e) => tracing::warn!(error = %e, "could not stop the private PostgreSQL server"),
        }
    }

    /// `run/` beside the data, 0700 and the server user's. Where that path
    /// would be too long for a socket: the same under `$XDG_RUNTIME_DIR`, or
    /// else a directory with a random name in the temp dir, remembered in
    /// `socket-dir` — never a name another user could guess and create first.
    fn socket_dir(&self) -> anyhow::Result<PathBuf> {
        let preferred = self.root.join("run");
        let remembered = self.root.join("socket-dir");
        let dir = if preferred.as_os_str().len() <= MAX_SOCKET_DIR {
            preferred
        } else if let Some(kept) =
            std::fs::read_to_string(&remembered).ok().map(|p| PathBuf::from(p.trim())).filter(|p| self.private(p))
        {
            kept
        } else {
            let base = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
            let dir = base.join(format!("second-opinion-{}", hex::encode(rand::random::<[u8; 8]>())));
            std::fs::write(&remembered, format!("{}\n", dir.display()))?;
            dir
        };
        if !dir.exists() {
            std::fs::create_dir_all(&dir)?;
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        if self.as_postgres_user {
            self.own(&dir)?;
        }
        if !self.private(&dir) {
            bail!("{} must be a directory of the server's user, mode 0700", dir.display());
        }
        Ok(dir)
    }

    /// A directory that is the server user's and closed to everyone else.
    fn private(&self, dir: &Path) -> bool {
        let owner = if self.as_postgres_user { postgres_uid() } else { own_uid() };
        std::fs::symlink_metadata(dir)
            .is_ok_and(|m| m.is_dir() && Some(m.uid()) == owner && m.permissions().mode() & 0o077 == 0)
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

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let exe = self.bin.join(program);
        let output = if self.as_postgres_user {
            // From a directory postgres can enter: initdb and pg_ctl start by changing back to it.
            Command::new("runuser")
                .arg("-u")
                .arg("postgres")
                .arg("--")
                .arg(&exe)
                .args(args)
                .current_dir(&self.root)
                .output()
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
            let status = Command::new("chown").arg("postgres:postgres").arg(p).status()?;
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

/// 12 hex digits naming a checkout's cluster among others in postgres's home.
fn tag(var_dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(var_dir.as_os_str().as_encoded_bytes())[..6])
}

/// The `postgres` user's passwd entry, field `n` (3 uid, 6 home).
fn postgres_entry(n: usize) -> Option<String> {
    let out = Command::new("getent").args(["passwd", "postgres"]).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().split(':').nth(n - 1).map(str::to_owned)
}

fn postgres_home() -> anyhow::Result<PathBuf> {
    postgres_entry(6).map(PathBuf::from).filter(|p| p.is_dir()).context(
        "running as root, the private cluster belongs to the postgres user, whose home was not found \
         (on Debian the postgresql package creates it); or set DATABASE_URL",
    )
}

fn postgres_uid() -> Option<u32> {
    postgres_entry(3)?.parse().ok()
}

fn path(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("the var directory path must be valid UTF-8")
}

/// The effective uid (what peer authentication sees), from /proc (no unsafe libc call needed).
fn own_uid() -> Option<u32> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Uid:"))?
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
}

fn is_root() -> bool {
    own_uid() == Some(0)
}

/// This process's user name, as peer authentication sees it.
fn current_user() -> anyhow::Result<String> {
    if is_root() {
        return Ok("root".to_owned());
    }
    let out = Command::new("id").arg("-un").output().context("running id -un")?;
    let name = String::from_utf8(out.stdout)?.trim().to_owned();
    if name.is_empty() || name.contains(char::is_whitespace) {
        bail!("could not tell this process's user name for the private cluster");
    }
    Ok(name)
}
