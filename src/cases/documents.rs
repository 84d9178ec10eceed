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
    /// any refusal nothing is left behind.
    pub async fn put<S, E>(&self, file_name: &str, mut chunks: S) -> Result<Stored, UploadError>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    {
        use futures_util::StreamExt;
        let key = format!("documents/{}", uuid::Uuid::new_v4().simple());
        let path = StorePath::from(key.as_str());
        let mut writer = BufWriter::with_capacity(self.store.clone(), path.clone(), 1024 * 1024);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(16);
        let mut content_type = None;
        let result: Result<(), UploadError> = async {
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(|_| UploadError::Interrupted)?;
                size += chunk.len() as u64;
                if size > MAX_BYTES {
                    return Err(UploadError::TooLarge);
                }
                if content_type.is_none() {
                    head.extend_from_slice(&chunk[..chunk.len().min(16 - head.len().min(16))]);
                    if head.len() >= 8 {
                        content_type = Some(check_type(&head, file_name)?);
                    }
                }
                hasher.update(&chunk);
                writer.write_all(&chunk).await.map_err(|_| UploadError::StorageUnavailable)?;
            }
            if size == 0 {
                return Err(UploadError::Empty);
            }
            if content_type.is_none() {
                content_type = Some(check_type(&head, file_name)?);
            }
            writer.shutdown().await.map_err(|_| UploadError::StorageUnavailable)
        }
        .await;
        match (result, content_type) {
            (Ok(()), Some(content_type)) => {
                Ok(Stored { key, content_type, size: size as i64, sha256: hasher.finalize().to_vec() })
            }
            (Ok(()), None) => Err(UploadError::NotAllowedType),
            (Err(e), _) => {
                let _ = writer.abort().await;
                let _ = self.store.delete(&path).await;
                Err(e)
            }
        }
    }

    /// The stored bytes, if they still hash to what was recorded.
    pub async fn get_verified(&self, key: &str, sha256: &[u8]) -> anyhow::Result<Option<Bytes>> {
        let bytes = self.store.get(&StorePath::from(key)).await?.bytes().await?;
        Ok((Sha256::digest(&bytes).as_slice() == sha256).then_some(bytes))
    }

    /// Removes an object whose database row could not be written.
    pub async fn delete(&self, key: &str) {
        if let Err(e) = self.store.delete(&StorePath::from(key)).await {
            tracing::warn!(error = %e, "could not remove an orphaned document");
        }
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
