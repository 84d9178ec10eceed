//! A family's copy of everything about a case, as one zip: each entry is
//! read back and compared with the database (the signed opinion, the
//! questions and follow-ups, the records, the thread and its files by
//! SHA-256, the receipts); nothing of another family's; the index in the
//! account's language; 404s and audit rows for everyone else; and the same
//! from a real S3-compatible store.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Cents, Role};
use second_opinion::i18n::Lang;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::io::Read;

/// Every entry of a zip: name → bytes.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut entries = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        entries.insert(name, content);
    }
    entries
}

fn utf8(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let (_, bytes) = entries.iter().find(|(k, _)| k.ends_with(&format!("/{name}"))).unwrap_or_else(|| {
        panic!("no {name} in {:?}", entries.keys().collect::<Vec<_>>());
    });
    String::from_utf8(bytes.clone()).unwrap()
}

/// The archive of `case` as `family` downloads it: (headers' disposition, entries).
async fn download(family: &TestApp, case: &TestCase) -> (String, BTreeMap<String, Vec<u8>>) {
    let res = family.get(&format!("/family/cases/{}/archive", case.id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    (disposition, unzip(&res.bytes().await.unwrap()))
}

/// A delivered case with a follow-up, two messages (one with a PDF) and a
/// reply from the care team: (case, the signed-in family, the PDF's bytes).
async fn case_with_everything(app: &TestApp) -> (TestCase, TestApp, Vec<u8>) {
    let coordinator = app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).child("Mila", "Okafor").create().await;
    sqlx::query("update cases set coordinator_id = $2 where id = $1::uuid")
        .bind(&case.id)
        .bind(coordinator.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    let family = app.signed_in_as(&case.family).await;
    let messages = format!("/family/cases/{}/messages", case.id);
    let mut pdf = pdf_bytes(5000);
    pdf[4000..4016].copy_from_slice(b"unique-scan-data");
    let res = family
        .post_multipart(&messages, &[("body", "Here is the new scan.")], Some(("../../scan.pdf", pdf.clone())))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    family.post_multipart(&messages, &[("body", "When is the call?")], None).await;
    let res = app.post_form(&format!("/coordinator/cases/{}/messages", case.id), &[("body", "Tomorrow at ten.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the coordinator replies");
    let question = case.questions[0].to_string();
    let res = family
        .post_form(
            &format!("/family/cases/{}/follow-ups", case.id),
            &[("question_id", &question), ("body", "Does this change the inhaler dose?")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    (case, family, pdf)
}

#[sqlx::test]
async fn a_guardian_downloads_everything_about_the_case_as_one_zip(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, pdf) = case_with_everything(&app).await;

    let page = family.page(&format!("/family/cases/{}", case.id)).await;
    assert!(page.contains(&format!("href=\"/family/cases/{}/archive\"", case.id)), "the case page links it");
    assert!(page.contains("Download everything (zip)"));
    let opinion_page = family.page(&format!("/family/cases/{}/opinion", case.id)).await;
    assert!(opinion_page.contains(&format!("/family/cases/{}/archive", case.id)), "and the opinion page");

    let (disposition, entries) = download(&family, &case).await;
    let today = second_opinion::web::format::pacific_date(second_opinion::clock::Clock::now(&app.clock));
    let root = format!("{}-{today}", case.number);
    assert!(disposition.contains(&format!("{root}.zip")), "{disposition}");
    // Names from the case number, dates and ids only: the family's "../../scan.pdf" is not one.
    for name in entries.keys() {
        assert!(name.starts_with(&format!("{root}/")), "{name}");
        assert!(!name.contains("..") && !name.contains("scan.pdf"), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c)), "{name}");
    }

    // The opinion: the signed words, in the printable document and as text.
    let (summary, outcome): (String, String) = sqlx::query_as(
        "select summary, outcome::text from opinions where case_id = $1::uuid and signed_at is not null",
    )
    .bind(&case.id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(outcome, "agrees");
    let answers: Vec<String> = sqlx::query_scalar(
        "select a.body from opinion_answers a join opinions o on o.id = a.opinion_id where o.case_id = $1::uuid",
    )
    .bind(&case.id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let opinion_txt = utf8(&entries, "opinion.txt");
    let opinion_html = utf8(&entries, "opinion.html");
    for text in [&opinion_txt, &opinion_html] {
        assert!(text.contains(&summary) && text.contains(&case.number) && text.contains("Mila Okafor"), "{text}");
        assert!(answers.iter().all(|a| text.contains(a)));
    }
    assert!(
        opinion_txt.contains("The specialist agrees with your child's diagnosis and treatment plan."),
        "the outcome in words: {opinion_txt}"
    );
    assert!(opinion_html.contains("<style>") && !opinion_html.contains("/static/"), "self-contained");
    assert!(!opinion_html.contains("csrf_token"), "no session's token in a file");

    // The questions are the case's, with the follow-up.
    let questions: Vec<String> =
        sqlx::query_scalar("select body from case_questions where case_id = $1::uuid order by position")
            .bind(&case.id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let questions_txt = utf8(&entries, "questions.txt");
    assert!(!questions.is_empty() && questions.iter().all(|q| questions_txt.contains(q)));
    assert!(
        questions_txt.contains("Does this change the inhaler dose?")
            && questions_txt.contains("Waiting for an answer.")
    );

    // The records list: each source with its status and files.
    let records_txt = utf8(&entries, "records.txt");
    for expected in ["North Clinic", "South Imaging", "notes.pdf"] {
        assert!(records_txt.contains(expected), "{expected}: {records_txt}");
    }

    // The thread, every message, and the attached file byte for byte.
    let bodies: Vec<String> = sqlx::query_scalar("select body from case_messages where case_id = $1::uuid")
        .bind(&case.id)
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(bodies.len(), 3);
    let messages_txt = utf8(&entries, "messages.txt");
    assert!(bodies.iter().all(|b| messages_txt.contains(b)), "{messages_txt}");
    let files: Vec<_> = entries.iter().filter(|(k, _)| k.contains("/files/")).collect();
    assert_eq!(files.len(), 1);
    let (name, bytes) = files[0];
    let stored: Vec<u8> =
        sqlx::query_scalar("select attachment_sha256 from case_messages where attachment_key is not null")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(Sha256::digest(bytes).to_vec(), stored);
    assert_eq!(Sha256::digest(bytes).to_vec(), Sha256::digest(&pdf).to_vec());
    assert!(messages_txt.contains(name.trim_start_matches(&format!("{root}/"))), "the message names its file");

    // The receipts: the payments' amounts and numbers.
    let payments: Vec<(i64, i64)> = sqlx::query_as(
        "select amount_cents, receipt_number from payments where case_id = $1::uuid and status = 'succeeded'",
    )
    .bind(&case.id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let receipts_html = utf8(&entries, "receipts.html");
    assert!(!payments.is_empty());
    for (cents, number) in payments {
        let amount = second_opinion::i18n::money_in(Lang::En, Cents(cents));
        assert!(receipts_html.contains(&format!("<dd>{amount} (US dollars)</dd>")), "{amount}: {receipts_html}");
        assert!(receipts_html.contains(&format!("R-{number:06}")));
    }

    let index = utf8(&entries, "index.html");
    assert!(index.contains("<html lang=\"en\">") && index.contains(&format!("Everything about case {}", case.number)));
    let made = second_opinion::i18n::date_time_in(Lang::En, second_opinion::clock::Clock::now(&app.clock));
    assert!(index.contains(&format!("Made {made}.")), "when it was made: {index}");
    for file in ["opinion.html", "opinion.txt", "questions.txt", "records.txt", "messages.txt", "receipts.html"] {
        assert!(index.contains(&format!("href=\"{file}\"")), "the index lists {file}");
    }
    let audited = app
        .count(&format!(
            "select count(*) from audit_log where action = 'download_case_archive' and outcome = 'success'
             and actor_user_id = '{}' and case_id = '{}' and entity_type = 'case'",
            case.family.id.0, case.id
        ))
        .await;
    assert_eq!(audited, 1, "audited, by the guardian, on the case");
}

#[sqlx::test]
async fn nothing_of_another_familys_and_the_index_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (case, family, _) = case_with_everything(&app).await;
    let other = app.case().in_state(CaseStatus::OpinionDelivered).child("Zed", "Quarry").create().await;
    let other_family = app.signed_in_as(&other.family).await;
    other_family
        .post_multipart(
            &format!("/family/cases/{}/messages", other.id),
            &[("body", "Secret of the other family")],
            None,
        )
        .await;
    let res = family.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (_, entries) = download(&family, &case).await;
    for (name, bytes) in &entries {
        let text = String::from_utf8_lossy(bytes);
        for word in ["Zed", "Quarry", &other.number, "Secret of the other family"] {
            assert!(!text.contains(word), "{name} holds {word:?}");
        }
    }
    let index = utf8(&entries, "index.html");
    assert!(
        index.contains("<html lang=\"es\">") && index.contains(&format!("Todo sobre el caso {}", case.number)),
        "{index}"
    );
    assert!(utf8(&entries, "messages.txt").starts_with("Mensajes con su equipo de atención"));
    // What people wrote stays as written.
    assert!(utf8(&entries, "messages.txt").contains("When is the call?"));
}

#[sqlx::test]
async fn another_family_a_removed_guardian_and_staff_get_not_found_and_an_audit_row(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let path = format!("/family/cases/{}/archive", case.id);

    let stranger = TestApp::spawn(app.db.clone()).await;
    stranger.login_as(Role::Family).await;
    assert_eq!(stranger.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, 1);

    // A second guardian, then removed: access ends with the guardianship.
    let removed = app.create_user(Role::Family).await;
    sqlx::query(
        "insert into guardianships (child_id, user_id, relationship, confirmed_at, invited_by)
         select child_id, $2, 'parent', now(), $3 from cases where id = $1::uuid",
    )
    .bind(&case.id)
    .bind(removed.id.0)
    .bind(case.family.id.0)
    .execute(&app.db)
    .await
    .unwrap();
    let second = app.signed_in_as(&removed).await;
    assert_eq!(second.get(&path).await.status(), StatusCode::OK, "a guardian may");
    sqlx::query("update guardianships set removed_at = now(), removed_by = $2 where user_id = $1")
        .bind(removed.id.0)
        .bind(case.family.id.0)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(second.get(&path).await.status(), StatusCode::NOT_FOUND, "not once removed");
    assert_eq!(app.audit_count("access_denied", "denied").await, 2);

    for role in [Role::Coordinator, Role::Clinician, Role::Specialist, Role::Admin] {
        let staff = TestApp::spawn(app.db.clone()).await;
        staff.login_as(role).await;
        assert_eq!(staff.get(&path).await.status(), StatusCode::NOT_FOUND, "{role:?}");
    }
    assert_eq!(app.audit_count("access_denied", "denied").await, 6);
    assert_eq!(app.audit_count("download_case_archive", "success").await, 1, "only the guardian's");
}

#[sqlx::test]
async fn past_ten_an_hour_the_family_is_asked_to_wait(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Submitted).create().await;
    let family = app.signed_in_as(&case.family).await;
    let path = format!("/family/cases/{}/archive", case.id);
    for _ in 0..10 {
        assert_eq!(family.get(&path).await.status(), StatusCode::OK);
    }
    let res = family.get(&path).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/family/cases/{}", case.id));
    assert!(family.page(&location(&res)).await.contains("many times in the last hour"));
    assert_eq!(app.audit_count("download_case_archive", "success").await, 10, "the refused one is not counted");
}

#[sqlx::test]
async fn the_archive_reads_the_familys_files_from_s3(db: PgPool) {
    let bucket = Bucket::create().await;
    let app = TestApp::spawn_with_s3(db, &bucket).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    // The family on this app's own client: another browser would have its own (local) store.
    assert_eq!(app.log_in(&case.family.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let pdf = pdf_bytes(6000);
    let messages = format!("/family/cases/{}/messages", case.id);
    let res = app.post_multipart(&messages, &[("body", "The scan")], Some(("scan.pdf", pdf.clone()))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(bucket.keys().await.len(), 1, "the attachment is in the bucket");
    let (_, entries) = download(&app, &case).await;
    let files: Vec<_> = entries.iter().filter(|(k, _)| k.contains("/files/")).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(Sha256::digest(files[0].1).to_vec(), Sha256::digest(&pdf).to_vec());
    assert!(!entries.keys().any(|k| k.ends_with("/opinion.html")), "no opinion before it is signed");
    assert!(utf8(&entries, "index.html").contains("There is no signed opinion yet"));
}
