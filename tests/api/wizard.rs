//! A wizard that never loses a word: every step's buttons save what was
//! typed before moving on, or say why they could not and offer to leave
//! without it.

use crate::helpers::*;
use reqwest::StatusCode;
use sqlx::PgPool;

async fn field(app: &TestApp, case: &str, column: &str) -> String {
    sqlx::query_scalar(&format!("select {column} from cases where id = $1::uuid"))
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn moving_between_steps_keeps_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let steps = app.page(&format!("/family/cases/{case}/details")).await;
    assert!(steps.contains(r#"form="step-form" name="go" value="questions""#), "steps are the form's buttons");

    // Details, then straight to the questions by the step list: saved.
    let res = app
        .post_form(
            &format!("/family/cases/{case}/details"),
            &[
                ("contact_email", "mila.parent@example.test"),
                ("diagnosis_summary", "Crohn's, since 2024"),
                ("go", "questions"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/family/cases/{case}/questions"));
    assert_eq!(field(&app, &case, "diagnosis_summary").await, "Crohn's, since 2024");

    // A question typed but not added, then a step: it is added.
    add_questions(&app, &case, 1).await;
    let q1: uuid::Uuid = sqlx::query_scalar("select id from case_questions").fetch_one(&app.db).await.unwrap();
    let edit = format!("q_{q1}");
    let res = app
        .post_form(
            &format!("/family/cases/{case}/questions"),
            &[(edit.as_str(), "Is the dose right?"), ("body", "Should she have surgery?"), ("go", "specialist")],
        )
        .await;
    assert_eq!(location(&res), format!("/family/cases/{case}/specialist"));
    let bodies: Vec<String> =
        sqlx::query_scalar("select body from case_questions order by position").fetch_all(&app.db).await.unwrap();
    assert_eq!(bodies, ["Is the dose right?", "Should she have surgery?"]);

    // Moving a question saves what was typed in the others first.
    let q2: uuid::Uuid =
        sqlx::query_scalar("select id from case_questions where position = 2").fetch_one(&app.db).await.unwrap();
    let res = app
        .post_form(
            &format!("/family/cases/{case}/questions/{q2}/move"),
            &[("direction", "up"), (edit.as_str(), "Is the dose right for her weight?")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bodies: Vec<String> =
        sqlx::query_scalar("select body from case_questions order by position").fetch_all(&app.db).await.unwrap();
    assert_eq!(bodies, ["Should she have surgery?", "Is the dose right for her weight?"]);

    // Specialist note, then back to the details.
    let res = app
        .post_form(&format!("/family/cases/{case}/specialist"), &[("note", "Dr. Chen, if possible"), ("go", "details")])
        .await;
    assert_eq!(location(&res), format!("/family/cases/{case}/details"));
    assert_eq!(field(&app, &case, "requested_specialist_note").await, "Dr. Chen, if possible");
}

#[sqlx::test]
async fn what_cannot_be_saved_is_shown_back_with_a_way_to_leave_without_it(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let too_long = "x".repeat(4001);
    let res = app
        .post_form(
            &format!("/family/cases/{case}/details"),
            &[("contact_email", "mila.parent@example.test"), ("diagnosis_summary", &too_long), ("go", "records")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("at most 4,000 characters") && body.contains(&too_long), "the typing is kept");
    assert!(
        body.contains(&format!("href=\"/family/cases/{case}/records\">go to \"Where the records are\" without saving"))
    );
    assert!(body.contains("autofocus"), "focus moves to the error summary");
    assert_eq!(field(&app, &case, "diagnosis_summary").await, "Crohn's disease, diagnosed 2025", "nothing saved");
}

#[sqlx::test]
async fn continuing_from_the_records_step_adds_the_location_or_says_it_was_not_added(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let path = format!("/family/cases/{case}/records");

    // Nothing typed: "Continue" just continues.
    let res = app.post_form(&path, &[("language", "English"), ("go", "questions")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/questions"));

    // Typed and complete: added on the way.
    let complete = with_release(&[
        ("facility", "Lakeside Lab"),
        ("records_description", "Blood tests"),
        ("language", "English"),
        ("go", "questions"),
    ]);
    let res = app.post_form(&path, &complete).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/questions"));
    assert_eq!(app.count("select count(*) from record_sources").await, 2);

    // Typed but incomplete: not added, and the page says so, keeping it.
    let res =
        app.post_form(&path, &[("facility", "Hilltop Clinic"), ("language", "English"), ("go", "questions")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("This location was not added yet") && body.contains("value=\"Hilltop Clinic\""));
    assert!(body.contains(r#"name="then" value="questions""#) && body.contains("Continue without adding it"));
    assert_eq!(app.count("select count(*) from record_sources").await, 2);
    // … and the person chooses to go on without it.
    let res = app.post_form(&path, &[("facility", "Hilltop Clinic"), ("then", "questions"), ("discard", "1")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/questions"));
    assert_eq!(app.count("select count(*) from record_sources").await, 2);

    // Removing a location while another is being typed keeps the typing.
    let lakeside: uuid::Uuid = sqlx::query_scalar("select id from record_sources where facility = 'Lakeside Lab'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res = app.post_form(&format!("{path}/{lakeside}/delete"), &[("facility", "Hilltop Clinic")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = text(res).await;
    assert!(body.contains("Record location removed.") && body.contains("value=\"Hilltop Clinic\""));
    assert_eq!(app.count("select count(*) from record_sources").await, 1);
}
