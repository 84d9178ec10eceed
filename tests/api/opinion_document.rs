//! The opinion as a document worth keeping: the specialist's lists and
//! paragraphs keep their shape (escaped, never markup), and its header names
//! the child, the case, the specialist, the institution, the date and the
//! records reviewed; the specialist can reread what they signed.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

const RECOMMENDATIONS: &str = "Three things:\n1. Repeat the MRI in 3 months.\n2. See cardiology.\n3. <b>No</b> change to the dose.\n\n- Keep a diary\n- Call if worse";

#[sqlx::test]
async fn the_opinion_keeps_its_lists_and_names_its_sources(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.login_as(Role::Specialist).await;
    sqlx::query("update specialists set credentials = 'MD, PhD' where user_id = $1")
        .bind(specialist.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    let case = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let source = app.sources_of(&case.id).await[0];
    sqlx::query(
        r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by)
           values ($1::uuid, $2, 'documents/x', 'mri-report.pdf', 'application/pdf', 10, sha256('x'), $3)"#,
    )
    .bind(&case.id)
    .bind(source)
    .bind(specialist.id.0)
    .execute(&app.db)
    .await
    .ok(); // records are frozen in review: listed or not, the header says what the specialist had
    app.write_and_sign(&case, RECOMMENDATIONS).await;

    let family = app.signed_in_as(&case.family).await;
    let page = family.page(&format!("/family/cases/{}/opinion", case.id)).await;
    assert!(page.contains(
        r#"<ol class="prose-list"><li value="1">Repeat the MRI in 3 months.</li><li value="2">See cardiology.</li>"#
    ));
    assert!(
        page.contains("&#60;b&#62;No&#60;/b&#62; change") || page.contains("&lt;b&gt;No&lt;/b&gt; change"),
        "escaped, not markup"
    );
    assert!(page.contains(r#"<ul class="prose-list"><li>Keep a diary</li><li>Call if worse</li></ul>"#));
    let page = text(family.get(&format!("/family/cases/{}/opinion", case.id)).await).await;
    for fact in [
        "Mila Okafor</bdi>, born January 1, 2015",
        case.number.as_str(),
        "MD, PhD",
        "Pediatric cardiology",
        "UCSF Benioff Children's Hospitals",
        "North Clinic",
        "South Imaging",
    ] {
        assert!(page.contains(fact), "the header names {fact}");
    }
    assert!(
        page.contains(&format!("/print/case-footer.css?case={}", case.number)),
        "the case number on every printed page"
    );
    let css = app.get(&format!("/print/case-footer.css?case={}", case.number)).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.text().await.unwrap().contains(&format!("Case {}", case.number)));
    assert_eq!(app.get("/print/case-footer.css?case=%22%7D%20body").await.status(), StatusCode::NOT_FOUND);

    // The specialist rereads it (audited); another specialist can't.
    let signed = text(app.get(&format!("/specialist/cases/{}/signed", case.id)).await).await;
    assert!(signed.contains("The opinion you signed") && signed.contains("Repeat the MRI in 3 months."));
    assert_eq!(app.audit_count("view_signed_opinion", "success").await, 1);
    let other = app.signed_in_as(&app.create_user(Role::Specialist).await).await;
    assert_eq!(other.get(&format!("/specialist/cases/{}/signed", case.id)).await.status(), StatusCode::NOT_FOUND);
}
