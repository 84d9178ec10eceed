//! The clinician's follow-up call after the opinion, as a history of
//! attempts. The coordinator's checklist and the family read it too.

use crate::domain::text::CallNotes;
use crate::domain::{CallId, CallOutcome, CaseId, UserId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

pub struct CallRow {
    pub at: jiff_sqlx::Timestamp,
    pub outcome: CallOutcome,
    pub notes: String,
    pub next_attempt_at: Option<jiff_sqlx::Timestamp>,
    pub clinician: String,
}

impl CallRow {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.at)
    }
    pub fn next(&self) -> Option<String> {
        self.next_attempt_at.map(crate::web::format::date_time)
    }
}

/// Every attempt on the case, oldest first.
pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<CallRow>> {
    sqlx::query_as!(
        CallRow,
        r#"select k.at as "at: jiff_sqlx::Timestamp", k.outcome as "outcome: CallOutcome", k.notes,
                  k.next_attempt_at as "next_attempt_at: jiff_sqlx::Timestamp", u.full_name as clinician
           from follow_up_calls k join users u on u.id = k.clinician_id
           where k.case_id = $1 order by k.at, k.id"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}

/// One attempt to record.
pub struct Attempt {
    pub outcome: CallOutcome,
    pub notes: CallNotes,
    /// When to try again, if the family was not reached.
    pub next_attempt_at: Option<Timestamp>,
}

/// Records an attempt (the case's flags follow by trigger); a scheduled
/// time it answers is cleared.
pub async fn log(
    conn: &mut PgConnection,
    case: CaseId,
    clinician: UserId,
    attempt: &Attempt,
    at: Timestamp,
) -> sqlx::Result<CallId> {
    let next = attempt.next_attempt_at.filter(|_| attempt.outcome != CallOutcome::Completed);
    sqlx::query!("update cases set call_scheduled_for = null where id = $1", case as CaseId)
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar!(
        r#"insert into follow_up_calls (case_id, clinician_id, outcome, notes, next_attempt_at, at)
           values ($1, $2, $3, $4, $5, $6) returning id as "id: CallId""#,
        case as CaseId,
        clinician as UserId,
        attempt.outcome as CallOutcome,
        attempt.notes.as_str(),
        next.map(ToSqlx::to_sqlx) as _,
        at.to_sqlx() as _
    )
    .fetch_one(conn)
    .await
}

/// The time the clinician told the family the call will be.
pub async fn schedule(conn: &mut PgConnection, case: CaseId, at: Timestamp) -> sqlx::Result<()> {
    sqlx::query!("update cases set call_scheduled_for = $2 where id = $1", case as CaseId, at.to_sqlx() as _)
        .execute(conn)
        .await?;
    Ok(())
}
