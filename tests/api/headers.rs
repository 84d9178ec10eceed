//! Health check, security headers, static files.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

#[sqlx::test]
async fn healthz_answers_ok_when_the_database_does(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[sqlx::test]
async fn pages_carry_the_security_headers(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    for path in ["/", "/family", "/nowhere"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store");
        assert!(h.contains_key("x-request-id"));
    }
}

#[sqlx::test]
async fn static_files_are_versioned_and_cached_for_a_year(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let landing = app.page("/").await;
    let start = landing.find("/static/app.").unwrap();
    let href = &landing[start..start + landing[start..].find('"').unwrap()];
    let res = app.get(href).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(app.get("/static/app.css").await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn the_landing_page_tells_the_programs_story(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let page = app.page("/").await;
    for fact in ["$900", "911", "(800) 941-1383", "(775) 440-2557", "6 a.m.", "877", "five", "HSA", "English"] {
        assert!(page.contains(fact), "landing page mentions {fact}");
    }
    assert!(page.contains("TEST MODE"), "payments are bannered as test mode without Stripe keys");
}
