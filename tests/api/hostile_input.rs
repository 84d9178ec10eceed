//! Hostile input at every form: NUL bytes, the longest valid texts, bodies
//! over a route's limit, and ids that belong to someone else's case.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

const NUL: &str = "before\u{0}after";

/// The outcome of posting hostile text: never a 500, and nothing half
/// done; a refusal the person can read, on the page (422, the field named
/// and the text kept) or in the message on the page it leads to.
async fn refused_by_name(app: &TestApp, res: reqwest::Response, what: &str) {
    let status = res.status();
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{what}: a 500");
    if status == StatusCode::SEE_OTHER {
        let to = location(&res);
        let body = text(app.get(&to).await).await;
        assert!(body.contains("flash flash-error"), "{what}: no refusal shown on {to}");
    } else {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let body = text(res).await;
        assert!(
            body.contains("character we can't accept") || body.contains("characters we can't accept"),
            "{what}: {body}"
        );
        assert!(body.contains("after"), "{what}: the text is kept");
    }
}

#[sqlx::test]
async fn a_nul_byte_is_refused_calmly_in_every_text_field(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // Staff.
    let coordinator = app.create_user(Role::Coordinator).await;
    let specialist = app.create_user(Role::Specialist).await;
    let clinician = app.create_user(Role::Clinician).await;
    let staff = app.signed_in_as(&coordinator).await;
    let collecting = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source: uuid::Uuid = sqlx::query_scalar("select id from record_sources where case_id = $1 limit 1")
        .bind(collecting.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let c = &collecting.id;
    let res = staff.get(&format!("/coordinator?q={}", "%00")).await;
    assert!(
        res.status().is_success() || res.status() == StatusCode::UNPROCESSABLE_ENTITY,
        "queue search: {}",
        res.status()
    );
    let res = staff.get("/coordinator?q=Mila%00&state=collecting_records").await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    for (path, fields, what) in [
        (
            format!("/coordinator/cases/{c}/sources"),
            vec![("facility", NUL), ("records_description", "Notes")],
            "coordinator facility",
        ),
        (
            format!("/coordinator/cases/{c}/sources/{source}/status"),
            vec![("status", "unavailable"), ("reason", NUL)],
            "status reason",
        ),
        (format!("/coordinator/cases/{c}/notes"), vec![("body", NUL)], "note"),
        (
            format!("/coordinator/cases/{c}/fees"),
            vec![("kind", "imaging"), ("amount", "150.00"), ("reason", NUL)],
            "fee reason",
        ),
    ] {
        refused_by_name(&staff, staff.post_form(&path, &fields).await, what).await;
    }

    let reviewing = app.case().in_state(CaseStatus::InReview).specialist(&specialist).create().await;
    let expert = app.signed_in_as(&specialist).await;
    let r = &reviewing.id;
    let answer = format!("answer_{}", reviewing.questions[0]);
    for (fields, what) in [
        (vec![("summary", NUL), ("outcome", "agrees")], "opinion summary"),
        (vec![("recommendations", NUL)], "opinion recommendations"),
        (vec![("pcp_notes", NUL)], "opinion notes"),
        (vec![(answer.as_str(), NUL)], "opinion answer"),
        (vec![("outcome", NUL)], "opinion outcome"),
    ] {
        let res = expert.post_form(&format!("/specialist/cases/{r}/opinion"), &fields).await;
        assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "{what}");
        if what != "opinion outcome" {
            refused_by_name(&expert, res, what).await;
        }
    }
    let res =
        expert.post_form(&format!("/specialist/cases/{r}/re-review"), &[("kind", "imaging"), ("reason", NUL)]).await;
    refused_by_name(&expert, res, "re-review reason").await;

    let delivered = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let doctor = app.signed_in_as(&clinician).await;
    let res = doctor.post_form(&format!("/clinician/cases/{}/calls", delivered.id), &[("notes", NUL)]).await;
    refused_by_name(&doctor, res, "call notes").await;

    let admin = app.create_user(Role::Admin).await;
    let ops = app.signed_in_as(&admin).await;
    let res = ops.post_form(&format!("/admin/specialists/{}", specialist.id), &[("specialty", NUL)]).await;
    refused_by_name(&ops, res, "specialty").await;
    let res = ops
        .post_form("/admin", &[("full_name", NUL), ("email", "new.staff@example.test"), ("role", "clinician")])
        .await;
    refused_by_name(&ops, res, "staff name").await;

    // The family.
    let family = app.signed_in_as(&delivered.family).await;
    let d = &delivered.id;
    let res = family.post_form(&format!("/family/cases/{d}/referral"), &[("note", NUL)]).await;
    refused_by_name(&family, res, "referral note").await;
    let question = delivered.questions[0].to_string();
    let res =
        family.post_form(&format!("/family/cases/{d}/follow-ups"), &[("question_id", &question), ("body", NUL)]).await;
    refused_by_name(&family, res, "follow-up").await;

    let (_, child) = family_with_child(&app).await;
    let draft = draft_case(&app, &child).await;
    for (path, fields, what) in [
        (
            format!("/family/cases/{draft}/records"),
            vec![("facility", NUL), ("records_description", "Notes")],
            "family facility",
        ),
        (format!("/family/cases/{draft}/questions"), vec![("body", NUL)], "question"),
        (
            format!("/family/cases/{draft}/details"),
            vec![("contact_email", "a@example.test"), ("diagnosis_summary", NUL)],
            "diagnosis",
        ),
        (
            format!("/family/children/{child}"),
            vec![("first_name", NUL), ("last_name", "Okafor"), ("date_of_birth", "2016-05-04"), ("sex", "female")],
            "child name",
        ),
    ] {
        refused_by_name(&app, app.post_form(&path, &fields).await, what).await;
    }
    let res = app.post_form("/account/password", &[("current_password", NUL), ("new_password", NUL)]).await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "password change");

    // Signed out.
    let anonymous = TestApp::spawn(app.db.clone()).await;
    for (path, fields) in [
        ("/login", vec![("email", NUL), ("password", NUL)]),
        ("/register", vec![("full_name", NUL), ("email", "x@example.test"), ("password", PASSWORD)]),
        ("/password-reset", vec![("email", NUL)]),
        ("/password-reset/new", vec![("token", NUL), ("password", PASSWORD)]),
        ("/verify-email", vec![("token", NUL)]),
    ] {
        let res = anonymous.post_form(path, &fields).await;
        assert!(res.status().is_client_error() || res.status().is_redirection(), "{path}: {}", res.status());
    }
    let res = anonymous.get(&format!("/password-reset/new?token={}", "%00")).await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

/// Text at a field's limit in the widest characters: 4 bytes each in UTF-8,
/// 12 once URL-encoded.
fn widest(chars: usize) -> String {
    "😀".repeat(chars)
}

#[sqlx::test]
async fn the_longest_valid_opinion_is_saved_not_refused_as_too_large(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let specialist = app.login_as(Role::Specialist).await;
    let case = app.case().in_state(CaseStatus::InReview).specialist(&specialist).questions(5).create().await;
    let long = widest(20_000);
    let notes = widest(10_000);
    let answers: Vec<String> = case.questions.iter().map(|q| format!("answer_{q}")).collect();
    let mut fields: Vec<(&str, &str)> =
        vec![("outcome", "agrees"), ("summary", &long), ("recommendations", &long), ("pcp_notes", &notes)];
    fields.extend(answers.iter().map(|a| (a.as_str(), long.as_str())));
    let res = app.post_form(&format!("/specialist/cases/{}/opinion", case.id), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "saved, not 413");
    let stored: i32 = sqlx::query_scalar("select char_length(summary) from opinions").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 20_000);
    let answered = app.count("select count(*) from opinion_answers where char_length(body) = 20000").await;
    assert_eq!(answered, 5);
    // One character more is the form's own refusal, with the text kept.
    let over = widest(20_001);
    let res = app.post_form(&format!("/specialist/cases/{}/opinion", case.id), &[("summary", &over)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("at most 20,000 characters"));
}

#[sqlx::test]
async fn other_long_forms_fit_their_route_limits(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let draft = draft_case(&app, &child).await;
    let summary = widest(4000);
    let res = app
        .post_form(
            &format!("/family/cases/{draft}/details"),
            &[
                ("contact_email", "mila.parent@example.test"),
                // A phone is digits with their country code: as long as one is dialled.
                ("contact_phone", "+52 (33) 1234-5678"),
                ("diagnosis_summary", &summary),
                ("treatment_summary", &summary),
                ("treating_physician", &widest(200)),
                ("treating_clinic", &widest(200)),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "details saved, not 413");

    let clinician = app.create_user(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let follow_up: uuid::Uuid = sqlx::query_scalar(
        "insert into follow_up_questions (case_id, position, question_id, body, asked_at) values ($1, 1, $2, 'What?', now()) returning id",
    )
    .bind(case.case_id.0)
    .bind(case.questions[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    let doctor = app.signed_in_as(&clinician).await;
    let res = doctor
        .post_form(
            &format!("/clinician/cases/{}/follow-ups/{follow_up}/answer", case.id),
            &[("answer", &widest(10_000))],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from follow_up_questions where char_length(answer) = 10000").await, 1);

    // Small forms keep their small limit.
    let huge = "x".repeat(1024 * 1024);
    let res = app.post_form("/family/cases/new", &[("child_id", &huge)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text(res).await.contains("Too much data"), "our page, not a bare refusal");
}

#[sqlx::test]
async fn an_upload_over_the_body_limit_gets_the_pages_own_message(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source: uuid::Uuid = sqlx::query_scalar("select id from record_sources where case_id = $1 limit 1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = app.csrf_token().await;
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(27 * 1024 * 1024, b'x');
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("scan.pdf"));
    let res = app
        .client
        .post(app.url(&format!("/coordinator/cases/{}/sources/{source}/documents", case.id)))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the page's own refusal, not a bare 413");
    let page = text(app.get(&location(&res)).await).await;
    assert!(page.contains("Files can be at most 25 MB"));
    assert_eq!(app.count("select count(*) from documents").await, 0);
    assert_eq!(app.stored_files(), 0);
}

async fn denials(app: &TestApp, user: &TestUser) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = 'access_denied' and actor_user_id = $1")
        .bind(user.id.0)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Asserts that `request` is answered 404 with one more `access_denied` row for `user`.
async fn denied(app: &TestApp, user: &TestUser, request: impl Future<Output = reqwest::Response>, what: &str) {
    let before = denials(app, user).await;
    let res = request.await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "{what}");
    assert_eq!(denials(app, user).await, before + 1, "{what}: one audit row");
}

#[sqlx::test]
async fn an_id_from_another_case_in_the_url_is_not_found_and_audited(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let clinician = app.create_user(Role::Clinician).await;
    let mine = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let theirs = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let their_draft_source: uuid::Uuid = sqlx::query_scalar("select id from record_sources where case_id = $1 limit 1")
        .bind(theirs.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let collecting = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let their_fee: uuid::Uuid = sqlx::query_scalar(
        "insert into fee_requests (case_id, kind, amount_cents, reason, requested_by, created_at) values ($1, 'imaging', 15000, 'Re-read', $2, now()) returning id",
    )
    .bind(theirs.case_id.0)
    .bind(clinician.id.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let their_referral: uuid::Uuid =
        sqlx::query_scalar("insert into referral_requests (case_id, note) values ($1, 'Please') returning id")
            .bind(theirs.case_id.0)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let their_follow_up: uuid::Uuid = sqlx::query_scalar(
        "insert into follow_up_questions (case_id, position, question_id, body, asked_at) values ($1, 1, $2, 'What?', now()) returning id",
    )
    .bind(theirs.case_id.0)
    .bind(theirs.questions[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    let their_question = theirs.questions[0];

    // The family, on its own case.
    let family = app.signed_in_as(&mine.family).await;
    let m = &mine.id;
    for (path, fields, what) in [
        (format!("/family/cases/{m}/records/{their_draft_source}/delete"), vec![], "record source"),
        (format!("/family/cases/{m}/fees/{their_fee}/decline"), vec![], "fee decline"),
        (format!("/family/cases/{m}/fees/{their_fee}/pay"), vec![("card_id", "pm_card_visa")], "fee pay"),
        (format!("/family/cases/{m}/questions/{their_question}"), vec![("body", "Mine now?")], "question edit"),
        (format!("/family/cases/{m}/questions/{their_question}/delete"), vec![], "question delete"),
        (format!("/family/cases/{m}/questions/{their_question}/move"), vec![("direction", "up")], "question move"),
    ] {
        denied(&app, &mine.family, family.post_form(&path, &fields), what).await;
    }
    denied(&app, &mine.family, family.get(&format!("/family/cases/{m}/fees/{their_fee}/pay")), "fee page").await;

    // The clinician of both cases, with one case's id and the other's thing.
    let doctor = app.signed_in_as(&clinician).await;
    for (path, fields, what) in [
        (format!("/clinician/cases/{m}/referrals/{their_referral}"), vec![("status", "not_needed")], "referral"),
        (format!("/clinician/cases/{m}/follow-ups/{their_follow_up}/answer"), vec![("answer", "Yes.")], "answer"),
        (format!("/clinician/cases/{m}/follow-ups/{their_follow_up}/escalate"), vec![], "escalate"),
    ] {
        denied(&app, &clinician, doctor.post_form(&path, &fields), what).await;
    }

    // A coordinator sees every case, but still not one case's fee through another.
    let coordinator = app.create_user(Role::Coordinator).await;
    let staff = app.signed_in_as(&coordinator).await;
    let o = &collecting.id;
    for (path, fields, what) in [
        (format!("/coordinator/cases/{o}/fees/{their_fee}/waive"), vec![], "waive"),
        (
            format!("/coordinator/cases/{o}/sources/{their_draft_source}/status"),
            vec![("status", "requested")],
            "status",
        ),
    ] {
        denied(&app, &coordinator, staff.post_form(&path, &fields), what).await;
    }
    let unchanged: String = sqlx::query_scalar("select status::text from fee_requests where id = $1")
        .bind(their_fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(unchanged, "requested");
    assert_eq!(app.count("select count(*) from record_sources").await, 6, "nothing deleted");
}
