//! The safety screen before any case is opened: an emergency stops with no
//! case (and the answer kept), a missing answer is asked again, a decision
//! due within a week flags the case for the care team, and the database
//! itself refuses a case without a screen.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

#[sqlx::test]
async fn an_emergency_answer_says_call_911_and_opens_no_case(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let form = app.page("/family/cases/new").await;
    assert!(form.contains("Does your child have any of these signs right now?"));
    let res = app
        .post_form("/family/cases/new", &[("child_id", &child), ("emergency", "yes"), ("decision_soon", "no")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = text(res).await;
    assert!(body.contains("Call 911 now") && body.contains("No case was opened"), "{body}");
    assert_eq!(app.count("select count(*) from cases").await, 0);
    assert_eq!(app.count("select count(*) from safety_screens where emergency and not decision_soon").await, 1);
    assert_eq!(app.audit_count("safety_screen_emergency", "success").await, 1);
}

#[sqlx::test]
async fn a_missing_answer_is_asked_again_with_what_was_chosen(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let res = app.post_form("/family/cases/new", &[("child_id", &child), ("decision_soon", "yes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Say whether your child has any of these signs right now."), "{body}");
    assert!(body.contains("href=\"#emergency\""), "the summary links to the question");
    assert!(
        body.contains("id=\"decision_soon-yes\" name=\"decision_soon\" value=\"yes\" checked"),
        "the other answer is kept"
    );
    assert_eq!(app.count("select count(*) from safety_screens").await, 0);
    assert_eq!(app.count("select count(*) from cases").await, 0);
}

#[sqlx::test]
async fn a_decision_due_within_a_week_flags_the_case_for_the_care_team(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let res = app
        .post_form("/family/cases/new", &[("child_id", &child), ("emergency", "no"), ("decision_soon", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from cases where decision_needed_soon").await, 1);
    assert_eq!(
        app.count(
            "select count(*) from cases c join safety_screens s on s.id = c.safety_screen_id where s.version <> ''"
        )
        .await,
        1,
        "the case points at the answers it was opened after"
    );

    let urgent = app.case().decision_soon().create().await;
    let plain = app.case().in_state(CaseStatus::Submitted).create().await;
    app.login_as(Role::Coordinator).await;
    let queue = app.page("/coordinator").await;
    assert!(queue.contains("Decision needed soon"));
    let flagged = app.page("/coordinator?need=decision_soon").await;
    assert!(flagged.contains(&urgent.number) && !flagged.contains(&plain.number));
    let workspace = app.page(&format!("/coordinator/cases/{}", urgent.id)).await;
    assert!(workspace.contains("Decision needed soon."));
}

#[sqlx::test]
async fn the_screen_is_in_spanish_and_another_familys_child_is_not_found(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    let form = app.page("/family/cases/new").await;
    assert!(form.contains("¿Tiene su hijo o hija alguna de estas señales en este momento?"));
    let res = app
        .post_form("/family/cases/new", &[("child_id", &child), ("emergency", "yes"), ("decision_soon", "no")])
        .await;
    assert!(text(res).await.contains("Llame al 911 ahora"));
    assert_eq!(app.count("select count(*) from safety_screens where language = 'es'").await, 1);

    let other = TestApp::spawn(app.db.clone()).await;
    other.login_as(Role::Family).await;
    let res = other.post_form("/family/cases/new", &[("child_id", &child), NOT_URGENT[0], NOT_URGENT[1]]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from safety_screens").await, 1, "no answer kept for someone else's child");
}

#[sqlx::test]
async fn the_database_refuses_a_case_without_a_screen_or_after_an_emergency(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let child: uuid::Uuid = sqlx::query_scalar("select child_id from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let insert =
        "insert into cases (family_id, child_id, contact_email, safety_screen_id) values ($1, $2, 'a@b.test', $3)";
    let err = sqlx::query(insert)
        .bind(case.family.id.0)
        .bind(child)
        .bind(None::<uuid::Uuid>)
        .execute(&app.db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no safety screen"), "{err}");
    let emergency: uuid::Uuid = sqlx::query_scalar(
        "insert into safety_screens (user_id, child_id, emergency, decision_soon, answered_at, version, language)
         values ($1, $2, true, false, now(), 'test', 'en') returning id",
    )
    .bind(case.family.id.0)
    .bind(child)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let err =
        sqlx::query(insert).bind(case.family.id.0).bind(child).bind(emergency).execute(&app.db).await.unwrap_err();
    assert!(err.to_string().contains("answered an emergency"), "{err}");
    // One screen opens one case.
    let used: uuid::Uuid = sqlx::query_scalar("select safety_screen_id from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let err = sqlx::query(insert).bind(case.family.id.0).bind(child).bind(used).execute(&app.db).await.unwrap_err();
    assert!(err.to_string().contains("cases_one_case_per_screen"), "{err}");
    let err = sqlx::query("update cases set decision_needed_soon = true where id = $1")
        .bind(case.case_id.0)
        .execute(&app.db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("kept as answered"), "{err}");
}
