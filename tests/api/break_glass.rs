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
