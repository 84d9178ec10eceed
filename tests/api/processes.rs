//! Real processes for the fault suite: a PostgreSQL cluster, an SMTP sink,
//! localstripe and the app binary itself, each the test's own, on free
//! loopback ports, stopped (by their own pid) when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn scratch(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("so-{what}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A PostgreSQL cluster of the test's own, on a TCP port (trust, loopback only).
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

impl Cluster {
    pub fn start() -> Cluster {
        // The newest of Debian's /usr/lib/postgresql/*/bin, else initdb from PATH.
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .filter(|(_, bin)| bin.join("initdb").exists())
            .collect();
        versions.sort();
        let bin = versions
            .pop()
            .map(|(_, bin)| bin)
            .or_else(|| {
                let out = Command::new("sh").args(["-c", "command -v initdb"]).output().ok()?;
                Some(PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).parent()?.to_path_buf())
            })
            .expect("PostgreSQL's initdb");
        let dir = scratch("pg");
        if is_root() {
            Command::new("chown").arg("postgres:postgres").arg(&dir).status().unwrap();
        }
        let cluster = Cluster { dir, bin, port: free_port() };
        let data = cluster.dir.join("data");
        cluster.pg("initdb", &["-D", data.to_str().unwrap(), "-U", "postgres", "--auth=trust", "--no-sync"]);
        cluster.pg_ctl("start");
        cluster
    }

    fn pg(&self, program: &str, args: &[&str]) {
        let exe = self.bin.join(program);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = command.args(args).current_dir(&self.dir).stdin(Stdio::null()).output().unwrap();
        assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn pg_ctl(&self, action: &str) {
        let options = format!(
            "-k {} -c listen_addresses=127.0.0.1 -p {} -c fsync=off -c synchronous_commit=off -c max_connections=100",
            self.dir.display(),
            self.port
        );
        let data = self.dir.join("data");
        let log = self.dir.join("server.log");
        let mut args = vec!["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-w", "-t", "60"];
        if action != "stop" {
            args.extend(["-o", &options]);
        }
        args.extend(["-m", "fast", action]);
        self.pg("pg_ctl", &args);
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl restart -m fast`: every connection is cut, the server is back a moment later.
    pub fn restart(&self) {
        self.pg_ctl("restart");
    }

    pub async fn pool(&self) -> sqlx::PgPool {
        sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(&self.url()).await.unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = Command::new(if is_root() { "runuser" } else { "env" })
            .args(if is_root() { vec!["-u", "postgres", "--"] } else { vec![] })
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A real SMTP sink (aiosmtpd) writing a maildir, on a port of the test's choosing.
pub struct Sink {
    child: Child,
    pub dir: PathBuf,
}

impl Sink {
    pub fn start(port: u16) -> Sink {
        let python = std::env::var("PEERS_PYTHON").expect("PEERS_PYTHON: run the tests through scripts/test");
        let dir = scratch("sink");
        // aiosmtpd creates the maildir (with new/, cur/, tmp/) when it is missing.
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, "aiosmtpd");
        Sink { child, dir: dir.join("mail") }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(self.dir.parent().unwrap_or(&self.dir));
    }
}

/// localstripe of the test's own (its state is in memory).
pub struct Localstripe {
    child: Child,
    pub base: String,
}

impl Localstripe {
    pub fn start() -> Localstripe {
        let python = std::env::var("PEERS_PYTHON").expect("PEERS_PYTHON: run the tests through scripts/test");
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/localstripe_loopback.py");
        let child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, "localstripe");
        Localstripe { child, base: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Localstripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app binary, `serve`, with the environment given.
pub struct AppProcess {
    child: Option<Child>,
    env: Vec<(String, String)>,
    pub dir: PathBuf,
    pub port: u16,
}

impl AppProcess {
    pub fn command(dir: &Path, env: &[(String, String)]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_second-opinion"));
        command
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env("APP_ENV", "test")
            .env("RUST_LOG", "warn")
            .env("APP_SECRET_KEY", PROCESS_SECRET_KEY)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        command
    }

    pub async fn start(env: &[(&str, &str)]) -> AppProcess {
        let dir = scratch("app");
        let port = free_port();
        let mut env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        env.push(("PORT".into(), port.to_string()));
        env.push(("BASE_URL".into(), format!("http://127.0.0.1:{port}")));
        let mut app = AppProcess { child: None, env, dir, port };
        app.restart().await;
        app
    }

    /// Starts the process (again), and waits until `/healthz` says ok.
    pub async fn restart(&mut self) {
        self.child = Some(Self::command(&self.dir, &self.env).arg("serve").spawn().unwrap());
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("the app exited during startup: {status}");
            }
            if let Ok(res) = reqwest::get(self.url("/healthz")).await
                && res.status() == 200
            {
                return;
            }
            assert!(Instant::now() < deadline, "the app did not become healthy");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGKILL: nothing runs after it, not even the app's own shutdown.
    pub fn kill_9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Sends SIGTERM without waiting.
    pub fn signal_term(&self) {
        Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status().unwrap();
    }

    /// The exit status, once the process has exited (within `limit`).
    pub async fn exited(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                return status;
            }
            assert!(Instant::now() < deadline, "the app did not exit within {limit:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for AppProcess {
    fn drop(&mut self) {
        self.kill_9();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A browser: a cookie jar, no redirects followed, and the sign-in form's token.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(40))
            .build()
            .unwrap();
        Browser { client, base: base.trim_end_matches('/').to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The same browser (its cookies) sent to another instance, as a load
    /// balancer without stickiness sends the next request anywhere.
    pub fn through(&self, base: &str) -> Browser {
        Browser { client: self.client.clone(), base: base.trim_end_matches('/').to_owned() }
    }

    /// The token of the forms on `path` (a page with a form).
    pub async fn token(&self, path: &str) -> reqwest::Result<String> {
        let body = self.client.get(self.url(path)).send().await?.text().await?;
        Ok(crate::helpers::hidden_value(&body, "csrf_token").unwrap_or_default())
    }

    pub async fn post(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> reqwest::Result<reqwest::Response> {
        let mut all = fields.to_vec();
        all.push(("csrf_token", token));
        self.client.post(self.url(path)).form(&all).send().await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let token = self.token("/login").await.unwrap();
        let res = self.post("/login", &token, &[("email", email), ("password", password)]).await.unwrap();
        assert_eq!(res.status(), 303, "sign-in as {email}");
        let mut home = crate::helpers::location(&res);
        if home == "/login/code" {
            // seed-demo's staff: the demo secret, on the real clock.
            let token = self.token("/login/code").await.unwrap();
            let secret = second_opinion::auth::second_factor::DEMO_SECRET;
            let code = crate::helpers::totp_code(secret, jiff::Timestamp::now());
            let res = self.post("/login/code", &token, &[("code", &code)]).await.unwrap();
            assert_eq!(res.status(), 303, "the code for {email}");
            home = crate::helpers::location(&res);
        }
        self.token(&home).await.unwrap()
    }
}

/// Runs a blocking step (pg_ctl, kill) off the async threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// Waits until `check` holds, up to `limit`.
pub async fn eventually<F: Future<Output = bool>>(limit: Duration, mut check: impl FnMut() -> F) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// The `APP_SECRET_KEY` of every app process the tests start.
pub const PROCESS_SECRET_KEY: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7";

/// An account for the processes' tests; staff enrolled in the second factor
/// with the demo secret, which [`Browser::sign_in`] answers.
pub async fn add_user(db: &sqlx::PgPool, role: &str, email: &str) {
    use second_opinion::auth::second_factor;
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into users (email, full_name, role, password_hash, email_verified_at) values ($1, 'Fault Suite', $2::user_role, $3, now()) returning id",
    )
    .bind(email)
    .bind(role)
    .bind(crate::helpers::PASSWORD_HASH.as_str())
    .fetch_one(db)
    .await
    .unwrap();
    if role != "family" {
        let key = second_factor::key(&second_opinion::secret_key::SecretKey::from_hex(PROCESS_SECRET_KEY).unwrap());
        let secret = second_factor::from_base32(second_factor::DEMO_SECRET).unwrap();
        let mut conn = db.acquire().await.unwrap();
        let user = second_opinion::domain::UserId(id);
        second_factor::enrol(&mut conn, &key, user, &secret, 0, jiff::Timestamp::now()).await.unwrap().unwrap();
    }
}
