//! `transition` is the only code that changes a case's status. It moves the
//! case only from the state the caller saw (so two people can't both move
//! it), stamps the milestone, sets the new state's deadline (`due_at`, from
//! `schedule`), and writes the `case_events` row in the caller's
//! transaction. The database refuses undrawn transitions and a status change
//! without its event.

use super::schedule;
use crate::domain::{CaseId, CaseStatus, ChildId, SafetyScreenId, UserId};
use crate::error::{AppError, constraint_of};
use crate::i18n::Msg;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// The database's refusal to submit a case it can't call about, in words.
pub const NEEDS_PHONE: Msg = Msg("refusal-needs-phone");
/// The database's refusal (`cases_need_a_question`), in words.
pub const NEEDS_A_QUESTION: Msg = Msg("refusal-needs-a-question");

/// Moves `case` from `from` to `to`. Fails with a conflict if the case is no
/// longer in `from` (someone else moved it first).
#[tracing::instrument(skip_all, fields(%case, from = from.as_str(), to = to.as_str()))]
pub async fn transition(
    conn: &mut PgConnection,
    case: CaseId,
    from: CaseStatus,
    to: CaseStatus,
    actor: Option<UserId>,
    note: Option<&str>,
    at: Timestamp,
) -> Result<(), AppError> {
    let calendar = schedule::calendar(&mut *conn).await?;
    let basis = if to == CaseStatus::InReview { basis(conn, case).await? } else { schedule::Basis::default() };
    let due = schedule::due_at(&calendar, to, at, basis);
    let call_due = (to == CaseStatus::OpinionDelivered).then(|| schedule::call_due_at(&calendar, at));
    let moved = sqlx::query!(
        r#"update cases set
               status = $3,
               version = version + 1,
               due_at = $5,
               call_due_at = coalesce($6, call_due_at),
               submitted_at = case when $3 = 'submitted'::case_status then $4 else submitted_at end,
               collecting_records_at = case when $3 = 'collecting_records'::case_status then $4 else collecting_records_at end,
               ready_for_review_at = case when $3 = 'ready_for_review'::case_status then $4 else ready_for_review_at end,
               in_review_at = case when $3 = 'in_review'::case_status then $4 else in_review_at end,
               opinion_delivered_at = case when $3 = 'opinion_delivered'::case_status then $4 else opinion_delivered_at end,
               closed_at = case when $3 = 'closed'::case_status then $4 else closed_at end,
               cancelled_at = case when $3 = 'cancelled'::case_status then $4 else cancelled_at end
           where id = $1 and status = $2"#,
        case as CaseId,
        from as CaseStatus,
        to as CaseStatus,
        at.to_sqlx() as _,
        due.map(ToSqlx::to_sqlx) as _,
        call_due.map(ToSqlx::to_sqlx) as _
    )
    .execute(&mut *conn)
    .await
    .map_err(|e| match constraint_of(&e) {
        Some("cases_status_transition") => {
            AppError::Conflict(format!("A case can't go from \"{}\" to \"{}\".", from.label(), to.label()).into())
        }
        Some("cases_submitted_phone") => AppError::Conflict(NEEDS_PHONE.into()),
        Some("cases_need_a_question") => AppError::Conflict(NEEDS_A_QUESTION.into()),
        _ => e.into(),
    })?;
    if moved.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This case changed since you opened it. Please reload the page and try again.".into(),
        ));
    }
    record_event(conn, case, Some(from), to, actor, note, at).await
}

/// What the opinion's deadline counts from: the records' completion and the
/// business days paid re-reviews added.
async fn basis(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<schedule::Basis> {
    let row = sqlx::query!(
        r#"select ready_for_review_at as "at: jiff_sqlx::Timestamp", opinion_extension_days from cases where id = $1"#,
        case as CaseId
    )
    .fetch_one(conn)
    .await?;
    Ok(schedule::Basis {
        records_complete_at: row.at.map(jiff_sqlx::Timestamp::to_jiff),
        extension_days: u32::from(row.opinion_extension_days.unsigned_abs()), // 0..=60 by constraint
    })
}

/// A paid re-review moves the opinion's deadline by `days` business days:
/// the case keeps the sum, and a case already with the specialist gets its
/// new deadline now (a later `in_review` counts it in).
pub async fn extend_opinion(conn: &mut PgConnection, case: CaseId, days: i16) -> Result<(), AppError> {
    if days == 0 {
        return Ok(());
    }
    let row = sqlx::query!(
        r#"update cases set opinion_extension_days = least(opinion_extension_days + $2, 60) where id = $1
           returning status as "status: CaseStatus", in_review_at as "in_review_at: jiff_sqlx::Timestamp""#,
        case as CaseId,
        days
    )
    .fetch_one(&mut *conn)
    .await?;
    if let (CaseStatus::InReview, Some(sent)) = (row.status, row.in_review_at) {
        let calendar = schedule::calendar(&mut *conn).await?;
        let due = schedule::due_at(&calendar, CaseStatus::InReview, sent.to_jiff(), basis(conn, case).await?);
        sqlx::query!("update cases set due_at = $2 where id = $1", case as CaseId, due.map(ToSqlx::to_sqlx) as _)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Creates a draft case for `child`, opened by its guardian `family` after
/// the safety `screen`, and its first timeline entry. The database refuses
/// a case without a screen, after an emergency answer, a second case from
/// one screen, or one by someone who is not the child's guardian (→ 404).
pub async fn open_draft(
    conn: &mut PgConnection,
    family: UserId,
    child: ChildId,
    screen: SafetyScreenId,
    contact_email: &str,
    previous: Option<(CaseId, Option<UserId>)>,
    at: Timestamp,
) -> Result<CaseId, AppError> {
    let (previous_case, requested_specialist) = previous.unzip();
    let id = sqlx::query_scalar!(
        r#"insert into cases (family_id, child_id, safety_screen_id, contact_email, previous_case_id,
                              requested_specialist_id, created_at)
           values ($1, $2, $3, $4, $5, $6, $7) returning id as "id: CaseId""#,
        family as UserId,
        child as ChildId,
        screen as SafetyScreenId,
        contact_email,
        previous_case as Option<CaseId>,
        requested_specialist.flatten() as Option<UserId>,
        at.to_sqlx() as _
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match constraint_of(&e) {
        Some(
            "cases_opened_by_a_guardian"
            | "cases_safety_screened"
            | "cases_safety_screen_emergency"
            | "cases_one_case_per_screen",
        ) => AppError::NotFound,
        _ => e.into(),
    })?;
    let note = previous_case.map(|_| "Opened as a follow-on to an earlier case.");
    record_event(conn, id, None, CaseStatus::Draft, Some(family), note, at).await?;
    Ok(id)
}

async fn record_event(
    conn: &mut PgConnection,
    case: CaseId,
    from: Option<CaseStatus>,
    to: CaseStatus,
    actor: Option<UserId>,
    note: Option<&str>,
    at: Timestamp,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into case_events (case_id, at, actor_user_id, from_status, to_status, note) values ($1, $2, $3, $4, $5, $6)",
        case as CaseId,
        at.to_sqlx() as _,
        actor as Option<UserId>,
        from as Option<CaseStatus>,
        to as CaseStatus,
        note
    )
    .execute(conn)
    .await?;
    Ok(())
}
