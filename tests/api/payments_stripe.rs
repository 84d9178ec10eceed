//! Paying through Stripe, against localstripe (a stateful fake Stripe that
//! our code talks to exactly as to Stripe), and the signed webhook.

use crate::helpers::*;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::PgPool;

/// A submitted-for-payment draft: returns (case id, PaymentIntent id).
async fn case_awaiting_payment(app: &TestApp) -> (String, String) {
    let (_, child) = family_with_child(app).await;
    let case = draft_case(app, &child).await;
    add_questions(app, &case, 2).await;
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/pay"));
    let pi: String = sqlx::query_scalar("select provider_payment_id from payments where status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(pi.starts_with("pi_"), "{pi}");
    (case, pi)
}

/// Tokenises a card at localstripe as Stripe.js does in the browser; returns `card_…`.
async fn card(number: &str) -> String {
    let res: Value = reqwest::Client::new()
        .post(format!("{}/v1/tokens", stripe_base()))
        .form(&[
            ("card[number]", number),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2030"),
            ("card[cvc]", "123"),
            ("key", STRIPE_PUBLISHABLE),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["card"]["id"].as_str().unwrap().to_owned()
}

async fn stripe_get(path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", stripe_base()))
        .bearer_auth(STRIPE_SECRET)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn stripe_post(path: &str, form: &[(&str, &str)]) -> Value {
    reqwest::Client::new()
        .post(format!("{}{path}", stripe_base()))
        .bearer_auth(STRIPE_SECRET)
        .form(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A `payment_intent.succeeded` event around `intent`, signed with the
/// webhook secret at time `t` (Stripe's scheme: HMAC-SHA256 of "t.body").
fn signed_event(event_id: &str, intent: &Value, secret: &str, t: i64) -> (String, String) {
    signed("payment_intent.succeeded", event_id, intent, secret, t)
}

/// Any event of `kind` around `object`, signed as Stripe signs.
fn signed(kind: &str, event_id: &str, object: &Value, secret: &str, t: i64) -> (String, String) {
    let body = json!({
        "id": event_id, "object": "event", "type": kind, "created": t,
        "livemode": false, "api_version": "2026-09-30.endive", "data": { "object": object }
    })
    .to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    (body, format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes())))
}

async fn deliver(app: &TestApp, body: &str, signature: &str) -> reqwest::Response {
    app.client
        .post(app.url("/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

fn now(app: &TestApp) -> i64 {
    use second_opinion::clock::Clock;
    app.clock.now().as_second()
}

async fn submitted_events(app: &TestApp) -> i64 {
    app.count("select count(*) from case_events where to_status = 'submitted'").await
}

#[sqlx::test]
async fn paying_on_our_page_submits_the_case_once_even_when_the_webhook_follows_twice(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    let page = app.page(&format!("/family/cases/{case}/pay")).await;
    assert!(
        page.contains("js.stripe.com/v3/") && page.contains(STRIPE_PUBLISHABLE),
        "Stripe.js from the configured URL"
    );

    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(status_of(&app, &case).await, "submitted");
    let intent = stripe_get(&format!("/v1/payment_intents/{pi}")).await;
    assert_eq!(intent["status"], "succeeded");
    assert_eq!(intent["amount"], 90_000);
    assert_eq!(intent["metadata"]["case_id"], case.as_str(), "the case id is all Stripe learns");

    for _ in 0..2 {
        let (body, signature) = signed_event("evt_after_return", &intent, WEBHOOK_SECRET, now(&app));
        assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    }
    assert_eq!(submitted_events(&app).await, 1);
    assert_eq!(app.count("select count(*) from stripe_events where id = 'evt_after_return'").await, 1);
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'payment_received'").await, 1);
    // The receipt names the card as Stripe knows it.
    let payment: uuid::Uuid =
        sqlx::query_scalar("select id from payments where status = 'succeeded'").fetch_one(&app.db).await.unwrap();
    assert!(app.page(&format!("/family/payments/{payment}/receipt")).await.contains("Visa ending in 4242"));
}

#[sqlx::test]
async fn the_webhook_can_arrive_before_the_family_returns(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    // Stripe.js confirms in the browser; the family's tab then closes.
    stripe_post(&format!("/v1/payment_intents/{pi}"), &[("payment_method", &card("4242424242424242").await)]).await;
    let intent = stripe_post(&format!("/v1/payment_intents/{pi}/confirm"), &[]).await;
    assert_eq!(intent["status"], "succeeded");

    let (body, signature) = signed_event("evt_first", &intent, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &case).await, "submitted");

    // Coming back to the payment page finds it done and changes nothing.
    let res = app.get(&format!("/family/cases/{case}/pay")).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(submitted_events(&app).await, 1);
    assert_eq!(app.count("select count(*) from payments where status = 'succeeded'").await, 1);
}

#[sqlx::test]
async fn returning_first_then_the_webhook_also_fulfils_once(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    stripe_post(&format!("/v1/payment_intents/{pi}"), &[("payment_method", &card("4242424242424242").await)]).await;
    let intent = stripe_post(&format!("/v1/payment_intents/{pi}/confirm"), &[]).await;
    // The return page asks Stripe itself (the query string is never trusted).
    let res = app.get(&format!("/family/cases/{case}/pay?payment_intent={pi}&redirect_status=failed")).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    let (body, signature) = signed_event("evt_second", &intent, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    assert_eq!(submitted_events(&app).await, 1);
    let outcome: String = sqlx::query_scalar("select outcome from stripe_events where id = 'evt_second'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(outcome, "already fulfilled");
}

#[sqlx::test]
async fn a_declined_card_keeps_the_draft_with_stripes_message(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, _) = case_awaiting_payment(&app).await;
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4000000000000341").await)]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    let body = text(res).await;
    assert!(body.contains("Your card was declined.") && body.contains("You have not been charged"));
    assert_eq!(status_of(&app, &case).await, "draft");
    // A fresh attempt is ready for another card, and it works.
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(status_of(&app, &case).await, "submitted");
    let statuses: Vec<String> =
        sqlx::query_scalar("select status::text from payments order by attempt").fetch_all(&app.db).await.unwrap();
    assert_eq!(statuses, ["failed", "succeeded"]);
}

#[sqlx::test]
async fn forged_stale_or_mismatched_webhooks_change_nothing(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    stripe_post(&format!("/v1/payment_intents/{pi}"), &[("payment_method", &card("4242424242424242").await)]).await;
    let intent = stripe_post(&format!("/v1/payment_intents/{pi}/confirm"), &[]).await;

    let (body, _) = signed_event("evt_forged", &intent, "whsec_someone_else", now(&app));
    let (_, wrong_signature) = signed_event("evt_forged", &intent, "whsec_someone_else", now(&app));
    assert_eq!(deliver(&app, &body, &wrong_signature).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(deliver(&app, &body, "").await.status(), StatusCode::BAD_REQUEST);
    let (body, signature) = signed_event("evt_stale", &intent, WEBHOOK_SECRET, now(&app) - 301);
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::BAD_REQUEST);
    let (body, signature) = signed_event("evt_tampered", &intent, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body.replace("90000", "100"), &signature).await.status(), StatusCode::BAD_REQUEST);

    // Correctly signed, but not what we asked for: recorded, not paid.
    let mut cheap = intent.clone();
    cheap["amount"] = json!(1000);
    let (body, signature) = signed_event("evt_cheap", &cheap, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    let mut stranger = intent.clone();
    stranger["id"] = json!("pi_not_ours");
    let (body, signature) = signed_event("evt_stranger", &stranger, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);

    assert_eq!(status_of(&app, &case).await, "draft");
    assert_eq!(app.count("select count(*) from payments where status = 'succeeded'").await, 0);
    assert_eq!(app.count("select count(*) from stripe_events where outcome like 'anomaly%'").await, 2);
    assert_eq!(app.audit_count("payment_anomaly", "failure").await, 2);
    assert_eq!(
        app.count("select count(*) from stripe_events where id in ('evt_forged', 'evt_stale', 'evt_tampered')").await,
        0
    );
}

#[sqlx::test]
async fn cancelling_a_paid_case_refunds_once_through_stripe(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    move_case(&app, &case, &["collecting_records"]).await;

    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(
        app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await.status(),
        StatusCode::CONFLICT
    );

    let refunds = stripe_get(&format!("/v1/refunds?payment_intent={pi}")).await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1, "one refund at Stripe");
    let refund_id: String = sqlx::query_scalar(
        "select r.provider_refund_id from refunds r join payments p on p.id = r.payment_id where p.status = 'refunded'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(refunds["data"][0]["id"], refund_id.as_str());
    assert_eq!(status_of(&app, &case).await, "cancelled");
}

#[sqlx::test]
async fn an_additional_fee_is_paid_through_stripe_exactly_once(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db.clone()).await;
    let (case, _) = case_awaiting_payment(&app).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    move_case(&app, &case, &["collecting_records"]).await;
    let coordinator = TestApp::spawn_with_stripe(db).await;
    coordinator.login_as(second_opinion::domain::Role::Coordinator).await;
    coordinator
        .post_form(
            &format!("/coordinator/cases/{case}/fees"),
            &[("kind", "pathology"), ("amount", "350"), ("reason", "Re-read the biopsy")],
        )
        .await;
    let fee: uuid::Uuid = sqlx::query_scalar("select id from fee_requests").fetch_one(&app.db).await.unwrap();

    app.page(&format!("/family/cases/{case}/fees/{fee}/pay")).await;
    let res = app
        .post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("card_id", &card("4242424242424242").await)])
        .await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    let pi: String = sqlx::query_scalar("select provider_payment_id from payments where fee_request_id = $1")
        .bind(fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let intent = stripe_get(&format!("/v1/payment_intents/{pi}")).await;
    assert_eq!(
        (intent["amount"].as_i64(), intent["metadata"]["purpose"].as_str()),
        (Some(35_000), Some("additional_fee"))
    );
    for _ in 0..2 {
        let (body, signature) = signed_event("evt_fee", &intent, WEBHOOK_SECRET, now(&app));
        assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    }
    assert_eq!(
        app.count("select count(*) from payments where purpose = 'additional_fee' and status = 'succeeded'").await,
        1
    );
    let status: String = sqlx::query_scalar("select status::text from fee_requests").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "paid");
    assert_eq!(status_of(&app, &case).await, "collecting_records", "a fee does not move the case");
}

/// What the database says about a case's money: (status, fulfilled) per payment, oldest first.
async fn payments_of(app: &TestApp, case: &str) -> Vec<(String, bool)> {
    sqlx::query_as("select status::text, fulfilled from payments where case_id = $1::uuid order by created_at, attempt")
        .bind(case)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

async fn refunds_at_stripe(pi: &str) -> usize {
    stripe_get(&format!("/v1/refunds?payment_intent={pi}")).await["data"].as_array().unwrap().len()
}

/// The family's card fails its bank's 3-D Secure check: our attempt is
/// declined (and the next opened), while the intent at Stripe can still be
/// paid with another card behind our back.
async fn decline_by_failed_check(app: &TestApp, case: &str, pi: &str) {
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4000002500003155").await)]).await;
    authenticate(pi, &text(res).await, false).await;
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("authenticated", "1")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
}

/// Passes (or fails) the bank's 3-D Secure check for the intent whose client
/// secret the card page carries, as Stripe.js does in the browser.
async fn authenticate(pi: &str, page: &str, success: bool) {
    let secret = page.split("data-client-secret=\"").nth(1).expect("a 3-D Secure page").split('"').next().unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/v1/payment_intents/{pi}/_authenticate", stripe_base()))
        .form(&[
            ("key", STRIPE_PUBLISHABLE),
            ("client_secret", secret),
            ("success", if success { "true" } else { "false" }),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
}

/// Confirms an intent at Stripe behind our back, as a browser or the bank would.
async fn charge_at_stripe(pi: &str) -> Value {
    stripe_post(&format!("/v1/payment_intents/{pi}"), &[("payment_method", &card("4242424242424242").await)]).await;
    stripe_post(&format!("/v1/payment_intents/{pi}/confirm"), &[]).await
}

#[sqlx::test]
async fn a_late_success_after_a_decline_is_an_anomaly_refunded_once(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, first_pi) = case_awaiting_payment(&app).await;
    // The first attempt is declined: it closes, the next opens.
    decline_by_failed_check(&app, &case, &first_pi).await;
    // Yet Stripe ends up charging the first intent (a retry in another tab, a bank's late answer)…
    let late = charge_at_stripe(&first_pi).await;
    assert_eq!(late["status"], "succeeded");
    // …while the family pays again with another card.
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(status_of(&app, &case).await, "submitted");

    // Stripe reports the first intent's success, twice, under two event ids.
    for event in ["evt_late", "evt_late", "evt_late_again"] {
        let (body, signature) = signed_event(event, &late, WEBHOOK_SECRET, now(&app));
        assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    }
    assert_eq!(payments_of(&app, &case).await, [("refunded".to_owned(), false), ("succeeded".to_owned(), true)]);
    assert_eq!(refunds_at_stripe(&first_pi).await, 1, "one refund, however often it is reported");
    assert_eq!(app.count("select count(*) from payment_anomalies where kind = 'late_success'").await, 1);
    assert_eq!(app.audit_count("payment_anomaly", "failure").await, 1);
    assert_eq!(submitted_events(&app).await, 1);
    // The admin sees it.
    let admin = TestApp::spawn(app.db.clone()).await;
    admin.login_as(Role::Admin).await;
    let page = text(admin.get("/admin/payments").await).await;
    assert!(page.contains("Success reported for a closed attempt") && page.contains("refund asked for"), "{page}");
}

#[sqlx::test]
async fn a_late_success_while_the_case_is_still_a_draft_submits_it(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, first_pi) = case_awaiting_payment(&app).await;
    decline_by_failed_check(&app, &case, &first_pi).await;
    let late = charge_at_stripe(&first_pi).await;
    let (body, signature) = signed_event("evt_late_open", &late, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    // The family paid after all: the case is submitted, nothing refunded, the
    // attempt opened after the decline is closed.
    assert_eq!(status_of(&app, &case).await, "submitted");
    assert_eq!(payments_of(&app, &case).await, [("succeeded".to_owned(), true), ("cancelled".to_owned(), false)]);
    assert_eq!(refunds_at_stripe(&first_pi).await, 0);
    assert_eq!(app.count("select count(*) from payment_anomalies where kind = 'late_success'").await, 1);
}

/// A case past payment with a coordinator's fee request: (case id, case fee PI, fee id).
async fn case_with_fee(app: &TestApp) -> (String, String, uuid::Uuid, TestApp) {
    let (case, pi) = case_awaiting_payment(app).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    move_case(app, &case, &["collecting_records"]).await;
    let coordinator = TestApp::spawn_with_stripe(app.db.clone()).await;
    coordinator.login_as(Role::Coordinator).await;
    coordinator
        .post_form(
            &format!("/coordinator/cases/{case}/fees"),
            &[("kind", "pathology"), ("amount", "350"), ("reason", "Re-read the biopsy")],
        )
        .await;
    let fee: uuid::Uuid = sqlx::query_scalar("select id from fee_requests").fetch_one(&app.db).await.unwrap();
    (case, pi, fee, coordinator)
}

#[sqlx::test]
async fn the_fee_page_changes_nothing_until_the_family_pays(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, _, fee, _) = case_with_fee(&app).await;
    let before = app.count("select count(*) from payments").await;
    let page = app.page(&format!("/family/cases/{case}/fees/{fee}/pay")).await;
    assert!(page.contains("Pay $350") && page.contains("Re-read the biopsy"));
    assert_eq!(app.count("select count(*) from payments").await, before, "a GET opens no attempt");
}

#[sqlx::test]
async fn cancelling_refunds_the_case_fee_and_a_paid_fee_once_and_withdraws_the_rest(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, case_pi, fee, coordinator) = case_with_fee(&app).await;
    app.post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("card_id", &card("4242424242424242").await)])
        .await;
    let fee_pi: String = sqlx::query_scalar("select provider_payment_id from payments where fee_request_id = $1")
        .bind(fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    // A second fee is asked for but not paid.
    coordinator
        .post_form(
            &format!("/coordinator/cases/{case}/fees"),
            &[("kind", "imaging"), ("amount", "200"), ("reason", "Second look at the MRI")],
        )
        .await;
    let open_fee: uuid::Uuid =
        sqlx::query_scalar("select id from fee_requests where kind = 'imaging'").fetch_one(&app.db).await.unwrap();

    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    assert!(text(app.get("/family").await).await.contains("has been refunded"));
    assert_eq!(
        app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await.status(),
        StatusCode::CONFLICT
    );

    assert_eq!((refunds_at_stripe(&case_pi).await, refunds_at_stripe(&fee_pi).await), (1, 1));
    assert_eq!(app.count("select count(*) from refunds where status = 'succeeded'").await, 2);
    assert_eq!(app.count("select count(*) from payments where status = 'refunded'").await, 2);
    let withdrawn: String = sqlx::query_scalar("select status::text from fee_requests where id = $1")
        .bind(open_fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(withdrawn, "withdrawn");
    // A withdrawn fee can't be paid.
    let res = app
        .post_form(
            &format!("/family/cases/{case}/fees/{open_fee}/pay"),
            &[("card_id", &card("4242424242424242").await)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The receipts show the refunds.
    let receipt: uuid::Uuid = sqlx::query_scalar("select id from payments where provider_payment_id = $1")
        .bind(&case_pi)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(app.page(&format!("/family/payments/{receipt}/receipt")).await.contains("Refunded in full ($900)"));
}

#[sqlx::test]
async fn cancelling_or_declining_cancels_the_open_intent_at_stripe(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(stripe_get(&format!("/v1/payment_intents/{pi}")).await["status"], "canceled");
    assert_eq!(payments_of(&app, &case).await, [("cancelled".to_owned(), false)]);
    // A success Stripe reports for it anyway is refunded.
    let (case2, pi2) = case_awaiting_payment(&app).await;
    let late = charge_at_stripe(&pi2).await;
    app.post_form(&format!("/family/cases/{case2}/cancel"), &[("confirmed", "yes")]).await;
    let (body, signature) = signed_event("evt_after_cancel", &late, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    assert_eq!(refunds_at_stripe(&pi2).await, 1);
    assert_eq!(status_of(&app, &case2).await, "cancelled");
}

#[sqlx::test]
async fn a_declined_fee_closes_its_open_attempt_and_its_intent(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, _, fee, _) = case_with_fee(&app).await;
    // A card that needs 3-D Secure leaves the attempt open with its intent.
    let res = app
        .post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("card_id", &card("4000002500003155").await)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(text(res).await.contains("data-client-secret="));
    let pi: String = sqlx::query_scalar("select provider_payment_id from payments where fee_request_id = $1")
        .bind(fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res = app.post_form(&format!("/family/cases/{case}/fees/{fee}/decline"), &[]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(stripe_get(&format!("/v1/payment_intents/{pi}")).await["status"], "canceled");
    let status: String = sqlx::query_scalar("select status::text from payments where fee_request_id = $1")
        .bind(fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

#[sqlx::test]
async fn three_d_secure_completes_in_the_browser_and_the_server_asks_stripe(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4000002500003155").await)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(page.contains("Your bank asks you to confirm this payment"));
    assert_eq!(status_of(&app, &case).await, "draft");
    // Stripe.js runs the bank's check (localstripe's stand-in for it), then the form comes back.
    authenticate(&pi, &page, true).await;
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("authenticated", "1")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    assert_eq!(status_of(&app, &case).await, "submitted");
}

#[sqlx::test]
async fn a_failed_three_d_secure_check_is_a_decline_with_the_next_attempt_open(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    let res =
        app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4000002500003155").await)]).await;
    authenticate(&pi, &text(res).await, false).await;
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("authenticated", "1")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    assert!(text(res).await.contains("failed authentication"));
    assert_eq!(payments_of(&app, &case).await, [("failed".to_owned(), false), ("pending".to_owned(), false)]);
}

#[sqlx::test]
async fn without_stripe_keys_a_stripe_refund_is_left_for_stripe_and_recorded_by_hand(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db.clone()).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    move_case(&app, &case, &["collecting_records"]).await;
    // The same database, served without Stripe keys.
    let keyless = TestApp::spawn(db).await;
    keyless.login_as(Role::Coordinator).await;
    let version: i32 = sqlx::query_scalar("select version from cases where id = $1::uuid")
        .bind(&case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res = keyless
        .post_form(
            &format!("/coordinator/cases/{case}/cancel"),
            &[("version", &version.to_string()), ("confirmed", "yes")],
        )
        .await;
    let to = location(&res);
    assert!(text(keyless.get(&to).await).await.contains("must be made in Stripe"));
    assert_eq!(refunds_at_stripe(&pi).await, 0, "no refund was pretended");
    assert_eq!(payments_of(&app, &case).await, [("succeeded".to_owned(), true)]);
    let admin = TestApp::spawn(keyless.db.clone()).await;
    admin.login_as(Role::Admin).await;
    assert!(text(admin.get("/admin/payments").await).await.contains("this server has no Stripe keys"));
    let refund: uuid::Uuid = sqlx::query_scalar("select id from refunds").fetch_one(&app.db).await.unwrap();
    let res = admin
        .post_form(&format!("/admin/payments/refunds/{refund}/made"), &[("provider_refund_id", "re_by_hand")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(payments_of(&app, &case).await, [("refunded".to_owned(), true)]);
    assert_eq!(app.audit_count("refund_recorded_by_hand", "success").await, 1);
}

#[sqlx::test]
async fn refunds_made_or_failed_at_stripe_are_read_from_its_webhooks(db: PgPool) {
    let app = TestApp::spawn_with_stripe(db).await;
    let (case, pi) = case_awaiting_payment(&app).await;
    app.post_form(&format!("/family/cases/{case}/pay"), &[("card_id", &card("4242424242424242").await)]).await;
    // Someone refunds it in Stripe's dashboard: charge.refunded tells us.
    let charge = json!({ "id": "ch_x", "object": "charge", "payment_intent": pi, "amount": 90000,
                         "amount_refunded": 90000, "refunds": { "data": [{ "id": "re_dashboard" }] } });
    let (body, signature) = signed("charge.refunded", "evt_refunded", &charge, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    assert_eq!(payments_of(&app, &case).await, [("refunded".to_owned(), true)]);
    // Then Stripe says that refund failed: the payment stands, an admin is told.
    let refund = json!({ "id": "re_dashboard", "object": "refund", "status": "failed", "failure_reason": "expired_or_canceled_card" });
    let (body, signature) = signed("refund.failed", "evt_refund_failed", &refund, WEBHOOK_SECRET, now(&app));
    assert_eq!(deliver(&app, &body, &signature).await.status(), StatusCode::OK);
    assert_eq!(payments_of(&app, &case).await, [("succeeded".to_owned(), true)]);
    assert_eq!(app.count("select count(*) from payment_anomalies where kind = 'refund_failed'").await, 1);
}

#[sqlx::test]
async fn a_test_gateway_decline_of_a_fee_closes_that_attempt(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let coordinator = TestApp::spawn(app.db.clone()).await;
    coordinator.login_as(Role::Coordinator).await;
    coordinator
        .post_form(
            &format!("/coordinator/cases/{}/fees", case.id),
            &[("kind", "imaging"), ("amount", "100"), ("reason", "MRI")],
        )
        .await;
    let fee: uuid::Uuid = sqlx::query_scalar("select id from fee_requests").fetch_one(&app.db).await.unwrap();
    let family = app.signed_in_as(&case.family).await;
    let res = family.post_form(&format!("/family/cases/{}/fees/{fee}/pay", case.id), &[("outcome", "decline")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    let statuses: Vec<String> =
        sqlx::query_scalar("select status::text from payments where fee_request_id = $1 order by attempt")
            .bind(fee)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(statuses, ["failed", "pending"]);
}
