//! Clarifying questions after the opinion (rule 6 of the spec): the family
//! asks, the clinician answers or escalates, the specialist may answer an
//! escalated one. Shared here because three roles touch the same rows.

use crate::domain::text::FollowUpAnswer;
use crate::domain::{CaseId, FollowUpId, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

#[derive(serde::Deserialize)]
pub struct FollowUpRow {
    pub id: FollowUpId,
    pub position: i16,
    /// The number of the original question it clarifies.
    pub about: i16,
    pub body: String,
    pub answer: Option<String>,
    pub escalated: bool,
    /// Who answered, and in which role (the staff doctor or the specialist).
    pub answered_by: Option<String>,
    pub answered_by_role: Option<Role>,
}

impl FollowUpRow {
    pub fn by_specialist(&self) -> bool {
        self.answered_by_role == Some(Role::Specialist)
    }

    /// "the staff doctor, Dr. Lee" or "the specialist, Dr. Sam".
    pub fn answerer(&self) -> Option<String> {
        let who = if self.answered_by_role? == Role::Specialist { "the specialist" } else { "the staff doctor" };
        Some(format!("{who}, {}", self.answered_by.as_deref()?))
    }
}

/// The case's follow-ups in order; with `escalated_only`, those passed to the specialist.
/// The case's follow-up questions in order, or only those escalated to the
/// specialist (`case_follow_ups_list`, migration 0061).
pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId, escalated_only: bool) -> sqlx::Result<Vec<FollowUpRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_follow_ups_list($1, $2) as "list!: sqlx::types::Json<Vec<FollowUpRow>>""#,
        case as CaseId,
        escalated_only
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

/// Who is answering: a specialist may answer only what was escalated to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answerer {
    Clinician,
    Specialist,
}

/// Records an answer (once) and tells the family there is an update. `None`
/// when there is no such unanswered question for this answerer (→ 404).
pub async fn answer(
    state: &AppState,
    conn: &mut PgConnection,
    by: UserId,
    answerer: Answerer,
    case: CaseId,
    follow_up: FollowUpId,
    answer: &FollowUpAnswer,
) -> Result<(), AppError> {
    let now = state.clock.now();
    sqlx::query_scalar!(
        r#"update follow_up_questions f set answer = $3, answered_by = $4, answered_at = $5
           where f.id = $2 and f.case_id = $1 and f.answer is null and ($6 or f.escalated_at is not null)
           returning f.id"#,
        case as CaseId,
        follow_up as FollowUpId,
        answer.as_str(),
        by as UserId,
        now.to_sqlx() as _,
        answerer == Answerer::Clinician
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    super::updates::tell_family(state, conn, case, super::updates::Update::FollowUpAnswered(follow_up)).await?;
    Ok(())
}

/// Passes a question the clinician can't answer to the specialist, whose
/// answer is not guaranteed (the family's page says so).
pub async fn escalate(
    conn: &mut PgConnection,
    case: CaseId,
    follow_up: FollowUpId,
    now: Timestamp,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        "update follow_up_questions set escalated_at = $3 where id = $2 and case_id = $1 and answer is null and escalated_at is null",
        case as CaseId,
        follow_up as FollowUpId,
        now.to_sqlx() as _
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 { Err(AppError::NotFound) } else { Ok(()) }
}
