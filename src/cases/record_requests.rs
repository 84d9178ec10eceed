//! The care team asks the family for a specific record ("the MRI report of
//! March 2026 from Valley Clinic"): it shows on the family's case page, with
//! an email that there is an update, until staff mark it received.

use crate::domain::text::RecordRequestBody;
use crate::domain::{CaseId, RecordRequestId, RecordSourceId, UserId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

#[derive(serde::Deserialize)]
pub struct RecordRequestRow {
    pub id: RecordRequestId,
    pub facility: Option<String>,
    pub body: String,
    pub requested_by: String,
    #[serde(with = "crate::json_rows::timestamp")]
    pub created_at: jiff_sqlx::Timestamp,
    #[serde(with = "crate::json_rows::option_timestamp")]
    pub resolved_at: Option<jiff_sqlx::Timestamp>,
}

impl RecordRequestRow {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.created_at)
    }
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }
}

/// All of a case's requests, or only the open ones (what the family is asked for now).
/// The case's requests for records, oldest first, or only the open ones
/// (`case_record_requests_list`, migration 0061).
pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId, open_only: bool) -> sqlx::Result<Vec<RecordRequestRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_record_requests_list($1, $2) as "list!: sqlx::types::Json<Vec<RecordRequestRow>>""#,
        case as CaseId,
        open_only
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

/// `None` when the source named is not one of this case's.
pub async fn ask(
    conn: &mut PgConnection,
    case: CaseId,
    source: Option<RecordSourceId>,
    body: &RecordRequestBody,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<Option<RecordRequestId>> {
    sqlx::query_scalar!(
        r#"insert into record_requests (case_id, record_source_id, body, requested_by, created_at)
           select $1, $2, $3, $4, $5
           where $2::uuid is null or exists (select 1 from record_sources where id = $2 and case_id = $1)
           returning id as "id: RecordRequestId""#,
        case as CaseId,
        source as Option<RecordSourceId>,
        body.as_str(),
        by as UserId,
        at.to_sqlx() as _
    )
    .fetch_optional(conn)
    .await
}

/// `false` when it was already marked received (or is not this case's).
pub async fn resolve(
    conn: &mut PgConnection,
    case: CaseId,
    request: RecordRequestId,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update record_requests set resolved_at = $3, resolved_by = $4 where id = $2 and case_id = $1 and resolved_at is null",
        case as CaseId,
        request as RecordRequestId,
        at.to_sqlx() as _,
        by as UserId
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
