//! The family's journey with the local test gateway: children, the wizard,
//! the database's refusals, paying, cancelling, follow-on cases, and access.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseId, Role};
use sqlx::PgPool;

#[sqlx::test]
async fn a_child_needs_a_real_date_of_birth_and_the_form_keeps_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Family).await;
    for (dob, message) in
        [("2099-01-01", "can't be in the future"), ("1990-01-01", "under 21"), ("2016-02-31", "real date")]
    {
        let res = app
            .post_form(
                "/family/children/new",
                &[("first_name", "Zoë"), ("last_name", "سارة"), ("date_of_birth", dob), ("sex", "female")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = text(res).await;
        assert!(body.contains(message), "{message}");
        assert!(body.contains("value=\"Zoë\"") && body.contains("value=\"سارة\""), "names kept");
    }
    assert_eq!(app.count("select count(*) from children").await, 0);
}

#[sqlx::test]
async fn a_family_builds_a_case_pays_and_sees_it_submitted(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;

    // A non-English source is flagged and the guidance shown.
    app.post_form(
        &format!("/family/cases/{case}/records"),
        &with_release(&[
            ("facility", "Hospital Central"),
            ("records_description", "MRI report"),
            ("language", "Spanish"),
        ]),
    )
    .await;
    let records = app.page(&format!("/family/cases/{case}/records")).await;
    assert!(records.contains("Records must be in English") && records.contains("translation required"));

    add_questions(&app, &case, 5).await;
    assert!(app.page(&format!("/family/cases/{case}/questions")).await.contains("5 of 5"));

    // A sixth is refused by the database, explained, and the text kept.
    let sixth = "What about the sixth thing I forgot?";
    let res = app.post_form(&format!("/family/cases/{case}/questions"), &[("body", sixth)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("at most 5 questions") && body.contains(sixth));
    assert_eq!(app.count("select count(*) from case_questions").await, 5);

    // Submitting without the consents is refused, field by field.
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Confirm that this is not a medical emergency"));
    assert_eq!(app.count("select count(*) from payments").await, 0);

    // A tampered price in the form is ignored.
    let mut fields = CONSENTS.to_vec();
    fields.push(("amount", "100"));
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &fields).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/pay"));
    assert!(app.page(&format!("/family/cases/{case}/pay")).await.contains("TEST MODE"));

    // A declined card keeps the draft, with the reason.
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "decline")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    assert!(text(res).await.contains("declined"));
    assert_eq!(status_of(&app, &case).await, "draft");

    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve"), ("amount_cents", "1")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(status_of(&app, &case).await, "submitted");
    let due: Option<jiff_sqlx::Timestamp> =
        sqlx::query_scalar("select due_at from cases").fetch_one(&app.db).await.unwrap();
    assert!(due.is_some(), "a submitted case is due to be taken");
    let amount: i64 = sqlx::query_scalar("select amount_cents from payments where status = 'succeeded'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(amount, 90_000);

    let page = app.page(&format!("/family/cases/{case}")).await;
    assert!(page.contains("Payment received"));
    assert!(page.contains("The case was submitted and the fee was paid."));
    assert!(page.contains("Records: 0 of 2 complete"));
    let receipt = page.split("/family/payments/").nth(1).unwrap().split('"').next().unwrap();
    let receipt = app.page(&format!("/family/payments/{receipt}")).await;
    assert!(receipt.contains("$900") && receipt.contains("HSA"));
    assert!(!receipt.contains("Crohn"), "no diagnosis on a receipt");

    // Paying again does nothing: the case is no longer a draft.
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(app.count("select count(*) from payments where status = 'succeeded'").await, 1);
    assert_eq!(app.count("select count(*) from case_events where to_status = 'submitted'").await, 1);

    let bodies: Vec<String> =
        sqlx::query_scalar("select body_text || body_html from email_outbox").fetch_all(&app.db).await.unwrap();
    assert!(bodies.iter().all(|b| !b.contains("Mila") && !b.contains("Crohn")), "emails carry no health information");
}

#[sqlx::test]
async fn empty_and_oversize_questions_are_refused_counting_characters(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let path = format!("/family/cases/{case}/questions");
    let res = app.post_form(&path, &[("body", " \n\t "), ("action", "add")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("can't be empty"));
    let res = app.post_form(&path, &[("body", &"é".repeat(2001))]).await;
    assert!(text(res).await.contains("at most 2,000 characters"));
    assert_eq!(app.post_form(&path, &[("body", &"😀".repeat(2000))]).await.status(), StatusCode::SEE_OTHER);

    // Nothing to submit without questions.
    app.post_form(&format!("/family/cases/{case}/questions/{}/delete", question_id(&app, &case, 1).await), &[]).await;
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    assert!(text(res).await.contains("at least one question"));
}

async fn question_id(app: &TestApp, case: &str, position: i16) -> uuid::Uuid {
    sqlx::query_scalar("select id from case_questions where case_id = $1::uuid and position = $2")
        .bind(case)
        .bind(position)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn questions_can_be_edited_reordered_and_removed_until_review(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 3).await;
    let (first, third) = (question_id(&app, &case, 1).await, question_id(&app, &case, 3).await);
    app.post_form(&format!("/family/cases/{case}/questions/{third}/move"), &[("direction", "up")]).await;
    assert_eq!(question_id(&app, &case, 2).await, third);
    let first_box = format!("q_{first}");
    app.post_form(&format!("/family/cases/{case}/questions"), &[(&first_box, "Is surgery needed now?")]).await;
    app.post_form(&format!("/family/cases/{case}/questions/{third}/delete"), &[]).await;
    let bodies: Vec<(i16, String)> =
        sqlx::query_as("select position, body from case_questions order by position").fetch_all(&app.db).await.unwrap();
    assert_eq!(bodies, [(1, "Is surgery needed now?".to_owned()), (2, "Question number 2?".to_owned())]);

    move_case(&app, &case, &["submitted", "collecting_records", "ready_for_review", "in_review"]).await;
    let res = app.post_form(&format!("/family/cases/{case}/questions"), &[(&first_box, "A late change")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(
        body.contains("can't be changed once the specialist's review has started") && body.contains("A late change")
    );
    let res = app
        .post_form(
            &format!("/family/cases/{case}/records"),
            &with_release(&[("facility", "Late clinic"), ("records_description", "x"), ("language", "English")]),
        )
        .await;
    assert!(text(res).await.contains("Records can't be added"));
    assert_eq!(app.count("select count(*) from record_sources").await, 1);
    let question: String =
        sqlx::query_scalar("select body from case_questions where position = 1").fetch_one(&app.db).await.unwrap();
    assert_eq!(question, "Is surgery needed now?");
}

#[sqlx::test]
async fn the_database_itself_refuses_what_the_rules_forbid(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let constraint = |e: sqlx::Error| e.as_database_error().and_then(|d| d.constraint().map(str::to_owned));

    let sixth = sqlx::query("insert into case_questions (case_id, position, body) values ($1::uuid, 6, 'x')")
        .bind(&case)
        .execute(&app.db)
        .await;
    assert_eq!(sixth.map_err(constraint).unwrap_err().as_deref(), Some("case_questions_max_five"));

    let skip = sqlx::query("update cases set status = 'in_review', consented_at = now() where id = $1::uuid")
        .bind(&case)
        .execute(&app.db)
        .await;
    assert_eq!(skip.map_err(constraint).unwrap_err().as_deref(), Some("cases_status_transition"));

    // (A submitted case needs a question: give it one, so this is about the event.)
    add_questions(&app, &case, 1).await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("update cases set status = 'submitted', consented_at = now() where id = $1::uuid")
        .bind(&case)
        .execute(&mut *tx)
        .await
        .unwrap();
    let silent = tx.commit().await;
    assert_eq!(
        silent.map_err(constraint).unwrap_err().as_deref(),
        Some("cases_status_event"),
        "no status change without its event"
    );

    add_questions(&app, &case, 1).await;
    move_case(&app, &case, &["submitted", "collecting_records", "ready_for_review", "in_review"]).await;
    let edit = sqlx::query("update case_questions set body = 'changed' where case_id = $1::uuid")
        .bind(&case)
        .execute(&app.db)
        .await;
    assert_eq!(edit.map_err(constraint).unwrap_err().as_deref(), Some("case_questions_frozen"));
    let source =
        sqlx::query("insert into record_sources (case_id, facility, records_description) values ($1::uuid, 'x', 'y')")
            .bind(&case)
            .execute(&app.db)
            .await;
    assert_eq!(source.map_err(constraint).unwrap_err().as_deref(), Some("record_sources_frozen"));
}

#[sqlx::test]
async fn cancelling_refunds_once_and_review_cannot_be_cancelled(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve")]).await;

    // The first press says what will happen, and changes nothing.
    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(text(res).await.contains("refunded to the card you paid with"));
    assert_eq!(status_of(&app, &case).await, "submitted");
    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(status_of(&app, &case).await, "cancelled");
    let refunds: i64 = app
        .count("select count(*) from payments p join refunds r on r.payment_id = p.id where p.status = 'refunded' and r.status = 'succeeded'")
        .await;
    assert_eq!(refunds, 1);
    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("select count(*) from payments where status = 'refunded'").await, 1);

    let other = draft_case(&app, &child).await;
    add_questions(&app, &other, 1).await;
    move_case(&app, &other, &["submitted", "collecting_records", "ready_for_review", "in_review"]).await;
    let res = app.post_form(&format!("/family/cases/{other}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(text(res).await.contains("can no longer be cancelled"));
}

#[sqlx::test]
async fn a_frozen_case_offers_a_linked_follow_on_case(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let specialist = app.create_user(Role::Specialist).await;
    app.post_form(&format!("/family/cases/{case}/specialist"), &[("specialist_id", &specialist.id.to_string())]).await;
    let res = app.post_form(&format!("/family/cases/{case}/follow-on"), &NOT_URGENT).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "not while the case can still take new information");

    add_questions(&app, &case, 1).await;
    move_case(&app, &case, &["submitted", "collecting_records", "ready_for_review", "in_review"]).await;
    assert!(app.page(&format!("/family/cases/{case}")).await.contains("Open a new case with the new information"));
    let res = app.post_form(&format!("/family/cases/{case}/follow-on"), &NOT_URGENT).await;
    assert!(location(&res).ends_with("/details"));
    let (previous, requested): (uuid::Uuid, uuid::Uuid) =
        sqlx::query_as("select previous_case_id, requested_specialist_id from cases where status = 'draft'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(previous.to_string(), case);
    assert_eq!(requested, specialist.id.0);
}

#[sqlx::test]
async fn another_familys_child_case_and_receipt_are_not_found_and_audited(db: PgPool) {
    let owner = TestApp::spawn(db.clone()).await;
    let (_, child) = family_with_child(&owner).await;
    let case = draft_case(&owner, &child).await;
    add_questions(&owner, &case, 1).await;
    owner.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    owner.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve")]).await;
    let payment: uuid::Uuid = sqlx::query_scalar("select id from payments").fetch_one(&owner.db).await.unwrap();

    let other = TestApp::spawn(db).await;
    let intruder = other.login_as(Role::Family).await;
    let gets = [
        format!("/family/children/{child}"),
        format!("/family/cases/{case}"),
        format!("/family/cases/{case}/questions"),
        format!("/family/cases/{case}/records"),
        format!("/family/cases/{case}/review"),
        format!("/family/cases/{case}/pay"),
        format!("/family/payments/{payment}/receipt"),
    ];
    for path in &gets {
        let res = other.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!text(res).await.contains("Okafor"));
    }
    let posts = [format!("/family/cases/{case}/questions"), format!("/family/cases/{case}/cancel")];
    for path in &posts {
        assert_eq!(other.post_form(path, &[("body", "sneaky")]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let res = other.post_form("/family/cases/new", &[("child_id", &child), NOT_URGENT[0], NOT_URGENT[1]]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "can't open a case for someone else's child");
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'access_denied' and actor_user_id = $1")
            .bind(intruder.id.0)
            .fetch_one(&other.db)
            .await
            .unwrap();
    assert_eq!(audited, (gets.len() + posts.len() + 1) as i64);
    assert_eq!(status_of(&owner, &case).await, "submitted");
    assert_eq!(owner.count("select count(*) from case_questions").await, 1);
    let _ = CaseId(uuid::Uuid::nil());
}

#[sqlx::test]
async fn double_submits_share_one_payment_attempt(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    let token = app.csrf_token().await;
    let mut fields: Vec<(&str, &str)> = CONSENTS.to_vec();
    fields.push(("csrf_token", &token));
    let path = format!("/family/cases/{case}/submit");
    let (a, b) = tokio::join!(app.post_raw(&path, &fields), app.post_raw(&path, &fields));
    assert_eq!(
        (location(&a), location(&b)),
        (format!("/family/cases/{case}/pay"), format!("/family/cases/{case}/pay"))
    );
    assert_eq!(app.count("select count(*) from payments").await, 1);
}
