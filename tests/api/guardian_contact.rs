//! When the second guardian who opened a case goes (removed, or leaving),
//! the case's contact passes to the guardian who remains (issue 14): the
//! clinician's call card never sends them to a parent who no longer shares
//! the child, and the receipts still name who paid.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, ChildId, Role};
use sqlx::PgPool;

/// The case's opener, contact address and phone, and version.
async fn contact(app: &TestApp, case: &TestCase) -> (uuid::Uuid, String, String, i32) {
    sqlx::query_as("select family_id, contact_email, contact_phone, version from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_removed_openers_case_passes_to_the_remaining_guardian(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let nurse = app.create_user(Role::Clinician).await;
    let second = app.create_user(Role::Family).await;
    let case = app
        .case()
        .in_state(CaseStatus::OpinionDelivered)
        .clinician(&nurse)
        .opened_by_second_guardian(&second)
        .create()
        .await;
    let clinician = app.signed_in_as(&nurse).await;
    let card = clinician.page("/clinician").await;
    assert!(card.contains(&second.name) && card.contains("tel:+14155550100"), "the opener's card first");
    let (_, _, _, version) = contact(&app, &case).await;

    let first = app.signed_in_as(&case.family).await;
    let child = app.child_of(&case.id).await;
    let res = first
        .post_form(&format!("/family/children/{child}/guardians/{}/remove", second.id), &[("confirmed", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let after = contact(&app, &case).await;
    assert_eq!(after, (case.family.id.0, case.family.email.clone(), String::new(), version + 1));
    let card = clinician.page("/clinician").await;
    assert!(!card.contains(&second.name) && !card.contains("tel:+14155550100"), "not the removed parent");
    assert!(card.contains(&case.family.name) && card.contains("None given: ask"), "the remaining guardian, by message");
    let page = clinician.page(&format!("/clinician/cases/{}", case.id)).await;
    assert!(page.contains(&case.family.name) && !page.contains("tel:+14155550100"));

    // The case fee was paid before the payer was recorded: it stays theirs.
    let payment: uuid::Uuid = sqlx::query_scalar("select id from payments").fetch_one(&app.db).await.unwrap();
    let receipt = first.page(&format!("/family/payments/{payment}/receipt")).await;
    assert!(receipt.contains(&second.name), "the receipt still names who paid");
}

#[sqlx::test]
async fn a_leaving_openers_case_takes_the_remaining_guardians_own_phone(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let nurse = app.create_user(Role::Clinician).await;
    let second = app.create_user(Role::Family).await;
    let case = app
        .case()
        .in_state(CaseStatus::OpinionDelivered)
        .clinician(&nurse)
        .opened_by_second_guardian(&second)
        .create()
        .await;
    // The first guardian's own draft for the same child gives their phone and hours.
    let child = app.child_of(&case.id).await;
    let mut conn = app.db.begin().await.unwrap();
    let child_id = ChildId(child.parse().unwrap());
    let screen = safety_screen(&mut conn, case.family.id, child_id.0, false).await;
    let own = second_opinion::cases::open_draft(
        &mut conn,
        case.family.id,
        child_id,
        screen,
        &case.family.email,
        None,
        app.clock.now(),
    )
    .await
    .unwrap();
    sqlx::query("update cases set contact_phone = '+14155550177', call_times = 'Evenings' where id = $1")
        .bind(own.0)
        .execute(&mut *conn)
        .await
        .unwrap();
    conn.commit().await.unwrap();

    let leaver = app.signed_in_as(&second).await;
    let res = leaver.post_form(&format!("/family/children/{child}/leave"), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    let (opener, email, phone, _) = contact(&app, &case).await;
    assert_eq!((opener, email, phone.as_str()), (case.family.id.0, case.family.email.clone(), "+14155550177"));
    let card = app.signed_in_as(&nurse).await.page("/clinician").await;
    assert!(card.contains("tel:+14155550177") && card.contains("Evenings") && !card.contains(&second.name));
}
