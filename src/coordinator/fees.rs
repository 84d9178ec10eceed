//! Additional-fee requests (imaging or pathology re-review): raised with an
//! amount and a reason, paid or declined by the family, or waived.

use super::actions::back;
use crate::audit::{self, Entry, Outcome};
use crate::domain::text::FeeReason;
use crate::domain::{CaseId, Cents, FeeKind, FeeRequestId, FeeStatus, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

/// The smallest and largest additional fee (the database agrees).
const FEE_RANGE: std::ops::RangeInclusive<i64> = 100..=1_000_000;

#[derive(Deserialize)]
pub struct FeeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

pub async fn request_fee(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<FeeForm>,
) -> Result<Response, AppError> {
    let to = back(id);
    let refuse = |message: String| flash_redirect(&session, &to, FlashKind::Error, message);
    let Some(kind) = FeeKind::parse(&form.kind) else {
        return refuse("Nothing was saved: choose imaging or pathology.".into()).await;
    };
    let Some(amount) = Cents::parse_dollars(&form.amount).filter(|c| FEE_RANGE.contains(&c.0)) else {
        return refuse("Nothing was saved: enter an amount between $1 and $10,000, like 250 or 250.00.".into()).await;
    };
    let reason = match FeeReason::parse_required(&form.reason) {
        Ok(reason) => reason,
        Err(e) => {
            let why = e.message("The reason", "give the family a reason.");
            return refuse(format!("Nothing was saved: {why}")).await;
        }
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let contact = sqlx::query_scalar!(
        "select contact_email from cases where id = $1 and status in ('collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered')",
        id as CaseId
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("Additional fees can be requested only while the case is being worked.".into()))?;
    let fee = sqlx::query_scalar!(
        r#"insert into fee_requests (case_id, kind, amount_cents, reason, requested_by, created_at)
           values ($1, $2, $3, $4, $5, $6) returning id as "id: FeeRequestId""#,
        id as CaseId,
        kind as FeeKind,
        amount as Cents,
        reason.as_str(),
        me.id as UserId,
        now.to_sqlx() as _
    )
    .fetch_one(&mut *tx)
    .await?;
    let link = format!("{}/family/cases/{id}", state.config.base_url);
    notify::enqueue(&mut tx, now, &contact, &Email::AdditionalFee { link }).await?;
    let entry =
        Entry::new("fee_requested", Outcome::Success).by(me.id, me.role).on("fee_request", fee).case(id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The family was asked about the additional fee.").await
}

/// Waives a fee still asked for; an attempt to pay it that is open is closed.
pub async fn waive(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, fee)): Path<(CaseId, FeeRequestId)>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    // Another case's fee in this case's URL is not found (and audited), like any other.
    sqlx::query_scalar!(
        "select id from fee_requests where id = $2 and case_id = $1",
        id as CaseId,
        fee as FeeRequestId
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let Some(intents) =
        crate::payments::close_fee(&mut tx, id, fee, FeeStatus::Waived, me.id, state.clock.now()).await?
    else {
        return flash_redirect(&session, &back(id), FlashKind::Info, "That fee was already paid, declined or waived.")
            .await;
    };
    let entry =
        Entry::new("fee_waived", Outcome::Success).by(me.id, me.role).on("fee_request", fee).case(id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    state.payments.cancel_intents(&intents).await;
    flash_redirect(&session, &back(id), FlashKind::Success, "The fee was waived.").await
}
