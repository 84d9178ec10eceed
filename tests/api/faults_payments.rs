//! The fault suite, continued: SIGKILL in the middle of a burst of payments
//! and state changes, then a restart, with Stripe (localstripe) redelivering
//! every success until it is accepted. Nothing may be half written, lost or
//! paid twice.

use crate::helpers::{CONSENTS, PASSWORD, safety_screen, sign_release_in};
use crate::processes::{AppProcess, Browser, Cluster, Localstripe, Sink, add_user, eventually, free_port};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const STRIPE_SECRET: &str = "sk_test_fault_suite";
const STRIPE_PUBLISHABLE: &str = "pk_test_fault_suite";
const WEBHOOK_SECRET: &str = "whsec_fault_suite";

/// `n` families, each with a draft ready to pay (a question, a record source,
/// a confirmed email), straight into the database; returns (email, case id).
async fn drafts_ready_to_pay(db: &PgPool, n: usize) -> Vec<(String, uuid::Uuid)> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("payer-{i}@example.test");
        add_user(db, "family", &email).await;
        let mut tx = db.begin().await.unwrap();
        let family: uuid::Uuid =
            sqlx::query_scalar("select id from users where email = $1").bind(&email).fetch_one(&mut *tx).await.unwrap();
        let child: uuid::Uuid = sqlx::query_scalar(
            "with child as (insert into children (family_id, first_name, last_name, date_of_birth, sex)
                            values ($1, 'Mila', 'Okafor', '2015-01-01', 'female') returning id)
             insert into guardianships (child_id, user_id, relationship, confirmed_at)
             select id, $1, 'parent', now() from child returning child_id",
        )
        .bind(family)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let screen = safety_screen(&mut tx, second_opinion::domain::UserId(family), child, false).await;
        let case: uuid::Uuid = sqlx::query_scalar(
            "insert into cases (family_id, child_id, safety_screen_id, contact_email, contact_phone, diagnosis_summary) values ($1, $2, $3, $4, '+14155550100', 'Asthma') returning id",
        )
        .bind(family)
        .bind(child)
        .bind(screen.0)
        .bind(&email)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("insert into case_events (case_id, to_status) values ($1, 'draft')")
            .bind(case)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("insert into case_questions (case_id, position, body) values ($1, 1, 'Is this right?')")
            .bind(case)
            .execute(&mut *tx)
            .await
            .unwrap();
        let source: uuid::Uuid = sqlx::query_scalar(
            "insert into record_sources (case_id, facility, records_description) values ($1, 'North Clinic', 'Notes') returning id",
        )
        .bind(case)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        // Submitting needs a signed release for each location.
        let family = second_opinion::domain::UserId(family);
        sign_release_in(&mut tx, second_opinion::domain::CaseId(case), source, family, jiff::Timestamp::now()).await;
        tx.commit().await.unwrap();
        out.push((email, case));
    }
    out
}

/// A card tokenised at localstripe, as Stripe.js does in the browser.
async fn card(stripe: &str) -> reqwest::Result<String> {
    let res: Value = reqwest::Client::new()
        .post(format!("{stripe}/v1/tokens"))
        .form(&[
            ("card[number]", "4242424242424242"),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2030"),
            ("card[cvc]", "123"),
            ("key", STRIPE_PUBLISHABLE),
        ])
        .send()
        .await?
        .json()
        .await?;
    Ok(res["card"]["id"].as_str().unwrap_or_default().to_owned())
}

/// One family submitting and paying; any step may fail when the app is killed.
async fn submit_and_pay(base: String, stripe: String, email: String, case: uuid::Uuid) -> reqwest::Result<()> {
    let family = Browser::new(&base);
    let token = family.token("/login").await?;
    family.post("/login", &token, &[("email", &email), ("password", PASSWORD)]).await?;
    let token = family.token(&format!("/family/cases/{case}/review")).await?;
    family.post(&format!("/family/cases/{case}/submit"), &token, &CONSENTS).await?;
    let card = card(&stripe).await?;
    family.post(&format!("/family/cases/{case}/pay"), &token, &[("card_id", &card)]).await?;
    Ok(())
}

/// A coordinator taking every submitted case, until told to stop.
async fn take_submitted(base: String, db: PgPool, stop: Arc<AtomicBool>) {
    let staff = Browser::new(&base);
    let Ok(token) = staff.token("/login").await else { return };
    if staff.post("/login", &token, &[("email", "taker@example.test"), ("password", PASSWORD)]).await.is_err() {
        return;
    }
    let Ok(token) = staff.token("/coordinator").await else { return };
    while !stop.load(Ordering::SeqCst) {
        let submitted: Vec<(uuid::Uuid, i32)> =
            sqlx::query_as("select id, version from cases where status = 'submitted'")
                .fetch_all(&db)
                .await
                .unwrap_or_default();
        for (case, version) in submitted {
            let path = format!("/coordinator/cases/{case}/take");
            if staff.post(&path, &token, &[("version", &version.to_string())]).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A `payment_intent.succeeded` event for `intent`, signed as Stripe signs.
fn signed_event(intent: &Value) -> (String, String) {
    let t = jiff::Timestamp::now().as_second();
    let body = json!({
        "id": format!("evt_{}", intent["id"].as_str().unwrap()), "object": "event", "type": "payment_intent.succeeded",
        "created": t, "livemode": false, "api_version": "2026-09-30.endive", "data": { "object": intent }
    })
    .to_string();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    (body, format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes())))
}

#[tokio::test]
async fn a_sigkill_mid_burst_of_payments_and_state_changes_leaves_nothing_half_done() {
    let pg = Cluster::start();
    let stripe = Localstripe::start();
    let smtp = free_port();
    let _sink = Sink::start(smtp);
    let js = format!("{}/js.stripe.com/v3/", stripe.base);
    let mut app = AppProcess::start(&[
        ("DATABASE_URL", &pg.url()),
        ("SMTP_URL", &format!("smtp://127.0.0.1:{smtp}")),
        ("STRIPE_SECRET_KEY", STRIPE_SECRET),
        ("STRIPE_PUBLISHABLE_KEY", STRIPE_PUBLISHABLE),
        ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
        ("STRIPE_API_BASE", &stripe.base),
        ("STRIPE_JS_URL", &js),
        ("PROVIDER_TAX_ID", "00-0000000"),
    ])
    .await;
    let db = pg.pool().await;
    const FAMILIES: usize = 12;
    let drafts = drafts_ready_to_pay(&db, FAMILIES).await;
    add_user(&db, "coordinator", "taker@example.test").await;

    // One family's card is charged at Stripe while the app never hears of it
    // (as if it died between the charge and its own write): only the
    // retried webhook can settle that case.
    let (first_email, first_case) = drafts[0].clone();
    let family = Browser::new(&app.url(""));
    family.sign_in(&first_email, PASSWORD).await;
    let token = family.token(&format!("/family/cases/{first_case}/review")).await.unwrap();
    family.post(&format!("/family/cases/{first_case}/submit"), &token, &CONSENTS).await.unwrap();
    let pi: String = sqlx::query_scalar("select provider_payment_id from payments where case_id = $1")
        .bind(first_case)
        .fetch_one(&db)
        .await
        .unwrap();
    let stripe_api = reqwest::Client::new();
    let card_id = card(&stripe.base).await.unwrap();
    for (path, form) in [
        (format!("/v1/payment_intents/{pi}"), vec![("payment_method", card_id.as_str())]),
        (format!("/v1/payment_intents/{pi}/confirm"), vec![]),
    ] {
        let res = stripe_api
            .post(format!("{}{path}", stripe.base))
            .bearer_auth(STRIPE_SECRET)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.text().await.unwrap());
    }

    // The burst, and the kill once a third of the cases are paid.
    let stop = Arc::new(AtomicBool::new(false));
    let taker = tokio::spawn(take_submitted(app.url(""), db.clone(), stop.clone()));
    let payers: Vec<_> = drafts[1..]
        .iter()
        .map(|(email, case)| tokio::spawn(submit_and_pay(app.url(""), stripe.base.clone(), email.clone(), *case)))
        .collect();
    let paid = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from cases where status <> 'draft'").fetch_one(&db).await.unwrap()
    };
    assert!(eventually(Duration::from_secs(60), || async { paid().await >= FAMILIES as i64 / 3 }).await);
    app.kill_9();
    let paid_at_kill = paid().await;
    stop.store(true, Ordering::SeqCst);
    for p in payers {
        let _ = p.await.unwrap();
    }
    taker.await.unwrap();

    // Restarted: Stripe delivers every success until it is accepted, and each
    // family comes back to its payment page.
    app.restart().await;
    let intents: Value = reqwest::Client::new()
        .get(format!("{}/v1/payment_intents?limit=100", stripe.base))
        .bearer_auth(STRIPE_SECRET)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let succeeded: Vec<Value> =
        intents["data"].as_array().unwrap().iter().filter(|pi| pi["status"] == "succeeded").cloned().collect();
    assert!(succeeded.len() as i64 > paid_at_kill, "{} succeeded at Stripe, {paid_at_kill} paid here", succeeded.len());
    let webhook = reqwest::Client::new();
    for intent in &succeeded {
        let (body, signature) = signed_event(intent);
        let accepted = eventually(Duration::from_secs(20), || async {
            let res = webhook
                .post(app.url("/webhooks/stripe"))
                .header("content-type", "application/json")
                .header("stripe-signature", &signature)
                .body(body.clone())
                .send()
                .await;
            res.is_ok_and(|r| r.status().is_success())
        });
        assert!(accepted.await, "the webhook for {} was accepted", intent["id"]);
    }
    for (email, case) in &drafts {
        let family = Browser::new(&app.url(""));
        family.sign_in(email, PASSWORD).await;
        let res = family.client.get(family.url(&format!("/family/cases/{case}/pay"))).send().await.unwrap();
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    }

    // Nothing half written, nothing twice.
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db).await.unwrap() }
    };
    assert_eq!(
        count("select count(*) from cases c where (c.status <> 'draft') <> exists (select 1 from payments p where p.case_id = c.id and p.purpose = 'case_fee' and p.fulfilled)").await,
        0,
        "a case is submitted exactly when its fee is paid"
    );
    assert_eq!(
        count("select count(*) from (select case_id from payments where fulfilled group by case_id, purpose having count(*) > 1) twice").await,
        0,
        "no case paid twice"
    );
    assert_eq!(
        count("select count(*) from cases c where c.status <> (select e.to_status from case_events e where e.case_id = c.id order by e.id desc limit 1)").await,
        0,
        "every case matches its last event"
    );
    for intent in &succeeded {
        let rows: i64 = sqlx::query_scalar("select count(*) from payments p join cases c on c.id = p.case_id where p.provider_payment_id = $1 and p.status = 'succeeded' and p.fulfilled and c.status <> 'draft'")
            .bind(intent["id"].as_str())
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(rows, 1, "{} is recorded once and its case submitted", intent["id"]);
    }
    assert_eq!(
        count("select count(*) from email_outbox where kind = 'payment_received'").await,
        count("select count(*) from cases where status <> 'draft'").await,
        "one receipt email per paid case"
    );
    eprintln!("sigkill mid-burst: {paid_at_kill} paid at the kill, {} succeeded at Stripe", succeeded.len());
}
