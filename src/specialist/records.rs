//! The records viewer: one document of the case at a time, shown in the
//! page — images as they are, PDFs drawn page by page by pdf.js (our own
//! copy, `static/vendor/pdfjs`) — with its name, its source, its page count
//! and the download. Translations come first, as in the list.

use crate::audit::{self, Entry, Outcome};
use crate::cases::db::{DocumentRow, SourceWithDocuments};
use crate::domain::{CaseId, DocumentId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Path, Specialist};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

#[derive(Template)]
#[template(path = "specialist/record.html")]
struct RecordPage {
    page: PageContext,
    case: CaseId,
    case_number: String,
    document: DocumentRow,
    facility: String,
    language: String,
    /// Every document of the case in reading order, for moving between them.
    all: Vec<(DocumentId, String)>,
    position: usize,
}

impl RecordPage {
    fn previous(&self) -> Option<&(DocumentId, String)> {
        self.position.checked_sub(1).and_then(|i| self.all.get(i))
    }
    fn next(&self) -> Option<&(DocumentId, String)> {
        self.all.get(self.position + 1)
    }
}

pub async fn view(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Path((id, document)): Path<(CaseId, DocumentId)>,
) -> Result<Html<String>, AppError> {
    let case_number = sqlx::query_scalar!(
        "select case_number from cases where id = $1 and specialist_id = $2 and status in ('in_review', 'opinion_delivered', 'closed')",
        id as CaseId,
        me.id as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let sources: Vec<SourceWithDocuments> = crate::cases::db::sources_with_documents(&mut conn, id).await?;
    let all: Vec<(DocumentId, String)> =
        sources.iter().flat_map(|s| s.documents.iter().map(|d| (d.id, d.original_name.clone()))).collect();
    // Another case's document is not found (and audited as such), not "viewed".
    let position = all.iter().position(|(d, _)| *d == document).ok_or(AppError::NotFound)?;
    let entry =
        Entry::new("view_document", Outcome::Success).by(me.id, me.role).on("document", document).case(id).from_ip(ip);
    audit::record(&mut *conn, entry).await?;
    drop(conn);
    let (source, document) = sources
        .into_iter()
        .find_map(|s| {
            let SourceWithDocuments { source, documents } = s;
            documents.into_iter().find(|d| d.id == document).map(|d| (source, d))
        })
        .ok_or(AppError::NotFound)?;
    html(&RecordPage {
        page,
        case: id,
        case_number,
        document,
        facility: source.facility,
        language: source.language,
        all,
        position,
    })
}
