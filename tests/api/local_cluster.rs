//! The binary with no DATABASE_URL starts its own PostgreSQL under var/,
//! reuses it after a restart, and leaves no server behind on SIGTERM.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn start(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SMTP_URL")
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

async fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Ok(res) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await
            && res.status() == 200
            && res.text().await.unwrap() == "ok"
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the app did not become healthy on port {port}");
}

fn terminate(mut child: Child) {
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean exit after SIGTERM: {status}");
}

fn postgres_running_in(dir: &std::path::Path) -> bool {
    let out = Command::new("pgrep").arg("-f").arg(dir.join("var/pg/data").to_str().unwrap()).output().unwrap();
    !out.stdout.is_empty()
}

#[tokio::test]
async fn with_no_database_url_the_app_runs_its_own_cluster_and_cleans_up() {
    let dir = std::env::temp_dir().join(format!("so-local-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let first = start(&dir, port);
    wait_healthy(port).await;
    assert!(dir.join("var/pg/data/PG_VERSION").exists());
    terminate(first);
    assert!(!postgres_running_in(&dir), "no postgres left after SIGTERM");

    // Second start reuses the cluster (and its data).
    let created = std::fs::metadata(dir.join("var/pg/data/PG_VERSION")).unwrap().modified().unwrap();
    let second = start(&dir, port);
    wait_healthy(port).await;
    assert_eq!(std::fs::metadata(dir.join("var/pg/data/PG_VERSION")).unwrap().modified().unwrap(), created);
    terminate(second);
    assert!(!postgres_running_in(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}
