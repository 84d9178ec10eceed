//! Queries on `payments`.

use crate::domain::{CaseId, CaseStatus, PaymentId};
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

pub struct PaymentRow {
    pub id: PaymentId,
    pub case_id: CaseId,
    pub purpose: String,
    pub fee_request_id: Option<uuid::Uuid>,
    pub amount_cents: i64,
    pub currency: String,
    pub provider: String,
    pub provider_payment_id: Option<String>,
    pub attempt: i32,
    pub status: String,
    pub failure_message: Option<String>,
}

/// The payment row a gateway id belongs to, locked for the caller's transaction.
pub async fn payment_by_provider_id(conn: &mut PgConnection, provider_id: &str) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                  provider_payment_id, attempt, status::text as "status!", failure_message
           from payments where provider_payment_id = $1 for update"#,
        provider_id
    )
    .fetch_optional(conn)
    .await
}

/// The case fee attempt that is still open, locked (double submits wait here).
pub async fn open_case_fee(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                  provider_payment_id, attempt, status::text as "status!", failure_message
           from payments where case_id = $1 and purpose = 'case_fee' and status = 'pending' for update"#,
        case as CaseId
    )
    .fetch_optional(conn)
    .await
}

/// The paid case fee of a case, if any (for refunds).
pub async fn paid_case_fee(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                  provider_payment_id, attempt, status::text as "status!", failure_message
           from payments where case_id = $1 and purpose = 'case_fee' and status = 'succeeded' for update"#,
        case as CaseId
    )
    .fetch_optional(conn)
    .await
}

/// The open attempt to pay an additional fee, locked.
pub async fn open_fee_attempt(conn: &mut PgConnection, fee: uuid::Uuid) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                  provider_payment_id, attempt, status::text as "status!", failure_message
           from payments where fee_request_id = $1 and status = 'pending' for update"#,
        fee
    )
    .fetch_optional(conn)
    .await
}

/// Opens attempt n+1 of an additional fee.
pub async fn insert_fee_attempt(
    conn: &mut PgConnection,
    case: CaseId,
    fee: uuid::Uuid,
    amount: i64,
    provider: &str,
) -> sqlx::Result<PaymentRow> {
    sqlx::query_as!(
        PaymentRow,
        r#"insert into payments (case_id, purpose, fee_request_id, amount_cents, provider, attempt)
           values ($1, 'additional_fee', $2, $3, $4,
                   (select coalesce(max(attempt), 0) + 1 from payments where fee_request_id = $2))
           returning id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                     provider_payment_id, attempt, status::text as "status!", failure_message"#,
        case as CaseId,
        fee,
        amount,
        provider
    )
    .fetch_one(conn)
    .await
}

/// Opens attempt n+1 of the case fee.
pub async fn insert_case_fee(
    conn: &mut PgConnection,
    case: CaseId,
    amount: i64,
    provider: &str,
) -> sqlx::Result<PaymentRow> {
    sqlx::query_as!(
        PaymentRow,
        r#"insert into payments (case_id, purpose, amount_cents, provider, attempt)
           values ($1, 'case_fee', $2, $3,
                   (select coalesce(max(attempt), 0) + 1 from payments where case_id = $1 and purpose = 'case_fee'))
           returning id as "id: PaymentId", case_id as "case_id: CaseId", purpose, fee_request_id, amount_cents, currency, provider,
                     provider_payment_id, attempt, status::text as "status!", failure_message"#,
        case as CaseId,
        amount,
        provider
    )
    .fetch_one(conn)
    .await
}

pub async fn set_provider_id(conn: &mut PgConnection, id: PaymentId, provider_id: &str) -> sqlx::Result<()> {
    sqlx::query!("update payments set provider_payment_id = $2 where id = $1", id as PaymentId, provider_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes a declined attempt: Stripe can't always reuse its intent, so the
/// next try opens attempt n+1 with a fresh intent.
pub async fn mark_failed(conn: &mut PgConnection, id: PaymentId, message: &str) -> sqlx::Result<()> {
    sqlx::query!("update payments set status = 'failed', failure_message = $2 where id = $1", id as PaymentId, message)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_succeeded(conn: &mut PgConnection, id: PaymentId, at: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!(
        "update payments set status = 'succeeded', succeeded_at = $2, failure_message = null where id = $1",
        id as PaymentId,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_refunded(
    conn: &mut PgConnection,
    id: PaymentId,
    refund_id: &str,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update payments set status = 'refunded', refund_id = $2, refunded_at = $3 where id = $1 and status = 'succeeded'",
        id as PaymentId,
        refund_id,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes unpaid attempts of a cancelled case.
pub async fn close_open_attempts(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<()> {
    sqlx::query!(
        "update payments set status = 'failed', failure_message = 'Case cancelled before payment.' where case_id = $1 and status = 'pending'",
        case as CaseId
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Locks the case and returns its status and the contact email.
pub async fn lock_case(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<(CaseStatus, String)> {
    let row = sqlx::query!(
        r#"select status as "status: CaseStatus", contact_email from cases where id = $1 for update"#,
        case as CaseId
    )
    .fetch_one(conn)
    .await?;
    Ok((row.status, row.contact_email))
}

/// Payments shown on the family's case page.
pub struct PaymentSummary {
    pub id: PaymentId,
    pub purpose: String,
    pub amount_cents: i64,
    pub status: String,
    pub succeeded_at: Option<OffsetDateTime>,
    pub refunded_at: Option<OffsetDateTime>,
}

pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<PaymentSummary>> {
    sqlx::query_as!(
        PaymentSummary,
        r#"select id as "id: PaymentId", purpose, amount_cents, status::text as "status!", succeeded_at, refunded_at
           from payments where case_id = $1 and status in ('succeeded', 'refunded') order by created_at"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}
