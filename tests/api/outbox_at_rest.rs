//! No usable link is readable at rest: the outbox keeps message bodies
//! sealed (AES-256-GCM, key from the environment) and forgets them once sent.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

/// Rows whose stored bytes, in any column, contain `needle`.
async fn rows_containing(app: &TestApp, needle: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from email_outbox o where position(convert_to($1, 'UTF8') in convert_to(o::text, 'UTF8')) > 0",
    )
    .bind(needle)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn reset_invitation_and_confirmation_links_are_not_readable_in_the_outbox(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let family = app.create_user(Role::Family).await;
    app.post_form("/password-reset", &[("email", &family.email)]).await;
    let newcomer = format!("newcomer-{}@example.test", uuid::Uuid::new_v4().simple());
    app.post_form("/register", &[("full_name", "Ada"), ("email", &newcomer), ("password", PASSWORD)]).await;
    let admin = TestApp::spawn(app.db.clone()).await;
    admin.login_as(Role::Admin).await;
    let invited = format!("invited-{}@example.test", uuid::Uuid::new_v4().simple());
    let res =
        admin.post_form("/admin", &[("full_name", "New Clinician"), ("email", &invited), ("role", "clinician")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Before sending: nothing of a link in clear.
    assert_eq!(app.count("select count(*) from email_outbox").await, 3);
    assert_eq!(rows_containing(&app, "token=").await, 0);
    assert_eq!(rows_containing(&app, &app.base).await, 0);
    assert_eq!(rows_containing(&app, &admin.base).await, 0);

    app.clock.advance(jiff::SignedDuration::from_secs(60)); // the admin's clock ran a little ahead
    assert_eq!(app.deliver_mail().await, 3);
    let mut tokens = Vec::new();
    for (to, prefix) in [
        (&family.email, app.url("/password-reset/new?token=")),
        (&newcomer, app.url("/verify-email?token=")),
        (&invited, admin.url("/password-reset/new?token=")),
    ] {
        let mail = wait_for_mail(to, 1).await;
        let link = link_in(&mail[0].1, &prefix).expect("the link arrives intact");
        tokens.push(link.split("token=").nth(1).unwrap().to_owned());
    }
    // After sending: the bodies are gone, and no token is anywhere in the table.
    assert_eq!(app.count("select count(*) from email_outbox where status = 'sent' and body_sealed is null").await, 3);
    for token in &tokens {
        assert_eq!(rows_containing(&app, token).await, 0);
    }

    // The invitation still works.
    let res = app
        .post_form("/password-reset/new", &[("token", &tokens[2]), ("password", "a long new passphrase here")])
        .await;
    assert_eq!(location(&res), "/login?reason=password_reset");
}

#[sqlx::test]
async fn a_message_sealed_with_another_key_is_not_sent_and_says_why(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let family = app.create_user(Role::Family).await;
    app.post_form("/password-reset", &[("email", &family.email)]).await;
    // A process with another APP_SECRET_KEY can't open it: it stays queued
    // (a misconfigured node must not burn the message).
    let other = TestApp::spawn_configured(db, |c| c.secret_key = second_opinion::config::SecretKey::random()).await;
    assert_eq!(other.deliver_mail().await, 1);
    let (status, error): (String, Option<String>) =
        sqlx::query_as("select status::text, last_error from email_outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "pending");
    assert!(error.unwrap_or_default().contains("APP_SECRET_KEY"));
    app.clock.advance(jiff::SignedDuration::from_mins(5));
    assert_eq!(app.deliver_mail().await, 1, "the right key sends it");
    assert_eq!(wait_for_mail(&family.email, 1).await.len(), 1);
}
