//! The audit trail can't be rewritten by the application (issue 13): the
//! role the app serves as adds rows and reads them, and PostgreSQL's
//! privileges (not only the append-only trigger) refuse everything else.

use crate::helpers::{TestApp, TestUser, add_questions, draft_case, family_with_child, runtime_pool};
use reqwest::StatusCode;
use second_opinion::audit::{self, Entry, Outcome};
use second_opinion::config::AppEnv;
use second_opinion::domain::{CaseStatus, Role};
use second_opinion::startup::{can_rewrite_audit_log, check_runtime_role};
use sqlx::PgPool;

#[sqlx::test]
async fn the_runtime_role_adds_to_the_audit_log_and_fails_to_tamper_with_it(db: PgPool) {
    let runtime = runtime_pool(&db).await;
    audit::record(&runtime, Entry::new("test.kept", Outcome::Success)).await.unwrap();
    let seen: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'test.kept'")
        .fetch_one(&runtime)
        .await
        .unwrap();
    assert_eq!(seen, 1, "the runtime role reads what it wrote");

    let attempts = [
        ("update", "update audit_log set action = 'test.changed'"),
        ("delete", "delete from audit_log"),
        ("truncate", "truncate audit_log"),
        ("disable every trigger", "alter table audit_log disable trigger all"),
        ("disable the append-only trigger", "alter table audit_log disable trigger audit_log_no_update"),
        ("drop the trigger", "drop trigger audit_log_no_update on audit_log"),
        (
            "replace the trigger's function",
            "create or replace function audit_log_is_append_only() returns trigger \
             language plpgsql as $$ begin return old; end $$",
        ),
        ("rename the table", "alter table audit_log rename to audit_log_old"),
        ("drop the table", "drop table audit_log"),
        ("skip triggers for the session", "set session_replication_role = replica"),
    ];
    for (what, sql) in attempts {
        let err = sqlx::query(sql).execute(&runtime).await.expect_err(what);
        let db_err = err.as_database_error().unwrap_or_else(|| panic!("{what}: {err}"));
        // 42501 is also the trigger's code: the message says the privilege refused it first.
        assert_eq!(db_err.code().as_deref(), Some("42501"), "{what}: {err}");
        assert!(!db_err.message().contains("append-only"), "{what} reached the trigger: {err}");
    }

    // Granting what it lacks is a warning ("no privileges were granted"), and changes nothing.
    let _ = sqlx::query("grant update, delete on audit_log to so_test_runtime").execute(&runtime).await;
    assert!(!can_rewrite_audit_log(&runtime).await.unwrap(), "it granted itself nothing");

    let (rows, action): (i64, String) =
        sqlx::query_as("select count(*), min(action) from audit_log").fetch_one(&db).await.unwrap();
    assert_eq!((rows, action.as_str()), (1, "test.kept"), "the trail is as it was");
    let triggers_on: i64 = sqlx::query_scalar(
        "select count(*) from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal and tgenabled = 'O'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(triggers_on, 3, "append-only (update/delete, truncate) and the time stamp, all enabled");
}

#[sqlx::test]
async fn an_audit_row_keeps_the_databases_time_whoever_writes_it(db: PgPool) {
    let runtime = runtime_pool(&db).await;
    sqlx::query("insert into audit_log (action, outcome, at) values ('test.backdated', 'success', '2001-01-01')")
        .execute(&runtime)
        .await
        .unwrap();
    let recent: bool =
        sqlx::query_scalar("select at > now() - interval '1 minute' from audit_log").fetch_one(&db).await.unwrap();
    assert!(recent, "a row can't be backdated");
}

#[sqlx::test]
async fn production_serves_only_as_a_role_that_cannot_rewrite_the_trail(db: PgPool) {
    let runtime = runtime_pool(&db).await;
    assert!(!can_rewrite_audit_log(&runtime).await.unwrap());
    check_runtime_role(&runtime, AppEnv::Production).await.expect("the runtime role serves production");

    assert!(can_rewrite_audit_log(&db).await.unwrap(), "the owner (a superuser here) could");
    let refused = check_runtime_role(&db, AppEnv::Production).await.expect_err("the owner is refused");
    assert!(refused.to_string().contains("DATABASE_OWNER_URL"), "{refused}");
    check_runtime_role(&db, AppEnv::Development).await.expect("development warns and goes on");
}

/// Audit rows written by `who` so far.
async fn rows_by(app: &TestApp, who: &TestUser) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where actor_user_id = $1")
        .bind(who.id.0)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn every_staff_page_with_health_information_writes_exactly_one_audit_row(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let specialist_user = app.create_user(Role::Specialist).await;
    let clinician_user = app.create_user(Role::Clinician).await;
    let reviewing = app.case().in_state(CaseStatus::InReview).specialist(&specialist_user).create().await;
    let delivered = app
        .case()
        .in_state(CaseStatus::OpinionDelivered)
        .specialist(&specialist_user)
        .clinician(&clinician_user)
        .create()
        .await;
    let collecting = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source = app.sources_of(&collecting.id).await[0];
    assert_eq!(app.upload_document(&collecting.id, source).await.status(), StatusCode::SEE_OTHER);
    let uploaded: uuid::Uuid = sqlx::query_scalar("select id from documents where record_source_id = $1")
        .bind(source)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let reviewed: uuid::Uuid = sqlx::query_scalar("select id from documents where case_id = $1 limit 1")
        .bind(reviewing.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let released = app.sources_of(&reviewing.id).await[0];
    let specialist = app.signed_in_as(&specialist_user).await;
    let clinician = app.signed_in_as(&clinician_user).await;
    let (r, d) = (&reviewing.id, &delivered.id);

    let pages: Vec<(&TestApp, &TestUser, String)> = vec![
        (&app, &coordinator, "/coordinator".into()),
        (&app, &coordinator, format!("/coordinator?q={}", "Okafor")),
        (&app, &coordinator, format!("/coordinator/cases/{r}")),
        (&app, &coordinator, format!("/coordinator/cases/{r}/messages")),
        (&app, &coordinator, format!("/coordinator/cases/{r}/child")),
        (&app, &coordinator, format!("/coordinator/cases/{r}/sources/{released}/release")),
        (&app, &coordinator, format!("/documents/{uploaded}")),
        (&clinician, &clinician_user, "/clinician".into()),
        (&clinician, &clinician_user, format!("/clinician/cases/{d}")),
        (&clinician, &clinician_user, format!("/clinician/cases/{d}/messages")),
        (&specialist, &specialist_user, "/specialist".into()),
        (&specialist, &specialist_user, format!("/specialist/cases/{r}")),
        (&specialist, &specialist_user, format!("/specialist/cases/{r}/preview")),
        (&specialist, &specialist_user, format!("/specialist/cases/{r}/records/{reviewed}")),
        (&specialist, &specialist_user, format!("/specialist/cases/{d}/signed")),
    ];
    for (client, who, path) in pages {
        let before = rows_by(&app, who).await;
        let res = client.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.bytes().await.unwrap();
        assert_eq!(rows_by(&app, who).await - before, 1, "GET {path} writes exactly one audit row");
    }
}

#[sqlx::test]
async fn family_edits_are_on_the_audit_trail(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (family, child) = family_with_child(&app).await;
    let res = app
        .post_form(
            &format!("/family/children/{child}"),
            &[("first_name", "Lena"), ("last_name", "Okafor"), ("date_of_birth", "2016-03-04"), ("sex", "female")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    let edited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where actor_user_id = $1 and action in ('child_edited', 'questions_edited') order by id",
    )
    .bind(family.id.0)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(edited, ["child_edited", "questions_edited"]);
}
