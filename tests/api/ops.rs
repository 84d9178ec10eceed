//! Running it: `/metrics` behind its token, `/readyz` (database and
//! migrations), and production logs as JSON lines.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::config::Secret;
use second_opinion::domain::Role;
use sqlx::PgPool;

const TOKEN: &str = "metrics-token-for-the-tests-0123";

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.unwrap()
}

#[sqlx::test]
async fn metrics_refuse_without_the_token_and_show_route_latencies(db: PgPool) {
    let app = TestApp::spawn_configured(db, |c| c.metrics_token = Some(Secret::new(TOKEN))).await;
    let case = app.case().create().await;
    app.login_as(Role::Family).await;
    app.get(&format!("/family/cases/{}", case.id)).await;
    app.get("/no-such-page-4711").await;

    for token in [None, Some("metrics-token-for-the-tests-0124"), Some("short")] {
        let res = scrape(&app, token).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(!res.text().await.unwrap().contains("http_requests_total"));
    }

    let res = scrape(&app, Some(TOKEN)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    // Latency per route template: the template, never the id in the path.
    assert!(
        body.contains(r#"http_request_duration_seconds_bucket{method="GET",route="/family/cases/{id}",le="0.005"}"#),
        "{body}"
    );
    assert!(body.contains(r#"route="/login""#), "{body}");
    assert!(!body.contains(&case.id.to_string()), "an id in a label");
    assert!(!body.contains("no-such-page-4711"), "a typed path in a label");
    for gauge in [
        "db_pool_connections{state=\"in_use\"}",
        "db_pool_max_connections 8",
        "email_outbox_pending",
        "email_outbox_oldest_pending_age_seconds",
        "password_hash_waiting",
        "password_hash_in_use",
    ] {
        assert!(body.contains(gauge), "{gauge} missing from\n{body}");
    }
}

#[sqlx::test]
async fn without_a_metrics_token_there_is_no_metrics_page(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = scrape(&app, Some(TOKEN)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn the_worker_counts_its_job_runs(db: PgPool) {
    let app = TestApp::spawn_configured(db, |c| c.metrics_token = Some(Secret::new(TOKEN))).await;
    app.run_chores().await;
    let body = scrape(&app, Some(TOKEN)).await.text().await.unwrap();
    for job in ["refunds", "closing", "expired_sessions", "old_sign_in_attempts"] {
        assert!(body.contains(&format!(r#"job_runs_total{{job="{job}",outcome="ok"}}"#)), "{job}:\n{body}");
    }
}

#[sqlx::test]
async fn readyz_waits_for_every_migration(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ready");

    // A database one migration behind this binary (a rolling deploy's old schema).
    let newest: i64 = sqlx::query_scalar(
        "delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations) returning version",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.text().await.unwrap(), format!("migrations not applied: {newest:04}"));
    // Liveness is another question: the process is fine, it restarts for nothing.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[test]
fn log_format_json_writes_one_json_object_per_line() {
    // A refused command logs its error: the quickest way to get a log line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .args(["create-user", "--role", "nobody", "--email", "a@example.test", "--name", "A"])
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let logged = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = logged.lines().collect();
    assert!(!lines.is_empty(), "nothing logged");
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value.get("level").is_some() && value.get("timestamp").is_some(), "{line}");
    }
    assert!(logged.contains(r#""message":"stopped""#), "{logged}");
}
