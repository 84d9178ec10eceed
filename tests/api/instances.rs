//! Two instances of the real binary on one PostgreSQL (and one S3 bucket),
//! as behind a load balancer with no stickiness: a session, its CSRF token
//! and the sign-in throttle carry from one to the other, the two outbox
//! workers send each email once, the two closing jobs close each due case
//! once, and a document uploaded through one downloads through the other.

use crate::helpers::{Bucket, PASSWORD, TestApp, mail_in, pdf_bytes};
use crate::processes::{AppProcess, Browser, Cluster, Sink, add_user, blocking, eventually, free_port};
use second_opinion::domain::CaseStatus;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// One database cluster and SMTP sink of the test's own, migrated, before
/// any instance starts (so a test can arrange rows the instances then find).
struct Shared {
    _pg: Cluster,
    sink: Sink,
    env: Vec<(String, String)>,
    db: sqlx::PgPool,
}

impl Shared {
    async fn start(extra: &[(&str, &str)]) -> Shared {
        let pg = blocking(Cluster::start).await;
        let smtp_port = free_port();
        let sink = Sink::start(smtp_port);
        let smtp = format!("smtp://127.0.0.1:{smtp_port}");
        let mut env = vec![("DATABASE_URL".to_owned(), pg.url()), ("SMTP_URL".to_owned(), smtp)];
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let migrate_env = env.clone();
        let migrated =
            blocking(move || AppProcess::command(&std::env::temp_dir(), &migrate_env).arg("migrate").status().unwrap())
                .await;
        assert!(migrated.success(), "second-opinion migrate");
        let db = pg.pool().await;
        Shared { _pg: pg, sink, env, db }
    }

    /// Two instances started at the same moment (both migrate, both start
    /// their workers), each on its own port, with the same settings.
    async fn two_instances(&self) -> (AppProcess, AppProcess) {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        tokio::join!(AppProcess::start(&env), AppProcess::start(&env))
    }
}

#[tokio::test]
async fn a_session_its_csrf_token_and_the_sign_in_throttle_span_both_instances() {
    let shared = Shared::start(&[]).await;
    add_user(&shared.db, "coordinator", "coordinator@example.test").await;
    add_user(&shared.db, "family", "target@example.test").await;
    let (a, b) = shared.two_instances().await;

    // Signed in on A, the same cookie is a session on B.
    let on_a = Browser::new(&a.url(""));
    on_a.sign_in("coordinator@example.test", PASSWORD).await;
    let on_b = on_a.through(&b.url(""));
    let res = on_b.client.get(on_b.url("/coordinator")).send().await.unwrap();
    assert_eq!(res.status(), 200, "B knows the session A started");
    // A form's token from a page of A is accepted by a POST to B; a made-up one is not.
    let token = on_a.token("/coordinator").await.unwrap();
    assert!(!token.is_empty(), "the page has a form with a token");
    let res = on_b.post("/logout", "made-up-token", &[]).await.unwrap();
    assert_eq!(res.status(), 403);
    let res = on_b.post("/logout", &token, &[]).await.unwrap();
    assert_eq!(res.status(), 303, "signed out through B with A's token");
    let res = on_a.client.get(on_a.url("/coordinator")).send().await.unwrap();
    assert_eq!(res.status(), 303, "and so signed out on A too");

    // Ten wrong passwords, alternating between the instances: the eleventh
    // try is refused on both, the right password included.
    let guesser = Browser::new(&a.url(""));
    for i in 0..10 {
        let via = guesser.through(&if i % 2 == 0 { a.url("") } else { b.url("") });
        let token = via.token("/login").await.unwrap();
        let res = via.post("/login", &token, &[("email", "target@example.test"), ("password", "wrong")]).await;
        assert_eq!(res.unwrap().status(), 401, "wrong password {i}");
    }
    for instance in [&a, &b] {
        let via = guesser.through(&instance.url(""));
        let token = via.token("/login").await.unwrap();
        let res = via.post("/login", &token, &[("email", "target@example.test"), ("password", PASSWORD)]).await;
        assert_eq!(res.unwrap().status(), 429, "throttled on {}", instance.url(""));
    }
    let failures: i64 = sqlx::query_scalar("select count(*) from login_failures where email = 'target@example.test'")
        .fetch_one(&shared.db)
        .await
        .unwrap();
    assert_eq!(failures, 10, "one count, kept in the database both read");
}

#[tokio::test]
async fn two_workers_close_each_due_case_once_and_send_each_email_once() {
    const CASES: usize = 20;
    let shared = Shared::start(&[]).await;
    // Cases delivered long ago, their follow-up window over, nothing open.
    let arranging = TestApp::spawn(shared.db.clone()).await;
    let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 120);
    let mut cases = Vec::new();
    for _ in 0..CASES {
        cases.push(arranging.case().in_state(CaseStatus::OpinionDelivered).at(long_ago).create().await);
    }
    // The clinician's call is done (so the checklist is clear).
    sqlx::query(
        "insert into follow_up_calls (case_id, clinician_id, outcome, notes, at)
         select c.id, c.specialist_id, 'completed', '', now() from cases c",
    )
    .execute(&shared.db)
    .await
    .unwrap();
    drop(arranging);
    let due: i64 = sqlx::query_scalar(
        "select count(*) from cases where status = 'opinion_delivered' and due_at < now()
           and not (call_pending or follow_up_waiting or referral_open or fee_unpaid or fee_to_price)",
    )
    .fetch_one(&shared.db)
    .await
    .unwrap();
    assert_eq!(due, CASES as i64, "every case is due for closing");

    // Both start at once: both closing jobs run at start-up, both outbox workers loop.
    let (_a, _b) = shared.two_instances().await;
    let db = shared.db.clone();
    let settled = eventually(Duration::from_secs(60), || {
        let db = db.clone();
        async move {
            let open: i64 = sqlx::query_scalar(
                "select (select count(*) from cases where status <> 'closed')
                      + (select count(*) from email_outbox where status <> 'sent')",
            )
            .fetch_one(&db)
            .await
            .unwrap();
            open == 0
        }
    })
    .await;
    assert!(settled, "every case closed and every email sent within a minute");
    // Time for a second send or a second close to show, if either happened.
    tokio::time::sleep(Duration::from_secs(3)).await;

    for case in &cases {
        let closings: i64 =
            sqlx::query_scalar("select count(*) from case_events where case_id = $1 and to_status = 'closed'")
                .bind(case.case_id.0)
                .fetch_one(&shared.db)
                .await
                .unwrap();
        assert_eq!(closings, 1, "case {} closed once", case.number);
        let queued: i64 = sqlx::query_scalar("select count(*) from email_outbox where to_address = $1")
            .bind(&case.family.email)
            .fetch_one(&shared.db)
            .await
            .unwrap();
        assert!(queued >= 1, "the family of {} is emailed that it closed", case.number);
        let received = mail_in(&shared.sink.dir, &case.family.email).len();
        assert_eq!(received as i64, queued, "each email to {} arrived once", case.family.email);
    }
}

#[tokio::test]
async fn a_document_uploaded_through_one_instance_downloads_through_the_other() {
    let bucket = Bucket::create().await;
    let shared = Shared::start(&[("DOCUMENTS_S3_BUCKET", &bucket.name)]).await;
    let arranging = TestApp::spawn(shared.db.clone()).await;
    let case = arranging.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source = arranging.sources_of(&case.id).await[0];
    drop(arranging);
    add_user(&shared.db, "coordinator", "coordinator@example.test").await;
    let (a, b) = shared.two_instances().await;

    let on_a = Browser::new(&a.url(""));
    on_a.sign_in("coordinator@example.test", PASSWORD).await;
    let token = on_a.token(&format!("/coordinator/cases/{}", case.id)).await.unwrap();
    let file = pdf_bytes(7 * 1024 * 1024 + 3); // in parts: a multipart upload
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part("file", reqwest::multipart::Part::bytes(file.clone()).file_name("scan.pdf"));
    let res = on_a
        .client
        .post(on_a.url(&format!("/coordinator/cases/{}/sources/{source}/documents", case.id)))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "uploaded through A");
    let (id, key): (uuid::Uuid, String) =
        sqlx::query_as("select id, storage_key from documents where original_name = 'scan.pdf'")
            .fetch_one(&shared.db)
            .await
            .unwrap();
    assert!(bucket.keys().await.contains(&key), "stored in the shared bucket, not on A's disk");

    let on_b = on_a.through(&b.url(""));
    let res = on_b.client.get(on_b.url(&format!("/documents/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "downloaded through B");
    let body = res.bytes().await.unwrap();
    assert_eq!(body.len(), file.len());
    assert_eq!(Sha256::digest(&body), Sha256::digest(&file), "the same bytes");
}
