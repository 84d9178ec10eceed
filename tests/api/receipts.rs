//! Receipts an HSA or FSA administrator accepts, and the yearly statement.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::Role;
use sqlx::PgPool;

/// A family that paid the case fee through the test gateway: (case id, payment id).
async fn paid_case(app: &TestApp) -> (String, uuid::Uuid) {
    let (_, child) = family_with_child(app).await;
    let case = draft_case(app, &child).await;
    add_questions(app, &case, 1).await;
    app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    let payment: uuid::Uuid =
        sqlx::query_scalar("select id from payments where status = 'succeeded'").fetch_one(&app.db).await.unwrap();
    (case, payment)
}

#[sqlx::test]
async fn a_receipt_names_the_patient_service_card_provider_and_number_but_no_diagnosis(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, payment) = paid_case(&app).await;
    let page = text(app.get(&format!("/family/payments/{payment}/receipt")).await).await;
    for expected in [
        "Receipt R-",
        "Mila Okafor",
        "born May 4, 2016",
        "Online second opinion — medical record review and written consultation",
        "Date of service",
        "$900",
        "Test card ending in 4242",
        "UCSF Benioff Children's Hospitals",
        "1975 4th Street, San Francisco, CA 94158",
        "Tax ID 94-0000000",
        "No insurance claim is filed",
        "Print this receipt",
    ] {
        assert!(page.contains(expected), "the receipt should show {expected:?}");
    }
    assert!(!page.contains("Crohn"), "no diagnosis on a receipt");
    // The case page links to it.
    assert!(app.page(&format!("/family/cases/{case}")).await.contains(&format!("/family/payments/{payment}/receipt")));
}

#[sqlx::test]
async fn a_yearly_statement_lists_payments_refunds_and_totals(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, _) = paid_case(&app).await;
    app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    let year = second_opinion::web::format::pacific_date(app.clock.now()).year();
    let dashboard = app.page("/family").await;
    assert!(dashboard.contains(&format!("/family/statements/{year}")));
    let page = text(app.get(&format!("/family/statements/{year}")).await).await;
    assert!(page.contains(&format!("Payment statement for {year}")) && page.contains("Mila Okafor"));
    assert!(page.contains("Refunded in full ($900)"));
    assert!(page.contains("Total after refunds") && page.contains("<strong>$0</strong>"), "{page}");
    assert_eq!(app.get(&format!("/family/statements/{}", year - 5)).await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn another_familys_receipt_and_statement_are_not_found_and_audited(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (_, payment) = paid_case(&app).await;
    let other = TestApp::spawn(db).await;
    other.login_as(Role::Family).await;
    assert_eq!(other.get(&format!("/family/payments/{payment}/receipt")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, 1);
}
