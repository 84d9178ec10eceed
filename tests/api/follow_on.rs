//! The follow-on case keeps its promise: a confirmation first, then a draft
//! that starts from the earlier case and asks for the same specialist by
//! name, which the coordinator sees in the queue and the workspace.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

#[sqlx::test]
async fn the_follow_on_copies_the_basics_and_asks_for_the_same_specialist(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let specialist = app.create_user(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).specialist(&specialist).create().await;
    sqlx::query(
        "update cases set contact_phone = '555-0100', treatment_summary = 'Inhaler', treating_physician = 'Dr. Rivera' where id = $1::uuid",
    )
    .bind(&case.id)
    .execute(&app.db)
    .await
    .unwrap();
    // No longer taking new cases: still asked for, by name.
    sqlx::query("update specialists set accepting_cases = false").execute(&app.db).await.unwrap();
    let family = app.signed_in_as(&case.family).await;

    let confirm = text(family.get(&format!("/family/cases/{}/follow-on", case.id)).await).await;
    for fact in [
        "new $900 case",
        specialist.name.as_str(),
        "Asthma",
        "Inhaler",
        "Dr. Rivera",
        "555-0100",
        "does not copy your questions",
    ] {
        assert!(confirm.contains(fact), "{fact}");
    }
    assert_eq!(app.count("select count(*) from cases").await, 1, "the confirmation page opens nothing");

    let res = family.post_form(&format!("/family/cases/{}/follow-on", case.id), &NOT_URGENT).await;
    assert!(location(&res).ends_with("/details"));
    let (new, previous, requested, phone, diagnosis, treatment, doctor): (
        uuid::Uuid,
        uuid::Uuid,
        uuid::Uuid,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "select id, previous_case_id, requested_specialist_id, contact_phone, diagnosis_summary, treatment_summary, treating_physician from cases where status = 'draft'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((previous.to_string(), requested), (case.id.clone(), specialist.id.0));
    assert_eq!(
        (phone.as_str(), diagnosis.as_str(), treatment.as_str(), doctor.as_str()),
        ("555-0100", "Asthma", "Inhaler", "Dr. Rivera")
    );
    let copied: i64 = sqlx::query_scalar(
        "select (select count(*) from case_questions where case_id = $1) + (select count(*) from record_sources where case_id = $1)",
    )
    .bind(new)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(copied, 0, "neither questions nor records");
    let step = family.page(&format!("/family/cases/{new}/specialist")).await;
    assert!(step.contains(&format!(r#"value="{}" checked"#, specialist.id)), "the same specialist is asked for");

    // Submitted, the coordinator sees where it came from and whom it asks for.
    sqlx::query("insert into case_questions (case_id, position, body) values ($1, 1, 'Still the right plan?')")
        .bind(new)
        .execute(&app.db)
        .await
        .unwrap();
    move_case(&app, &new.to_string(), &["submitted"]).await;
    let number: String =
        sqlx::query_scalar("select case_number from cases where id = $1").bind(new).fetch_one(&app.db).await.unwrap();
    let queue = text(app.get("/coordinator").await).await;
    let row = queue.split("<tr").find(|r| r.contains(&number)).expect("in the queue");
    assert!(row.contains("Linked case") && row.contains("Specialist requested"), "{row}");
    let workspace = text(app.get(&format!("/coordinator/cases/{new}")).await).await;
    assert!(
        workspace
            .contains(&format!(r#"Follow-on to case <a href="/coordinator/cases/{}">{}</a>"#, case.id, case.number))
    );
    assert!(
        workspace.contains(&format!("the same specialist, <bdi>{}</bdi>", specialist.name)),
        "named on the workspace"
    );
}

#[sqlx::test]
async fn no_follow_on_while_the_case_can_still_take_new_information(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = app.signed_in_as(&case.family).await;
    assert_eq!(family.get(&format!("/family/cases/{}/follow-on", case.id)).await.status(), StatusCode::CONFLICT);
    assert_eq!(
        family.post_form(&format!("/family/cases/{}/follow-on", case.id), &NOT_URGENT).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(app.count("select count(*) from cases").await, 1);
}
