//! Reads of a case's parts that more than one role shows: its questions,
//! record sources and documents, notes, additional fees. Who may see a case
//! is each role's own query; these take a case the caller already checked.

use crate::domain::{
    CaseId, CaseStatus, Cents, DocumentId, FeeKind, FeeRequestId, FeeStatus, QuestionId, RecordSourceId, RecordStatus,
};
use crate::i18n::Msg;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};

/// Refusals the database gives when a case's questions or records are frozen
/// (named constraints `case_questions_frozen`, `record_sources_frozen`, `documents_frozen`).
pub const QUESTIONS_FROZEN: Msg = Msg("refusal-questions-frozen");
/// The refusal `children_frozen_in_review`, for the family's page.
pub const CHILD_FROZEN: Msg = Msg("refusal-child-frozen");

/// True when a case of `child` is in review or past it: the child's name
/// and date of birth are frozen (migration 0023).
pub async fn child_is_frozen(db: impl sqlx::PgExecutor<'_>, child: crate::domain::ChildId) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from cases where child_id = $1
                          and status in ('in_review', 'opinion_delivered', 'closed')) as "frozen!""#,
        child as crate::domain::ChildId
    )
    .fetch_one(db)
    .await
}

/// The refusal `case_questions_keep_one`: a case paid for (or being paid for) keeps a question.
pub const LAST_QUESTION: Msg = Msg("refusal-last-question");
pub const RECORDS_FROZEN: Msg = Msg("refusal-records-frozen");

#[derive(serde::Deserialize)]
pub struct QuestionRow {
    pub id: QuestionId,
    pub position: i16,
    pub body: String,
}

/// The case's questions in order (`case_questions_list`, migration 0061).
pub async fn questions(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<QuestionRow>> {
    let list =
        sqlx::query_scalar!(r#"select case_questions_list($1) as "list!: Json<Vec<QuestionRow>>""#, case as CaseId)
            .fetch_one(db)
            .await?;
    Ok(list.0)
}

#[derive(serde::Deserialize)]
pub struct RecordSourceRow {
    pub id: RecordSourceId,
    pub facility: String,
    pub contact_name: String,
    pub phone: String,
    pub records_description: String,
    pub date_range: String,
    pub language: String,
    pub translation_required: bool,
    pub status: RecordStatus,
    pub unavailable_reason: Option<String>,
}

/// The case's record sources in the order they were added (`case_record_sources_list`).
pub async fn record_sources(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<RecordSourceRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_record_sources_list($1) as "list!: Json<Vec<RecordSourceRow>>""#,
        case as CaseId
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

pub struct DocumentRow {
    pub id: DocumentId,
    pub record_source_id: RecordSourceId,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The English translation of the source's records.
    pub is_translation: bool,
    pub created_at: jiff_sqlx::Timestamp,
}

impl DocumentRow {
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }

    pub fn size_kb(&self) -> i64 {
        (self.size_bytes + 1023) / 1024
    }
}

pub async fn documents(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as!(
        DocumentRow,
        r#"select id as "id: DocumentId", record_source_id as "record_source_id: RecordSourceId", original_name,
                  content_type, size_bytes, is_translation, created_at as "created_at: jiff_sqlx::Timestamp"
           from documents where case_id = $1 order by is_translation desc, created_at, id"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}

/// A record source with its documents, as the checklist and the records viewer list them.
pub struct SourceWithDocuments {
    pub source: RecordSourceRow,
    pub documents: Vec<DocumentRow>,
}

impl SourceWithDocuments {
    pub fn has_translation(&self) -> bool {
        self.documents.iter().any(|d| d.is_translation)
    }
}

/// Every source of the case with its documents, in one pass over each list.
pub async fn sources_with_documents(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<SourceWithDocuments>> {
    let mut documents = documents(&mut *conn, case).await?;
    Ok(record_sources(&mut *conn, case)
        .await?
        .into_iter()
        .map(|source| {
            let (mine, rest) =
                std::mem::take(&mut documents).into_iter().partition(|d| d.record_source_id == source.id);
            documents = rest;
            SourceWithDocuments { source, documents: mine }
        })
        .collect())
}

pub struct NoteRow {
    pub author: String,
    pub to_family: bool,
    pub body: String,
    pub created_at: jiff_sqlx::Timestamp,
}

impl NoteRow {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.created_at)
    }
}

/// Notes on the case: every one for staff, only messages to the family for the family.
pub async fn notes(db: impl PgExecutor<'_>, case: CaseId, family_only: bool) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as!(
        NoteRow,
        r#"select u.full_name as author, n.to_family, n.body, n.created_at as "created_at: jiff_sqlx::Timestamp"
           from case_notes n join users u on u.id = n.author_id
           where n.case_id = $1 and (n.to_family or not $2) order by n.created_at"#,
        case as CaseId,
        family_only
    )
    .fetch_all(db)
    .await
}

#[derive(serde::Deserialize)]
pub struct FeeRequestRow {
    pub id: FeeRequestId,
    pub kind: FeeKind,
    pub amount: Cents,
    pub reason: String,
    pub status: FeeStatus,
    /// Business days the opinion's deadline moves once it is paid.
    pub moves_opinion_days: i16,
    #[serde(with = "crate::json_rows::timestamp")]
    pub created_at: jiff_sqlx::Timestamp,
    #[serde(with = "crate::json_rows::option_timestamp")]
    pub decided_at: Option<jiff_sqlx::Timestamp>,
}

impl FeeRequestRow {
    /// What paying does to the opinion's date, in the family's words.
    pub fn date_effect(&self) -> String {
        crate::domain::fee::date_effect(self.moves_opinion_days)
    }
}

/// The case's additional fees, oldest first (`case_fee_requests_list`).
pub async fn fee_requests(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<FeeRequestRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_fee_requests_list($1) as "list!: Json<Vec<FeeRequestRow>>""#,
        case as CaseId
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

/// Locks the case row for a change that is not a transition, and returns
/// its status and where the family is emailed.
pub async fn lock(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<(CaseStatus, String)> {
    let row = sqlx::query!(
        r#"select status as "status: CaseStatus", contact_email from cases where id = $1 for update"#,
        case as CaseId
    )
    .fetch_one(conn)
    .await?;
    Ok((row.status, row.contact_email))
}

/// Like [`lock`], for a case the care team works on: `None` for a draft or no such case.
pub async fn lock_active(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Option<(CaseStatus, String)>> {
    let row = sqlx::query!(
        r#"select status as "status: CaseStatus", contact_email from cases where id = $1 and status <> 'draft' for update"#,
        case as CaseId
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.status, r.contact_email)))
}

/// Bumps the version after a change that is not a transition (stale forms then see it).
pub async fn touch(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<()> {
    sqlx::query!("update cases set version = version + 1 where id = $1", case as CaseId).execute(conn).await?;
    Ok(())
}
