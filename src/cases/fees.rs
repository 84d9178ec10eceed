//! The additional-fee loop's first half: the specialist suggests an imaging
//! or pathology re-review with a reason; the coordinator prices it (a fee
//! request the family decides on) or sets it aside, with a reason. Either
//! way the specialist sees what became of it.

use crate::domain::text::SuggestionReason;
use crate::domain::{CaseId, Cents, FeeKind, FeeRequestId, FeeStatus, SuggestionId, UserId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

pub struct SuggestionRow {
    pub id: SuggestionId,
    pub kind: FeeKind,
    pub reason: String,
    pub suggested_by: String,
    pub created_at: jiff_sqlx::Timestamp,
    pub dismiss_reason: Option<String>,
    pub fee_amount: Option<Cents>,
    pub fee_status: Option<FeeStatus>,
    pub moves_opinion_days: Option<i16>,
}

impl SuggestionRow {
    pub fn to_price(&self) -> bool {
        self.fee_status.is_none() && self.dismiss_reason.is_none()
    }

    pub fn when(&self) -> String {
        crate::web::format::date_time(self.created_at)
    }

    /// What became of it, as the specialist and the coordinator read it.
    pub fn outcome(&self) -> String {
        match (&self.dismiss_reason, self.fee_status, self.fee_amount) {
            (Some(why), _, _) => format!("The coordinator decided not to ask the family: {why}"),
            (None, Some(status), Some(amount)) => {
                let moves = match self.moves_opinion_days.unwrap_or(0) {
                    0 => String::new(),
                    1 => " Paying moves the opinion's due date by 1 business day.".into(),
                    n => format!(" Paying moves the opinion's due date by {n} business days."),
                };
                let decision = match status {
                    FeeStatus::Requested => "waiting for the family's decision",
                    FeeStatus::Paid => "paid by the family",
                    FeeStatus::Declined => "declined by the family",
                    FeeStatus::Waived => "waived by the care team",
                    FeeStatus::Withdrawn => "withdrawn when the case was cancelled",
                };
                format!("The family was asked for {amount}: {decision}.{moves}")
            }
            _ => "Waiting for the coordinator to price it.".into(),
        }
    }
}

pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<SuggestionRow>> {
    sqlx::query_as!(
        SuggestionRow,
        r#"select s.id as "id: SuggestionId", s.kind as "kind: FeeKind", s.reason, u.full_name as suggested_by,
                  s.created_at as "created_at: jiff_sqlx::Timestamp", s.dismiss_reason,
                  f.amount_cents as "fee_amount?: Cents", f.status as "fee_status?: FeeStatus",
                  f.moves_opinion_days as "moves_opinion_days?"
           from fee_suggestions s
           join users u on u.id = s.suggested_by
           left join fee_requests f on f.id = s.fee_request_id
           where s.case_id = $1 order by s.created_at"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}

pub async fn suggest(
    conn: &mut PgConnection,
    case: CaseId,
    kind: FeeKind,
    reason: &SuggestionReason,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<SuggestionId> {
    sqlx::query_scalar!(
        r#"insert into fee_suggestions (case_id, kind, reason, suggested_by, created_at)
           values ($1, $2, $3, $4, $5) returning id as "id: SuggestionId""#,
        case as CaseId,
        kind as FeeKind,
        reason.as_str(),
        by as UserId,
        at.to_sqlx() as _
    )
    .fetch_one(conn)
    .await
}

/// Links a suggestion still to price to the fee request made from it;
/// `false` if it was priced or set aside meanwhile.
pub async fn priced(
    conn: &mut PgConnection,
    case: CaseId,
    suggestion: SuggestionId,
    fee: FeeRequestId,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update fee_suggestions set fee_request_id = $3
         where id = $2 and case_id = $1 and fee_request_id is null and dismissed_at is null",
        case as CaseId,
        suggestion as SuggestionId,
        fee as FeeRequestId
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a suggestion aside; `false` if it was priced or set aside meanwhile.
pub async fn dismiss(
    conn: &mut PgConnection,
    case: CaseId,
    suggestion: SuggestionId,
    reason: &SuggestionReason,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update fee_suggestions set dismissed_at = $4, dismissed_by = $5, dismiss_reason = $3
         where id = $2 and case_id = $1 and fee_request_id is null and dismissed_at is null",
        case as CaseId,
        suggestion as SuggestionId,
        reason.as_str(),
        at.to_sqlx() as _,
        by as UserId
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
