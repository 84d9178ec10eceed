//! Additional-fee requests (imaging or pathology re-review): raised with an
//! amount and a reason, paid or declined by the family, or waived.

use crate::audit::{self, Entry, Outcome};
use crate::domain::{CaseId, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

fn back(id: CaseId) -> String {
    format!("/coordinator/cases/{id}")
}

/// "250", "250.5" or "$1,250.00" → cents; `None` for anything else.
pub fn parse_dollars(raw: &str) -> Option<i64> {
    let cleaned: String = raw.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

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
    let kind = match form.kind.as_str() {
        k @ ("imaging" | "pathology") => k,
        _ => {
            return flash_redirect(
                &session,
                &back(id),
                FlashKind::Info,
                "Nothing was saved: choose imaging or pathology.",
            )
            .await;
        }
    };
    let Some(cents) = parse_dollars(&form.amount).filter(|c| (100..=1_000_000).contains(c)) else {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Info,
            "Nothing was saved: enter an amount between $1 and $10,000, like 250 or 250.00.",
        )
        .await;
    };
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Info,
            "Nothing was saved: give the family a reason (up to 2,000 characters).",
        )
        .await;
    }
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
        "insert into fee_requests (case_id, kind, amount_cents, reason, requested_by, created_at) values ($1, $2, $3, $4, $5, $6) returning id",
        id as CaseId,
        kind,
        cents,
        reason,
        me.id as UserId,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    let link = format!("{}/family/cases/{id}", state.config.base_url);
    notify::enqueue(&mut tx, now, &contact, &Email::AdditionalFee { link }).await?;
    let mut entry = Entry::new("fee_requested", Outcome::Success).by(me.id, me.role).on("fee_request", fee).from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The family was asked about the additional fee.").await
}

pub async fn waive(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    Path((id, fee)): Path<(CaseId, uuid::Uuid)>,
) -> Result<Response, AppError> {
    let done = sqlx::query!(
        "update fee_requests set status = 'waived', decided_at = $3 where id = $2 and case_id = $1 and status = 'requested'",
        id as CaseId,
        fee,
        state.clock.now()
    )
    .execute(&state.db)
    .await?;
    if done.rows_affected() == 0 {
        return flash_redirect(&session, &back(id), FlashKind::Info, "That fee was already paid, declined or waived.")
            .await;
    }
    let mut entry = Entry::new("fee_waived", Outcome::Success).by(me.id, me.role).on("fee_request", fee);
    entry.case_id = Some(id.0);
    audit::record(&state.db, entry).await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The fee was waived.").await
}

#[cfg(test)]
mod tests {
    use super::parse_dollars;

    #[test]
    fn dollars_become_cents_exactly() {
        assert_eq!(parse_dollars("250"), Some(25_000));
        assert_eq!(parse_dollars("$1,250.5"), Some(125_050));
        assert_eq!(parse_dollars("0.05"), Some(5));
        for bad in ["", "abc", "1.234", "-5", "1e3", "12.3.4"] {
            assert_eq!(parse_dollars(bad), None, "{bad}");
        }
    }
}
