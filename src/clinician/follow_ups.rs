//! Clarifying questions (answer, or pass to the specialist) and referral outcomes.

use super::calls::{TypedAnswer, render_home};
use super::{audited, my_case};
use crate::cases::follow_ups::{self, Answerer};
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::FollowUpAnswer;
use crate::domain::{CaseId, FollowUpId, ReferralId, ReferralStatus, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{Clinician, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub async fn answer(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, FollowUpId)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    my_case(&state, &me, id).await?;
    let answer = match FollowUpAnswer::parse_required(&form.answer) {
        Ok(answer) => answer,
        Err(e) => {
            let error = format!("Nothing was sent: {}", e.message("An answer", "write the answer."));
            let typed = TypedAnswer { follow_up, text: form.answer, error };
            return render_home(&state, page, &me, 0, Some(typed)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    follow_ups::answer(&state, &mut tx, me.id, Answerer::Clinician, id, follow_up, &answer).await?;
    audited(&mut tx, &me, "follow_up_answered", id, ("follow_up", follow_up.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Answer sent; the family has been told.").await
}

/// Passes a question the clinician can't answer to the specialist, whose
/// answer is not guaranteed (the family's page says so); the specialist is
/// emailed (no health information) and sees it on their home page.
pub async fn escalate(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, follow_up)): Path<(CaseId, FollowUpId)>,
) -> Result<Response, AppError> {
    my_case(&state, &me, id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    follow_ups::escalate(&mut tx, id, follow_up, now).await?;
    let specialist = sqlx::query_scalar!(
        "select u.email from cases c join users u on u.id = c.specialist_id where c.id = $1",
        id as CaseId
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(email) = specialist {
        let link = format!("{}/specialist/cases/{id}", state.config.base_url);
        notify::enqueue(&mut tx, now, &email, &Email::FollowUpEscalated { link }).await?;
    }
    audited(&mut tx, &me, "follow_up_escalated", id, ("follow_up", follow_up.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Sent to the specialist, who has been emailed.").await
}

#[derive(Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    status: String,
}

pub async fn record_referral(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path((id, referral)): Path<(CaseId, ReferralId)>,
    Form(form): Form<ReferralForm>,
) -> Result<Response, AppError> {
    my_case(&state, &me, id).await?;
    let Some(status) = ReferralStatus::parse_outcome(&form.status) else {
        return flash_redirect(&session, "/clinician", FlashKind::Error, "Choose what happened.").await;
    };
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        "update referral_requests set status = $3, decided_by = $4, decided_at = $5 where id = $2 and case_id = $1",
        id as CaseId,
        referral as ReferralId,
        status as ReferralStatus,
        me.id as UserId,
        state.clock.now().to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tell_family(&state, &mut tx, id, Update::ReferralUpdated(referral)).await?;
    audited(&mut tx, &me, "referral_recorded", id, ("referral", referral.to_string())).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Saved; the family can see it.").await
}
