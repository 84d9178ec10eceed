//! The coordinator's queue and workspace: filters, search, keyset paging,
//! the checklist gate, uploads and downloads, locking, audit, fees.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use second_opinion::domain::Role;
use sqlx::PgPool;

async fn version(app: &TestApp, case: &str) -> String {
    let v: i32 = sqlx::query_scalar("select version from cases where id = $1::uuid")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    v.to_string()
}

async fn status(app: &TestApp, case: &str) -> String {
    sqlx::query_scalar("select status::text from cases where id = $1::uuid")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn source_ids(app: &TestApp, case: &str) -> Vec<uuid::Uuid> {
    sqlx::query_scalar("select id from record_sources where case_id = $1::uuid order by facility")
        .bind(case)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

async fn upload(app: &TestApp, case: &str, source: uuid::Uuid, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = app.csrf_token().await;
    let form = Form::new().text("csrf_token", token).part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.client
        .post(app.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The flash message the next page shows.
async fn flash(app: &TestApp, res: reqwest::Response) -> String {
    let to = location(&res);
    text(app.get(to.split('#').next().unwrap()).await).await
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

#[sqlx::test]
async fn a_coordinator_works_a_case_from_submitted_to_in_review(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let me = app.login_as(Role::Coordinator).await;
    let specialist = app.create_user(Role::Specialist).await;
    let TestCase { id: case, number, .. } = app.case().child("Mila", "Okafor").create().await;
    assert!(app.page("/coordinator").await.contains(&number));

    let res =
        app.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &version(&app, &case).await)]).await;
    assert_eq!(location(&res), format!("/coordinator/cases/{case}"));
    assert_eq!(status(&app, &case).await, "collecting_records");
    let coordinator: uuid::Uuid =
        sqlx::query_scalar("select coordinator_id from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(coordinator, me.id.0);

    // "Digitized" needs a document: refused on the workspace, nothing changed.
    let sources = source_ids(&app, &case).await;
    let res = app
        .post_form(&format!("/coordinator/cases/{case}/sources/{}/status", sources[0]), &[("status", "digitized")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Upload at least one document before marking it digitized."));
    assert_eq!(app.count("select count(*) from record_sources where status = 'digitized'").await, 0);
    let res = upload(&app, &case, sources[0], "colonoscopy.pdf", pdf(2048)).await;
    assert!(flash(&app, res).await.contains("Uploaded colonoscopy.pdf"));
    app.post_form(&format!("/coordinator/cases/{case}/sources/{}/status", sources[0]), &[("status", "digitized")])
        .await;

    // The gate: not ready while a source is still outstanding. The button
    // says why; pressed anyway, the refusal comes back to the workspace.
    let page = text(app.get(&format!("/coordinator/cases/{case}")).await).await;
    assert!(page.contains("disabled") && page.contains("Not yet: 1 of 2 sources are digitized or unavailable."));
    let res =
        app.post_form(&format!("/coordinator/cases/{case}/ready"), &[("version", &version(&app, &case).await)]).await;
    assert_eq!(location(&res), format!("/coordinator/cases/{case}"));
    let page = flash(&app, res).await;
    assert!(page.contains("role=\"alert\"") && page.contains("South Imaging"), "the reason, at the top");
    assert_eq!(status(&app, &case).await, "collecting_records");

    let res = app
        .post_form(&format!("/coordinator/cases/{case}/sources/{}/status", sources[1]), &[("status", "unavailable")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Say why the records are unavailable."), "unavailable needs a reason");
    app.post_form(
        &format!("/coordinator/cases/{case}/sources/{}/status", sources[1]),
        &[("status", "unavailable"), ("reason", "Clinic closed")],
    )
    .await;
    app.post_form(&format!("/coordinator/cases/{case}/ready"), &[("version", &version(&app, &case).await)]).await;
    assert_eq!(status(&app, &case).await, "ready_for_review");

    let page = app.page(&format!("/coordinator/cases/{case}")).await;
    assert!(page.contains(&specialist.name), "the directory lists the specialist");
    // Sending asks first, naming what will happen; nothing changes until confirmed.
    let send = |confirmed: bool| {
        let (app, case, specialist) = (&app, &case, &specialist);
        async move {
            let version = version(app, case).await;
            let mut fields = vec![("version", version.as_str()), ("specialist_id", "")];
            let id = specialist.id.to_string();
            fields[1].1 = &id;
            if confirmed {
                fields.push(("confirmed", "yes"));
            }
            app.post_form(&format!("/coordinator/cases/{case}/send"), &fields).await
        }
    };
    let res = send(false).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(page.contains(&format!("to {}?", specialist.name)) && page.contains("freeze"), "{page}");
    assert_eq!(status(&app, &case).await, "ready_for_review");
    let res = send(true).await;
    assert_eq!(location(&res), format!("/coordinator/cases/{case}"));
    assert_eq!(status(&app, &case).await, "in_review");
    let (due, assigned): (Option<jiff_sqlx::Timestamp>, uuid::Uuid) =
        sqlx::query_as("select due_at, specialist_id from cases").fetch_one(&app.db).await.unwrap();
    assert!(due.is_some());
    assert_eq!(assigned, specialist.id.0);
    let to: String = sqlx::query_scalar("select to_address from email_outbox where kind = 'case_assigned'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(to, specialist.email);
    // Frozen now: an upload is refused and nothing is stored.
    let before = app.stored_files();
    let res = upload(&app, &case, sources[0], "late.pdf", pdf(100)).await;
    assert!(flash(&app, res).await.contains("review has started"));
    assert_eq!(app.stored_files(), before);
    assert_eq!(app.count("select count(*) from documents").await, 1);
}

#[sqlx::test]
async fn bad_uploads_are_refused_and_leave_nothing_behind(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    let source = source_ids(&app, &case).await[0];
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    exe.resize(500, 0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("huge.pdf", pdf(25 * 1024 * 1024 + 1), "at most 25 MB"),
        ("setup.pdf", exe, "Only PDF, JPEG or PNG"),
        ("page.pdf", b"<html><script>alert(1)</script></html>".to_vec(), "Only PDF, JPEG or PNG"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n0000".to_vec(), "content is another"),
        ("empty.pdf", Vec::new(), "The file is empty"),
    ];
    for (name, bytes, message) in cases {
        let res = upload(&app, &case, source, name, bytes).await;
        assert!(flash(&app, res).await.contains(message), "{name}: {message}");
    }
    assert_eq!(app.count("select count(*) from documents").await, 0);
    assert_eq!(app.stored_files(), 0);

    // A hostile name is stored harmlessly and shown escaped.
    for name in
        ["../../x.pdf", "a\u{202E}fdp.exe.pdf", &format!("{}.pdf", "n".repeat(300)), "<img src=x onerror=alert(1)>.pdf"]
    {
        upload(&app, &case, source, name, pdf(64)).await;
    }
    let names: Vec<String> =
        sqlx::query_scalar("select original_name from documents order by created_at").fetch_all(&app.db).await.unwrap();
    assert_eq!(names[0], "x.pdf");
    assert_eq!(names[1], "afdp.exe.pdf");
    assert_eq!(names[2].chars().count(), 120);
    let page = app.page(&format!("/coordinator/cases/{case}")).await;
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(!page.contains("<img src=x") && page.contains("&#60;img src=x"), "shown escaped");

    // Without the CSRF token first, nothing is read or stored.
    let form = Form::new().part("file", Part::bytes(pdf(64)).file_name("x.pdf"));
    let res = app
        .client
        .post(app.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from documents").await, 4);
}

#[sqlx::test]
async fn downloads_check_integrity_access_and_leave_an_audit_row(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    let source = source_ids(&app, &case).await[0];
    upload(&app, &case, source, "report.pdf", pdf(4096)).await;
    let doc: uuid::Uuid = sqlx::query_scalar("select id from documents").fetch_one(&app.db).await.unwrap();

    let res = app.get(&format!("/documents/{doc}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["content-security-policy"], "sandbox");
    assert_eq!(res.bytes().await.unwrap().len(), 4096);
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'download_document' and actor_user_id = $1")
            .bind(coordinator.id.0)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, 1);

    // A specialist the case was not sent to, and a family, get nothing.
    for role in [Role::Specialist, Role::Family] {
        let other = TestApp::spawn(db.clone()).await;
        other.login_as(role).await;
        assert_eq!(other.get(&format!("/documents/{doc}")).await.status(), StatusCode::NOT_FOUND, "{role:?}");
        assert_eq!(other.get(&format!("/coordinator/cases/{case}")).await.status(), StatusCode::NOT_FOUND, "{role:?}");
    }

    // A flipped byte in storage: refused, never served.
    let key: String = sqlx::query_scalar("select storage_key from documents").fetch_one(&app.db).await.unwrap();
    let path = app.documents_dir.join(&key);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100] ^= 0xFF;
    std::fs::write(&path, bytes).unwrap();
    let res = app.get(&format!("/documents/{doc}")).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(text(res).await.contains("integrity check"));
}

#[sqlx::test]
async fn every_staff_view_of_a_case_is_audited_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let me = app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    for _ in 0..3 {
        app.page(&format!("/coordinator/cases/{case}")).await;
    }
    let views: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'view_case' and actor_user_id = $1 and case_id = $2::uuid",
    )
    .bind(me.id.0)
    .bind(&case)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(views, 3);
}

#[sqlx::test]
async fn a_stale_form_is_refused_and_nothing_is_lost(db: PgPool) {
    let first = TestApp::spawn(db.clone()).await;
    let taker = first.login_as(Role::Coordinator).await;
    let second = TestApp::spawn(db).await;
    second.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = first.case().child("Ana", "Silva").create().await;
    let seen = version(&first, &case).await;
    assert_eq!(
        first.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &seen)]).await.status(),
        StatusCode::SEE_OTHER
    );
    // The second coordinator's form from the queue meets a case taken meanwhile.
    let res = second.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &seen)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(text(res).await.contains(&format!("is {}", taker.name)), "says who has it now");
    // The same coordinator's form from before their own change: back to the page.
    let res = first.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &seen)]).await;
    assert_eq!(location(&res), format!("/coordinator/cases/{case}"), "back to the page, not to an error");
    assert!(flash(&first, res).await.contains("changed since you opened it"));
    assert_eq!(first.count("select count(*) from case_events where to_status = 'collecting_records'").await, 1);
}

#[sqlx::test]
async fn the_family_sees_messages_but_never_internal_notes(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    app.post_form(
        &format!("/coordinator/cases/{case}/notes"),
        &[("body", "Waiting on the clinic fax"), ("audience", "internal")],
    )
    .await;
    app.post_form(
        &format!("/coordinator/cases/{case}/notes"),
        &[("body", "We received the MRI today"), ("audience", "family")],
    )
    .await;
    let family_email: String = sqlx::query_scalar("select contact_email from cases").fetch_one(&app.db).await.unwrap();
    let family = TestApp::spawn(db).await;
    assert_eq!(family.log_in(&family_email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let thread = family.page(&format!("/family/cases/{case}/messages")).await;
    assert!(thread.contains("We received the MRI today"));
    let page = family.page(&format!("/family/cases/{case}")).await;
    assert!(!thread.contains("Waiting on the clinic fax") && !page.contains("Waiting on the clinic fax"));
    let kinds: Vec<String> = sqlx::query_scalar("select kind from email_outbox").fetch_all(&app.db).await.unwrap();
    assert_eq!(kinds, ["case_update"], "only the message to the family emails them");
}

#[sqlx::test]
async fn queue_search_treats_every_character_literally(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { number: okafor, .. } = app.case().child("Mila", "Okafor").create().await;
    let TestCase { number: percent, .. } = app.case().child("Zed", "100%_Real").create().await;
    let page = app.page("/coordinator?q=oka").await;
    assert!(page.contains(&okafor) && !page.contains(&percent));
    assert!(
        app.page(&format!("/coordinator?q={}", okafor.to_lowercase())).await.contains(&okafor),
        "case number search"
    );
    for q in ["%", "_", "'", "' OR 1=1 --", "'; DROP TABLE cases;--", "\\"] {
        let res = app.client.get(app.url("/coordinator")).query(&[("q", q)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{q}");
        let body = res.text().await.unwrap();
        assert!(!body.contains(&okafor), "{q} matched everything");
    }
    let body = text(app.client.get(app.url("/coordinator")).query(&[("q", "100%_")]).send().await.unwrap()).await;
    assert!(body.contains(&percent) && !body.contains(&okafor));
    assert_eq!(app.count("select count(*) from cases").await, 2);
}

/// The row of a case in the queue, from its case number to the end of the row.
async fn queue_row(app: &TestApp, query: &str, number: &str) -> Option<String> {
    let page = app.page(&format!("/coordinator{query}")).await;
    let start = page.find(number)?;
    Some(page[start..start + page[start..].find("</tr>").unwrap()].to_owned())
}

#[sqlx::test]
async fn the_queue_follows_the_child_and_the_checklist(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, number, .. } = app.case().child("Mary Ann", "Okafor").create().await;
    let row = queue_row(&app, "", &number).await.unwrap();
    assert!(row.contains("M.O.") && row.contains("0 of 2 received"), "{row}");
    // Any word of the name, from its start, in any case; not the middle of a word.
    for q in ["mary", "ANN", "oka", "mary ann oka", "Okafor"] {
        assert!(queue_row(&app, &format!("?q={}", q.replace(' ', "+")), &number).await.is_some(), "{q}");
    }
    for q in ["afor", "ary", "ann mary", "okafor mary"] {
        assert!(queue_row(&app, &format!("?q={}", q.replace(' ', "+")), &number).await.is_none(), "{q}");
    }
    // Letters beyond ASCII: typed as stored, in capitals, or decomposed (NFD).
    let TestCase { number: elodie, .. } = app.case().child("Élodie", "Sofía").create().await;
    for q in ["Élodie", "ÉLODIE", "E\u{301}lodie", "sofía", "SOFÍA"] {
        let body = text(app.client.get(app.url("/coordinator")).query(&[("q", q)]).send().await.unwrap()).await;
        assert!(body.contains(&elodie), "{q}");
    }

    app.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &version(&app, &case).await)]).await;
    let sources = source_ids(&app, &case).await;
    app.post_form(&format!("/coordinator/cases/{case}/sources/{}/status", sources[0]), &[("status", "received")]).await;
    assert!(queue_row(&app, "", &number).await.unwrap().contains("1 of 2 received"));
    app.post_form(
        &format!("/coordinator/cases/{case}/sources"),
        &[("facility", "East Lab"), ("records_description", "Blood tests")],
    )
    .await;
    assert!(queue_row(&app, "", &number).await.unwrap().contains("1 of 3 received"));
    app.post_form(&format!("/coordinator/cases/{case}/sources/{}/status", sources[0]), &[("status", "requested")])
        .await;
    assert!(queue_row(&app, "", &number).await.unwrap().contains("0 of 3 received"));

    // A corrected name reaches the queue and its search at once.
    sqlx::query("update children set first_name = 'Ana', last_name = 'Lopez'").execute(&app.db).await.unwrap();
    let row = queue_row(&app, "?q=lop", &number).await.unwrap();
    assert!(row.contains("A.L."), "{row}");
    assert!(queue_row(&app, "?q=oka", &number).await.is_none());
    // The copies agree with what they copy, whatever the path that wrote it.
    let drift = app
        .count(
            "select count(*) from cases c join children ch on ch.id = c.child_id
             where (c.child_initials, c.child_date_of_birth, c.child_search, c.records_total, c.records_in)
                   is distinct from
                   (child_initials(ch.first_name, ch.last_name), ch.date_of_birth, child_search(ch.first_name, ch.last_name),
                    (select count(*)::int from record_sources r where r.case_id = c.id),
                    (select count(*)::int from record_sources r where r.case_id = c.id
                     and r.status in ('received', 'digitized', 'unavailable')))",
        )
        .await;
    assert_eq!(drift, 0);
}

#[sqlx::test]
async fn sources_added_at_the_same_moment_all_count(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, number, .. } = app.case().child("Mila", "Okafor").create().await;
    app.post_form(&format!("/coordinator/cases/{case}/take"), &[("version", &version(&app, &case).await)]).await;
    let path = format!("/coordinator/cases/{case}/sources");
    let adds = (0..8).map(|i| {
        let (app, path) = (&app, &path);
        async move {
            let facility = format!("Clinic {i}");
            app.post_form(path, &[("facility", &facility), ("records_description", "Notes")]).await
        }
    });
    for res in futures_util::future::join_all(adds).await {
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("select count(*) from record_sources").await, 10);
    assert!(queue_row(&app, "", &number).await.unwrap().contains("0 of 10 received"));
}

#[sqlx::test]
async fn keyset_pages_return_every_case_exactly_once_while_new_ones_arrive(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let mut expected = std::collections::BTreeSet::new();
    for i in 0..120 {
        expected.insert(app.case().child("Kid", &format!("Number{i}")).create().await.number);
    }
    let mut seen = Vec::new();
    let mut url = "/coordinator".to_owned();
    loop {
        let page = app.page(&url).await;
        seen.extend(
            page.match_indices("SO-").map(|(i, _)| page[i..i + 14].to_owned()).filter(|n| expected.contains(n)),
        );
        // A new case arrives mid-walk; it must not disturb the pages.
        app.case().child("Late", "Arrival").create().await;
        let Some(start) = page.find("rel=\"next\" href=\"") else { break };
        let rest = &page[start + 17..];
        url = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), unique.len(), "no case twice");
    assert_eq!(unique, expected, "every case once");
}

#[sqlx::test]
async fn filters_narrow_the_queue(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: taken, number: taken_no, .. } = app.case().child("A", "Taken").create().await;
    let TestCase { number: open_no, .. } = app.case().child("B", "Open").create().await;
    app.post_form(&format!("/coordinator/cases/{taken}/take"), &[("version", &version(&app, &taken).await)]).await;
    let mine = app.page("/coordinator?mine=1").await;
    assert!(mine.contains(&taken_no) && !mine.contains(&open_no));
    let unassigned = app.page("/coordinator?unassigned=1").await;
    assert!(!unassigned.contains(&taken_no) && unassigned.contains(&open_no));
    let collecting = app.page("/coordinator?state=collecting_records").await;
    assert!(collecting.contains(&taken_no) && !collecting.contains(&open_no));
    sqlx::query("update cases set due_at = now() - interval '1 day' where id = $1::uuid")
        .bind(&taken)
        .execute(&app.db)
        .await
        .unwrap();
    let overdue = app.page("/coordinator?overdue=1").await;
    assert!(overdue.contains(&taken_no) && !overdue.contains(&open_no));
}

#[sqlx::test]
async fn an_additional_fee_is_asked_paid_once_or_waived(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    move_case(&app, &case, &["collecting_records"]).await;
    let res = app
        .post_form(
            &format!("/coordinator/cases/{case}/fees"),
            &[("kind", "imaging"), ("amount", "25x"), ("reason", "MRI"), ("moves_opinion_days", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(res).await;
    assert!(page.contains("Enter an amount between $1 and $10,000"));
    assert!(page.contains("value=\"25x\"") && page.contains(">MRI</textarea>"), "what was typed is kept");
    assert_eq!(app.count("select count(*) from fee_requests").await, 0);
    app.post_form(
        &format!("/coordinator/cases/{case}/fees"),
        &[("kind", "imaging"), ("amount", "250"), ("reason", "Re-read the MRI")],
    )
    .await;
    let fee: uuid::Uuid = sqlx::query_scalar("select id from fee_requests").fetch_one(&app.db).await.unwrap();

    let family_email: String = sqlx::query_scalar("select contact_email from cases").fetch_one(&app.db).await.unwrap();
    let family = TestApp::spawn(db).await;
    family.log_in(&family_email, PASSWORD).await;
    let page = family.page(&format!("/family/cases/{case}")).await;
    assert!(page.contains("$250") && page.contains("Re-read the MRI"));
    family.page(&format!("/family/cases/{case}/fees/{fee}/pay")).await;
    let res = family.post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    let res = family.post_form(&format!("/family/cases/{case}/fees/{fee}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "a paid fee can't be paid again");
    assert_eq!(
        app.count("select count(*) from payments where purpose = 'additional_fee' and status = 'succeeded'").await,
        1
    );
    let status: String = sqlx::query_scalar("select status::text from fee_requests").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "paid");
    assert_eq!(
        app.count("select count(*) from case_events where to_status = 'submitted'").await,
        1,
        "the case did not move"
    );
    let res = app.post_form(&format!("/coordinator/cases/{case}/fees/{fee}/waive"), &[]).await;
    assert!(flash(&app, res).await.contains("already paid"));
}

#[sqlx::test]
async fn an_aborted_upload_leaves_no_row_and_no_file(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    let source = source_ids(&app, &case).await[0];
    let token = app.csrf_token().await;
    // A multipart body whose connection dies half-way through the file.
    let boundary = "so-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    );
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(head.into_bytes()),
        Ok(vec![b'x'; 2 * 1024 * 1024]),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")),
    ];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let result = app
        .client
        .post(app.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await;
    assert!(result.is_err(), "the client gave up mid-upload");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.count("select count(*) from documents").await, 0);
    assert_eq!(app.stored_files(), 0, "no blob left behind");
}

#[sqlx::test]
async fn images_can_be_previewed_inline_but_pdfs_always_download(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let TestCase { id: case, .. } = app.case().child("Ana", "Silva").create().await;
    let source = source_ids(&app, &case).await[0];
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(256, 0);
    upload(&app, &case, source, "xray.png", png).await;
    upload(&app, &case, source, "report.pdf", pdf(256)).await;
    let docs: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("select id, content_type from documents order by original_name")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (id, content_type) in docs {
        let res = app.get(&format!("/documents/{id}?inline=1")).await;
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert_eq!(res.headers()["content-security-policy"], "sandbox");
        let expected = if content_type == "image/png" { "inline;" } else { "attachment;" };
        assert!(disposition.starts_with(expected), "{content_type}: {disposition}");
    }
}
