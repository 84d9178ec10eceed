//! The clinician's side: the follow-up calls (due, overdue, done) with what
//! is needed to make them, a read-only view of each case, clarifying
//! questions to answer or pass to the specialist, and referral requests.

mod break_glass;
mod calls;
pub use calls::CallState;
mod case_view;
mod follow_ups;
mod messages;
mod schedule;

use crate::audit::{self, Entry, Outcome};
use crate::cases::break_glass::{self as glass, Access};
use crate::domain::CaseId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::CurrentUser;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(calls::home))
        .route("/break-glass", get(break_glass::form_page).post(break_glass::open))
        .route("/cases/{id}", get(case_view::case_view))
        .route("/cases/{id}/calls", post(calls::log_call))
        .route("/cases/{id}/follow-ups/{follow_up}/answer", post(follow_ups::answer))
        .route("/cases/{id}/follow-ups/{follow_up}/escalate", post(follow_ups::escalate))
        .route("/cases/{id}/calls/schedule", post(schedule::schedule_call))
        .route("/cases/{id}/messages", get(messages::messages_page).post(messages::reply))
        .route("/cases/{id}/referrals/{referral}", post(follow_ups::record_referral))
}

/// The clinician's own case, or 404.
async fn my_case(state: &AppState, me: &CurrentUser, id: CaseId) -> Result<(), AppError> {
    sqlx::query_scalar!(
        r#"select 1 as "one!" from cases where id = $1 and clinician_id = $2"#,
        id as CaseId,
        me.id as crate::domain::UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// How the clinician may read a case: their own, or one they opened by
/// break-glass in the last twelve hours; anything else is not found.
async fn access(state: &AppState, me: &CurrentUser, id: CaseId) -> Result<Access, AppError> {
    let mut conn = state.db.acquire().await?;
    let holders = glass::holders(&mut conn, id, me.id, state.clock.now()).await?.ok_or(AppError::NotFound)?;
    holders.access(me.id, me.role).ok_or(AppError::NotFound)
}

/// Audits a clinician's action on a case, in the caller's transaction.
async fn audited(
    conn: &mut sqlx::PgConnection,
    me: &CurrentUser,
    action: &'static str,
    case: CaseId,
    entity: (&'static str, String),
) -> Result<(), AppError> {
    let entry = Entry::new(action, Outcome::Success).by(me.id, me.role).on(entity.0, entity.1).case(case);
    Ok(audit::record(conn, entry).await?)
}
