//! Reading the audit trail: the admin's filtered viewer, and the family's
//! "who has seen my child's case".

use crate::helpers::{TestApp, TestCase};
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

#[sqlx::test]
async fn a_family_sees_who_opened_their_childs_case_and_not_another_familys(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let ours: TestCase = app.case().child("Ana", "Silva").create().await;
    let theirs: TestCase = app.case().child("Ben", "Cole").create().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    app.page(&format!("/coordinator/cases/{}", ours.id)).await;
    let other_coordinator = app.create_user(Role::Coordinator).await;
    let other = app.signed_in_as(&other_coordinator).await;
    other.page(&format!("/coordinator/cases/{}", theirs.id)).await;

    let family = app.signed_in_as(&ours.family).await;
    let page = family.page(&format!("/family/cases/{}/seen", ours.id)).await;
    assert!(page.contains(&coordinator.name), "the coordinator who opened it is named");
    assert!(page.contains("Care coordinator") && page.contains("The case"));
    assert!(!page.contains(&other_coordinator.name), "a view of another family's case is not listed");
    assert!(family.page(&format!("/family/cases/{}", ours.id)).await.contains("Who has seen your child"));

    let before = app.audit_count("access_denied", "denied").await;
    let res = family.get(&format!("/family/cases/{}/seen", theirs.id)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another family's case is not found");
    assert_eq!(app.audit_count("access_denied", "denied").await, before + 1);
    let res = app.get(&format!("/family/cases/{}/seen", ours.id)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "staff don't read the family's page");
}

#[sqlx::test]
async fn the_admin_filters_the_audit_trail_by_person_case_action_and_date(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let first: TestCase = app.case().create().await;
    let second: TestCase = app.case().create().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    for case in [&first, &first, &second] {
        app.page(&format!("/coordinator/cases/{}", case.id)).await;
    }
    let admin_user = app.create_user(Role::Admin).await;
    let admin = app.signed_in_as(&admin_user).await;
    let views = |page: &str| page.matches("<td>view_case</td>").count();

    let all = admin.page("/admin/audit").await;
    assert_eq!(views(&all), 3);
    let by_person = admin.page(&format!("/admin/audit?person={}", coordinator.email.to_uppercase())).await;
    assert_eq!(views(&by_person), 3);
    assert!(by_person.contains(&first.number) && by_person.contains(&second.number));
    let by_case = admin.page(&format!("/admin/audit?case={}&action=view_case", first.number)).await;
    assert_eq!(views(&by_case), 2);
    assert!(!by_case.contains(&second.number));
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("America/Los_Angeles").unwrap()).date();
    let tomorrow = today.tomorrow().unwrap();
    assert_eq!(views(&admin.page(&format!("/admin/audit?from={today}&to={today}")).await), 3);
    let later = admin.page(&format!("/admin/audit?from={tomorrow}")).await;
    assert!(later.contains("Nothing matches"), "nothing after today");

    for (query, message) in [
        ("person=nobody%40example.test", "No account has that email address."),
        ("case=SO-1999-000001", "No case has that number"),
        ("from=yesterday", "Enter the first day as a date"),
        (&format!("from={tomorrow}&to={today}") as &str, "be before the first day"),
    ] {
        let res = admin.get(&format!("/admin/audit?{query}")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{query}: {message}");
        assert!(body.contains("There is a problem"), "{query}: the error summary");
    }
    assert_eq!(app.audit_count("view_audit_log", "success").await, 5, "reading the trail is on it");
    assert_eq!(app.get("/admin/audit").await.status(), StatusCode::NOT_FOUND, "a coordinator can't read it");
}
