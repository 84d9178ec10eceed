//! The family is told at each step: one email per step (never health
//! information), as often as they chose, a timeline entry, and a case page
//! and dashboard that say where things stand and who is helping.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

/// A Pacific wall-clock time for a `datetime-local` field, `hours` from the app's now.
fn pacific_in(app: &TestApp, hours: i64) -> String {
    let at = app.clock.now() + SignedDuration::from_hours(hours);
    at.to_zoned(jiff::tz::TimeZone::get("America/Los_Angeles").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
}

async fn update_counts(app: &TestApp, case: &str) -> Vec<(String, i64)> {
    sqlx::query_as("select kind::text, count(*) from case_updates where case_id = $1::uuid group by kind order by kind")
        .bind(case)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn each_step_emails_the_family_once_and_without_health_information(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let specialist = app.create_user(Role::Specialist).await;
    let clinician = app.create_user(Role::Clinician).await;
    let case = app.case().create().await;
    let id = case.id.as_str();
    let sources = app.sources_of(id).await;

    app.coordinator_does(id, "take", &[]).await;
    app.coordinator_does(id, "clinician", &[("clinician_id", &clinician.id.to_string())]).await;
    for source in &sources {
        let path = format!("/coordinator/cases/{id}/sources/{source}/status");
        app.post_form(&path, &[("status", "received")]).await;
        app.upload_document(id, *source).await;
        // Digitized after received: the same record, not a second email.
        app.post_form(&path, &[("status", "digitized")]).await;
    }
    app.coordinator_does(id, "ready", &[]).await;
    app.coordinator_does(id, "send", &[("specialist_id", &specialist.id.to_string())]).await;
    let fee = [("kind", "imaging"), ("amount", "250"), ("reason", "A second look at the MRI.")];
    assert_eq!(app.post_form(&format!("/coordinator/cases/{id}/fees"), &fee).await.status(), StatusCode::SEE_OTHER);

    app.signed_in_as(&specialist).await.write_and_sign(&case, "1. Keep going.").await;

    let doctor = app.signed_in_as(&clinician).await;
    let res = doctor
        .post_form(&format!("/clinician/cases/{id}/calls/schedule"), &[("scheduled_for", &pacific_in(&app, 48))])
        .await;
    assert_eq!(location(&res), "/clinician");
    let family = app.signed_in_as(&case.family).await;
    let res = family
        .post_form(
            &format!("/family/cases/{id}/follow-ups"),
            &[("question_id", &case.questions[0].to_string()), ("body", "What does that mean for us?")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let follow_up: uuid::Uuid =
        sqlx::query_scalar("select id from follow_up_questions").fetch_one(&app.db).await.unwrap();
    doctor
        .post_form(&format!("/clinician/cases/{id}/follow-ups/{follow_up}/answer"), &[("answer", "It means this.")])
        .await;
    doctor
        .post_form(&format!("/clinician/cases/{id}/calls"), &[("notes", "Went well"), ("outcome", "completed")])
        .await;
    // Inside the follow-up window: closing needs a reason.
    app.coordinator_does(id, "close", &[("reason", "The family has what they need.")]).await;
    assert_eq!(status_of(&app, id).await, "closed");

    // One row per step (two record sources), each told once.
    let counts = update_counts(&app, id).await;
    let expected = [
        ("call_done", 1),
        ("call_scheduled", 1),
        ("case_closed", 1),
        ("case_taken", 1),
        ("fee_requested", 1),
        ("follow_up_answered", 1),
        ("follow_up_asked", 1),
        ("opinion_ready", 1),
        ("record_received", 2),
        ("records_complete", 1),
        ("sent_to_specialist", 1),
    ];
    assert_eq!(counts, expected.map(|(k, n)| (k.to_owned(), n)));

    // Every step but the family's own question is emailed, once.
    let mut kinds = app.outbox_kinds(&case.family.email).await;
    kinds.sort();
    let mut want = vec!["case_update"; 9];
    want.extend(["additional_fee", "opinion_ready"]);
    want.sort();
    assert_eq!(kinds, want);
    let sent = app.deliver_mail().await;
    assert!(sent >= 11);
    let mails = wait_for_mail(&case.family.email, 11).await;
    assert_eq!(mails.len(), 11, "each email arrives once");
    assert_no_health_information(&mails);
    assert!(mails.iter().all(|(_, body)| body.contains("Sign in")), "each says only to sign in");

    // The timeline says what happened besides the changes of state, once each.
    let page = text(family.get(&format!("/family/cases/{id}")).await).await;
    for line in [
        "Records from North Clinic were received.",
        "Records from South Imaging were received.",
        "The written opinion is expected by",
        "Your care coordinator asked about an additional review ($250).",
        "You asked a clarifying question about question 1.",
        "The staff doctor answered your clarifying question about question 1.",
        "Your follow-up call with the staff doctor was scheduled for",
        "The staff doctor called you to go through the opinion.",
        "Done: the staff doctor called you on",
        "The staff doctor answered:",
    ] {
        assert_eq!(page.matches(line).count(), 1, "{line}");
    }
}

#[sqlx::test]
async fn a_family_that_wants_fewer_emails_gets_only_what_needs_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().create().await;
    let family = app.signed_in_as(&case.family).await;
    assert!(family.page("/family/emails").await.contains("At every step"));
    let res = family.post_form("/family/emails", &[("email_updates", "nonsense")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = family.post_form("/family/emails", &[("email_updates", "essential")]).await;
    assert_eq!(location(&res), "/family/emails");

    let id = case.id.as_str();
    app.coordinator_does(id, "take", &[]).await;
    let source = app.sources_of(id).await[0];
    app.post_form(&format!("/coordinator/cases/{id}/sources/{source}/status"), &[("status", "received")]).await;
    assert!(app.outbox_kinds(&case.family.email).await.is_empty(), "progress is not emailed");
    let fee = [("kind", "pathology"), ("amount", "300"), ("reason", "Re-read the biopsy.")];
    app.post_form(&format!("/coordinator/cases/{id}/fees"), &fee).await;
    assert_eq!(app.outbox_kinds(&case.family.email).await, ["additional_fee"], "a decision is");
    let emailed: Vec<(String, bool)> =
        sqlx::query_as("select kind::text, emailed from case_updates order by id").fetch_all(&app.db).await.unwrap();
    assert_eq!(
        emailed,
        [("case_taken".into(), false), ("record_received".into(), false), ("fee_requested".into(), true)],
        "still on the timeline"
    );
    // Another family's settings are not this one's to change: it's their own account only.
    assert_eq!(app.get("/family/emails").await.status(), StatusCode::NOT_FOUND, "staff have no such page");
}

#[sqlx::test]
async fn the_closing_job_tells_the_family_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let long_ago = app.clock.now() - SignedDuration::from_hours(24 * 30);
    let case = app.case().in_state(CaseStatus::OpinionDelivered).at(long_ago).create().await;
    let close = |now| second_opinion::cases::closing::close_after_window(&app.db, &app.base, now);
    // The call was made, so nothing on the checklist holds the case open.
    sqlx::query(
        "insert into follow_up_calls (case_id, clinician_id, outcome, notes, at) select c.id, u.id, 'completed', '', now() from cases c, users u where u.role = 'specialist'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(close(app.clock.now()).await.unwrap(), 1);
    assert_eq!(close(app.clock.now()).await.unwrap(), 0);
    assert_eq!(app.outbox_kinds(&case.family.email).await, ["case_update"]);
    assert_eq!(update_counts(&app, &case.id).await, [("case_closed".to_owned(), 1)]);
}

#[sqlx::test]
async fn the_case_page_names_the_care_team_and_what_comes_next(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let clinician = app.create_user(Role::Clinician).await;
    let specialist = app.create_user(Role::Specialist).await;
    let case = app.case().create().await;
    let id = case.id.as_str();
    let family = app.signed_in_as(&case.family).await;
    let page = text(family.get(&format!("/family/cases/{id}")).await).await;
    assert!(page.contains("will take your case within one business day") && page.contains("Included Health"));

    app.coordinator_does(id, "take", &[]).await;
    app.coordinator_does(id, "clinician", &[("clinician_id", &clinician.id.to_string())]).await;
    let page = text(family.get(&format!("/family/cases/{id}")).await).await;
    assert!(page.contains(&coordinator.name) && page.contains(&clinician.name), "the team by name");
    assert!(page.contains("(800) 941-1383") && page.contains("6 a.m. to 6 p.m."), "the program's numbers and hours");
    assert!(page.contains("0 of 2 complete") && page.contains("5 to 7 business days after all the records are in"));
    let dashboard = text(family.get("/family").await).await;
    assert!(dashboard.contains(&coordinator.name), "the dashboard says who is collecting the records");

    // The specialist's profile, as the directory (edited by the specialist) has it.
    let expert = app.signed_in_as(&specialist).await;
    let res = expert.post_form("/specialist/profile", &[("specialty", ""), ("credentials", "MD, PhD")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("MD, PhD"), "what was typed is kept");
    let profile = [
        ("specialty", "Pediatric cardiology"),
        ("credentials", "MD, PhD"),
        ("clinical_focus", "Congenital heart disease in infants."),
    ];
    assert_eq!(location(&expert.post_form("/specialist/profile", &profile).await), "/specialist/profile");
    for source in app.sources_of(id).await {
        app.upload_document(id, source).await;
        app.post_form(&format!("/coordinator/cases/{id}/sources/{source}/status"), &[("status", "digitized")]).await;
    }
    app.coordinator_does(id, "ready", &[]).await;
    assert!(text(family.get(&format!("/family/cases/{id}")).await).await.contains("Opinion expected between"));
    app.coordinator_does(id, "send", &[("specialist_id", &specialist.id.to_string())]).await;
    let page = text(family.get(&format!("/family/cases/{id}")).await).await;
    for fact in [
        specialist.name.as_str(),
        "MD, PhD",
        "Pediatric cardiology",
        "Congenital heart disease in infants.",
        "UCSF Benioff Children's Hospitals",
    ] {
        assert!(page.contains(fact), "{fact}");
    }
    assert_eq!(app.get("/specialist/profile").await.status(), StatusCode::NOT_FOUND, "a coordinator has no profile");
}

#[sqlx::test]
async fn the_admin_keeps_the_directory_and_refusals_keep_the_typing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let specialist = app.create_user(Role::Specialist).await;
    let path = format!("/admin/specialists/{}", specialist.id);
    let res = app.post_form(&path, &[("specialty", "Neurology"), ("credentials", &"x".repeat(121))]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("at most 120 characters"));
    let res = app
        .post_form(
            &path,
            &[("specialty", "Pediatric neurology"), ("credentials", "MD"), ("clinical_focus", "Epilepsy.")],
        )
        .await;
    assert_eq!(location(&res), "/admin/specialists");
    let (credentials, accepting): (String, bool) =
        sqlx::query_as("select credentials, accepting_cases from specialists").fetch_one(&app.db).await.unwrap();
    assert_eq!((credentials.as_str(), accepting), ("MD", false), "the unticked box stops new cases");
}

#[sqlx::test]
async fn the_dashboard_says_exactly_what_is_left_and_that_a_card_was_declined(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let dashboard = text(app.get("/family").await).await;
    assert!(dashboard.contains("Write at least one question for the specialist"));
    assert!(!dashboard.contains("Add where your child's records are"), "the records are there");
    add_questions(&app, &case, 1).await;
    assert!(text(app.get("/family").await).await.contains("Everything is ready."));
    app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "decline")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    assert!(text(app.get("/family").await).await.contains("Payment declined — try another card."));
    let page = text(app.get(&format!("/family/cases/{case}")).await).await;
    assert!(page.contains("Payment declined — try another card.") && page.contains("A card payment was declined."));
}

#[sqlx::test]
async fn a_cancelled_case_never_speaks_of_the_review_starting(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Cancelled).create().await;
    let family = app.signed_in_as(&case.family).await;
    for path in ["", "/questions", "/records"] {
        let page = text(family.get(&format!("/family/cases/{}{path}", case.id)).await).await;
        assert!(!page.contains("review has started") && !page.contains("review starts"), "{path}");
        assert!(page.contains("cancelled"), "{path}");
    }
}
