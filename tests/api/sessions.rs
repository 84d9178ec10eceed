//! Session lifetime: fixation, logout, idle and absolute timeouts, disabling.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

async fn session_rows(app: &TestApp, id: &str) -> i64 {
    sqlx::query_scalar!(r#"select count(*) as "n!" from tower_sessions.session where id = $1"#, id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn signing_in_issues_a_new_session_id(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    app.csrf_token().await;
    assert!(app.session_cookie().is_none(), "the sign-in form needs no session");
    // An id planted before sign-in (fixation) is not adopted.
    let planted = "V4fXvUSSHkDCsN2t8n3yWg";
    app.set_session_cookie(planted);
    app.log_in(&user.email, PASSWORD).await;
    let after = app.session_cookie().unwrap();
    assert_ne!(planted, after);
    assert_eq!(session_rows(&app, planted).await, 0);

    // A session from before a second sign-in is ended by it.
    app.log_in(&user.email, PASSWORD).await;
    let again = app.session_cookie().unwrap();
    assert_ne!(after, again);
    assert_eq!(session_rows(&app, &after).await, 0, "the old id is gone");
    app.set_session_cookie(&after);
    assert_eq!(app.get("/family").await.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test]
async fn logging_out_deletes_the_session_on_the_server(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    let cookie = app.session_cookie().unwrap();
    assert_eq!(session_rows(&app, &cookie).await, 1);

    let res = app.post_form("/logout", &[]).await;
    assert_eq!(location(&res), "/login?reason=signed_out");
    assert_eq!(session_rows(&app, &cookie).await, 0);
    assert_eq!(app.audit_count("logout", "success").await, 1);

    // Replaying the captured cookie does not get back in.
    app.set_session_cookie(&cookie);
    let res = app.get("/family").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
}

#[sqlx::test]
async fn logout_by_get_is_not_allowed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    assert_eq!(app.get("/logout").await.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.get("/family").await.status(), StatusCode::OK);
}

#[sqlx::test]
async fn staff_are_signed_out_after_fifteen_idle_minutes(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    app.clock.advance(SignedDuration::from_mins(15));
    assert_eq!(app.get("/coordinator").await.status(), StatusCode::OK, "exactly at the limit is still fine");
    app.clock.advance(SignedDuration::from_mins(15) + SignedDuration::from_secs(1));
    let res = app.get("/coordinator").await;
    assert_eq!(location(&res), "/login?next=%2Fcoordinator&reason=idle");
    assert!(app.page("/login?reason=idle").await.contains("signed out after a period without activity"));
    // The session is gone for good, not just hidden.
    app.clock.set(jiff::Timestamp::now());
    assert_eq!(app.get("/coordinator").await.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test]
async fn families_get_thirty_idle_minutes_and_reading_counts_as_activity(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    // An hour of only reading, a page every five minutes.
    for _ in 0..12 {
        app.clock.advance(SignedDuration::from_mins(5));
        assert_eq!(app.get("/family").await.status(), StatusCode::OK);
    }
    app.clock.advance(SignedDuration::from_mins(30) + SignedDuration::from_secs(1));
    assert_eq!(location(&app.get("/family").await), "/login?next=%2Ffamily&reason=idle");
}

#[sqlx::test]
async fn nobody_stays_signed_in_longer_than_twelve_hours(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    for _ in 0..(12 * 6) {
        app.clock.advance(SignedDuration::from_mins(10));
        assert_eq!(app.get("/family").await.status(), StatusCode::OK);
    }
    app.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(location(&app.get("/family").await), "/login?next=%2Ffamily&reason=expired");
}

#[sqlx::test]
async fn disabling_an_account_ends_its_live_sessions(db: PgPool) {
    let admin = TestApp::spawn(db.clone()).await;
    admin.login_as(Role::Admin).await;
    let staff = TestApp::spawn(db).await;
    let clinician = staff.login_as(Role::Clinician).await;
    assert_eq!(staff.get("/clinician").await.status(), StatusCode::OK);

    let res = admin.post_form(&format!("/admin/users/{}/disable", clinician.id), &[]).await;
    assert_eq!(location(&res), "/admin");
    assert_eq!(location(&staff.get("/clinician").await), "/login?next=%2Fclinician&reason=ended");
    assert_eq!(staff.log_in(&clinician.email, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);

    admin.post_form(&format!("/admin/users/{}/enable", clinician.id), &[]).await;
    assert_eq!(staff.log_in(&clinician.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test]
async fn reading_pages_does_not_write_the_session_every_time(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    let id = app.session_cookie().unwrap();
    app.get("/family").await;
    let before = row_version(&app, &id).await;
    for _ in 0..3 {
        assert_eq!(app.get("/family").await.status(), StatusCode::OK);
        app.clock.advance(SignedDuration::from_secs(10));
    }
    assert_eq!(row_version(&app, &id).await, before, "no session write for page views within a minute");
    app.clock.advance(SignedDuration::from_mins(1));
    app.get("/family").await;
    assert_ne!(row_version(&app, &id).await, before, "activity is recorded once a minute");
}

/// The row's transaction id: it changes whenever the session is written.
async fn row_version(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("select xmin::text from tower_sessions.session where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}
