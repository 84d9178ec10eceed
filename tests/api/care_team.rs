//! The care team running a case after the opinion and around the edges: the
//! clinician's call, closing with a checklist, records and translation, the
//! additional-fee loop end to end, the queue's flags and search, and every
//! refusal staying on the person's page.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

async fn version(app: &TestApp, case: &str) -> String {
    let v: i32 = sqlx::query_scalar("select version from cases where id = $1::uuid")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    v.to_string()
}

async fn flash(app: &TestApp, res: reqwest::Response) -> String {
    let to = location(&res);
    assert!(!to.is_empty(), "expected a redirect, got {}", res.status());
    text(app.get(to.split('#').next().unwrap()).await).await
}

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(2048, b'x');
    bytes
}

async fn upload(app: &TestApp, case: &str, source: uuid::Uuid, name: &str, translation: bool) -> reqwest::Response {
    let mut form = Form::new().text("csrf_token", app.csrf_token().await);
    if translation {
        form = form.text("is_translation", "yes");
    }
    let form = form.part("file", Part::bytes(pdf()).file_name(name.to_owned()));
    app.client
        .post(app.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// A delivered case with its clinician; the family and the clinician signed in apart.
async fn delivered(app: &TestApp) -> (TestCase, TestApp, TestApp) {
    let clinician = app.create_user(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let family = app.signed_in_as(&case.family).await;
    let clinician = app.signed_in_as(&clinician).await;
    (case, family, clinician)
}

#[sqlx::test]
async fn the_clinician_sees_the_phone_and_the_opinion_and_logs_two_attempts(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, _family, clinician) = delivered(&app).await;
    sqlx::query(
        "update cases set contact_phone = '+523312345678', contact_time_zone = 'America/Mexico_City', call_times = 'After 6 pm' where id = $1",
    )
    .bind(case.case_id.0)
    .execute(&app.db)
    .await
    .unwrap();

    let home = text(clinician.get("/clinician").await).await;
    assert!(home.contains("Calls due (1)"), "{home}");
    assert!(home.contains("href=\"tel:+523312345678\"") && home.contains(&case.family.name));
    assert!(home.contains("Mexico City") && home.contains("After 6 pm") && home.contains("parent of <bdi>Mila</bdi>"));

    let page = text(clinician.get(&format!("/clinician/cases/{}", case.id)).await).await;
    assert!(page.contains("The signed opinion") && page.contains("All good"), "the opinion, read-only");
    assert!(page.contains("Why?"), "the family's questions");
    assert_eq!(app.audit_count("view_case", "success").await, 1, "the view is audited");

    // A refused attempt keeps what was typed.
    let res = clinician
        .post_form(&format!("/clinician/cases/{}/calls", case.id), &[("notes", "Rang twice, voicemail full")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Choose how the call went.") && body.contains("Rang twice, voicemail full"));
    assert_eq!(app.count("select count(*) from follow_up_calls").await, 0);

    let tomorrow = (app.clock.now() + jiff::SignedDuration::from_hours(26))
        .to_zoned(jiff::tz::TimeZone::get("America/Los_Angeles").unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let res = clinician
        .post_form(
            &format!("/clinician/cases/{}/calls", case.id),
            &[("outcome", "no_answer"), ("notes", "No answer"), ("next_attempt", &tomorrow)],
        )
        .await;
    assert!(flash(&clinician, res).await.contains("Attempt logged."));
    assert!(text(clinician.get("/clinician").await).await.contains("Calls due (1)"), "still due");
    let retry = "select count(*) from cases where call_retry_at is not null";
    assert_eq!(app.count(retry).await, 1, "the next try is kept on the case for the call list's order");
    clinician
        .post_form(
            &format!("/clinician/cases/{}/calls", case.id),
            &[("outcome", "completed"), ("notes", "Went through the opinion")],
        )
        .await;
    assert_eq!(app.count("select count(*) from follow_up_calls").await, 2, "a history, not one row");
    let page = text(clinician.get(&format!("/clinician/cases/{}", case.id)).await).await;
    assert!(page.contains("No answer") && page.contains("Went through the opinion"));
    assert!(text(clinician.get("/clinician").await).await.contains("No calls are due."));
    assert!(!app.count("select count(*) from cases where call_pending").await.is_positive());
    assert_eq!(app.count(retry).await, 0, "a completed call sets no next try");
}

#[sqlx::test]
async fn the_call_list_shows_the_most_urgent_calls_a_page_at_a_time(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let clinician = app.create_user(Role::Clinician).await;
    let mut cases = Vec::new();
    for _ in 0..27 {
        cases.push(app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await);
    }
    // Two calls are past their deadline: they come first, on the first page.
    let late = [&cases[20], &cases[26]];
    for case in late {
        sqlx::query("update cases set call_due_at = now() - interval '1 day' where id = $1")
            .bind(case.case_id.0)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let clinician = app.signed_in_as(&clinician).await;

    let first = clinician.page("/clinician").await;
    assert!(first.contains("Overdue calls (2)") && first.contains("Calls due (25)"), "{first}");
    assert!(first.contains("Calls 1–25 of 27, most urgent first.") && first.contains(r#"href="/clinician?from=25""#));
    assert!(late.iter().all(|c| first.contains(&format!("Case {}</a>", c.number))), "the overdue ones first");
    assert_eq!(first.matches(r#"class="card call-card""#).count(), 25);

    let malformed = clinician.get("/clinician?from=-1").await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(malformed.text().await.unwrap().contains("Please go back and try again."), "the calm page");
    let second = clinician.page("/clinician?from=25").await;
    assert!(second.contains("Calls 26–27 of 27") && second.contains(r#"href="/clinician?from=0""#), "{second}");
    assert_eq!(second.matches(r#"class="card call-card""#).count(), 2);
    assert!(
        second.contains("Overdue calls (2)")
            && !late.iter().any(|c| second.contains(&format!("Case {}</a>", c.number)))
    );
}

#[sqlx::test]
async fn another_clinicians_case_is_not_found_and_audited(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, _family, _clinician) = delivered(&app).await;
    let other = app.create_user(Role::Clinician).await;
    let other = app.signed_in_as(&other).await;
    assert_eq!(other.get(&format!("/clinician/cases/{}", case.id)).await.status(), StatusCode::NOT_FOUND);
    let res = other.post_form(&format!("/clinician/cases/{}/calls", case.id), &[("outcome", "completed")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from follow_up_calls").await, 0);
    assert_eq!(app.audit_count("access_denied", "denied").await, 2);
}

#[sqlx::test]
async fn a_case_is_submitted_only_with_a_phone_in_international_form(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_family, child) = family_with_child(&app).await;
    let id = draft_case(&app, &child).await;
    let details = |phone: &'static str| {
        let (app, id) = (&app, &id);
        async move {
            app.post_form(
                &format!("/family/cases/{id}/details"),
                &[
                    ("contact_email", "mila.parent@example.test"),
                    ("contact_phone", phone),
                    ("contact_time_zone", "America/Chicago"),
                    ("diagnosis_summary", "Crohn's disease"),
                ],
            )
            .await
        }
    };
    let res = details("555-0100").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("with its country code") && body.contains("value=\"555-0100\""));
    // None yet is kept (a draft is saved as typed), and the review page asks for it.
    assert_eq!(details("").await.status(), StatusCode::SEE_OTHER);
    let res = app.post_form(&format!("/family/cases/{id}/submit"), &CONSENTS).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "not to the card without a phone");
    assert!(text(res).await.contains("Give a phone number with its country code"));
    assert_eq!(location(&details("+52 33 1234 5678").await), format!("/family/cases/{id}/records"));
    let stored: (String, String) =
        sqlx::query_as("select contact_phone, contact_time_zone from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, ("+523312345678".to_owned(), "America/Chicago".to_owned()));

    // No path submits a case without one: the database refuses.
    sqlx::query("update cases set contact_phone = '' where id = $1::uuid").bind(&id).execute(&app.db).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let err = second_opinion::cases::transition(
        &mut tx,
        second_opinion::domain::CaseId(id.parse().unwrap()),
        CaseStatus::Draft,
        CaseStatus::Submitted,
        None,
        None,
        app.clock.now(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("phone"), "{err}");
}

#[sqlx::test]
async fn close_is_refused_while_something_is_open_and_accepted_with_a_reason(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, _clinician) = delivered(&app).await;
    family
        .post_form(
            &format!("/family/cases/{}/follow-ups", case.id),
            &[("question_id", &case.questions[0].to_string()), ("body", "Which dose?")],
        )
        .await;
    let me = app.login_as(Role::Coordinator).await;
    let workspace = text(app.get(&format!("/coordinator/cases/{}", case.id)).await).await;
    assert!(workspace.contains("The clinician's follow-up call has not been completed."));
    assert!(workspace.contains("A clarifying question is waiting for an answer."));
    assert!(workspace.contains("The signed opinion") && workspace.contains("Which dose?"));

    let close = |fields: Vec<(&'static str, String)>| {
        let (app, id) = (&app, case.id.clone());
        async move {
            let mut all = vec![("version", version(app, &id).await)];
            all.extend(fields);
            let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&format!("/coordinator/cases/{id}/close"), &all).await
        }
    };
    // First press: what is open, and a reason to give.
    let res = close(vec![]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(page.contains("Still open") && page.contains("Why close it anyway"));
    // Confirmed without a reason: refused, on the same page.
    let res = close(vec![("confirmed", "yes".into())]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("write why the case should close anyway"));
    assert_eq!(status_of(&app, &case.id).await, "opinion_delivered");

    let res = close(vec![("confirmed", "yes".into()), ("reason", "Family moved abroad; agreed by phone".into())]).await;
    assert!(flash(&app, res).await.contains("The case is closed."));
    assert_eq!(status_of(&app, &case.id).await, "closed");
    let note: String =
        sqlx::query_scalar("select note from case_events where to_status = 'closed'").fetch_one(&app.db).await.unwrap();
    assert_eq!(note, "Family moved abroad; agreed by phone");
    let audited: uuid::Uuid =
        sqlx::query_scalar("select actor_user_id from audit_log where action = 'case_closed_with_open_items'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, me.id.0);
    let timeline = text(app.get(&format!("/coordinator/cases/{}", case.id)).await).await;
    assert!(timeline.contains(&format!("{} closed the case.", me.name)));
}

#[sqlx::test]
async fn the_worker_leaves_a_case_with_an_open_follow_up_to_a_person(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, clinician) = delivered(&app).await;
    clinician.post_form(&format!("/clinician/cases/{}/calls", case.id), &[("outcome", "completed")]).await;
    family
        .post_form(
            &format!("/family/cases/{}/follow-ups", case.id),
            &[("question_id", &case.questions[0].to_string()), ("body", "Which dose?")],
        )
        .await;
    let end: jiff_sqlx::Timestamp = sqlx::query_scalar("select due_at from cases").fetch_one(&app.db).await.unwrap();
    let after = end.to_jiff() + jiff::SignedDuration::from_hours(1);
    assert_eq!(second_opinion::cases::closing::close_after_window(&app.db, &app.base, after).await.unwrap(), 0);
    assert_eq!(status_of(&app, &case.id).await, "opinion_delivered");
    // The coordinator's home lists it as needing attention.
    app.clock.set(after);
    app.login_as(Role::Coordinator).await;
    let queue = text(app.get("/coordinator").await).await;
    assert!(queue.contains("Needs attention") && queue.contains("follow-up unanswered"), "{queue}");
    // Answered, it closes by itself (the clinician signs in again: their session idled out too).
    let follow_up: uuid::Uuid =
        sqlx::query_scalar("select id from follow_up_questions").fetch_one(&app.db).await.unwrap();
    let email: String =
        sqlx::query_scalar("select email from users where role = 'clinician'").fetch_one(&app.db).await.unwrap();
    clinician.log_in(&email, PASSWORD).await;
    clinician
        .post_form(&format!("/clinician/cases/{}/follow-ups/{follow_up}/answer", case.id), &[("answer", "5 mg")])
        .await;
    assert_eq!(second_opinion::cases::closing::close_after_window(&app.db, &app.base, after).await.unwrap(), 1);
}

#[sqlx::test]
async fn records_in_another_language_need_a_translation_and_digitized_needs_a_document(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source: uuid::Uuid = sqlx::query_scalar(
        "insert into record_sources (case_id, facility, records_description, language) values ($1, 'Hospital Civil', 'Biopsia', 'Spanish') returning id",
    )
    .bind(case.case_id.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let mark = |status: &'static str| {
        let (app, id) = (&app, case.id.clone());
        async move {
            app.post_form(&format!("/coordinator/cases/{id}/sources/{source}/status"), &[("status", status)]).await
        }
    };
    let res = mark("digitized").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Upload at least one document"));

    upload(&app, &case.id, source, "biopsia.pdf", false).await;
    let res = mark("digitized").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("upload the English translation"), "{body}");
    assert!(body.contains("Needs an English translation"));
    const FLAGGED: &str = "select count(*) from cases where translation_pending";
    assert_eq!(app.count(FLAGGED).await, 1);
    assert!(text(app.get("/coordinator?need=translation").await).await.contains(&case.number));

    let res = upload(&app, &case.id, source, "biopsy-english.pdf", true).await;
    assert!(flash(&app, res).await.contains("as the English translation"));
    assert_eq!(location(&mark("digitized").await), format!("/coordinator/cases/{}", case.id));
    assert_eq!(app.count(FLAGGED).await, 0, "the translation loop closed");
    assert!(!text(app.get("/coordinator?need=translation").await).await.contains(&case.number));

    // The database is the owner of both rules, whatever path writes.
    let other: uuid::Uuid = sqlx::query_scalar(
        "insert into record_sources (case_id, facility, records_description) values ($1, 'Lab', 'Blood') returning id",
    )
    .bind(case.case_id.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let err = sqlx::query("update record_sources set status = 'digitized' where id = $1")
        .bind(other)
        .execute(&app.db)
        .await
        .unwrap_err();
    assert_eq!(err.as_database_error().and_then(|e| e.constraint()), Some("record_sources_digitized_needs_document"));

    // The specialist reads translations first.
    let specialist = app.create_user(Role::Specialist).await;
    sqlx::query("update cases set specialist_id = $2 where id = $1")
        .bind(case.case_id.0)
        .bind(specialist.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update record_sources set status = 'unavailable', unavailable_reason = 'closed' where id = $1")
        .bind(other)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update record_sources set status = 'unavailable', unavailable_reason = 'closed' where case_id = $1 and status <> 'digitized'")
        .bind(case.case_id.0)
        .execute(&app.db)
        .await
        .unwrap();
    move_case(&app, &case.id, &["ready_for_review", "in_review"]).await;
    let specialist = app.signed_in_as(&specialist).await;
    let page = specialist.page(&format!("/specialist/cases/{}", case.id)).await;
    let english = page.find("biopsy-english.pdf").unwrap();
    assert!(english < page.find("biopsia.pdf").unwrap(), "translation before the original");
}

#[sqlx::test]
async fn the_fee_loop_from_suggestion_to_paid_is_visible_to_all_three_roles(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.create_user(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let specialist = app.signed_in_as(&specialist).await;
    let due_before: jiff_sqlx::Timestamp =
        sqlx::query_scalar("select due_at from cases").fetch_one(&app.db).await.unwrap();

    // A suggestion without a reason is refused on the page, the choice kept.
    let res = specialist
        .post_form(&format!("/specialist/cases/{}/re-review", case.id), &[("kind", "pathology"), ("reason", " ")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Say why a re-review would help"));
    specialist
        .post_form(
            &format!("/specialist/cases/{}/re-review", case.id),
            &[("kind", "pathology"), ("reason", "The slides from 2025 need a second look")],
        )
        .await;
    assert_eq!(app.count("select count(*) from case_notes").await, 0, "not an internal note");

    let coordinator = app.login_as(Role::Coordinator).await;
    assert!(text(app.get("/coordinator?need=fee_to_price").await).await.contains(&case.number));
    let workspace = text(app.get(&format!("/coordinator/cases/{}", case.id)).await).await;
    assert!(workspace.contains("To price.") && workspace.contains("The slides from 2025 need a second look"));
    let suggestion: uuid::Uuid = sqlx::query_scalar("select id from fee_suggestions").fetch_one(&app.db).await.unwrap();
    let price = |amount: &'static str| {
        let (app, id) = (&app, case.id.clone());
        async move {
            app.post_form(
                &format!("/coordinator/cases/{id}/fees"),
                &[
                    ("suggestion_id", &suggestion.to_string()),
                    ("amount", amount),
                    ("reason", "A pathologist re-reads the biopsy slides"),
                    ("moves_opinion_days", "3"),
                ],
            )
            .await
        }
    };
    let res = price("a lot").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("value=\"a lot\"") && body.contains("A pathologist re-reads the biopsy slides"));
    assert!(body.contains("value=\"3\""), "every field kept");
    assert_eq!(price("350").await.status(), StatusCode::SEE_OTHER);
    assert!(!text(app.get("/coordinator?need=fee_to_price").await).await.contains(&case.number));
    assert!(text(app.get("/coordinator?need=fee_unpaid").await).await.contains(&case.number));

    // The family sees the reason, the amount and what paying does to the date.
    let family = app.signed_in_as(&case.family).await;
    let page = text(family.get(&format!("/family/cases/{}", case.id)).await).await;
    assert!(page.contains("$350") && page.contains("A pathologist re-reads the biopsy slides"));
    assert!(page.contains("The opinion will be due 3 business days later."), "{page}");
    let fee: uuid::Uuid = sqlx::query_scalar("select id from fee_requests").fetch_one(&app.db).await.unwrap();
    family.page(&format!("/family/cases/{}/fees/{fee}/pay", case.id)).await;
    family.post_form(&format!("/family/cases/{}/fees/{fee}/pay", case.id), &[("outcome", "approve")]).await;

    // Paid: the due date moved by what the coordinator set, and the specialist sees it.
    let due_after: jiff_sqlx::Timestamp =
        sqlx::query_scalar("select due_at from cases").fetch_one(&app.db).await.unwrap();
    let calendar = second_opinion::cases::schedule::calendar(&app.db).await.unwrap();
    let days = calendar
        .business_days_between(calendar.local_date(due_before.to_jiff()), calendar.local_date(due_after.to_jiff()));
    assert_eq!(days, 3);
    let page = text(specialist.get(&format!("/specialist/cases/{}", case.id)).await).await;
    assert!(page.contains("The family was asked for $350: paid by the family."), "{page}");
    let workspace = text(app.get(&format!("/coordinator/cases/{}", case.id)).await).await;
    assert!(workspace.contains("The family paid $350 for the pathology re-review."));
    assert!(workspace.contains(&format!("{} asked the family to pay $350", coordinator.name)));
}

#[sqlx::test]
async fn a_suggestion_set_aside_tells_the_specialist_why(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.create_user(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let specialist = app.signed_in_as(&specialist).await;
    specialist
        .post_form(&format!("/specialist/cases/{}/re-review", case.id), &[("kind", "imaging"), ("reason", "MRI")])
        .await;
    app.login_as(Role::Coordinator).await;
    let suggestion: uuid::Uuid = sqlx::query_scalar("select id from fee_suggestions").fetch_one(&app.db).await.unwrap();
    let path = format!("/coordinator/cases/{}/suggestions/{suggestion}/dismiss", case.id);
    let res = app.post_form(&path, &[("dismiss_reason", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.post_form(&path, &[("dismiss_reason", "The family's own radiologist already re-read it")]).await;
    let page = text(specialist.get(&format!("/specialist/cases/{}", case.id)).await).await;
    assert!(
        page.contains("The coordinator decided not to ask the family: The family's own radiologist already re-read it")
    );
    assert_eq!(app.count("select count(*) from cases where fee_to_price").await, 0);
}

#[sqlx::test]
async fn search_ignores_accents_and_finds_any_part_of_the_number(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let sofia = app.case().child("Sofía", "Ramírez").create().await;
    let other = app.case().child("Mila", "Okafor").create().await;
    for q in ["sofia", "SOFIA", "Sofía", "ramirez"] {
        let body = text(app.client.get(app.url("/coordinator")).query(&[("q", q)]).send().await.unwrap()).await;
        assert!(body.contains(&sofia.number) && !body.contains(&other.number), "{q}");
    }
    let seq: i64 = sofia.number.rsplit('-').next().unwrap().parse().unwrap();
    let year = &sofia.number[3..7];
    for q in [
        sofia.number.clone(),
        format!("{seq:06}"),
        seq.to_string(),
        format!("SO-{year}-{seq}"),
        sofia.number.to_lowercase(),
    ] {
        let body = text(app.client.get(app.url("/coordinator")).query(&[("q", &q)]).send().await.unwrap()).await;
        assert!(body.contains(&sofia.number) && !body.contains(&other.number), "{q}");
    }
}

#[sqlx::test]
async fn the_queue_flags_what_needs_a_person(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let (delivered, _family, _clinician) = delivered(&app).await;
    let plain = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    sqlx::query("update cases set requested_specialist_note = 'Dr. Chen, please' where id = $1")
        .bind(plain.case_id.0)
        .execute(&app.db)
        .await
        .unwrap();
    let row = |body: &str, number: &str| {
        let start = body.find(number).unwrap_or_else(|| panic!("{number} not in {body}"));
        body[start..start + body[start..].find("</tr>").unwrap()].to_owned()
    };
    let res = app.get("/coordinator").await;
    assert_eq!(res.status(), StatusCode::OK, "{:?}", res.headers());
    let queue = text(res).await;
    assert!(row(&queue, &delivered.number).contains("Call due"));
    assert!(row(&queue, &plain.number).contains("Specialist requested"));
    let calls = text(app.get("/coordinator?need=call").await).await;
    assert!(calls.contains(&delivered.number) && !calls.contains(&plain.number));
    let requested = text(app.get("/coordinator?need=specialist_requested").await).await;
    assert!(requested.contains(&plain.number) && !requested.contains(&delivered.number));
    // Overdue once its deadline passes.
    app.clock.set(app.clock.now() + jiff::SignedDuration::from_hours(24 * 7));
    app.login_as(Role::Coordinator).await; // the session idled out meanwhile
    assert!(row(&text(app.get("/coordinator").await).await, &delivered.number).contains("Call overdue"));
}

#[sqlx::test]
async fn the_family_is_asked_for_a_record_on_their_page_and_by_email(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let path = format!("/coordinator/cases/{}/record-requests", case.id);
    let res = app.post_form(&path, &[("request_body", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from record_requests").await, 0);
    let res = app.post_form(&path, &[("request_body", "The MRI report of March 2026")]).await;
    assert!(flash(&app, res).await.contains("The family was asked for the record"));
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'record_requested'").await, 1);
    let family = app.signed_in_as(&case.family).await;
    assert!(
        text(family.get(&format!("/family/cases/{}", case.id)).await).await.contains("The MRI report of March 2026")
    );
    let request: uuid::Uuid = sqlx::query_scalar("select id from record_requests").fetch_one(&app.db).await.unwrap();
    app.post_form(&format!("/coordinator/cases/{}/record-requests/{request}/resolve", case.id), &[]).await;
    assert!(
        !text(family.get(&format!("/family/cases/{}", case.id)).await).await.contains("The MRI report of March 2026")
    );
}

#[sqlx::test]
async fn every_refused_staff_action_keeps_the_person_on_their_page(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let workspace = format!("/coordinator/cases/{}", case.id);
    let stale = [("version", "0")];
    for (path, fields) in [
        (format!("{workspace}/take"), &stale[..]),
        (format!("{workspace}/ready"), &stale[..]),
        (format!("{workspace}/clinician"), &stale[..]),
        (format!("{workspace}/cancel"), &stale[..]),
        (format!("{workspace}/close"), &stale[..]),
        (format!("{workspace}/send"), &[("version", "0"), ("specialist_id", "nobody")][..]),
    ] {
        let res = app.post_form(&path, fields).await;
        assert_eq!(location(&res), workspace, "{path}");
        let page = flash(&app, res).await;
        assert!(page.contains("id=\"refusal\"") && page.contains("Not done:"), "{path}: {page}");
    }
    // Typed refusals re-render the page itself, with the text kept.
    let res = app.post_form(&format!("{workspace}/notes"), &[("body", &"x".repeat(5000))]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains(&"x".repeat(5000)));
    let res = app
        .post_form(&format!("{workspace}/sources"), &[("facility", "Valley Lab"), ("records_description", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("value=\"Valley Lab\""));
    assert_eq!(
        app.count(
            "select count(*) from case_events where to_status not in ('draft', 'submitted', 'collecting_records')"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn escalating_emails_the_specialist_and_an_answer_emails_the_family(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, clinician) = delivered(&app).await;
    family
        .post_form(
            &format!("/family/cases/{}/follow-ups", case.id),
            &[("question_id", &case.questions[0].to_string()), ("body", "Which dose of budesonide?")],
        )
        .await;
    let follow_up: uuid::Uuid =
        sqlx::query_scalar("select id from follow_up_questions").fetch_one(&app.db).await.unwrap();
    let res = clinician.post_form(&format!("/clinician/cases/{}/follow-ups/{follow_up}/escalate", case.id), &[]).await;
    assert!(flash(&clinician, res).await.contains("who has been emailed"));
    let specialist_email: String =
        sqlx::query_scalar("select u.email from cases c join users u on u.id = c.specialist_id")
            .fetch_one(&app.db)
            .await
            .unwrap();
    app.clock.advance(jiff::SignedDuration::from_mins(1)); // past the other apps' clocks
    app.deliver_mail().await;
    let mail = wait_for_mail(&specialist_email, 1).await;
    assert!(!mail.last().unwrap().1.contains("budesonide"), "no health information in email");
    // Delivered long ago, the case stays on the specialist's home while the question waits.
    sqlx::query("update cases set opinion_delivered_at = now() - interval '40 days' where id = $1")
        .bind(case.case_id.0)
        .execute(&app.db)
        .await
        .unwrap();
    let specialist = TestApp::spawn(app.db.clone()).await;
    specialist.log_in(&specialist_email, PASSWORD).await;
    assert!(text(specialist.get("/specialist").await).await.contains("follow-up to answer"));
    specialist
        .post_form(&format!("/specialist/cases/{}/follow-ups/{follow_up}", case.id), &[("answer", "9 mg a day")])
        .await;
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'case_update'").await, 1);
    let home = specialist.page("/specialist").await;
    assert!(!home.contains(&case.number), "answered, and delivered over a month ago: off the list");
}

#[sqlx::test]
async fn a_clinicians_refused_answer_keeps_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, clinician) = delivered(&app).await;
    family
        .post_form(
            &format!("/family/cases/{}/follow-ups", case.id),
            &[("question_id", &case.questions[0].to_string()), ("body", "Which dose?")],
        )
        .await;
    let follow_up: uuid::Uuid =
        sqlx::query_scalar("select id from follow_up_questions").fetch_one(&app.db).await.unwrap();
    let long = "Five milligrams, twice a day. ".repeat(400);
    let res = clinician
        .post_form(&format!("/clinician/cases/{}/follow-ups/{follow_up}/answer", case.id), &[("answer", &long)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Nothing was sent: An answer can be at most") && body.contains(long.trim_end()));
    assert_eq!(app.count("select count(*) from follow_up_questions where answer is not null").await, 0);
}
