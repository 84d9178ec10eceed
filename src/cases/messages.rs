//! The two-way thread between a family and their care team. The family
//! writes (and may attach one file, checked like a record), the coordinators
//! and the case's clinician read and reply; staff notes stay apart. Each new
//! message is emailed without its content, and the unread counts that the
//! queue and the dashboards show are kept on the case by a trigger
//! (migration 0016).

use super::db::RECORDS_FROZEN;
use super::documents::Stored;
use crate::domain::text::MessageBody;
use crate::domain::{CaseId, DocumentId, MessageId, RecordSourceId, Role, UserId};
use crate::error::{AppError, conflicts};
use crate::i18n::Msg;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::CurrentUser;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

/// Shown when the case takes no messages (a draft, or a finished case).
/// The refusal `documents_max_forty`.
pub const FORTY_FILES: crate::i18n::Msg = crate::i18n::Msg("refusal-forty-files");
pub const CLOSED: crate::i18n::Msg = crate::i18n::Msg("refusal-messages-closed");

/// A file attached to a message.
pub struct AttachmentRow {
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The record the coordinator filed it as, if they did.
    pub filed_document_id: Option<DocumentId>,
}

impl AttachmentRow {
    pub fn size_kb(&self) -> i64 {
        (self.size_bytes + 1023) / 1024
    }
}

/// One message as anyone in the thread reads it.
pub struct MessageRow {
    pub id: MessageId,
    pub author: String,
    pub author_role: Role,
    pub body: String,
    pub created_at: jiff_sqlx::Timestamp,
    pub attachment: Option<AttachmentRow>,
}

impl MessageRow {
    pub fn from_family(&self) -> bool {
        self.author_role == Role::Family
    }
    /// Who they are in the thread, as the family knows them.
    pub fn title(&self) -> Msg {
        match self.author_role {
            Role::Family => Msg("thread-role-family"),
            Role::Coordinator => Msg("thread-role-coordinator"),
            Role::Clinician => Msg("thread-role-clinician"),
            Role::Specialist => Msg("thread-role-specialist"),
            Role::Admin => Msg("thread-role-admin"),
        }
    }
}

/// The case's thread, oldest first.
pub async fn thread(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<MessageRow>> {
    let rows = sqlx::query!(
        r#"select m.id as "id: MessageId", u.full_name, m.author_role as "author_role: Role", m.body,
                  m.created_at as "created_at: jiff_sqlx::Timestamp", m.attachment_name, m.attachment_type,
                  m.attachment_size, m.filed_document_id as "filed_document_id: DocumentId"
           from case_messages m join users u on u.id = m.author_id
           where m.case_id = $1 order by m.created_at, m.id"#,
        case as CaseId
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MessageRow {
            id: r.id,
            author: r.full_name,
            author_role: r.author_role,
            body: r.body,
            created_at: r.created_at,
            attachment: match (r.attachment_name, r.attachment_type, r.attachment_size) {
                (Some(name), Some(content_type), Some(size_bytes)) => {
                    Some(AttachmentRow { name, content_type, size_bytes, filed_document_id: r.filed_document_id })
                }
                _ => None,
            },
        })
        .collect())
}

/// Who read the thread: the family, or (for all of them) the care team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Family,
    Team,
}

/// Everything in the thread is read by `reader` now (writes only when something was unread).
pub async fn mark_read(db: impl PgExecutor<'_>, case: CaseId, reader: Reader) -> sqlx::Result<()> {
    sqlx::query!(
        r#"update cases set unread_by_family = case when $2 then 0 else unread_by_family end,
                            unread_by_team = case when $2 then unread_by_team else 0 end
           where id = $1 and (case when $2 then unread_by_family else unread_by_team end) > 0"#,
        case as CaseId,
        reader == Reader::Family
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Adds a message by `author` to `case`'s thread, in the caller's
/// transaction, and emails the other side that there is one (never what it says).
pub async fn post(
    state: &AppState,
    conn: &mut PgConnection,
    case: CaseId,
    author: &CurrentUser,
    body: &MessageBody,
    attachment: Option<(&str, &Stored)>,
) -> Result<MessageId, AppError> {
    let now = state.clock.now();
    let (name, file) = attachment.unzip();
    let id = sqlx::query_scalar!(
        r#"insert into case_messages (case_id, author_id, author_role, body, created_at, attachment_key, attachment_name,
                                      attachment_type, attachment_size, attachment_sha256)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id as "id: MessageId""#,
        case as CaseId,
        author.id as UserId,
        author.role as Role,
        body.as_str(),
        now.to_sqlx() as _,
        file.map(|f| f.key.as_str()),
        name,
        file.map(|f| f.content_type),
        file.map(|f| f.size),
        file.map(|f| f.sha256.as_slice())
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| conflicts(e, &[("case_messages_case_active", CLOSED)]))?;
    let to = sqlx::query!(
        r#"select co.email as "coordinator_email?" from cases c
           left join users co on co.id = c.coordinator_id and co.disabled_at is null where c.id = $1"#,
        case as CaseId
    )
    .fetch_one(&mut *conn)
    .await?;
    let base = &state.config.base_url;
    if author.role == Role::Family {
        // The case's coordinator hears of it; before anyone took the case,
        // the queue's unread count is how the team finds it.
        if let Some(email) = to.coordinator_email {
            let link = format!("{base}/coordinator/cases/{case}/messages");
            notify::enqueue(conn, now, &email, &Email::FamilyMessage { link }).await?;
        }
    } else {
        let link = format!("{base}/family/cases/{case}/messages");
        super::guardians::email_all(conn, now, case, &Email::CaseUpdate { link }, |_| true).await?;
    }
    Ok(id)
}

/// Files a message's attachment as a record of `source` (once), in the
/// caller's transaction. `None` when there is no such attachment to file.
pub async fn file_attachment(
    conn: &mut PgConnection,
    case: CaseId,
    message: MessageId,
    source: RecordSourceId,
    by: UserId,
) -> Result<Option<DocumentId>, AppError> {
    let document = sqlx::query_scalar!(
        r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by)
           select m.case_id, s.id, m.attachment_key, m.attachment_name, m.attachment_type, m.attachment_size,
                  m.attachment_sha256, $4
           from case_messages m join record_sources s on s.id = $3 and s.case_id = m.case_id
           where m.id = $2 and m.case_id = $1 and m.attachment_key is not null and m.filed_document_id is null
           returning id as "id: DocumentId""#,
        case as CaseId,
        message as MessageId,
        source as RecordSourceId,
        by as UserId
    )
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| {
        conflicts(
            e,
            &[
                ("documents_frozen", RECORDS_FROZEN),
                ("documents_max_forty", FORTY_FILES),
            ],
        )
    })?;
    if let Some(document) = document {
        sqlx::query!(
            "update case_messages set filed_document_id = $2 where id = $1",
            message as MessageId,
            document as DocumentId
        )
        .execute(conn)
        .await?;
    }
    Ok(document)
}

/// A message's attachment, for its download (the caller checks who may).
pub struct StoredAttachment {
    pub case_id: CaseId,
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub sha256: Vec<u8>,
}

pub async fn attachment(db: impl PgExecutor<'_>, message: MessageId) -> sqlx::Result<Option<StoredAttachment>> {
    sqlx::query_as!(
        StoredAttachment,
        r#"select case_id as "case_id: CaseId", attachment_key as "key!", attachment_name as "name!",
                  attachment_type as "content_type!", attachment_sha256 as "sha256!"
           from case_messages where id = $1 and attachment_key is not null"#,
        message as MessageId
    )
    .fetch_optional(db)
    .await
}
