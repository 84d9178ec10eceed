//! Rules the database holds whatever the pages do: a case keeps at least one
//! question once it is paid for, and the child's name and date of birth are
//! frozen from review on (a correction goes through the coordinator, audited).

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

fn constraint(e: sqlx::Error) -> Option<String> {
    e.as_database_error().and_then(|d| d.constraint().map(str::to_owned))
}

#[sqlx::test]
async fn a_submitted_case_keeps_at_least_one_question(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = app.signed_in_as(&case.family).await;
    let first = format!("/family/cases/{}/questions/{}/delete", case.id, case.questions[0]);
    assert_eq!(family.post_form(&first, &[]).await.status(), StatusCode::SEE_OTHER);
    let last = format!("/family/cases/{}/questions/{}/delete", case.id, case.questions[1]);
    let res = family.post_form(&last, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "refused on the questions page");
    assert!(text(res).await.contains("at least one question"));
    assert_eq!(app.count("select count(*) from case_questions").await, 1);
    // The database says so to anyone, not only to the page.
    let e = sqlx::query("delete from case_questions").execute(&app.db).await.unwrap_err();
    assert_eq!(constraint(e).as_deref(), Some("case_questions_keep_one"));
}

#[sqlx::test]
async fn a_case_goes_to_review_only_with_a_question(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::ReadyForReview).questions(1).create().await;
    // Only by going around every trigger can a case lose its last question now.
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("set local session_replication_role = replica").execute(&mut *tx).await.unwrap();
    sqlx::query("delete from case_questions").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let e = second_opinion::cases::transition(
        &mut tx,
        case.case_id,
        CaseStatus::ReadyForReview,
        CaseStatus::InReview,
        None,
        None,
        app.clock.now(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("needs at least one question"), "{e}");
}

#[sqlx::test]
async fn a_draft_is_paid_for_only_with_a_question_and_keeps_it(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Draft).questions(0).create().await;
    let e = sqlx::query(
        "insert into payments (case_id, purpose, amount_cents, provider, attempt) values ($1, 'case_fee', 90000, 'test_gateway', 1)",
    )
    .bind(case.case_id.0)
    .execute(&app.db)
    .await
    .unwrap_err();
    assert_eq!(constraint(e).as_deref(), Some("cases_need_a_question"));

    let case = app.case().in_state(CaseStatus::Draft).questions(1).create().await;
    sqlx::query(
        "insert into payments (case_id, purpose, amount_cents, provider, attempt) values ($1, 'case_fee', 90000, 'test_gateway', 1)",
    )
    .bind(case.case_id.0)
    .execute(&app.db)
    .await
    .unwrap();
    // A payment under way: the last question can be edited, not deleted.
    let e = sqlx::query("delete from case_questions where case_id = $1")
        .bind(case.case_id.0)
        .execute(&app.db)
        .await
        .unwrap_err();
    assert_eq!(constraint(e).as_deref(), Some("case_questions_keep_one"));
}

async fn child_of(app: &TestApp, case: &TestCase) -> uuid::Uuid {
    sqlx::query_scalar("select child_id from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_childs_name_and_birth_date_are_frozen_from_review_on(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::InReview).create().await;
    let child = child_of(&app, &case).await;
    let family = app.signed_in_as(&case.family).await;
    let edit = format!("/family/children/{child}");
    let page = text(family.get(&edit).await).await;
    assert!(page.contains("can no longer be changed here"), "the page says why");
    let res = family
        .post_form(
            &edit,
            &[("first_name", "Milla"), ("last_name", "Okafor"), ("date_of_birth", "2015-01-01"), ("sex", "female")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("can no longer be changed here"));
    let name: String = sqlx::query_scalar("select first_name from children").fetch_one(&app.db).await.unwrap();
    assert_eq!(name, "Mila");
    // Other details stay editable.
    let res = family
        .post_form(
            &edit,
            &[
                ("first_name", "Mila"),
                ("last_name", "Okafor"),
                ("preferred_name", "Mimi"),
                ("date_of_birth", "2015-01-01"),
                ("sex", "female"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // And the database refuses anyone else.
    let e = sqlx::query("update children set date_of_birth = '2014-01-01'").execute(&app.db).await.unwrap_err();
    assert_eq!(constraint(e).as_deref(), Some("children_frozen_in_review"));
}

#[sqlx::test]
async fn a_coordinator_corrects_a_frozen_childs_details_with_a_reason_on_record(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let path = format!("/coordinator/cases/{}/child", case.id);
    assert!(app.page(&path).await.contains("Mila"));
    let res = app
        .post_form(
            &path,
            &[("first_name", "Milla"), ("last_name", "Okafor"), ("date_of_birth", "2015-01-02"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    let res = app
        .post_form(
            &path,
            &[
                ("first_name", "Milla"),
                ("last_name", "Okafor"),
                ("date_of_birth", "2015-01-02"),
                ("reason", "The family called: the name was misspelled on the form."),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/coordinator/cases/{}", case.id));
    let (first, dob): (String, String) =
        sqlx::query_as("select first_name, date_of_birth::text from children").fetch_one(&app.db).await.unwrap();
    assert_eq!((first.as_str(), dob.as_str()), ("Milla", "2015-01-02"));
    let corrections: (String, String, uuid::Uuid) =
        sqlx::query_as("select old_first_name, reason, corrected_by from child_corrections")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(corrections.0, "Mila");
    assert_eq!(corrections.2, coordinator.id.0);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'child_corrected' and case_id = $1 and actor_user_id = $2",
    )
    .bind(case.case_id.0)
    .bind(coordinator.id.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // Not for a family, and not on a case that isn't frozen (the family edits those).
    let family = app.signed_in_as(&case.family).await;
    assert_eq!(family.get(&path).await.status(), StatusCode::NOT_FOUND);
}

/// The workspace shows each specialist's cases in review from a count a
/// trigger keeps on the specialist (migration 0022): it follows a case sent,
/// and a case delivered.
#[sqlx::test]
async fn a_specialists_load_follows_their_cases(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.create_user(Role::Specialist).await;
    let reviewing = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let waiting = app.case().in_state(CaseStatus::ReadyForReview).create().await;
    let load = |app: &TestApp| {
        let id = specialist.id;
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i32>("select in_review from specialists where user_id = $1")
                .bind(id.0)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(load(&app).await, 1);

    app.login_as(Role::Coordinator).await;
    app.coordinator_does(&waiting.id, "take", &[]).await;
    let page = app.page(&format!("/coordinator/cases/{}", waiting.id)).await;
    assert!(page.contains("(1 in review)"), "the workspace shows the load");
    app.coordinator_does(&waiting.id, "send", &[("specialist_id", &specialist.id.to_string())]).await;
    assert_eq!(load(&app).await, 2);

    move_case(&app, &reviewing.id, &["opinion_delivered"]).await;
    assert_eq!(load(&app).await, 1, "a delivered case leaves the load");
}
