//! Documents on a real S3-compatible server (moto, started by scripts/test):
//! what the coordinator uploads is in the bucket, downloads byte for byte
//! with its SHA-256, and an upload that fails half-way — cut off, or over
//! the limit — leaves no object, no pending multipart upload and no row.

use crate::helpers::{Bucket, TestApp, pdf_bytes};
use futures_util::StreamExt;
use second_opinion::domain::{CaseStatus, Role};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::time::Duration;

fn png_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(size, 0);
    bytes
}

/// Waits (a few seconds at most) until the bucket holds no object and no
/// pending multipart upload: clean-up after a dropped request runs on its own task.
async fn left_in(bucket: &Bucket) -> (Vec<String>, Vec<String>) {
    for _ in 0..50 {
        let left = (bucket.keys().await, bucket.pending_uploads().await);
        if left.0.is_empty() && left.1.is_empty() {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (bucket.keys().await, bucket.pending_uploads().await)
}

#[sqlx::test]
async fn documents_in_s3_download_with_the_same_bytes_and_sha256(db: PgPool) {
    let bucket = Bucket::create().await;
    let app = TestApp::spawn_with_s3(db, &bucket).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source = app.sources_of(&case.id).await[0];
    let path = format!("/coordinator/cases/{}/sources/{source}/documents", case.id);
    // 12 MB goes up in parts (a multipart upload); the small image in one PUT.
    let files = [("scan.pdf", pdf_bytes(12 * 1024 * 1024 + 17)), ("photo.png", png_bytes(4000))];
    for (name, bytes) in &files {
        let res = app.post_multipart(&path, &[], Some((name, bytes.clone()))).await;
        assert_eq!(res.status(), 303, "{name} uploaded");
        let (id, key, sha256): (uuid::Uuid, String, Vec<u8>) =
            sqlx::query_as("select id, storage_key, sha256 from documents where original_name = $1")
                .bind(name)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(sha256, Sha256::digest(bytes).to_vec(), "{name}: the recorded SHA-256 is the file's");
        assert!(bucket.keys().await.contains(&key), "{name} is an object in the bucket");
        let object = bucket.object(&key).await;
        assert!(
            &object == bytes,
            "{name}: the object holds exactly the file ({} bytes of {}: {:?})",
            object.len(),
            bytes.len(),
            String::from_utf8_lossy(&object[..object.len().min(300)])
        );

        let res = app.get(&format!("/documents/{id}")).await;
        assert_eq!(res.status(), 200);
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        let body = res.bytes().await.unwrap();
        assert!(&body[..] == bytes, "{name}: the download is the file");
        assert_eq!(Sha256::digest(&body).to_vec(), sha256);
    }
    assert!(bucket.pending_uploads().await.is_empty(), "every multipart upload was completed");

    // The viewer shows an image in the page, from the same object.
    let (png, key): (uuid::Uuid, String) =
        sqlx::query_as("select id, storage_key from documents where original_name = 'photo.png'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let res = app.get(&format!("/documents/{png}?inline=1")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(res.bytes().await.unwrap().len(), 4000);

    // An object changed in the bucket behind the app's back is refused, not served.
    bucket.overwrite(&key, png_bytes(4000).into_iter().rev().collect()).await;
    let res = app.get(&format!("/documents/{png}")).await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.audit_count("download_document", "failure").await, 1);
}

#[sqlx::test]
async fn an_upload_cut_off_mid_body_leaves_nothing_in_s3(db: PgPool) {
    let bucket = Bucket::create().await;
    let app = TestApp::spawn_with_s3(db, &bucket).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source = app.sources_of(&case.id).await[0];
    let before = app.count("select count(*) from documents").await;
    let token = app.csrf_token().await;
    let boundary = "so-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    );
    // 12 MB of the file, then the body waits for the test to cut it off.
    let (cut, cut_here) = tokio::sync::oneshot::channel::<()>();
    let first: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(head.into_bytes()), Ok(vec![b'x'; 6 * 1024 * 1024]), Ok(vec![b'y'; 6 * 1024 * 1024])];
    let then_cut = futures_util::stream::once(async move {
        let _ = cut_here.await;
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away"))
    });
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(first).chain(then_cut));
    let request = app
        .client
        .post(app.url(&format!("/coordinator/cases/{}/sources/{source}/documents", case.id)))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send();
    let sending = tokio::spawn(request);

    // The app has begun a multipart upload: the cut-off is in the middle of one.
    let mut started = false;
    for _ in 0..100 {
        if !bucket.pending_uploads().await.is_empty() {
            started = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(started, "the app started a multipart upload before the cut-off");
    let _ = cut.send(());
    assert!(sending.await.unwrap().is_err(), "the client gave up mid-upload");

    let (objects, pending) = left_in(&bucket).await;
    assert!(objects.is_empty(), "no object left: {objects:?}");
    assert!(pending.is_empty(), "no pending multipart upload left: {pending:?}");
    assert_eq!(app.count("select count(*) from documents").await, before, "no documents row");
}

#[sqlx::test]
async fn an_upload_over_the_limit_is_refused_and_leaves_nothing_in_s3(db: PgPool) {
    let bucket = Bucket::create().await;
    let app = TestApp::spawn_with_s3(db, &bucket).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let source = app.sources_of(&case.id).await[0];
    let before = app.count("select count(*) from documents").await;
    let path = format!("/coordinator/cases/{}/sources/{source}/documents", case.id);
    // 25 MB went up in parts before the limit was passed: those parts are aborted.
    let res = app.post_multipart(&path, &[], Some(("huge.pdf", pdf_bytes(25 * 1024 * 1024 + 1)))).await;
    assert_eq!(res.status(), 303);
    let to = crate::helpers::location(&res);
    let page = crate::helpers::text(app.get(to.split('#').next().unwrap()).await).await;
    assert!(page.contains("at most 25 MB"), "the reason is on the page");
    let (objects, pending) = left_in(&bucket).await;
    assert!(objects.is_empty(), "no object left: {objects:?}");
    assert!(pending.is_empty(), "no pending multipart upload left: {pending:?}");
    assert_eq!(app.count("select count(*) from documents").await, before, "no documents row");
}
