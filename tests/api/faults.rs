//! The fault suite: the app binary against its own real PostgreSQL, SMTP
//! sink and localstripe, while things fail under it — PostgreSQL restarted
//! with requests running, SMTP down, SIGTERM with requests in flight (and,
//! in `faults_payments`, SIGKILL in the middle of a burst of payments and
//! state changes). Each checks that nothing is lost, half written or done
//! twice. (A login flood is measured, not tested: `scripts/bench login-flood`.)

use crate::helpers::{PASSWORD, location, mail_in};
use crate::processes::{AppProcess, Browser, Cluster, Sink, add_user, blocking, eventually, free_port};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_postgres_restart_under_load_gives_calm_503s_then_none_and_the_outbox_resumes() {
    let pg = Arc::new(Cluster::start());
    let smtp = free_port();
    let sink = Sink::start(smtp);
    let app =
        AppProcess::start(&[("DATABASE_URL", &pg.url()), ("SMTP_URL", &format!("smtp://127.0.0.1:{smtp}"))]).await;
    let db = pg.pool().await;
    add_user(&db, "family", "reader@example.test").await;
    db.close().await;
    let family = Arc::new(Browser::new(&app.url("")));
    family.sign_in("reader@example.test", PASSWORD).await;

    // Readers of a page that needs the session, the user and the case list,
    // and of /healthz, all the way through the restart.
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..6)
        .map(|i| {
            let (family, stop) = (family.clone(), stop.clone());
            let path = if i < 4 { "/family" } else { "/healthz" };
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    let status = family.client.get(family.url(path)).send().await.map(|r| r.status().as_u16());
                    seen.push((started, started.elapsed(), status.unwrap_or(0)));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                seen
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let restarted = Instant::now();
    blocking({
        let pg = pg.clone();
        move || pg.restart()
    })
    .await;
    let back = Instant::now();
    tokio::time::sleep(Duration::from_secs(6)).await;
    stop.store(true, Ordering::SeqCst);
    let mut seen = Vec::new();
    for r in readers {
        seen.extend(r.await.unwrap());
    }

    let statuses = |from: Instant| seen.iter().filter(move |(at, ..)| *at >= from).map(|(_, _, s)| *s);
    assert!(
        seen.iter().all(|(_, _, s)| matches!(s, 200 | 503)),
        "only 200 or the calm 503: {:?}",
        statuses(restarted).collect::<Vec<_>>()
    );
    assert!(seen.iter().all(|(_, took, _)| *took < Duration::from_secs(31)), "no request hangs past the timeout");
    let settled = back + Duration::from_secs(3);
    assert!(
        statuses(settled).count() > 20 && statuses(settled).all(|s| s == 200),
        "no error once the database is back"
    );
    eprintln!(
        "postgres restart: {} requests, {} answered 503, restart took {:?}",
        seen.len(),
        seen.iter().filter(|(_, _, s)| *s == 503).count(),
        back - restarted
    );

    // The outbox resumes: mail asked for after the restart is delivered.
    let visitor = Browser::new(&app.url(""));
    let token = visitor.token("/password-reset").await.unwrap();
    let res = visitor.post("/password-reset", &token, &[("email", "reader@example.test")]).await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        eventually(Duration::from_secs(15), || async { !mail_in(&sink.dir, "reader@example.test").is_empty() }).await,
        "the reset email arrives"
    );
}

#[tokio::test]
async fn mail_waits_out_an_smtp_outage_and_arrives_exactly_once() {
    let pg = Cluster::start();
    let smtp = free_port(); // nothing listens there yet
    let app =
        AppProcess::start(&[("DATABASE_URL", &pg.url()), ("SMTP_URL", &format!("smtp://127.0.0.1:{smtp}"))]).await;
    let visitor = Browser::new(&app.url(""));
    let token = visitor.token("/register").await.unwrap();
    let email = "outage@example.test";
    let res = visitor
        .post("/register", &token, &[("full_name", "Ada"), ("email", email), ("password", PASSWORD)])
        .await
        .unwrap();
    assert_eq!(location(&res), "/register/check-email", "signing up works while mail is down");

    let db = pg.pool().await;
    let attempted = eventually(Duration::from_secs(10), || async {
        sqlx::query_scalar::<_, i32>("select attempts from email_outbox").fetch_one(&db).await.unwrap() >= 1
    });
    assert!(attempted.await, "the worker tried and failed");
    let sink = Sink::start(smtp);
    // The first retry is due 30 s after the failure.
    let delivered = eventually(Duration::from_secs(45), || async { !mail_in(&sink.dir, email).is_empty() }).await;
    assert!(delivered, "delivered when SMTP is back");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(mail_in(&sink.dir, email).len(), 1, "exactly once");
    let status: String = sqlx::query_scalar("select status::text from email_outbox").fetch_one(&db).await.unwrap();
    assert_eq!(status, "sent");
}

#[tokio::test]
async fn sigterm_under_load_finishes_what_is_in_flight_and_stops_the_private_cluster() {
    // No DATABASE_URL: the app's own private cluster, which SIGTERM must stop.
    let mut app = AppProcess::start(&[]).await;
    let seeded = AppProcess::command(&app.dir, &[]).arg("seed-demo").status().unwrap();
    assert!(seeded.success(), "seed-demo beside serve");
    let cluster = std::fs::read_to_string(app.dir.join("var/private-postgres")).unwrap().trim().to_owned();
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::postgres::PgConnectOptions::new()
                .socket(format!("{cluster}/run"))
                .username("postgres")
                .database("second_opinion"),
        )
        .await
        .unwrap();
    let (case, source): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select c.id, r.id from cases c join record_sources r on r.case_id = c.id where c.status = 'collecting_records' limit 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    // seed-demo's sample documents are stored already.
    let seeded: i64 = sqlx::query_scalar("select count(*) from documents").fetch_one(&db).await.unwrap();
    db.close().await;
    let staff = Browser::new(&app.url(""));
    let token = staff.sign_in("coordinator@demo.test", "demo-password-1").await;

    // A 20 MB upload on a slow link (3 s), and page views, in flight at SIGTERM.
    let chunk = {
        let mut c = b"%PDF-1.7\n".to_vec();
        c.resize(512 * 1024, b'x');
        bytes::Bytes::from(c)
    };
    let slow = futures_util::stream::unfold(0, move |n| {
        let chunk = chunk.clone();
        async move {
            (n < 40).then_some(())?;
            tokio::time::sleep(Duration::from_millis(75)).await;
            Some((Ok::<_, std::io::Error>(chunk), n + 1))
        }
    });
    let form = reqwest::multipart::Form::new().text("csrf_token", token).part(
        "file",
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(slow), 40 * 512 * 1024)
            .file_name("scan.pdf"),
    );
    let upload = staff
        .client
        .post(staff.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
        .multipart(form)
        .send();
    let upload = tokio::spawn(upload);
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let client = staff.client.clone();
            let url = staff.url("/coordinator");
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..30 {
                    match client.get(&url).send().await {
                        Ok(res) => statuses.push(res.status().as_u16()),
                        Err(_) => break, // the server stopped taking new requests
                    }
                }
                statuses
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.signal_term();

    let res = upload.await.unwrap().expect("the upload in flight is answered");
    assert_eq!(res.status(), 303, "the upload finished");
    assert_eq!(location(&res), format!("/coordinator/cases/{case}"));
    for r in readers {
        let statuses = r.await.unwrap();
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    }
    assert!(app.exited(Duration::from_secs(30)).await.success(), "a clean exit");
    let stored = std::fs::read_dir(app.dir.join("var/documents/documents")).map_or(0, |d| d.count());
    assert_eq!(stored as i64, seeded + 1, "the upload's file is stored, beside seed-demo's");
    let running = std::process::Command::new("pgrep").arg("-f").arg(format!("{cluster}/data")).output().unwrap();
    assert!(running.stdout.is_empty(), "the private cluster stopped");
    let _ = std::process::Command::new("rm").arg("-rf").arg(&cluster).status();
}
