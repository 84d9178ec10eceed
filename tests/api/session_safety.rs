//! Sessions under attack: a logout raced by other requests, anonymous
//! visitors (who get no session row at all), requests that fail
//! authorization, and error pages shown to someone signed in.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

async fn session_rows(app: &TestApp) -> i64 {
    app.count("select count(*) from tower_sessions.session").await
}

/// A client without a cookie jar: each request carries exactly the cookie given.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[sqlx::test]
async fn a_logout_is_not_undone_by_requests_racing_it(db: PgPool) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = TestApp::spawn(db).await;
    for round in 0..3 {
        app.login_as(Role::Family).await;
        let cookie = app.session_cookie().unwrap();
        let token = app.csrf_token().await;
        // Requests that each load the session and then change it (setting a
        // flash, then showing and clearing it: both save the session), kept
        // in flight until after the logout has landed.
        let logged_out = Arc::new(AtomicBool::new(false));
        let racers: Vec<_> = (0..24)
            .map(|_| {
                let client = bare_client();
                let (url, page) = (app.url("/verify-email/resend"), app.url("/family"));
                let (cookie, token, logged_out) = (cookie.clone(), token.clone(), logged_out.clone());
                tokio::spawn(async move {
                    loop {
                        let last = logged_out.load(Ordering::SeqCst);
                        let _ = client
                            .post(&url)
                            .header("cookie", format!("so_session={cookie}"))
                            .form(&[("csrf_token", token.as_str())])
                            .send()
                            .await;
                        let _ = client.get(&page).header("cookie", format!("so_session={cookie}")).send().await;
                        if last {
                            break;
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let res = app.post_form("/logout", &[]).await;
        assert_eq!(location(&res), "/login?reason=signed_out");
        logged_out.store(true, Ordering::SeqCst);
        for racer in racers {
            racer.await.unwrap();
        }
        let left: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session where id = $1")
            .bind(&cookie)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(left, 0, "round {round}: the ended session was written back");
        let replay = bare_client()
            .get(app.url("/family"))
            .header("cookie", format!("so_session={cookie}"))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::SEE_OTHER, "round {round}: the old cookie signs nobody in");
        assert!(location(&replay).starts_with("/login"));
    }
}

#[sqlx::test]
async fn anonymous_visitors_leave_nothing_in_the_database(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    for path in ["/", "/login", "/register", "/password-reset", "/family", "/no-such-page", "/login?reason=idle"] {
        let status = app.get(path).await.status();
        assert!(status.is_success() || status.is_redirection() || status == StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(session_rows(&app).await, 0, "no session row for a visitor who only reads");
    assert_eq!(app.count("select count(*) from audit_log").await, 0);
    assert!(app.session_cookie().is_none());

    // The sign-in form still carries a token that works, and a wrong one is refused.
    let res = app.post_raw("/login", &[("email", &user.email), ("password", PASSWORD), ("csrf_token", "0000")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app.log_in(&user.email, PASSWORD).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(session_rows(&app).await, 1, "signing in is the first thing worth keeping");
}

#[sqlx::test]
async fn a_sign_in_form_token_from_another_browser_is_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app.create_user(Role::Family).await;
    let other = TestApp::spawn(db).await;
    let foreign = other.csrf_token().await;
    app.csrf_token().await;
    let res = app.post_raw("/login", &[("email", &user.email), ("password", PASSWORD), ("csrf_token", &foreign)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test]
async fn the_landing_page_and_sign_in_form_need_no_database(_db: PgPool) {
    // A pool whose server never answers: nothing on these pages may need it.
    let dead = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(1))
        .connect_lazy("postgres://postgres@127.0.0.1:9/none")
        .unwrap();
    let app = TestApp::spawn(dead).await;
    let landing = app.get("/").await;
    assert_eq!(landing.status(), StatusCode::OK);
    let login = app.page("/login").await;
    assert!(hidden_value(&login, "csrf_token").is_some_and(|t| !t.is_empty()));

    // Pages that do need it say so calmly: 503 with Retry-After, not a 500.
    app.set_session_cookie("V4fXvUSSHkDCsN2t8n3yWg");
    let res = app.get("/family").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().get("retry-after").is_some());
    assert!(text(res).await.contains("Temporarily unavailable"));
    let visitor = TestApp::spawn(app.db.clone()).await;
    let res = visitor.post_form("/login", &[("email", "someone@example.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test]
async fn a_signed_out_post_stores_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.create_user(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let token = app.csrf_token().await;
    let big = "x".repeat(60_000);
    let res = app
        .post_raw(
            &format!("/specialist/cases/{}/opinion", case.id),
            &[("summary", &big), ("outcome", "agrees"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
    assert_eq!(session_rows(&app).await, 0, "nothing kept for a request nobody was signed in for");
    assert_eq!(app.count("select count(*) from opinions").await, 0);
}

#[sqlx::test]
async fn a_draft_kept_after_a_timeout_goes_to_no_one_else(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let first = app.login_as(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::InReview).specialist(&first).create().await;
    let token = app.csrf_token().await;
    app.clock.advance(SignedDuration::from_mins(16));
    let res = app
        .post_raw(
            &format!("/specialist/cases/{}/opinion", case.id),
            &[("summary", "Typed by the first specialist"), ("outcome", "agrees"), ("csrf_token", &token)],
        )
        .await;
    assert!(location(&res).contains("reason=idle"));

    // Someone else signs in on the same browser: the draft is not theirs.
    let second = app.create_user(Role::Specialist).await;
    assert_eq!(app.log_in(&second.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let carried: i64 = sqlx::query_scalar(
        "select count(*) from tower_sessions.session where position(convert_to('Typed by the first specialist', 'UTF8') in data) > 0",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(carried, 0, "the first specialist's text is not in the second one's session");
}

#[sqlx::test]
async fn expired_sessions_are_swept_by_the_worker(db: PgPool) {
    let app = TestApp::spawn(db).await;
    sqlx::query("insert into tower_sessions.session (id, data, expiry_date) values ('old', '\\x80', now() - interval '1 minute'), ('live', '\\x80', now() + interval '1 hour')")
        .execute(&app.db)
        .await
        .unwrap();
    app.run_chores().await;
    let ids: Vec<String> =
        sqlx::query_scalar("select id from tower_sessions.session").fetch_all(&app.db).await.unwrap();
    assert_eq!(ids, ["live"]);
}

#[sqlx::test]
async fn error_pages_keep_the_signed_in_navigation(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let family = app.signed_in_as(&case.family).await;
    // 403: a form without its token.
    let res = family.post_raw("/account/password", &[("current_password", "x")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = text(res).await;
    assert!(body.contains("Your form expired") && body.contains("Sign out") && body.contains("Children and cases"));
    assert!(!body.contains("Create an account"), "not the signed-out navigation");
    // 409: something that can't be done now.
    let res = family.post_form(&format!("/family/cases/{}/follow-on", case.id), &NOT_URGENT).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = text(res).await;
    assert!(body.contains("Sign out") && body.contains("Children and cases"), "{body}");
    // 404 too, for a made-up case and a made-up page alike (each audited).
    for path in ["/family/cases/00000000-0000-4000-8000-000000000000", "/no-such-page"] {
        let before = app.audit_count("access_denied", "denied").await;
        let body = text(family.get(path).await).await;
        assert!(body.contains("Page not found") && body.contains("Sign out"), "{path}");
        assert_eq!(app.audit_count("access_denied", "denied").await, before + 1, "{path}");
    }
}

#[sqlx::test]
async fn cookies_are_host_only_secure_http_only_and_lax_over_https(db: PgPool) {
    let app = TestApp::spawn_configured(db, |c| c.base_url = "https://second-opinion.example.org".into()).await;
    let user = app.create_user(Role::Family).await;
    let client = bare_client();
    let res = client.get(app.url("/login")).send().await.unwrap();
    assert!(res.headers().get("strict-transport-security").is_some());
    let set = |res: &reqwest::Response| -> Vec<String> {
        res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    };
    let csrf = set(&res);
    assert_eq!(csrf.len(), 1, "{csrf:?}");
    assert!(csrf[0].starts_with("__Host-so_csrf=") && !csrf[0].contains("Domain"));
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(csrf[0].contains(attribute), "{attribute}: {}", csrf[0]);
    }
    let nonce = csrf[0].split(';').next().unwrap().to_owned();
    let token = hidden_value(&res.text().await.unwrap(), "csrf_token").unwrap();
    let res = client
        .post(app.url("/login"))
        .header("cookie", &nonce)
        .form(&[("email", user.email.as_str()), ("password", PASSWORD), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookies = set(&res);
    let session = cookies.iter().find(|c| c.starts_with("__Host-so_session=")).expect("the session cookie");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(session.contains(attribute), "{attribute}: {session}");
    }
    assert!(!session.contains("Domain"));
    let device = cookies.iter().find(|c| c.starts_with("__Host-so_device=")).expect("the device cookie");
    assert!(device.contains("HttpOnly") && device.contains("Secure") && device.contains("Max-Age=7776000"));
}
