//! Cancelling a case before review starts, for the family and the
//! coordinator alike: fees still asked for are withdrawn, open payment
//! attempts closed, everything paid refunded, and the family told.

use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::payments::{self, Released};
use crate::state::AppState;
use sqlx::PgConnection;

pub const TOO_LATE: crate::i18n::Msg = crate::i18n::Msg("refusal-cancel-too-late");

/// Cancels `case`, which the caller locked and saw in `status`, in the
/// caller's transaction. After it commits, call [`finish`] to move the money.
pub async fn cancel(
    state: &AppState,
    conn: &mut PgConnection,
    case: CaseId,
    status: CaseStatus,
    actor: UserId,
    note: &str,
) -> Result<Released, AppError> {
    if !status.can_cancel() {
        return Err(AppError::Conflict(TOO_LATE.into()));
    }
    let now = state.clock.now();
    let released = payments::release_case(&mut *conn, case, actor, now).await?;
    let note = if released.refunds.is_empty() { note.to_owned() } else { format!("{note} What was paid is refunded.") };
    super::transition(&mut *conn, case, status, CaseStatus::Cancelled, Some(actor), Some(&note), now).await?;
    super::updates::tell_family(state, &mut *conn, case, super::updates::Update::CaseCancelled).await?;
    Ok(released)
}

/// How the refunds of a cancellation stand, for the page that cancelled it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundNotice {
    /// Nothing had been paid.
    Nothing,
    Refunded,
    /// On its way (the gateway is slow or unreachable; the worker retries).
    InProgress,
    /// A Stripe payment while this server has no Stripe keys: to be refunded in Stripe.
    InStripe,
    /// The gateway refused: an admin has it as an anomaly.
    Failed,
}

/// After the cancellation committed: cancels the intents, makes the refunds.
pub async fn finish(state: &AppState, released: &Released) -> RefundNotice {
    use payments::refunds::Made;
    let made = payments::after_release(&state.db, &state.payments, released, state.clock.now()).await;
    if made.is_empty() {
        RefundNotice::Nothing
    } else if made.contains(&Made::Failed) {
        RefundNotice::Failed
    } else if made.contains(&Made::Manual) {
        RefundNotice::InStripe
    } else if made.contains(&Made::Pending) {
        RefundNotice::InProgress
    } else {
        RefundNotice::Refunded
    }
}
