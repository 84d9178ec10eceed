//! The specialist's opinion and what follows: access, drafts, signing,
//! immutability, follow-up questions and their window, escalation, closing.

use crate::helpers::*;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

fn opinion_fields<'a>(questions: &[uuid::Uuid], answers: &'a [&'a str], outcome: &'a str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> =
        questions.iter().zip(answers).map(|(q, a)| (format!("answer_{q}"), (*a).to_owned())).collect();
    fields.push(("outcome".into(), outcome.into()));
    fields.push(("summary".into(), "Your child's care is in good hands.".into()));
    fields.push(("recommendations".into(), "Continue the current plan.".into()));
    fields
}

async fn post_owned(app: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(path, &borrowed).await
}

async fn status(app: &TestApp, case: &str) -> String {
    sqlx::query_scalar("select status::text from cases where id = $1::uuid")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_specialist_sees_and_writes_only_their_own_cases(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let owner = app.create_user(Role::Specialist).await;
    let TestCase { id: case, questions, .. } =
        app.case().in_state(CaseStatus::InReview).specialist(&owner).create().await;
    let other = TestApp::spawn(db).await;
    let intruder = other.login_as(Role::Specialist).await;
    assert_eq!(other.get(&format!("/specialist/cases/{case}")).await.status(), StatusCode::NOT_FOUND);
    let res = post_owned(
        &other,
        &format!("/specialist/cases/{case}/opinion"),
        &opinion_fields(&questions, &["x", "y"], "agrees"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!other.page("/specialist").await.contains(&case));
    assert_eq!(other.count("select count(*) from opinions").await, 0);
    let denied: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'access_denied' and actor_user_id = $1")
            .bind(intruder.id.0)
            .fetch_one(&other.db)
            .await
            .unwrap();
    assert_eq!(denied, 2);
}

#[sqlx::test]
async fn signing_needs_every_answer_the_outcome_and_the_password(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.login_as(Role::Specialist).await;
    let TestCase { id: case, questions, family: in_review_family, .. } =
        app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let family_email = in_review_family.email.clone();
    let page = app.page(&format!("/specialist/cases/{case}")).await;
    assert!(page.contains("Asthma") && !page.contains(&family_email), "no contact details for the specialist");

    // A draft with one answer saves; signing it is refused with the reason.
    let mut fields = opinion_fields(&questions, &["The diagnosis is right.", ""], "");
    assert_eq!(
        location(&post_owned(&app, &format!("/specialist/cases/{case}/opinion"), &fields).await),
        format!("/specialist/cases/{case}")
    );
    let res = app.post_form(&format!("/specialist/cases/{case}/sign"), &[("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Answer question 2 before signing") && body.contains("Choose the outcome"));
    assert!(body.contains("The diagnosis is right."), "what was written is kept");

    // An oversize answer is refused, and kept on the page.
    let long = "a".repeat(20_001);
    fields[1].1 = long.clone();
    let res = post_owned(&app, &format!("/specialist/cases/{case}/opinion"), &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains(&long));

    let fields = opinion_fields(
        &questions,
        &["The diagnosis is right.", "Yes, keep going."],
        "agrees_diagnosis_different_treatment",
    );
    let mut preview = fields.clone();
    preview.push(("action".into(), "preview".into()));
    assert_eq!(
        location(&post_owned(&app, &format!("/specialist/cases/{case}/opinion"), &preview).await),
        format!("/specialist/cases/{case}/preview")
    );
    let page = app.page(&format!("/specialist/cases/{case}/preview")).await;
    assert!(text_has(
        &page,
        "The specialist agrees with the diagnosis, and recommends different or additional treatment."
    ));
    let res = app.post_form(&format!("/specialist/cases/{case}/sign"), &[("password", "not my password")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&app, &case).await, "in_review");

    let res = app.post_form(&format!("/specialist/cases/{case}/sign"), &[("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/specialist");
    assert_eq!(status(&app, &case).await, "opinion_delivered");
    let to: String = sqlx::query_scalar("select to_address from email_outbox where kind = 'opinion_ready'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(to, family_email);

    // Signed means final: the page, a second signing and the database all refuse.
    let res = post_owned(&app, &format!("/specialist/cases/{case}/opinion"), &fields).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.post_form(&format!("/specialist/cases/{case}/sign"), &[("password", PASSWORD)]).await.status(),
        StatusCode::CONFLICT
    );
    let change = sqlx::query("update opinions set summary = 'changed'").execute(&app.db).await;
    let constraint = change.unwrap_err().as_database_error().and_then(|d| d.constraint().map(str::to_owned));
    assert_eq!(constraint.as_deref(), Some("opinions_signed_immutable"));
    let answer = sqlx::query("update opinion_answers set body = 'changed'").execute(&app.db).await;
    assert!(answer.is_err());
    assert_eq!(app.count("select count(*) from case_events where to_status = 'opinion_delivered'").await, 1);
}

fn text_has(html: &str, sentence: &str) -> bool {
    html.replace("&#39;", "'").replace("&#x27;", "'").contains(sentence)
}

#[sqlx::test]
async fn a_draft_survives_a_session_timeout(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.login_as(Role::Specialist).await;
    let TestCase { id: case, questions, .. } =
        app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let token = app.csrf_token().await;
    app.clock.advance(SignedDuration::from_mins(16));
    let mut fields = opinion_fields(&questions, &["Typed while the coffee got cold.", ""], "agrees");
    fields.push(("csrf_token".into(), token));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_raw(&format!("/specialist/cases/{case}/opinion"), &borrowed).await;
    let to = location(&res);
    assert!(to.starts_with("/login?next=") && to.contains("reason=idle"), "{to}");
    assert_eq!(app.count("select count(*) from opinions").await, 0);

    let next = format!("/specialist/cases/{case}");
    let res = app.post_form("/login", &[("email", &specialist.email), ("password", PASSWORD), ("next", &next)]).await;
    assert_eq!(location(&res), "/login/code");
    assert_eq!(location(&app.answer_code(&specialist.email).await), next);
    let page = app.page(&format!("/specialist/cases/{case}")).await;
    assert!(page.contains("Typed while the coffee got cold.") && page.contains("We kept what you had typed"));
}

/// A delivered case with a clinician, delivered at `at`; the family signed in on their own app.
async fn delivered_case(app: &TestApp, at: Timestamp) -> (String, Vec<uuid::Uuid>, TestApp) {
    let clinician = app.create_user(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).at(at).create().await;
    let family = app.signed_in_as(&case.family).await;
    (case.id, case.questions, family)
}

async fn ask(family: &TestApp, case: &str, question: uuid::Uuid, body: &str) -> reqwest::Response {
    family
        .post_form(
            &format!("/family/cases/{case}/follow-ups"),
            &[("question_id", &question.to_string()), ("body", body)],
        )
        .await
}

#[sqlx::test]
async fn three_clarifying_questions_and_not_a_fourth(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, questions, family) = delivered_case(&app, app.clock.now()).await;
    let page = family.page(&format!("/family/cases/{case}/opinion")).await;
    assert!(
        text_has(&page, "The specialist agrees with your child's diagnosis and treatment plan.")
            && page.contains("3 of 3 left")
    );
    assert_eq!(app.count("select count(*) from audit_log where action = 'view_opinion'").await, 1);
    for i in 1..=3 {
        assert_eq!(
            ask(&family, &case, questions[0], &format!("What did you mean by {i}?")).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let res = ask(&family, &case, questions[1], "One more?").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("used all 3 follow-up questions"));
    assert_eq!(app.count("select count(*) from follow_up_questions").await, 3);
    let fourth = sqlx::query("insert into follow_up_questions (case_id, position, question_id, body, asked_at) values ($1::uuid, 4, $2, 'x', now())")
        .bind(&case)
        .bind(questions[0])
        .execute(&app.db)
        .await;
    assert_eq!(
        fourth.unwrap_err().as_database_error().and_then(|d| d.constraint().map(str::to_owned)).as_deref(),
        Some("follow_up_questions_max_three")
    );
}

#[sqlx::test]
async fn ten_concurrent_questions_when_two_remain_store_exactly_two(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, questions, family) = delivered_case(&app, app.clock.now()).await;
    ask(&family, &case, questions[0], "First?").await;
    let token = family.csrf_token().await;
    let q = questions[0].to_string();
    let path = format!("/family/cases/{case}/follow-ups");
    let posts = (0..10).map(|i| {
        let body = format!("Concurrent {i}?");
        let (family, path, q, token) = (&family, path.clone(), q.clone(), token.clone());
        async move {
            family
                .post_raw(
                    &path,
                    &[("question_id", q.as_str()), ("body", body.as_str()), ("csrf_token", token.as_str())],
                )
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(), 2, "{statuses:?}");
    assert_eq!(app.count("select count(*) from follow_up_questions").await, 3);
}

#[sqlx::test]
async fn no_follow_up_before_the_opinion(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.create_user(Role::Specialist).await;
    let TestCase { id: case, questions, family: in_review_family, .. } =
        app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let email = in_review_family.email.clone();
    let family = TestApp::spawn(app.db.clone()).await;
    family.log_in(&email, PASSWORD).await;
    assert_eq!(ask(&family, &case, questions[0], "Already?").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from follow_up_questions").await, 0);
}

#[sqlx::test]
async fn the_window_ends_at_midnight_after_the_fifth_business_day(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // Friday Dec 4, 2026, 4 p.m. Pacific: business day 5 is Friday Dec 11.
    let delivered: Timestamp = "2026-12-05T00:00:00Z".parse().unwrap();
    let (case, questions, family) = delivered_case(&app, delivered).await;
    let email: String = sqlx::query_scalar("select contact_email from cases").fetch_one(&app.db).await.unwrap();
    family.clock.set("2026-12-12T07:59:59Z".parse().unwrap()); // Dec 11, 23:59:59 PST
    family.log_in(&email, PASSWORD).await;
    assert!(
        family.page(&format!("/family/cases/{case}/opinion")).await.contains("Friday, December 11, 2026, 11:59 p.m.")
    );
    assert_eq!(ask(&family, &case, questions[0], "Just in time?").await.status(), StatusCode::SEE_OTHER);
    family.clock.set("2026-12-12T08:00:00Z".parse().unwrap()); // Dec 12, 00:00 PST
    family.log_in(&email, PASSWORD).await;
    let res = ask(&family, &case, questions[0], "Too late?").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("window for this case has closed"));
    assert_eq!(app.count("select count(*) from follow_up_questions").await, 1);
}

#[sqlx::test]
async fn a_clinician_escalates_and_the_specialist_answers(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (case, questions, family) = delivered_case(&app, app.clock.now()).await;
    ask(&family, &case, questions[1], "Which dose exactly?").await;
    let follow_up: uuid::Uuid =
        sqlx::query_scalar("select id from follow_up_questions").fetch_one(&app.db).await.unwrap();
    let (clinician_email, specialist_email): (String, String) = sqlx::query_as(
        "select cl.email, sp.email from cases c join users cl on cl.id = c.clinician_id join users sp on sp.id = c.specialist_id where c.id = $1::uuid",
    )
    .bind(&case)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let clinician = TestApp::spawn(db.clone()).await;
    clinician.log_in(&clinician_email, PASSWORD).await;
    assert!(clinician.page("/clinician").await.contains("Which dose exactly?"));
    clinician.post_form(&format!("/clinician/cases/{case}/follow-ups/{follow_up}/escalate"), &[]).await;
    assert!(text_has(
        &family.page(&format!("/family/cases/{case}/opinion")).await,
        "answer from the specialist is not guaranteed"
    ));

    let specialist = TestApp::spawn(db).await;
    specialist.log_in(&specialist_email, PASSWORD).await;
    let res = specialist
        .post_form(&format!("/specialist/cases/{case}/follow-ups/{follow_up}"), &[("answer", "5 mg twice a day.")])
        .await;
    assert_eq!(location(&res), format!("/specialist/cases/{case}"));
    assert!(family.page(&format!("/family/cases/{case}/opinion")).await.contains("5 mg twice a day."));
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'case_update'").await, 1);
    // The clinician logs the follow-up call; it is no longer due.
    clinician
        .post_form(&format!("/clinician/cases/{case}/calls"), &[("outcome", "completed"), ("notes", "Went through it")])
        .await;
    assert!(clinician.page("/clinician").await.contains("No calls are due."));
}

#[sqlx::test]
async fn cases_close_by_themselves_after_the_window(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, _, _) = delivered_case(&app, app.clock.now()).await;
    // The deadline `transition` set: the last instant of the follow-up window.
    let end: jiff_sqlx::Timestamp = sqlx::query_scalar("select due_at from cases where id = $1::uuid")
        .bind(&case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let end = end.to_jiff();
    let close = |now| second_opinion::cases::closing::close_after_window(&app.db, &app.base, now);
    // The call was made: nothing on the checklist is open.
    sqlx::query(
        "insert into follow_up_calls (case_id, clinician_id, outcome, notes, at) select id, clinician_id, 'completed', '', now() from cases",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(close(app.clock.now()).await.unwrap(), 0);
    assert_eq!(close(end).await.unwrap(), 0, "still inside the window at its last instant");
    assert_eq!(close(end + SignedDuration::from_micros(1)).await.unwrap(), 1);
    assert_eq!(status(&app, &case).await, "closed");
    assert_eq!(app.count("select count(*) from case_events where to_status = 'closed'").await, 1);
}

#[sqlx::test]
async fn a_family_asks_for_referral_help_and_sees_the_outcome(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (case, _, family) = delivered_case(&app, app.clock.now()).await;
    family.post_form(&format!("/family/cases/{case}/referral"), &[("note", "We live in Fresno")]).await;
    let referral: uuid::Uuid = sqlx::query_scalar("select id from referral_requests").fetch_one(&app.db).await.unwrap();
    let clinician_email: String =
        sqlx::query_scalar("select u.email from cases c join users u on u.id = c.clinician_id")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let clinician = TestApp::spawn(db).await;
    clinician.log_in(&clinician_email, PASSWORD).await;
    clinician
        .post_form(&format!("/clinician/cases/{case}/referrals/{referral}"), &[("status", "visit_arranged")])
        .await;
    assert!(
        family
            .page(&format!("/family/cases/{case}/opinion"))
            .await
            .contains("A visit with the expert has been arranged.")
    );
}

#[sqlx::test]
async fn the_specialists_home_pages_what_waits_most_urgent_first_and_what_they_delivered_newest_first(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let me = app.create_user(Role::Specialist).await;
    // 27 in review, due a day apart; two delivered, a day apart.
    let mut waiting = Vec::new();
    for day in 0..27 {
        let case = app.case().in_state(CaseStatus::InReview).specialist(&me).create().await;
        sqlx::query("update cases set due_at = now() + make_interval(days => $2) where id = $1::uuid")
            .bind(&case.id)
            .bind(day + 1)
            .execute(&app.db)
            .await
            .unwrap();
        waiting.push(case.number);
    }
    let older = app.case().in_state(CaseStatus::OpinionDelivered).specialist(&me).create().await;
    let newer = app.case().in_state(CaseStatus::OpinionDelivered).specialist(&me).create().await;
    for (case, days_ago) in [(&older, 2), (&newer, 1)] {
        sqlx::query("update cases set opinion_delivered_at = now() - make_interval(days => $2) where id = $1::uuid")
            .bind(&case.id)
            .bind(days_ago)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let others = TestApp::spawn(db).await;
    others.login_as(Role::Specialist).await;
    app.log_in(&me.email, PASSWORD).await;

    let first = app.page("/specialist").await;
    let at = |page: &str, number: &str| page.find(number).unwrap_or_else(|| panic!("{number} is listed"));
    assert!(at(&first, &waiting[0]) < at(&first, &waiting[24]), "the most urgent first");
    assert!(!first.contains(&waiting[25]), "25 to a page");
    assert!(first.contains("Cases 1–25, the most urgent first."));
    assert!(at(&first, &newer.number) < at(&first, &older.number), "delivered: the newest first");
    assert!(at(&first, &waiting[24]) < at(&first, &newer.number), "what waits comes before what was delivered");
    assert!(first.contains(r#"href="/specialist?waiting=25&amp;delivered=0" rel="next""#));

    let second = app.page("/specialist?waiting=25&delivered=0").await;
    assert!(second.contains(&waiting[25]) && second.contains(&waiting[26]));
    assert!(!second.contains(&waiting[24]));
    assert!(second.contains(r#"href="/specialist?waiting=0&amp;delivered=0" rel="prev""#));
    assert!(!second.contains(r#"rel="next""#), "the last page");
    assert!(second.contains(&newer.number), "the delivered list keeps its own page");

    let past_the_end = app.page("/specialist?waiting=50&delivered=0").await;
    assert!(past_the_end.contains("No more cases are waiting."), "a page past the end says so");
    assert!(past_the_end.contains(r#"href="/specialist?waiting=0&amp;delivered=0""#), "and leads back");

    assert!(!others.page("/specialist").await.contains(&waiting[0]), "another specialist sees none of them");
    // A page number that is not one: the calm page in their own layout, not axum's plain text.
    let malformed = app.get("/specialist?waiting=minus").await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body = malformed.text().await.unwrap();
    assert!(body.contains("Please go back and try again.") && body.contains("Sign out"), "{body}");
    assert!(!body.contains("deserialize"), "{body}");
}
