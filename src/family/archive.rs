//! `GET /family/cases/{id}/archive`: everything about a child's case as one
//! zip file, for either guardian: an index in their language, the signed
//! opinion (the printable document, self-contained, and a plain-text copy),
//! the questions and follow-ups, the records list, the message thread with
//! the files the family attached, and the receipts. Audited; at most
//! [`MAX_PER_HOUR`] a guardian and case (counted in the audit trail).
//!
//! Size: the archive is written to an unlinked temporary file, one entry at a
//! time, then streamed out, so memory holds at most one attachment (25 MB,
//! `documents::MAX_BYTES`) and the text. Names inside come from the case
//! number, ids and dates only (`archive_text` says what each file holds).

use super::archive_text::{self as text, Entry as FileEntry};
use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::opinion::{self, Header, OpinionView};
use crate::cases::{follow_ups, messages};
use crate::domain::{CaseId, MessageId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::io::{Seek, SeekFrom, Write};
use tower_sessions::Session;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Archives one guardian may make of one case in an hour: enough to retry,
/// not enough to turn the document store into a download loop.
pub const MAX_PER_HOUR: i64 = 10;

/// The stylesheets, inlined so the documents read and print offline.
const APP_CSS: &str = include_str!("../../static/css/app.css");
const PRINT_CSS: &str = include_str!("../../static/css/print.css");

#[derive(Template)]
#[template(path = "family/archive/index.html")]
struct IndexFile<'a> {
    page: &'a PageContext,
    css: &'a str,
    case_number: &'a str,
    child_name: &'a str,
    made: String,
    has_opinion: bool,
    attachments: usize,
    receipts: usize,
}

#[derive(Template)]
#[template(path = "family/archive/opinion.html")]
struct OpinionFile<'a> {
    page: &'a PageContext,
    css: &'a str,
    print_css: &'a str,
    opinion: &'a OpinionView,
    header: &'a Header,
}

#[derive(Template)]
#[template(path = "family/archive/receipts.html")]
struct ReceiptsFile<'a> {
    page: &'a PageContext,
    css: &'a str,
    case_number: &'a str,
    provider: &'a crate::config::Provider,
    receipts: Vec<super::receipts::ReceiptRow>,
    years: Vec<text::YearTotal>,
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

pub async fn download_archive(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    let case = db::case(&mut conn, user.id, id, false).await?.ok_or(AppError::NotFound)?;
    if made_lately(&mut conn, user.id, id).await? >= MAX_PER_HOUR {
        let back = format!("/family/cases/{id}");
        return flash_redirect(&session, &back, FlashKind::Error, page.t("archive-throttled")).await;
    }
    let lang = page.lang;
    let questions = crate::cases::db::questions(&mut *conn, id).await?;
    let signed = opinion::load_signed(&mut conn, id).await?;
    let follow_ups = follow_ups::for_case(&mut *conn, id, false).await?;
    let sources = crate::cases::db::sources_with_documents(&mut conn, id).await?;
    let thread = messages::thread(&mut *conn, id).await?;
    let receipts = super::receipts::for_case(&state.db, user.id, id).await?;
    drop(conn);

    let root = text::root(&case.case_number, now);
    let attachments: Vec<(MessageId, String)> = thread
        .iter()
        .filter_map(|m| m.attachment.as_ref().map(|a| (m.id, text::attachment_path(m, &a.content_type))))
        .collect();
    let mut files: Vec<FileEntry> = Vec::new();
    let index = IndexFile {
        page: &page,
        css: APP_CSS,
        case_number: &case.case_number,
        child_name: &case.child_name,
        made: crate::i18n::date_time_in(lang, now),
        has_opinion: signed.is_some(),
        attachments: attachments.len(),
        receipts: receipts.len(),
    };
    files.push(FileEntry::new("index.html", index.render().map_err(internal)?));
    if let Some(signed) = &signed {
        let view = OpinionView::of(&questions, signed);
        let header = opinion::header(&mut *state.db.acquire().await?, id).await?;
        let document = OpinionFile { page: &page, css: APP_CSS, print_css: PRINT_CSS, opinion: &view, header: &header };
        files.push(FileEntry::new("opinion.html", document.render().map_err(internal)?));
        files.push(FileEntry::new("opinion.txt", text::opinion(lang, &header, &view)));
    }
    files.push(FileEntry::new("questions.txt", text::questions(lang, &questions, &follow_ups)));
    files.push(FileEntry::new("records.txt", text::records(lang, &sources)));
    files.push(FileEntry::new("messages.txt", text::messages(lang, &thread)));
    if !receipts.is_empty() {
        let years = text::year_totals(&receipts);
        let file = ReceiptsFile {
            page: &page,
            css: APP_CSS,
            case_number: &case.case_number,
            provider: &state.config.provider,
            receipts,
            years,
        };
        files.push(FileEntry::new("receipts.html", file.render().map_err(internal)?));
    }

    let mut zip = Archive::start(&root, now).await?;
    zip = zip.add(files, CompressionMethod::Deflated).await?;
    for (message, path) in attachments {
        let Some(stored) = messages::attachment(&state.db, message).await? else { continue };
        match state.documents.get_verified(&stored.key, &stored.sha256).await.map_err(AppError::Internal)? {
            Some(bytes) => {
                // PDFs and images are compressed already: stored as they are.
                zip = zip.add(vec![FileEntry { name: path, bytes }], CompressionMethod::Stored).await?;
            }
            None => {
                tracing::error!(message = %message, "attachment does not match its SHA-256: left out of the archive")
            }
        }
    }
    let (file, len) = zip.finish().await?;

    audit::record(
        &state.db,
        Entry::new("download_case_archive", Outcome::Success)
            .by(user.id, user.role)
            .on("case", id)
            .case(id)
            .from_ip(ip),
    )
    .await?;
    let mut response = Body::from_stream(chunks(file)).into_response();
    let h = response.headers_mut();
    let name = format!("{root}.zip");
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&crate::cases::documents::content_disposition(&name)).map_err(internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// Archives this guardian made of this case in the last hour (the audit
/// trail's `case_id` index finds them).
async fn made_lately(conn: &mut sqlx::PgConnection, user: UserId, case: CaseId) -> sqlx::Result<i64> {
    // The database's clock, which stamps the audit rows.
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from audit_log
           where case_id = $1 and actor_user_id = $2 and action = 'download_case_archive'
             and at > now() - interval '1 hour'"#,
        case as CaseId,
        user as UserId
    )
    .fetch_one(conn)
    .await
}

/// A zip being written to a temporary file that is already unlinked: it
/// disappears when the response is sent or the request is dropped. Each
/// write runs on the blocking pool.
struct Archive {
    zip: ZipWriter<std::fs::File>,
    root: String,
    modified: zip::DateTime,
}

impl Archive {
    async fn start(root: &str, now: jiff::Timestamp) -> Result<Self, AppError> {
        let at = now.to_zoned(crate::domain::business_days::time_zone().clone()).datetime();
        let modified = zip::DateTime::from_date_and_time(
            at.year() as u16,
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        )
        .map_err(internal)?;
        let file = tokio::task::spawn_blocking(|| -> std::io::Result<std::fs::File> {
            let path = std::env::temp_dir().join(format!("so-archive-{}.zip", uuid::Uuid::new_v4().simple()));
            let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
            std::fs::remove_file(&path)?;
            Ok(file)
        })
        .await
        .map_err(internal)?
        .map_err(internal)?;
        Ok(Self { zip: ZipWriter::new(file), root: root.to_owned(), modified })
    }

    async fn add(self, files: Vec<FileEntry>, method: CompressionMethod) -> Result<Self, AppError> {
        tokio::task::spawn_blocking(move || -> anyhow::Result<Self> {
            let Self { mut zip, root, modified } = self;
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .last_modified_time(modified)
                .unix_permissions(0o600)
                .large_file(false);
            for file in files {
                zip.start_file(format!("{root}/{}", file.name), options)?;
                zip.write_all(&file.bytes)?;
            }
            Ok(Self { zip, root, modified })
        })
        .await
        .map_err(internal)?
        .map_err(AppError::Internal)
    }

    /// The finished file, rewound, and its length.
    async fn finish(self) -> Result<(tokio::fs::File, u64), AppError> {
        let (file, len) = tokio::task::spawn_blocking(move || -> anyhow::Result<(std::fs::File, u64)> {
            let mut file = self.zip.finish()?;
            let len = file.stream_position()?;
            file.seek(SeekFrom::Start(0))?;
            Ok((file, len))
        })
        .await
        .map_err(internal)?
        .map_err(AppError::Internal)?;
        Ok((tokio::fs::File::from_std(file), len))
    }
}

/// The file as a stream of 64 KiB chunks.
fn chunks(file: tokio::fs::File) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::try_unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.truncate(n);
        Ok(Some((Bytes::from(buf), file)))
    })
}
