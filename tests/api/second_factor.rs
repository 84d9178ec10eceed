//! The second factor: staff enrol (QR code, secret, a code to confirm, ten
//! recovery codes once), every sign-in asks for a code, a code works once,
//! wrong codes are throttled like passwords, a recovery code works once,
//! staff without it reach only enrolment, half a sign-in reaches nothing,
//! families may turn it on and off, and production refuses the demo secret.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::config::AppEnv;
use second_opinion::domain::Role;
use sqlx::PgPool;

const ENROL: &str = "/account/second-factor";

/// The secret an enrolment page writes out for typing (base32, in groups).
fn secret_on(page: &str) -> String {
    let start = page.find(r#"<code class="secret">"#).expect("the secret is written out") + 21;
    let end = start + page[start..].find("</code>").unwrap();
    page[start..end].split_whitespace().collect()
}

/// The recovery codes a page lists.
fn codes_on(page: &str) -> Vec<String> {
    page.split("<li><code>").skip(1).map(|rest| rest[..rest.find("</code>").unwrap()].to_owned()).collect()
}

async fn password_step(app: &TestApp, user: &TestUser) -> reqwest::Response {
    app.post_form("/login", &[("email", &user.email), ("password", PASSWORD)]).await
}

async fn code_step(app: &TestApp, code: &str) -> reqwest::Response {
    app.post_form("/login/code", &[("code", code)]).await
}

async fn factors_of(app: &TestApp, user: &TestUser) -> i64 {
    app.count(&format!("select count(*) from second_factors where user_id = '{}'", user.id.0)).await
}

#[sqlx::test]
async fn a_coordinator_enrols_with_the_qr_code_and_signs_in_with_a_code(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user_without_second_factor(Role::Coordinator).await;
    let res = app.log_in(&user.email, PASSWORD).await;
    assert_eq!(location(&res), "/coordinator");
    let res = app.get("/coordinator").await;
    assert_eq!(location(&res), ENROL, "nothing before enrolment");

    let page = app.page(ENROL).await;
    assert!(page.contains("<svg") && page.contains("</svg>"), "the QR code is drawn on the server");
    let secret = secret_on(&page);
    assert_eq!(secret.len(), 32, "160 bits in base32: {secret}");
    assert_eq!(secret_on(&app.page(ENROL).await), secret, "the same secret until it is confirmed");

    // A wrong code: the same page, the same secret, nothing stored.
    let wrong = if totp_code(&secret, app.clock.now()) == "123456" { "654321" } else { "123456" };
    let res = app.post_form(ENROL, &[("code", wrong)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("That code is not right") && secret_on(&body) == secret, "{body}");
    assert_eq!(factors_of(&app, &user).await, 0);

    let res = app.post_form(ENROL, &[("code", &totp_code(&secret, app.clock.now()))]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let codes = codes_on(&res.text().await.unwrap());
    assert_eq!(codes.len(), 10, "{codes:?}");
    assert_eq!(factors_of(&app, &user).await, 1);
    assert_eq!(app.count("select count(*) from recovery_codes where used_at is null").await, 10);
    let stored = format!(
        "select count(*) from second_factors where position(convert_to('{secret}', 'UTF8') in secret_sealed) > 0"
    );
    assert_eq!(app.count(&stored).await, 0, "the secret is sealed at rest");
    assert_eq!(app.audit_count("second_factor_enrolled", "success").await, 1);
    assert_eq!(app.get("/coordinator").await.status(), StatusCode::OK, "this session gave the code");
    assert!(app.page(ENROL).await.contains("Recovery codes left: 10"));

    // Another browser: the password, then a code from the same secret.
    let other = app.another_browser().await;
    assert_eq!(location(&password_step(&other, &user).await), "/login/code");
    let page = other.page("/login/code").await;
    assert!(page.contains("Enter your code"));
    app.clock.advance(SignedDuration::from_secs(30));
    let res = code_step(&other, &totp_code(&secret, app.clock.now())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/coordinator");
    assert_eq!(other.get("/coordinator").await.status(), StatusCode::OK);
}

#[sqlx::test]
async fn a_wrong_code_is_refused_and_a_used_code_is_refused_again(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Clinician).await;
    password_step(&app, &user).await;
    let code = totp_code(TOTP_SECRET, app.clock.now());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = code_step(&app, wrong).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("That code is not right"));
    assert_eq!(app.audit_count("login_second_factor", "failure").await, 1);
    assert_eq!(app.audit_count("login", "success").await, 0, "not signed in");
    assert!(location(&app.get("/clinician").await).starts_with("/login"));

    assert_eq!(location(&code_step(&app, &code).await), "/clinician");

    // The same code again, from another browser, within its window.
    let other = app.another_browser().await;
    password_step(&other, &user).await;
    let res = code_step(&other, &code).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already been used"));
    assert!(location(&other.get("/clinician").await).starts_with("/login"));
    // An older code is no better than a used one.
    let older = totp_code(TOTP_SECRET, app.clock.now() - SignedDuration::from_secs(30));
    assert_eq!(code_step(&other, &older).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The next one works.
    app.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(location(&code_step(&other, &totp_code(TOTP_SECRET, app.clock.now())).await), "/clinician");
}

#[sqlx::test]
async fn wrong_codes_are_throttled_like_wrong_passwords(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Admin).await;
    password_step(&app, &user).await;
    let code = totp_code(TOTP_SECRET, app.clock.now());
    let wrong = if code == "999999" { "888888" } else { "999999" };
    for _ in 0..10 {
        assert_eq!(code_step(&app, wrong).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The right code now waits too, and so does the password.
    let res = code_step(&app, &code).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("Too many attempts"));
    assert_eq!(app.audit_count("login_throttled", "denied").await, 1);
    let other = app.another_browser().await;
    assert_eq!(password_step(&other, &user).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("select last_step from second_factors").await, 0, "no code was used");
}

#[sqlx::test]
async fn a_recovery_code_signs_in_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user_without_second_factor(Role::Specialist).await;
    let codes = app.enrol_second_factor(&user, TOTP_SECRET).await;
    password_step(&app, &user).await;
    let res = code_step(&app, &codes[3].to_lowercase()).await;
    assert_eq!(location(&res), "/specialist", "however it is typed");
    assert!(app.page("/specialist").await.contains("You have 9 left"));
    assert_eq!(app.audit_count("login_recovery_code", "success").await, 1);

    let other = app.another_browser().await;
    password_step(&other, &user).await;
    let res = code_step(&other, &codes[3]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from recovery_codes where used_at is not null").await, 1);
    assert!(location(&other.get("/specialist").await).starts_with("/login"));
}

#[sqlx::test]
async fn staff_without_a_second_factor_reach_nothing_but_enrolment(db: PgPool) {
    let app = TestApp::spawn(db).await;
    for role in Role::STAFF {
        let browser = app.another_browser().await;
        let user = app.create_user_without_second_factor(role).await;
        assert_eq!(location(&browser.log_in(&user.email, PASSWORD).await), role.home());
        let pages = [role.home(), "/coordinator", "/clinician", "/specialist", "/admin", "/admin/audit", "/account"];
        for path in pages.iter().chain(["/account/password", "/family", "/admin/outbox"].iter()) {
            let res = browser.get(path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{role:?} GET {path}");
            assert_eq!(location(&res), ENROL, "{role:?} GET {path}");
        }
        let res = browser
            .post_form(
                "/account/password",
                &[("current_password", PASSWORD), ("new_password", "a brand new passphrase")],
            )
            .await;
        assert_eq!(location(&res), ENROL, "{role:?}: forms too");
        assert_eq!(browser.get(ENROL).await.status(), StatusCode::OK);
    }
    // Families are not asked.
    let family = app.login_as(Role::Family).await;
    assert_eq!(app.get("/family").await.status(), StatusCode::OK, "{}", family.email);
}

#[sqlx::test]
async fn half_a_sign_in_reaches_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user(Role::Coordinator).await;
    assert_eq!(location(&password_step(&app, &user).await), "/login/code");
    for path in ["/coordinator", "/account", ENROL, "/admin"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert!(location(&res).starts_with("/login"), "GET {path}: {}", location(&res));
    }
    let owned = format!("select count(*) from tower_sessions.session where user_id = '{}'", user.id.0);
    assert_eq!(app.count(&owned).await, 0, "the session has no owner until the code");
    // Five minutes later the half sign-in is gone.
    app.clock.advance(SignedDuration::from_mins(6));
    let res = code_step(&app, &totp_code(TOTP_SECRET, app.clock.now())).await;
    assert!(location(&res).starts_with("/login?"), "{}", location(&res));
    assert_eq!(app.audit_count("login", "success").await, 0);
}

#[sqlx::test]
async fn a_family_turns_the_second_factor_on_and_off(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let family = app.login_as(Role::Family).await;
    assert!(app.page("/account").await.contains(ENROL), "the account page offers it");
    let page = app.page(ENROL).await;
    assert!(page.contains("<svg"));
    let secret = secret_on(&page);
    let res = app.post_form(ENROL, &[("code", &totp_code(&secret, app.clock.now()))]).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Asked at the next sign-in.
    let other = app.another_browser().await;
    assert_eq!(location(&password_step(&other, &family).await), "/login/code");
    app.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(location(&code_step(&other, &totp_code(&secret, app.clock.now())).await), "/family");

    // Off needs a code: a wrong one changes nothing.
    let res = app.post_form("/account/second-factor/off", &[("code", "12345x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("That code is not right"));
    assert_eq!(factors_of(&app, &family).await, 1);
    app.clock.advance(SignedDuration::from_secs(30));
    let res = app.post_form("/account/second-factor/off", &[("code", &totp_code(&secret, app.clock.now()))]).await;
    assert_eq!(location(&res), ENROL);
    assert_eq!(factors_of(&app, &family).await, 0);
    assert_eq!(app.count("select count(*) from recovery_codes").await, 0);
    assert_eq!(app.audit_count("second_factor_removed", "success").await, 1);
    let third = app.another_browser().await;
    assert_eq!(location(&password_step(&third, &family).await), "/family", "the password alone again");
}

#[sqlx::test]
async fn staff_cannot_turn_their_second_factor_off(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.login_as(Role::Coordinator).await;
    app.clock.advance(SignedDuration::from_secs(30));
    let res = app.post_form("/account/second-factor/off", &[("code", &totp_code(TOTP_SECRET, app.clock.now()))]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(factors_of(&app, &user).await, 1);
    assert_eq!(app.audit_count("access_denied", "denied").await, 1);
}

#[sqlx::test]
async fn the_code_step_names_the_demo_secret_off_production_only(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app.create_user(Role::Coordinator).await;
    password_step(&app, &user).await;
    assert!(app.page("/login/code").await.contains(second_opinion::auth::second_factor::DEMO_SECRET));

    let production = TestApp::spawn_configured(db, |c| c.env = AppEnv::Production).await;
    let demo = production.create_user_without_second_factor(Role::Admin).await;
    production.enrol_second_factor(&demo, second_opinion::auth::second_factor::DEMO_SECRET).await;
    password_step(&production, &demo).await;
    let page = production.page("/login/code").await;
    assert!(!page.contains(second_opinion::auth::second_factor::DEMO_SECRET));
    let code = totp_code(second_opinion::auth::second_factor::DEMO_SECRET, production.clock.now());
    let res = code_step(&production, &code).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "production never accepts the demo secret");
    assert!(location(&production.get("/admin").await).starts_with("/login"));
}

#[sqlx::test]
async fn an_admin_resets_a_second_factor_and_the_person_must_enrol_again(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.create_user(Role::Coordinator).await;
    let theirs = app.signed_in_as(&coordinator).await;
    assert_eq!(theirs.get("/coordinator").await.status(), StatusCode::OK);
    let admin = app.login_as(Role::Admin).await;
    assert!(app.page("/admin").await.contains(&format!("/admin/users/{}/second-factor/reset", coordinator.id.0)));

    // The first press only asks.
    let path = format!("/admin/users/{}/second-factor/reset", coordinator.id.0);
    let res = app.post_form(&path, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Reset the two-step sign-in of"));
    assert_eq!(factors_of(&app, &coordinator).await, 1);

    let res = app.post_form(&path, &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/admin");
    assert_eq!(factors_of(&app, &coordinator).await, 0);
    let codes = format!("select count(*) from recovery_codes where user_id = '{}'", coordinator.id.0);
    assert_eq!(app.count(&codes).await, 0);
    let audited = format!(
        "select count(*) from audit_log where action = 'second_factor_reset' and actor_user_id = '{}' and entity_id = '{}'",
        admin.id.0, coordinator.id.0
    );
    assert_eq!(app.count(&audited).await, 1);
    // Their session ended; signing in again leads to enrolment only.
    assert!(location(&theirs.get("/coordinator").await).starts_with("/login"));
    assert_eq!(location(&theirs.log_in(&coordinator.email, PASSWORD).await), "/coordinator");
    assert_eq!(location(&theirs.get("/coordinator").await), ENROL);

    // Not one's own, and not for anyone but an admin.
    let own = format!("/admin/users/{}/second-factor/reset", admin.id.0);
    assert_eq!(app.post_form(&own, &[("confirmed", "yes")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(factors_of(&app, &admin).await, 1);
    let other = app.signed_in_as(&app.create_user(Role::Coordinator).await).await;
    assert_eq!(other.post_form(&path, &[("confirmed", "yes")]).await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn a_spanish_speaking_family_reads_the_second_factor_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let family = app.login_as(Role::Family).await;
    sqlx::query!("update users set language = 'es' where id = $1", family.id as second_opinion::domain::UserId)
        .execute(&app.db)
        .await
        .unwrap();
    let page = app.page(ENROL).await;
    assert!(page.contains("Inicio de sesión en dos pasos") && page.contains("Escanee este código QR"), "{page}");
    let res = app.post_form(ENROL, &[("code", "12345x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Ese código no es correcto"));
    // Staff pages stay English.
    let staff = app.another_browser().await;
    let coordinator = app.create_user_without_second_factor(Role::Coordinator).await;
    staff.log_in(&coordinator.email, PASSWORD).await;
    assert!(staff.page(ENROL).await.contains("Before you can use Second Opinion, set up two-step sign-in"));
}

#[sqlx::test]
async fn new_recovery_codes_for_a_current_code_replace_the_old_ones(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.create_user_without_second_factor(Role::Clinician).await;
    let old = app.enrol_second_factor(&user, TOTP_SECRET).await;
    app.log_in(&user.email, PASSWORD).await;
    const NEW: &str = "/account/second-factor/recovery-codes";
    assert!(app.page(ENROL).await.contains(NEW), "the page offers new codes");

    // A wrong code: the page again with the refusal at the field, the old codes still good.
    let res = app.post_form(NEW, &[("current_code", "12345x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("That code is not right") && body.contains(r#"id="current_code-error""#), "{body}");
    assert_eq!(app.audit_count("recovery_codes_replaced", "success").await, 0);
    assert_eq!(app.count("select count(*) from recovery_codes where used_at is null").await, 10);

    app.clock.advance(SignedDuration::from_secs(30));
    let res = app.post_form(NEW, &[("current_code", &totp_code(TOTP_SECRET, app.clock.now()))]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store", "shown once");
    let body = res.text().await.unwrap();
    assert!(body.contains("ten new recovery codes"), "{body}");
    let new = codes_on(&body);
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));
    assert_eq!(app.count("select count(*) from recovery_codes").await, 10, "the old ones are gone");
    assert_eq!(app.audit_count("recovery_codes_replaced", "success").await, 1);
    assert!(!app.page(ENROL).await.contains(&new[0]), "never shown again");

    // An old code no longer signs in; a new one does.
    let other = app.another_browser().await;
    password_step(&other, &user).await;
    assert_eq!(code_step(&other, &old[0]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(location(&code_step(&other, &new[0]).await), "/clinician");

    // A family's page speaks Spanish; an old recovery code is a current code too.
    let family = app.another_browser().await;
    let parent = family.login_as(Role::Family).await;
    sqlx::query!("update users set language = 'es' where id = $1", parent.id as second_opinion::domain::UserId)
        .execute(&app.db)
        .await
        .unwrap();
    let theirs = app.enrol_second_factor(&parent, TOTP_SECRET).await;
    assert!(family.page(ENROL).await.contains("Obtener nuevos códigos de recuperación"));
    let res = family.post_form(NEW, &[("current_code", &theirs[0])]).await;
    assert!(res.text().await.unwrap().contains("Tiene diez códigos de recuperación nuevos"));
}

#[sqlx::test]
async fn an_admin_finds_a_family_by_email_and_resets_their_second_factor(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let family = app.create_user(Role::Family).await;
    app.enrol_second_factor(&family, TOTP_SECRET).await;
    let theirs = app.signed_in_as(&family).await;
    assert_eq!(theirs.get("/family").await.status(), StatusCode::OK);
    let admin = app.login_as(Role::Admin).await;
    const FIND: &str = "/admin/second-factor";
    assert!(app.page("/admin").await.contains(FIND), "the staff page leads there");
    assert!(app.page(FIND).await.contains("Find the account"));

    // An unknown email: the page again, what was typed kept.
    let res = app.post_form(FIND, &[("email", "nobody-here@example.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("No account has this email") && body.contains(r#"value="nobody-here@example.test""#));

    let path = format!("/admin/users/{}/second-factor/reset", family.id.0);
    let res = app.post_form(FIND, &[("email", &family.email.to_uppercase())]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains(&family.name) && body.contains("Two-step sign-in is on") && body.contains(&path), "{body}");

    // The first press only asks; then it is gone, audited, and their sessions end.
    let res = app.post_form(&path, &[]).await;
    assert!(res.text().await.unwrap().contains("password alone until they turn two-step sign-in on again"));
    assert_eq!(factors_of(&app, &family).await, 1);
    let res = app.post_form(&path, &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), FIND);
    assert_eq!(factors_of(&app, &family).await, 0);
    let codes = format!("select count(*) from recovery_codes where user_id = '{}'", family.id.0);
    assert_eq!(app.count(&codes).await, 0);
    let audited = format!(
        "select count(*) from audit_log where action = 'second_factor_reset' and actor_user_id = '{}' and entity_id = '{}'",
        admin.id.0, family.id.0
    );
    assert_eq!(app.count(&audited).await, 1);
    assert!(location(&theirs.get("/family").await).starts_with("/login"), "their session ended");
    assert_eq!(location(&password_step(&theirs, &family).await), "/family", "the password alone now");
    let res = app.post_form(FIND, &[("email", &family.email)]).await;
    assert!(res.text().await.unwrap().contains("nothing to reset"));

    // Only an admin finds accounts: anyone else gets a 404, audited.
    let coordinator = app.signed_in_as(&app.create_user(Role::Coordinator).await).await;
    let denied = app.audit_count("access_denied", "denied").await;
    assert_eq!(coordinator.post_form(FIND, &[("email", &family.email)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(theirs.get(FIND).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, denied + 2);
}
