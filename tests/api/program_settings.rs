//! `/admin/settings/program/…`: the program's names, numbers and two texts,
//! set by the admin over the configuration and returned to it. Pages read the
//! value in effect at once, other instances on the table's NOTIFY; refusals
//! keep what was typed and write nothing; only the admin reaches them.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

const SETTINGS: &str = "select count(*) from program_settings";

#[sqlx::test]
async fn the_partner_and_phone_the_admin_sets_reach_every_page_until_reverted(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in_as(&app.create_user(Role::Admin).await).await;
    let landing = app.page("/").await;
    assert!(landing.contains("Included Health") && landing.contains("(800) 941-1383"), "{landing}");

    let res = admin.post_form("/admin/settings/program/partner", &[("value", "  Kinder Care Partners ")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin.post_form("/admin/settings/program/phone", &[("value", "(888) 555-0100")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.audit_count("program_setting_changed", "success").await, 2);
    let landing = app.page("/").await;
    assert!(landing.contains("Kinder Care Partners") && !landing.contains("Included Health"), "{landing}");
    assert!(landing.contains("(888) 555-0100") && landing.contains("tel:+18885550100"), "{landing}");
    assert!(!landing.contains("941-1383"), "no page mixes the old number with the new");

    let settings = admin.page("/admin/settings").await;
    assert!(settings.contains("Kinder Care Partners") && settings.contains("Set by"), "{settings}");
    let page = admin.page("/admin/settings/program/partner").await;
    assert!(page.contains("PROGRAM_PARTNER") && page.contains("Included Health"), "the configuration's value: {page}");
    assert!(page.contains(r#"value="Kinder Care Partners""#), "the field starts with the value in effect");

    let res = admin.post_form("/admin/settings/program/partner/revert", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.audit_count("program_setting_reverted", "success").await, 1);
    let landing = app.page("/").await;
    assert!(landing.contains("Included Health") && !landing.contains("Kinder Care Partners"), "{landing}");
    let res = admin.post_form("/admin/settings/program/partner/revert", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "nothing left to revert");
    assert_eq!(admin.count(SETTINGS).await, 1, "the phone stays set");
}

#[sqlx::test]
async fn the_safety_and_translation_texts_are_set_per_language(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in_as(&app.create_user(Role::Admin).await).await;
    let case = app.case().create().await;
    let spanish = spanish_family(&app, &case).await;
    let (_, child) = family_with_child(&app).await;
    let draft = draft_case(&app, &child).await;
    let english = &app;
    let english_intro = "A second opinion takes about two weeks.";
    assert!(spanish.page("/family/cases/new").await.contains("Una segunda opinión tarda unas dos semanas."));

    let intro = "Antes de empezar, dos preguntas sobre la salud de su hijo o hija hoy.";
    let res = admin.post_form("/admin/settings/program/safety_intro_es", &[("value", intro)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post_form(
            "/admin/settings/program/records_translation",
            &[("value", "Ask your coordinator about translation.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let form = spanish.page("/family/cases/new").await;
    in_spanish(&form, &[intro], &["Una segunda opinión tarda unas dos semanas.", english_intro]);
    assert!(english.page("/family/cases/new").await.contains(english_intro), "English keeps its own text");
    let abroad = [("facility", "Hospital Central"), ("records_description", "MRI report"), ("language", "Spanish")];
    english.post_form(&format!("/family/cases/{draft}/records"), &with_release(&abroad)).await;
    let records = english.page(&format!("/family/cases/{draft}/records")).await;
    assert!(records.contains("Ask your coordinator about translation."), "{records}");
    assert!(!records.contains("qualified medical translator before review"), "{records}");
    let their_child: uuid::Uuid = sqlx::query_scalar("select child_id from cases where id = $1::uuid")
        .bind(&case.id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let spanish_draft = draft_case(&spanish, &their_child.to_string()).await;
    spanish.post_form(&format!("/family/cases/{spanish_draft}/records"), &with_release(&abroad)).await;
    let records_es = spanish.page(&format!("/family/cases/{spanish_draft}/records")).await;
    assert!(records_es.contains("traductor médico calificado"), "Spanish keeps the configuration's text");
}

#[sqlx::test]
async fn a_refused_setting_says_why_keeps_the_text_and_changes_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let long = "a".repeat(1001);
    for (key, value, says, kept) in [
        ("phone", "call us", "Enter a phone number with its area code", r#"value="call us""#),
        ("partner", "<b>Partner</b>", "Leave out the characters", r#"value="<b>Partner</b>""#),
        ("partner", "   ", "Enter a value, or return the setting to its configuration.", r#"value="   ""#),
        ("hours", "9 to 5\nweekdays", "Keep it to one line.", "9 to 5\nweekdays"),
        ("safety_intro", long.as_str(), "Keep it to 1,000 characters.", long.as_str()),
    ] {
        let res = app.post_form(&format!("/admin/settings/program/{key}"), &[("value", value)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{key} {value}");
        let body = text(res).await;
        assert!(body.contains(says), "{says}\n{body}");
        assert!(body.contains(kept), "the typed text stays: {kept}\n{body}");
    }
    assert_eq!(app.get("/admin/settings/program/fax").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count(SETTINGS).await, 0);
    assert_eq!(app.audit_count("program_setting_changed", "success").await, 0);
    // The database refuses markup even when written by hand.
    let admin_id: uuid::Uuid =
        sqlx::query_scalar("select id from users where role = 'admin' limit 1").fetch_one(&app.db).await.unwrap();
    let e = sqlx::query("insert into program_settings (setting, value, set_by) values ('partner', '<i>', $1)")
        .bind(admin_id)
        .execute(&app.db)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("program_settings_value_plain"), "{e}");
}

/// Another instance's change (here by hand, as it would be) reaches this
/// instance's pages through the trigger's NOTIFY, not a re-read per view.
#[sqlx::test]
async fn a_setting_changed_anywhere_reaches_every_instance(db: PgPool) {
    let app = TestApp::spawn(db).await;
    assert!(app.page("/").await.contains("Included Health"));
    let admin = app.create_user(Role::Admin).await;
    sqlx::query("insert into program_settings (setting, value, set_by) values ('partner', 'Elsewhere Health', $1)")
        .bind(admin.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    let landing = app.page_once_it_says("/", "Elsewhere Health").await;
    assert!(landing.contains("Elsewhere Health") && !landing.contains("Included Health"), "{landing}");
}

#[sqlx::test]
async fn only_the_admin_sets_the_program(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let before = app.audit_count("access_denied", "denied").await;
    assert_eq!(app.get("/admin/settings/program/partner").await.status(), StatusCode::NOT_FOUND);
    let res = app.post_form("/admin/settings/program/partner", &[("value", "Mine")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.post_form("/admin/settings/program/partner/revert", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count(SETTINGS).await, 0);
    assert!(app.audit_count("access_denied", "denied").await >= before + 3);
}
