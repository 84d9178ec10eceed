//! Every state-changing request needs this session's token and a same-site origin.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

const NEW: &str = "a brand new long passphrase";

async fn password_unchanged(app: &TestApp, user: &TestUser) -> bool {
    let fresh = TestApp::spawn(app.db.clone()).await;
    fresh.log_in(&user.email, PASSWORD).await.status() == StatusCode::SEE_OTHER
}

#[sqlx::test]
async fn a_post_without_the_token_is_refused_and_changes_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.login_as(Role::Family).await;
    let res = app.post_raw("/account/password", &[("current_password", PASSWORD), ("new_password", NEW)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Your form expired"));
    assert!(password_unchanged(&app, &user).await);
}

#[sqlx::test]
async fn a_token_from_another_session_is_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app.login_as(Role::Family).await;
    let attacker = TestApp::spawn(db).await;
    attacker.login_as(Role::Family).await;
    let foreign = attacker.csrf_token().await;
    let res = app
        .post_raw(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", NEW), ("csrf_token", &foreign)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(password_unchanged(&app, &user).await);
}

#[sqlx::test]
async fn a_cross_site_origin_is_refused_even_with_a_valid_token(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.login_as(Role::Family).await;
    let token = app.csrf_token().await;
    let fields = [("current_password", PASSWORD), ("new_password", NEW), ("csrf_token", token.as_str())];
    let res = app
        .client
        .post(app.url("/account/password"))
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .client
        .post(app.url("/account/password"))
        .header("sec-fetch-site", "cross-site")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(password_unchanged(&app, &user).await);
}

#[sqlx::test]
async fn json_or_oversized_bodies_are_refused(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    let res = app
        .client
        .post(app.url("/account/password"))
        .json(&serde_json::json!({"new_password": NEW}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let huge = "x".repeat(1024 * 1024);
    let res = app.client.post(app.url("/login")).form(&[("email", huge.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
