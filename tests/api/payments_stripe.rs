//! Paying through Stripe, against localstripe (a stateful fake Stripe that
//! our code talks to exactly as to Stripe), and the signed webhook.

use crate::family_cases::{CONSENTS, add_questions, draft_case, family_with_child, move_case, status_of};
use crate::helpers::*;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
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
    let body = json!({
        "id": event_id, "object": "event", "type": "payment_intent.succeeded", "created": t,
        "livemode": false, "api_version": "2026-09-30.endive", "data": { "object": intent }
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
    app.clock.now().unix_timestamp()
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

    let res = app.post_form(&format!("/family/cases/{case}/cancel"), &[]).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(app.post_form(&format!("/family/cases/{case}/cancel"), &[]).await.status(), StatusCode::CONFLICT);

    let refunds = stripe_get(&format!("/v1/refunds?payment_intent={pi}")).await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1, "one refund at Stripe");
    let refund_id: String = sqlx::query_scalar("select refund_id from payments where status = 'refunded'")
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
    let pi: String = sqlx::query_scalar("select provider_payment_id from payments where fee_request_id = $1")
        .bind(fee)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res = app
        .post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("card_id", &card("4242424242424242").await)])
        .await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
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
    let status: String = sqlx::query_scalar("select status from fee_requests").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "paid");
    assert_eq!(status_of(&app, &case).await, "collecting_records", "a fee does not move the case");
}
