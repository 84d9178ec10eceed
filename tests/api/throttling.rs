//! Guessing passwords and flooding sign-ups: the throttles hold under
//! parallel bursts, see the real client behind a trusted proxy, can't lock a
//! whole network out, and leave a bounded trail.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

/// The app behind a load balancer on 127.0.0.1, which sets X-Forwarded-For.
async fn behind_proxy(db: PgPool) -> TestApp {
    TestApp::spawn_configured(db, |c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await
}

async fn post_from(app: &TestApp, client_ip: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf_token().await;
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    app.client.post(app.url(path)).header("x-forwarded-for", client_ip).form(&all).send().await.unwrap()
}

#[sqlx::test]
async fn a_parallel_burst_of_guesses_gets_ten_checked_and_no_more(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    let token = app.csrf_token().await;
    let guesses: Vec<_> = (0..40)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url("/login");
            let fields = [
                ("email".to_owned(), user.email.clone()),
                ("password".to_owned(), format!("wrong guess number {i}")),
                ("csrf_token".to_owned(), token.clone()),
            ];
            tokio::spawn(async move { client.post(url).form(&fields).send().await.unwrap().status() })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= 10, "{checked} of 40 parallel guesses were checked");
    assert!(app.count("select count(*) from login_failures").await <= 10);
    // On a busy machine some guesses find every hash permit taken (503) and
    // count for nothing: guess on, one at a time, up to the limit.
    let mut more = 0;
    loop {
        match app.log_in(&user.email, "one more wrong guess").await.status() {
            StatusCode::TOO_MANY_REQUESTS => break,
            StatusCode::UNAUTHORIZED => more += 1,
            StatusCode::SERVICE_UNAVAILABLE => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            other => panic!("unexpected {other}"),
        }
        assert!(checked + more <= 10, "more than ten guesses were checked");
    }
    // The right password does not get through while the account is throttled.
    assert_eq!(app.log_in(&user.email, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test]
async fn the_client_address_comes_from_a_trusted_proxy_only(db: PgPool) {
    let proxied = behind_proxy(db.clone()).await;
    let user = proxied.create_user(Role::Family).await;
    let res =
        post_from(&proxied, "203.0.113.9, 198.51.100.7", "/login", &[("email", &user.email), ("password", PASSWORD)])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let direct = TestApp::spawn(db).await;
    let res = post_from(&direct, "198.51.100.8", "/login", &[("email", &user.email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ips: Vec<Option<String>> =
        sqlx::query_scalar("select client_ip from audit_log where action = 'login' order by id")
            .fetch_all(&proxied.db)
            .await
            .unwrap();
    // The right-most address the proxy saw; a header from a stranger is ignored.
    assert_eq!(ips, [Some("198.51.100.7".to_owned()), Some("127.0.0.1".to_owned())]);
}

#[sqlx::test]
async fn a_flood_from_one_address_does_not_lock_out_people_who_signed_in_there_before(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let regular = app.create_user(Role::Coordinator).await;
    assert_eq!(app.log_in(&regular.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.post_form("/logout", &[]).await;
    // 100 failures from this address in the window (an attacker, or a whole
    // hospital behind one NAT address).
    sqlx::query("insert into login_failures (email, client_ip, at) select 'x' || n || '@example.test', '127.0.0.1', now() from generate_series(1, 100) n")
        .execute(&app.db)
        .await
        .unwrap();
    app.clock.set(jiff::Timestamp::now());
    assert_eq!(app.log_in(&regular.email, PASSWORD).await.status(), StatusCode::SEE_OTHER, "a known browser");
    let stranger = TestApp::spawn(db).await;
    let someone = stranger.create_user(Role::Family).await;
    assert_eq!(stranger.log_in(&someone.email, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test]
async fn throttled_attempts_are_audited_once_not_one_row_each(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    for _ in 0..10 {
        assert_eq!(app.log_in(&user.email, "a wrong password").await.status(), StatusCode::UNAUTHORIZED);
    }
    for _ in 0..25 {
        assert_eq!(app.log_in(&user.email, "a wrong password").await.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(app.audit_count("login", "failure").await, 10);
    assert_eq!(app.audit_count("login_throttled", "denied").await, 1, "one row for the episode");
    assert_eq!(app.count("select count(*) from login_failures").await, 10, "throttled attempts write nothing");
}

#[sqlx::test]
async fn sign_ups_are_throttled_per_address_and_per_email(db: PgPool) {
    let app = behind_proxy(db).await;
    for i in 0..10 {
        let email = format!("new-{i}@example.test");
        let res = post_from(
            &app,
            "198.51.100.20",
            "/register",
            &[("full_name", "Ada"), ("email", &email), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-up {i}");
    }
    let res = post_from(
        &app,
        "198.51.100.20",
        "/register",
        &[("full_name", "Ada"), ("email", "one-more@example.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(text(res).await.contains("Too many"));
    assert_eq!(app.count("select count(*) from users").await, 10);

    // One address, from many networks: at most three tries an hour, so at
    // most three emails to its owner.
    let target = "target@example.test";
    let mut refused = 0;
    for i in 0..8 {
        let res = post_from(
            &app,
            &format!("203.0.113.{i}"),
            "/register",
            &[("full_name", "Ada"), ("email", target), ("password", PASSWORD)],
        )
        .await;
        match res.status() {
            StatusCode::SEE_OTHER => {}
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(refused, 5);
    let mails: i64 = sqlx::query_scalar("select count(*) from email_outbox where to_address = $1")
        .bind(target)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(mails, 3);
}

#[sqlx::test]
async fn no_address_gets_more_than_a_few_unasked_emails_an_hour(db: PgPool) {
    let app = behind_proxy(db).await;
    let user = app.create_user(Role::Family).await;
    // Reset requests (3 per quarter hour per account) from many networks, over an hour.
    for i in 0..12 {
        post_from(&app, &format!("203.0.113.{i}"), "/password-reset", &[("email", &user.email)]).await;
        app.clock.advance(jiff::SignedDuration::from_mins(5));
    }
    let mails: i64 = sqlx::query_scalar("select count(*) from email_outbox where to_address = $1")
        .bind(&user.email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(mails <= 5, "{mails} emails in an hour");
}

#[sqlx::test]
async fn attempts_too_old_to_count_are_forgotten_by_the_worker(db: PgPool) {
    let app = TestApp::spawn(db).await;
    sqlx::query(
        "insert into login_failures (email, client_ip, at) values ('old@example.test', '198.51.100.1', now() - interval '2 days'), ('new@example.test', '198.51.100.1', now())",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("insert into sign_up_attempts (email, client_ip, at) values ('old@example.test', '198.51.100.1', now() - interval '2 days')")
        .execute(&app.db)
        .await
        .unwrap();
    app.clock.set(jiff::Timestamp::now());
    app.run_chores().await;
    let left: Vec<String> = sqlx::query_scalar("select email from login_failures").fetch_all(&app.db).await.unwrap();
    assert_eq!(left, ["new@example.test"]);
    assert_eq!(app.count("select count(*) from sign_up_attempts").await, 0);
}
