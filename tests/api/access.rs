//! Each role reaches its own pages and gets 404 (audited) on everyone else's.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

#[sqlx::test]
async fn every_role_reaches_its_home_and_nobody_elses(db: PgPool) {
    for role in Role::ALL {
        let app = TestApp::spawn(db.clone()).await;
        app.login_as(role).await;
        assert_eq!(app.get(role.home()).await.status(), StatusCode::OK, "{role:?} home");
        let mut denied = 0;
        for other in Role::ALL.into_iter().filter(|r| *r != role) {
            for path in [other.home(), "/admin/specialists", "/admin/outbox"] {
                if role == Role::Admin && path.starts_with("/admin") {
                    continue;
                }
                let res = app.get(path).await;
                assert_eq!(res.status(), StatusCode::NOT_FOUND, "{role:?} → {path}");
                assert!(res.text().await.unwrap().contains("Page not found"));
                denied += 1;
            }
        }
        let audited: i64 = sqlx::query_scalar!(
            r#"select count(*) as "n!" from audit_log where action = 'access_denied' and outcome = 'denied' and actor_role = $1"#,
            role as Role
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(audited, denied, "every denial of {role:?} is audited");
    }
}

#[sqlx::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_come_back(db: PgPool) {
    let app = TestApp::spawn(db).await;
    for role in Role::ALL {
        let res = app.get(role.home()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/login?next=%2F{}", &role.home()[1..]));
    }
    let user = app.create_user(Role::Admin).await;
    let token = app.csrf_token().await;
    let res = app
        .post_raw(
            "/login",
            &[("email", &user.email), ("password", PASSWORD), ("next", "/admin/outbox"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(location(&res), "/login/code", "staff give a code next");
    assert_eq!(location(&app.answer_code(&user.email).await), "/admin/outbox");
}

#[sqlx::test]
async fn sign_in_never_redirects_off_site(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Family).await;
    for next in ["https://evil.example", "//evil.example", "/\\evil.example"] {
        let app = TestApp::spawn(app.db.clone()).await;
        let token = app.csrf_token().await;
        let res = app
            .post_raw(
                "/login",
                &[("email", &user.email), ("password", PASSWORD), ("next", next), ("csrf_token", &token)],
            )
            .await;
        assert_eq!(location(&res), "/family", "{next}");
    }
}

#[sqlx::test]
async fn a_staff_account_cannot_be_disabled_by_a_non_admin_or_a_family_at_all(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.login_as(Role::Coordinator).await;
    let victim = app.create_user(Role::Clinician).await;
    let res = app.post_form(&format!("/admin/users/{}/disable", victim.id), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let admin = TestApp::spawn(db).await;
    admin.login_as(Role::Admin).await;
    let family = admin.create_user(Role::Family).await;
    let res = admin.post_form(&format!("/admin/users/{}/disable", family.id), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = admin.post_form("/admin/users/not-a-uuid/disable", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from users where disabled_at is not null").await, 0);
}
