//! Register, verify, sign in, throttle, reset and change passwords.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

#[sqlx::test]
async fn a_family_registers_confirms_by_email_and_reaches_the_dashboard(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let email = format!("ada-{}@example.test", uuid::Uuid::new_v4().simple());

    let res =
        app.post_form("/register", &[("full_name", "Ada Lovelace"), ("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/register/check-email");
    assert!(app.page("/register/check-email").await.contains("Check your email"));

    // The message goes through the outbox to the real SMTP sink.
    assert_eq!(app.deliver_mail().await, 1);
    let mail = wait_for_mail(&email, 1).await;
    let (headers, body) = &mail[0];
    assert!(headers.contains("Subject: Confirm your email address"), "{headers}");
    let link = link_in(body, &app.url("/verify-email?token=")).expect("a confirmation link");
    assert!(!body.contains("Ada") && !body.contains("Lovelace"), "emails never name the family");

    // Opening the link changes nothing; the button does.
    let path = link.strip_prefix(&app.base).unwrap();
    let confirm_page = app.page(path).await;
    assert!(confirm_page.contains("Confirm my email"));
    let token = hidden_value(&confirm_page, "token").unwrap();
    assert_eq!(app.count("select count(*) from users where email_verified_at is not null").await, 0);
    let res = app.post_form("/verify-email", &[("token", &token)]).await;
    assert_eq!(location(&res), "/login");
    assert!(app.page("/login").await.contains("Your email address is confirmed"));

    let res = app.log_in(&email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/family");
    let dashboard = app.page("/family").await;
    assert!(dashboard.contains("Your children and cases"));
    assert!(!dashboard.contains("Please confirm your email address"));

    // A used link is worth nothing.
    let res = app.post_form("/verify-email", &[("token", &token)]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test]
async fn registering_an_existing_address_says_nothing_and_emails_its_owner(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let existing = app.create_user(Role::Family).await;
    let res = app
        .post_form("/register", &[("full_name", "Someone"), ("email", &existing.email), ("password", PASSWORD)])
        .await;
    assert_eq!(location(&res), "/register/check-email", "same answer as for a new address");
    assert_eq!(app.count("select count(*) from users").await, 1);
    let kind: String = sqlx::query_scalar("select kind from email_outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!(kind, "account_exists");
}

#[sqlx::test]
async fn bad_registrations_are_refused_with_the_reason_and_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("Ada", "ada@example.test", "password1234", "too common"),
        ("Ada", "ada@example.test", "Password123!", "too common"),
        ("Ada", "ada@example.test", "short pass", "at least 12 characters"),
        ("Ada", "not-an-email", PASSWORD, "Enter an email address like"),
        ("   ", "ada@example.test", PASSWORD, "Enter your full name"),
        ("Ann\u{202E}fdp.exe", "ada@example.test", PASSWORD, "characters we can"),
    ];
    for &(name, email, password, message) in cases {
        let res = app.post_form("/register", &[("full_name", name), ("email", email), ("password", password)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "expected {message:?}");
        assert!(body.contains("There is a problem"));
        assert!(body.contains(&format!("value=\"{email}\"")), "the email typed is kept");
        assert!(!body.contains(&format!("value=\"{password}\"")), "a password is never echoed");
    }
    let long = "x".repeat(129);
    let res =
        app.post_form("/register", &[("full_name", "Ada"), ("email", "a@example.test"), ("password", &long)]).await;
    assert!(res.text().await.unwrap().contains("at most 128 characters"));
    assert_eq!(app.count("select count(*) from users").await, 0);
    assert_eq!(app.count("select count(*) from email_outbox").await, 0);
}

#[sqlx::test]
async fn wrong_password_and_unknown_email_get_the_same_answer(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    let wrong = app.log_in(&user.email, "not the password at all").await;
    let unknown = app.log_in("nobody@example.test", "not the password at all").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    let message = "The email or password is not right";
    assert!(wrong.contains(message) && unknown.contains(message));
    assert!(wrong.contains(&format!("value=\"{}\"", user.email)), "the email typed is kept");
    assert_eq!(app.audit_count("login", "failure").await, 2);
}

#[sqlx::test]
async fn ten_failures_lock_the_account_for_fifteen_minutes(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Coordinator).await;
    for _ in 0..10 {
        assert_eq!(app.log_in(&user.email, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while locked.
    let res = app.log_in(&user.email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Too many attempts to sign in"));

    app.clock.advance(SignedDuration::from_mins(15) + SignedDuration::from_secs(1));
    let res = app.log_in(&user.email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test]
async fn password_reset_works_once_and_never_reveals_accounts(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;

    let known = app.post_form("/password-reset", &[("email", &user.email)]).await;
    let unknown = app.post_form("/password-reset", &[("email", "nobody@example.test")]).await;
    assert_eq!(location(&known), "/password-reset/sent");
    assert_eq!(location(&unknown), "/password-reset/sent");
    assert_eq!(app.deliver_mail().await, 1);
    let mail = wait_for_mail(&user.email, 1).await;
    let link = link_in(&mail[0].1, &app.url("/password-reset/new?token=")).unwrap();
    let path = link.strip_prefix(&app.base).unwrap();
    let token = hidden_value(&app.page(path).await, "token").unwrap();

    // A weak password is refused and the link still works.
    let res = app.post_form("/password-reset/new", &[("token", &token), ("password", "password1234")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res =
        app.post_form("/password-reset/new", &[("token", &token), ("password", "a brand new long passphrase")]).await;
    assert_eq!(location(&res), "/login?reason=password_reset");

    // Used once: a second use is refused; the new password works, the old one not.
    let res = app.post_form("/password-reset/new", &[("token", &token), ("password", "another new passphrase")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("invalid or has expired"));
    assert_eq!(app.log_in(&user.email, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in(&user.email, "a brand new long passphrase").await.status(), StatusCode::SEE_OTHER);
}

#[sqlx::test]
async fn a_reset_link_expires_after_thirty_minutes(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    app.post_form("/password-reset", &[("email", &user.email)]).await;
    app.deliver_mail().await;
    let link = link_in(&wait_for_mail(&user.email, 1).await[0].1, &app.url("/password-reset/new?token=")).unwrap();
    let token = link.rsplit_once('=').unwrap().1.to_owned();
    app.clock.advance(SignedDuration::from_mins(31));
    let res =
        app.post_form("/password-reset/new", &[("token", &token), ("password", "a brand new long passphrase")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app.login_as(Role::Family).await;
    // The same person, signed in on a second device.
    let other = TestApp::spawn(db).await;
    assert_eq!(other.log_in(&user.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let res = app
        .post_form(
            "/account/password",
            &[("current_password", "wrong wrong wrong"), ("new_password", "a brand new long passphrase")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Your current password is not right"));
    assert_eq!(app.get("/family").await.status(), StatusCode::OK, "the session is kept");

    let res = app
        .post_form(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "a brand new long passphrase")],
        )
        .await;
    assert_eq!(location(&res), "/account");
    assert_eq!(app.get("/family").await.status(), StatusCode::OK, "this session lives on");
    let res = other.get("/family").await;
    assert_eq!(location(&res), "/login?next=%2Ffamily&reason=ended", "the other device is signed out");
    let mail: Vec<(String, String, String)> =
        sqlx::query_as("select kind, body_text, body_html from email_outbox").fetch_all(&app.db).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].0, "password_changed");
    assert!(!mail[0].1.contains(&user.name) && !mail[0].2.contains(&user.name), "emails never name the family");
}

#[sqlx::test]
async fn an_admin_invites_staff_who_choose_their_own_password(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let email = format!("new-coordinator-{}@example.test", uuid::Uuid::new_v4().simple());

    let res =
        app.post_form("/admin", &[("full_name", "Nia Coordinator"), ("email", &email), ("role", "admin_typo")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Choose the staff role"));

    let res =
        app.post_form("/admin", &[("full_name", "Nia Coordinator"), ("email", &email), ("role", "coordinator")]).await;
    assert_eq!(location(&res), "/admin");
    assert!(app.page("/admin").await.contains("Nia Coordinator"));
    app.deliver_mail().await;
    let link = link_in(&wait_for_mail(&email, 1).await[0].1, &app.url("/password-reset/new?token=")).unwrap();
    let token = link.rsplit_once('=').unwrap().1.to_owned();

    let staff = TestApp::spawn(app.db.clone()).await;
    let res =
        staff.post_form("/password-reset/new", &[("token", &token), ("password", "coordinator long passphrase")]).await;
    assert_eq!(location(&res), "/login?reason=password_reset");
    let res = staff.log_in(&email, "coordinator long passphrase").await;
    assert_eq!(location(&res), "/coordinator");
}
