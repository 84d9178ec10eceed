//! Email survives an SMTP outage and is delivered exactly once when it returns.

use crate::helpers::*;
use crate::processes::{Sink, free_port};
use jiff::SignedDuration;
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test]
async fn mail_waits_out_an_smtp_outage_and_arrives_exactly_once(db: PgPool) {
    let port = free_port();
    let app = TestApp::spawn_with_smtp(db, &format!("smtp://127.0.0.1:{port}")).await;
    let email = "outage@example.test";

    // The sign-up itself succeeds while mail is down.
    let res = app.post_form("/register", &[("full_name", "Ada"), ("email", email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.deliver_mail().await, 1, "one attempt, which fails");
    let (status, attempts): (String, i32) =
        sqlx::query_as("select status::text, attempts from email_outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert_eq!(app.deliver_mail().await, 0, "not retried before its backoff");

    let sink = Sink::start(port);
    app.clock.advance(SignedDuration::from_mins(1));
    assert_eq!(app.deliver_mail().await, 1);
    assert_eq!(app.deliver_mail().await, 0, "nothing is sent twice");
    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.deliver_mail().await, 0);

    let mut delivered = Vec::new();
    for _ in 0..100 {
        delivered = mail_in(&sink.dir, email);
        if !delivered.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(delivered.len(), 1);
    let id: uuid::Uuid = sqlx::query_scalar("select id from email_outbox").fetch_one(&app.db).await.unwrap();
    assert!(delivered[0].0.contains(&format!("<{id}@second-opinion>")), "Message-ID comes from the outbox row");
}

#[sqlx::test]
async fn a_message_is_given_up_after_eight_attempts_and_shown_to_admins(db: PgPool) {
    let app = TestApp::spawn_with_smtp(db, &format!("smtp://127.0.0.1:{}", free_port())).await;
    app.post_form("/password-reset", &[("email", "nobody@example.test")]).await;
    let admin = app.create_user(second_opinion::domain::Role::Admin).await;
    app.post_form("/password-reset", &[("email", &admin.email)]).await;
    for _ in 0..8 {
        app.deliver_mail().await;
        app.clock.advance(SignedDuration::from_hours(1));
    }
    let status: String = sqlx::query_scalar("select status::text from email_outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "dead");
    let viewer = TestApp::spawn(app.db.clone()).await;
    viewer.login_as(second_opinion::domain::Role::Admin).await;
    let page = viewer.page("/admin/outbox").await;
    assert!(page.contains(&admin.email) && page.contains("Send again"));
}
