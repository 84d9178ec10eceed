//! Break-glass: a clinician opens a case not assigned to them only with a
//! reason; each view is audited as such and the opening is listed for review.

use crate::helpers::{PASSWORD, TestApp, location};
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

#[sqlx::test]
async fn break_glass_needs_a_reason_is_audited_and_shows_on_the_admins_review_list(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let clinician = app.login_as(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let path = format!("/clinician/cases/{}", case.id);
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "not theirs: not found");

    app.page("/clinician/break-glass").await;
    let res = app.post_form("/clinician/break-glass", &[("case_number", &case.number), ("reason", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Say why you need to open this case now."));
    assert!(body.contains(&case.number), "what was typed is kept");
    let res =
        app.post_form("/clinician/break-glass", &[("case_number", "SO-1999-000001"), ("reason", "ER call")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("ER call"), "the reason typed is kept");
    assert_eq!(app.count("select count(*) from break_glass_openings").await, 0, "nothing opened");
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND);

    let reason = "The family called from the emergency room; their clinician is away.";
    let res = app
        .post_form("/clinician/break-glass", &[("case_number", &case.number.to_lowercase()), ("reason", reason)])
        .await;
    assert_eq!(location(&res), path);
    let page = app.page(&path).await;
    assert!(page.contains("you opened it in an emergency"), "the page says how it was opened");
    assert!(!page.contains("Log the attempt"), "reading only: the call form is the assigned clinician's");
    assert_eq!(app.audit_count("break_glass_opened", "success").await, 1);
    assert_eq!(app.audit_count("view_case_break_glass", "success").await, 1);
    assert_eq!(app.audit_count("view_case", "success").await, 0);
    let res = app.post_form(&format!("{path}/calls"), &[("outcome", "completed"), ("notes", "x")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "break-glass reads, it does not act");

    // The family sees it; the admin reviews it once.
    let family = app.signed_in_as(&case.family).await;
    let seen = family.page(&format!("/family/cases/{}/seen", case.id)).await;
    assert!(seen.contains(&clinician.name) && seen.contains("opened in an emergency"));
    let admin_user = app.create_user(Role::Admin).await;
    let admin = app.signed_in_as(&admin_user).await;
    let list = admin.page("/admin/audit/break-glass").await;
    assert!(list.contains(reason) && list.contains(&case.number) && list.contains(&clinician.name));
    let opening: uuid::Uuid =
        sqlx::query_scalar("select id from break_glass_openings").fetch_one(&app.db).await.unwrap();
    let res = admin.post_form(&format!("/admin/audit/break-glass/{opening}/reviewed"), &[]).await;
    assert_eq!(location(&res), "/admin/audit/break-glass");
    assert!(!admin.page("/admin/audit/break-glass").await.contains(reason), "reviewed: off the list");
    let again = admin.post_form(&format!("/admin/audit/break-glass/{opening}/reviewed"), &[]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "reviewed once");
    assert_eq!(app.audit_count("break_glass_reviewed", "success").await, 1);
    assert_eq!(app.get("/admin/audit/break-glass").await.status(), StatusCode::NOT_FOUND, "admins only");

    // Twelve hours later the glass is whole again.
    app.clock.advance(jiff::SignedDuration::from_hours(13));
    assert_eq!(app.log_in(&clinician.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "a new reason is needed");
}

/// A coordinator's assignment is the shared queue and the cases they took: a
/// case another coordinator holds asks for a reason on its own page, for
/// every route under it (views, actions, its records), and nothing happens
/// until one is given.
#[sqlx::test]
async fn a_case_another_coordinator_holds_opens_only_with_a_reason(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let holder = app.create_user(Role::Coordinator).await;
    let unassigned = app.case().in_state(CaseStatus::Submitted).create().await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let me = app.login_as(Role::Coordinator).await;
    let document = uploaded(&app, &case).await;
    sqlx::query("update cases set coordinator_id = $2 where id = $1")
        .bind(case.case_id.0)
        .bind(holder.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.get(&format!("/coordinator/cases/{}", unassigned.id)).await.status(), StatusCode::OK, "the queue's");
    let views = app.audit_count("view_case", "success").await;

    let path = format!("/coordinator/cases/{}", case.id);
    let res = app.get(&path).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = res.text().await.unwrap();
    assert!(body.contains(&format!("Case {} is {}", case.number, holder.name)) && body.contains("say why"), "{body}");
    assert!(!body.contains("Asthma"), "nothing of the case before a reason");
    let res = app.post_form(&format!("{path}/notes"), &[("body", "Called the clinic")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "actions ask too");
    assert_eq!(app.count("select count(*) from case_notes").await, 0, "nothing written");
    assert_eq!(app.get(&format!("/documents/{document}")).await.status(), StatusCode::NOT_FOUND, "nor its records");
    assert_eq!(app.audit_count("view_case", "success").await, views, "no view without a reason");

    let res = app.post_form(&format!("{path}/break-glass"), &[("reason", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Say why you need to open this case."));
    assert_eq!(app.count("select count(*) from break_glass_openings").await, 0);

    let reason = "Covering for Casey while she is out this week.";
    let res = app.post_form(&format!("{path}/break-glass"), &[("reason", reason)]).await;
    assert_eq!(location(&res), path);
    assert!(app.page(&path).await.contains("Asthma"));
    assert_eq!(app.audit_count("view_case_break_glass", "success").await, 1);
    assert_eq!(app.get(&format!("/documents/{document}")).await.status(), StatusCode::OK);
    assert_eq!(app.audit_count("download_document_break_glass", "success").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'download_document'").await, 0);

    let family = app.signed_in_as(&case.family).await;
    let seen = family.page(&format!("/family/cases/{}/seen", case.id)).await;
    assert!(seen.contains(&me.name) && seen.contains("opened in an emergency"), "{seen}");
    let admin = app.signed_in_as(&app.create_user(Role::Admin).await).await;
    let list = admin.page("/admin/audit/break-glass").await;
    assert!(list.contains(reason) && list.contains(&me.name), "for the admin to review");
}

/// A clinician who broke the glass reads the case's records too, audited as such.
#[sqlx::test]
async fn a_clinician_reads_records_only_through_their_assignment_or_the_glass(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    app.login_as(Role::Coordinator).await;
    let document = uploaded(&app, &case).await;
    app.login_as(Role::Clinician).await;
    assert_eq!(app.get(&format!("/documents/{document}")).await.status(), StatusCode::NOT_FOUND);
    app.post_form("/clinician/break-glass", &[("case_number", &case.number), ("reason", "ER called")]).await;
    assert_eq!(app.get(&format!("/documents/{document}")).await.status(), StatusCode::OK);
    assert_eq!(app.audit_count("download_document_break_glass", "success").await, 1);
}

/// A record a coordinator signed in on `app` uploaded to the case's first source.
async fn uploaded(app: &TestApp, case: &crate::helpers::TestCase) -> uuid::Uuid {
    let source = app.sources_of(&case.id).await[0];
    let res = app.upload_document(&case.id, source).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    sqlx::query_scalar("select id from documents where record_source_id = $1")
        .bind(source)
        .fetch_one(&app.db)
        .await
        .unwrap()
}
