//! Uploaded records: one small storage interface (a local directory by
//! default, any S3-compatible store in production) and the rules every
//! upload and download obeys. This is the one place to add encryption at rest.

use crate::config::{Config, DocumentStore};
use anyhow::Context;
use bytes::Bytes;
use object_store::buffered::BufWriter;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

pub const MAX_BYTES: u64 = 25 * 1024 * 1024;
pub const MAX_FILES_PER_CASE: i64 = 40;

/// The most an upload request may send. A file over 25 MB is read (and
/// thrown away) up to here, so the browser gets the page's "at most 25 MB"
/// instead of a connection cut mid-send; beyond it the connection is closed.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// An upload that sends nothing for this long has stalled: it is given up
/// and nothing is kept. (There is no limit on how long a steady upload takes:
/// 25 MB over a slow link can take many minutes.)
pub const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What the writer holds before it starts a multipart upload, and the size of
/// each part. S3 refuses to complete an upload whose parts (all but the last)
/// are under 5 MiB, so this is the smallest that works there.
const PART_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// What an upload left in the store (nothing is in the database yet).
pub struct Stored {
    pub key: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: Vec<u8>,
}

/// Why an upload was refused; each has a sentence for the page.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge,
    NotAllowedType,
    ExtensionMismatch,
    Interrupted,
    StorageUnavailable,
}

impl UploadError {
    pub fn message(&self) -> &'static str {
        match self {
            UploadError::Empty => "The file is empty.",
            UploadError::TooLarge => {
                "Files can be at most 25 MB. Split the document, or scan it at a lower resolution."
            }
            UploadError::NotAllowedType => "Only PDF, JPEG or PNG files can be uploaded.",
            UploadError::ExtensionMismatch => {
                "The file's name says one type but its content is another. Only PDF, JPEG or PNG files can be uploaded."
            }
            UploadError::Interrupted => "The upload was interrupted. Nothing was saved; please try again.",
            UploadError::StorageUnavailable => {
                "We couldn't store your file right now. Nothing was saved; please try again later."
            }
        }
    }
}

impl Storage {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = match &config.documents {
            DocumentStore::Local(dir) => {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
            DocumentStore::S3 { bucket } => {
                // Credentials, region and endpoint come from the standard AWS_* variables.
                Arc::new(object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build()?)
            }
        };
        Ok(Self { store })
    }

    /// Streams `chunks` into the store under a random key, sniffing the type
    /// from the first bytes, hashing as it goes, and stopping at 25 MB. On
    /// any refusal — and if the upload is abandoned mid-way, even by this
    /// future being dropped — nothing is left behind (an S3 multipart upload
    /// is aborted).
    pub async fn put<S, E>(&self, file_name: &str, chunks: S) -> Result<Stored, UploadError>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    {
        self.put_with_idle_timeout(file_name, chunks, IDLE_TIMEOUT).await
    }

    async fn put_with_idle_timeout<S, E>(
        &self,
        file_name: &str,
        mut chunks: S,
        idle: std::time::Duration,
    ) -> Result<Stored, UploadError>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    {
        use futures_util::StreamExt;
        let key = format!("documents/{}", uuid::Uuid::new_v4().simple());
        let path = StorePath::from(key.as_str());
        let mut upload = Unfinished {
            store: self.store.clone(),
            path: path.clone(),
            writer: Some(BufWriter::with_capacity(self.store.clone(), path, PART_BYTES)),
            finishing: false,
        };
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(16);
        let mut content_type = None;
        let result: Result<(), UploadError> = async {
            while let Some(chunk) =
                tokio::time::timeout(idle, chunks.next()).await.map_err(|_| UploadError::Interrupted)?
            {
                let chunk = chunk.map_err(|_| UploadError::Interrupted)?;
                size += chunk.len() as u64;
                if size > MAX_BYTES {
                    // Read the rest (up to the route's limit) so the browser hears why.
                    while let Ok(Some(Ok(more))) = tokio::time::timeout(idle, chunks.next()).await {
                        size += more.len() as u64;
                        if size > BODY_LIMIT as u64 {
                            break;
                        }
                    }
                    return Err(UploadError::TooLarge);
                }
                if content_type.is_none() {
                    head.extend_from_slice(&chunk[..chunk.len().min(16 - head.len().min(16))]);
                    if head.len() >= 8 {
                        content_type = Some(check_type(&head, file_name)?);
                    }
                }
                hasher.update(&chunk);
                upload.writer().write_all(&chunk).await.map_err(|_| UploadError::StorageUnavailable)?;
            }
            if size == 0 {
                return Err(UploadError::Empty);
            }
            if content_type.is_none() {
                content_type = Some(check_type(&head, file_name)?);
            }
            // A failed completion aborts the multipart upload itself; the
            // writer can't be aborted again after this.
            upload.finishing = true;
            upload.writer().shutdown().await.map_err(|_| UploadError::StorageUnavailable)
        }
        .await;
        match (result, content_type) {
            (Ok(()), Some(content_type)) => {
                upload.writer = None; // complete: nothing to clean up
                Ok(Stored { key, content_type, size: size as i64, sha256: hasher.finalize().to_vec() })
            }
            (Ok(()), None) => {
                upload.clean_up().await;
                Err(UploadError::NotAllowedType)
            }
            (Err(e), _) => {
                upload.clean_up().await;
                Err(e)
            }
        }
    }

    /// The stored bytes, if they still hash to what was recorded.
    pub async fn get_verified(&self, key: &str, sha256: &[u8]) -> anyhow::Result<Option<Bytes>> {
        let bytes = self.store.get(&StorePath::from(key)).await?.bytes().await?;
        Ok((Sha256::digest(&bytes).as_slice() == sha256).then_some(bytes))
    }

    /// The store itself, for the operator's tools (`backup.rs`: copying every object out and in).
    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// Removes an object whose database row could not be written.
    pub async fn delete(&self, key: &str) {
        if let Err(e) = self.store.delete(&StorePath::from(key)).await {
            tracing::warn!(error = %e, "could not remove an orphaned document");
        }
    }
}

/// An upload in progress. Finished uploads set `writer` to `None`; anything
/// else — a refusal, an error, or the request being dropped half-way (a
/// timeout, a client gone) — aborts the writer (an S3 multipart upload is
/// aborted, a local staging file removed) and deletes the object.
struct Unfinished {
    store: Arc<dyn ObjectStore>,
    path: StorePath,
    writer: Option<BufWriter>,
    /// `shutdown` has been called: the writer completes or aborts on its own
    /// (and panics if aborted again), so only the object is left to delete.
    finishing: bool,
}

impl Unfinished {
    fn writer(&mut self) -> &mut BufWriter {
        self.writer.as_mut().expect("the writer is there until the upload ends")
    }

    async fn clean_up(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            discard(&self.store, (!self.finishing).then_some(&mut writer), &self.path).await;
        }
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            let (store, path, finishing) = (self.store.clone(), self.path.clone(), self.finishing);
            // Dropped mid-upload: finish the clean-up on its own task.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { discard(&store, (!finishing).then_some(&mut writer), &path).await });
            }
        }
    }
}

/// Aborts the writer (unless it is past aborting) and deletes the object.
async fn discard(store: &Arc<dyn ObjectStore>, writer: Option<&mut BufWriter>, path: &StorePath) {
    if let Some(writer) = writer
        && let Err(e) = writer.abort().await
    {
        tracing::warn!(error = %e, "could not abort an unfinished upload");
    }
    match store.delete(path).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => tracing::warn!(error = %e, "could not remove an unfinished upload"),
    }
}

/// The content type from the magic bytes, which must agree with the name's extension.
fn check_type(head: &[u8], file_name: &str) -> Result<&'static str, UploadError> {
    let sniffed = sniff(head).ok_or(UploadError::NotAllowedType)?;
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let agrees = match sniffed {
        "application/pdf" => ext == "pdf",
        "image/jpeg" => ext == "jpg" || ext == "jpeg",
        _ => ext == "png",
    };
    if agrees { Ok(sniffed) } else { Err(UploadError::ExtensionMismatch) }
}

/// PDF, JPEG or PNG by their signatures; anything else is refused.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A display name that is safe everywhere it appears: no path, no control
/// or bidi characters, at most 120 characters (keeping the extension).
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = base.chars().filter(|c| !crate::domain::name::is_forbidden(*c)).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    let cleaned = if cleaned.is_empty() { "document".to_owned() } else { cleaned };
    if cleaned.chars().count() <= 120 {
        return cleaned;
    }
    let (stem, ext) = cleaned.rsplit_once('.').unwrap_or((&cleaned, ""));
    let ext: String = ext.chars().take(10).collect();
    let stem: String = stem.chars().take(120 - ext.chars().count() - 1).collect();
    format!("{stem}.{ext}")
}

/// `Content-Disposition` for a download, RFC 6266 / 5987 encoded.
pub fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(dir: &std::path::Path) -> Storage {
        std::fs::create_dir_all(dir).unwrap();
        Storage { store: Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir).unwrap()) }
    }

    fn files_in(dir: &std::path::Path) -> usize {
        fn walk(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
            })
        }
        walk(dir)
    }

    /// 6 MB of a PDF (enough for the writer to start a multipart upload), then silence.
    fn stalls_after_six_megabytes() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
        use futures_util::StreamExt as _;
        let mut first = b"%PDF-1.7\n".to_vec();
        first.resize(1024 * 1024, b'x');
        let chunks: Vec<Result<Bytes, std::io::Error>> = (0..6).map(|_| Ok(Bytes::from(first.clone()))).collect();
        Box::pin(futures_util::stream::iter(chunks).chain(futures_util::stream::pending()))
    }

    #[tokio::test]
    async fn a_stalled_upload_is_given_up_and_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("so-stall-{}", uuid::Uuid::new_v4().simple()));
        let storage = local(&dir);
        let idle = std::time::Duration::from_millis(200);
        let result = storage.put_with_idle_timeout("scan.pdf", stalls_after_six_megabytes(), idle).await;
        assert_eq!(result.err(), Some(UploadError::Interrupted));
        assert_eq!(files_in(&dir), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn an_upload_dropped_half_way_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("so-drop-{}", uuid::Uuid::new_v4().simple()));
        let storage = local(&dir);
        let upload = storage.put("scan.pdf", stalls_after_six_megabytes());
        // A request timeout (or a client gone) drops the handler's future mid-write.
        assert!(tokio::time::timeout(std::time::Duration::from_millis(300), upload).await.is_err());
        for _ in 0..50 {
            if files_in(&dir) == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(files_in(&dir), 0, "no staged part or object left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sniffing_goes_by_content_and_must_agree_with_the_name() {
        assert_eq!(check_type(b"%PDF-1.7\n", "scan.pdf"), Ok("application/pdf"));
        assert_eq!(check_type(b"\x89PNG\r\n\x1a\n", "x.PNG"), Ok("image/png"));
        assert_eq!(check_type(b"MZ\x90\x00\x03\x00\x00\x00", "evil.pdf"), Err(UploadError::NotAllowedType));
        assert_eq!(check_type(b"<html><script>", "page.pdf"), Err(UploadError::NotAllowedType));
        assert_eq!(check_type(b"\x89PNG\r\n\x1a\n", "image.pdf"), Err(UploadError::ExtensionMismatch));
    }

    #[test]
    fn hostile_file_names_become_harmless() {
        assert_eq!(sanitize_filename("../../x.pdf"), "x.pdf");
        assert_eq!(sanitize_filename("a\u{202E}fdp.exe"), "afdp.exe");
        assert_eq!(sanitize_filename("C:\\Users\\me\\scan.pdf"), "scan.pdf");
        assert_eq!(sanitize_filename(".."), "document");
        let long = format!("{}.pdf", "a".repeat(300));
        let short = sanitize_filename(&long);
        assert_eq!(short.chars().count(), 120);
        assert!(short.ends_with(".pdf"));
    }

    #[test]
    fn downloads_name_the_file_safely() {
        assert_eq!(
            content_disposition("MRI report.pdf"),
            "attachment; filename=\"MRI report.pdf\"; filename*=UTF-8''MRI%20report.pdf"
        );
        assert!(content_disposition("\"evil\r\n.pdf").starts_with("attachment; filename=\"_evil__.pdf\""));
    }
}
