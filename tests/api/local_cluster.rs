//! The binary with no DATABASE_URL starts its own PostgreSQL: private to its
//! user (a 0700 socket directory, peer authentication, no TCP), reachable
//! when run as root from a checkout nobody else can enter, reused after a
//! restart, left running while another process uses it, and stopped on
//! SIGTERM by the last process out.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn binary(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_second-opinion"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SMTP_URL")
        .env_remove("APP_SECRET_KEY")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    command
}

/// A running `serve`; killed if the test fails before it stops it.
struct Serving(Option<Child>);

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start(dir: &Path, port: u16) -> Serving {
    Serving(Some(binary(dir).env("PORT", port.to_string()).spawn().unwrap()))
}

async fn healthz(port: u16) -> Option<(u16, String)> {
    let res = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.ok()?;
    Some((res.status().as_u16(), res.text().await.ok()?))
}

async fn wait_healthy(serving: &mut Serving, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Some(status) = serving.0.as_mut().unwrap().try_wait().unwrap() {
            panic!("the app exited before it was healthy: {status}");
        }
        if healthz(port).await == Some((200, "ok".to_owned())) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the app did not become healthy on port {port}");
}

fn terminate(mut serving: Serving) {
    let mut child = serving.0.take().unwrap();
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean exit after SIGTERM: {status}");
}

/// Where the app says its private cluster is (it writes the path under var/).
fn cluster_of(dir: &Path) -> PathBuf {
    let written =
        std::fs::read_to_string(dir.join("var/private-postgres")).expect("var/private-postgres names the cluster");
    PathBuf::from(written.trim())
}

fn postgres_running_in(cluster: &Path) -> bool {
    let out = Command::new("pgrep").arg("-f").arg(cluster.join("data").to_str().unwrap()).output().unwrap();
    !out.stdout.is_empty()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A checkout directory that, like root's home on a fresh machine, no other user can enter.
fn closed_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("so-{tag}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

#[tokio::test]
async fn the_private_cluster_starts_from_a_closed_directory_and_takes_no_one_else() {
    let dir = closed_dir("local");
    let port = free_port();

    let mut first = start(&dir, port);
    wait_healthy(&mut first, port).await;
    let cluster = cluster_of(&dir);
    assert!(cluster.join("data/PG_VERSION").exists());
    let socket_dir = cluster.join("run");
    let mode = std::fs::metadata(&socket_dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "only the server's user can reach its socket");
    let hba = std::fs::read_to_string(cluster.join("data/pg_hba.conf")).unwrap();
    let rules: Vec<&str> = hba.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    assert!(!rules.is_empty() && rules.iter().all(|l| l.starts_with("local") && l.contains("peer")), "{rules:?}");
    if is_root() {
        // Another user of the machine can't get in (not even as postgres's name).
        let psql = Command::new("runuser")
            .args(["-u", "nobody", "--", "psql", "-h"])
            .arg(&socket_dir)
            .args(["-U", "postgres", "-d", "postgres", "-c", "select 1"])
            .output()
            .unwrap();
        assert!(!psql.status.success(), "another user connected");
    }
    terminate(first);
    assert!(!postgres_running_in(&cluster), "no postgres left after SIGTERM");

    // A second start reuses the cluster (and its data).
    let created = std::fs::metadata(cluster.join("data/PG_VERSION")).unwrap().modified().unwrap();
    let mut second = start(&dir, port);
    wait_healthy(&mut second, port).await;
    assert_eq!(std::fs::metadata(cluster.join("data/PG_VERSION")).unwrap().modified().unwrap(), created);
    terminate(second);
    assert!(!postgres_running_in(&cluster));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = Command::new("rm").arg("-rf").arg(&cluster).status();
}

#[tokio::test]
async fn a_subcommand_run_beside_serve_leaves_the_cluster_running() {
    let dir = closed_dir("beside");
    let port = free_port();
    let mut serve = start(&dir, port);
    wait_healthy(&mut serve, port).await;

    let migrate = binary(&dir).arg("migrate").status().unwrap();
    assert!(migrate.success());
    let mut create = binary(&dir)
        .args(["create-user", "--role", "admin", "--email", "ops@example.test", "--name", "Ops"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        create.stdin.take().unwrap().write_all(b"a long admin passphrase\n").unwrap();
    }
    assert!(create.wait().unwrap().success());
    assert_eq!(healthz(port).await, Some((200, "ok".to_owned())), "serve still has its database");

    let cluster = cluster_of(&dir);
    terminate(serve);
    assert!(!postgres_running_in(&cluster), "the last one out stops it");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = Command::new("rm").arg("-rf").arg(&cluster).status();
}
