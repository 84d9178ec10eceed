//! The two-way thread between a family and their care team: who wrote and
//! when, emails without content, unread counts, attachments filed as
//! records, staff views audited, and nobody else's thread.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

#[sqlx::test]
async fn a_family_message_reaches_the_coordinator_and_a_reply_reaches_the_family(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let case = app.case().create().await;
    let id = case.id.as_str();
    app.coordinator_does(id, "take", &[]).await;
    let family = app.signed_in_as(&case.family).await;

    let path = format!("/family/cases/{id}/messages");
    let res =
        family.post_multipart(&path, &[("body", "Mila had a new scan last week.\n1. Should we send it?")], None).await;
    assert_eq!(location(&res), path);
    assert_eq!(app.outbox_kinds(&coordinator.email).await, ["family_message"], "the coordinator is told");
    let queue = text(app.get("/coordinator").await).await;
    assert!(queue.contains("1 new message"), "the queue shows it unread");
    let before = app.audit_count("view_messages", "success").await;
    let thread = text(app.get(&format!("/coordinator/cases/{id}/messages")).await).await;
    assert!(
        thread.contains("Mila had a new scan last week.") && thread.contains("<li value=\"1\">Should we send it?</li>")
    );
    assert!(thread.contains(&case.family.name) && thread.contains("family ·"), "who wrote it");
    assert_eq!(app.audit_count("view_messages", "success").await, before + 1, "a staff view is audited");
    assert!(!text(app.get("/coordinator").await).await.contains("new message"), "read for the whole team");

    // An empty reply is refused on the page; a real one reaches the family.
    let reply_path = format!("/coordinator/cases/{id}/messages");
    let res = app.post_form(&reply_path, &[("body", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Write the reply."));
    let told = app.outbox_kinds(&case.family.email).await.len();
    assert_eq!(
        app.post_form(&reply_path, &[("body", "Yes, please attach it here.")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let link: String =
        sqlx::query_scalar("select body_text from email_outbox where to_address = $1 order by created_at desc limit 1")
            .bind(&case.family.email)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(app.outbox_kinds(&case.family.email).await.len(), told + 1, "the reply is emailed");
    assert!(link.contains(&format!("/family/cases/{id}/messages")) && !link.contains("attach it"));
    assert!(text(family.get("/family").await).await.contains("You have a new message from your care team."));
    let page = text(family.get(&path).await).await;
    assert!(
        page.contains("Yes, please attach it here.")
            && page.contains(&coordinator.name)
            && page.contains("care coordinator")
    );
    assert!(!text(family.get("/family").await).await.contains("new message"), "read now");

    app.deliver_mail().await;
    let to_family = wait_for_mail(&case.family.email, 2).await;
    assert!(to_family.iter().all(|(_, body)| !body.contains("attach it")), "the email never carries the message");
    assert_no_health_information(&to_family);
    let to_team = wait_for_mail(&coordinator.email, 1).await;
    assert!(!to_team[0].1.contains("scan"));
}

#[sqlx::test]
async fn another_family_and_other_staff_cannot_read_or_write_the_thread(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let case = app.case().create().await;
    let family = app.signed_in_as(&case.family).await;
    let res =
        family.post_multipart(&format!("/family/cases/{}/messages", case.id), &[("body", "Private words")], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let message: uuid::Uuid = sqlx::query_scalar("select id from case_messages").fetch_one(&app.db).await.unwrap();

    let intruder = TestApp::spawn(db.clone()).await;
    let other = intruder.login_as(Role::Family).await;
    let path = format!("/family/cases/{}/messages", case.id);
    assert_eq!(intruder.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(intruder.post_multipart(&path, &[("body", "Sneaky")], None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(intruder.get(&format!("/messages/{message}/attachment")).await.status(), StatusCode::NOT_FOUND);
    let clinician = TestApp::spawn(db).await;
    clinician.login_as(Role::Clinician).await;
    assert_eq!(clinician.get(&format!("/clinician/cases/{}/messages", case.id)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        clinician.post_form(&format!("/clinician/cases/{}/messages", case.id), &[("body", "Hi")]).await.status(),
        StatusCode::NOT_FOUND
    );
    let denied: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'access_denied' and actor_user_id = $1")
            .bind(other.id.0)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(denied, 3, "each refusal is audited");
    assert_eq!(app.count("select count(*) from case_messages").await, 1, "nothing was written");
}

#[sqlx::test]
async fn the_case_clinician_reads_and_replies(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let clinician = app.login_as(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let family = app.signed_in_as(&case.family).await;
    family.post_multipart(&format!("/family/cases/{}/messages", case.id), &[("body", "When is the call?")], None).await;
    assert!(text(app.get("/clinician").await).await.contains("1 new"));
    assert!(text(app.get(&format!("/clinician/cases/{}/messages", case.id)).await).await.contains("When is the call?"));
    let res = app.post_form(&format!("/clinician/cases/{}/messages", case.id), &[("body", "Tomorrow at ten.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(text(family.get(&format!("/family/cases/{}/messages", case.id)).await).await.contains("staff doctor"));
}

#[sqlx::test]
async fn a_family_attaches_a_file_that_the_coordinator_files_with_the_records(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = app.signed_in_as(&case.family).await;
    let path = format!("/family/cases/{}/messages", case.id);

    // Not a PDF, JPEG or PNG: refused on the page, the text kept, nothing stored.
    let res = family
        .post_multipart(
            &path,
            &[("body", "Here is the report")],
            Some(("report.exe", b"MZ\x90\x00\x03\x00\x00\x00".to_vec())),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Only PDF, JPEG or PNG") && body.contains("Here is the report"));
    assert_eq!(app.count("select count(*) from case_messages").await, 0);
    assert_eq!(family.stored_files(), 0);
    let res = family.post_multipart(&path, &[("body", "")], None).await;
    assert!(text(res).await.contains("Write a message, or attach a file."));

    let res = family.post_multipart(&path, &[("body", "")], Some(("new scan.pdf", pdf_bytes(4096)))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let message: uuid::Uuid = sqlx::query_scalar("select id from case_messages").fetch_one(&app.db).await.unwrap();
    let download = app.get(&format!("/messages/{message}/attachment")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(app.audit_count("download_message_attachment", "success").await, 1);

    let source = app.sources_of(&case.id).await[0].to_string();
    let res = app
        .post_form(&format!("/coordinator/cases/{}/messages/{message}/file", case.id), &[("source_id", &source)])
        .await;
    assert_eq!(location(&res), format!("/coordinator/cases/{}", case.id));
    let (name, filed): (String, bool) = sqlx::query_as(
        "select d.original_name, m.filed_document_id = d.id from documents d join case_messages m on m.attachment_key = d.storage_key",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((name.as_str(), filed), ("new scan.pdf", true));
    // Filed once: a second try finds nothing to file.
    let res = app
        .post_form(&format!("/coordinator/cases/{}/messages/{message}/file", case.id), &[("source_id", &source)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let edit = sqlx::query("update case_messages set body = 'changed'").execute(&app.db).await;
    assert_eq!(
        edit.unwrap_err().as_database_error().and_then(|d| d.constraint().map(str::to_owned)).as_deref(),
        Some("case_messages_immutable")
    );
}

#[sqlx::test]
async fn a_finished_case_takes_no_messages(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Closed).create().await;
    let family = app.signed_in_as(&case.family).await;
    let path = format!("/family/cases/{}/messages", case.id);
    assert!(text(family.get(&path).await).await.contains("takes no new messages"));
    let res = family.post_multipart(&path, &[("body", "Hello?")], None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("not open for messages"));
    assert_eq!(app.count("select count(*) from case_messages").await, 0);
}
