//! Queries on `payments`. Only `payments::*` writes this table.

use crate::domain::{CaseId, Cents, FeeRequestId, PaymentId, PaymentStatus, Provider, Purpose, PurposeKind, UserId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// A payment attempt as stored.
#[derive(Debug)]
pub struct PaymentRow {
    pub id: PaymentId,
    pub case_id: CaseId,
    pub purpose: PurposeKind,
    pub fee_request_id: Option<FeeRequestId>,
    pub amount: Cents,
    pub currency: String,
    pub provider: Provider,
    pub provider_payment_id: Option<String>,
    pub attempt: i32,
    pub status: PaymentStatus,
    /// This payment is the one that paid for its purpose.
    pub fulfilled: bool,
    pub failure_message: Option<String>,
}

impl PaymentRow {
    pub fn purpose(&self) -> Purpose {
        // The table's check constraint keeps the pair consistent.
        Purpose::from_row(self.purpose, self.fee_request_id).unwrap_or(Purpose::CaseFee)
    }
}

/// The payment a gateway id belongs to, locked for the caller's transaction.
pub async fn by_provider_id(conn: &mut PgConnection, provider_id: &str) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose as "purpose: PurposeKind",
                  fee_request_id as "fee_request_id: FeeRequestId", amount_cents as "amount: Cents", currency,
                  provider as "provider: Provider", provider_payment_id, attempt, status as "status: PaymentStatus",
                  fulfilled, failure_message
           from payments where provider_payment_id = $1 for update"#,
        provider_id
    )
    .fetch_optional(conn)
    .await
}

/// A payment by id, locked.
pub async fn by_id(conn: &mut PgConnection, id: PaymentId) -> sqlx::Result<PaymentRow> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose as "purpose: PurposeKind",
                  fee_request_id as "fee_request_id: FeeRequestId", amount_cents as "amount: Cents", currency,
                  provider as "provider: Provider", provider_payment_id, attempt, status as "status: PaymentStatus",
                  fulfilled, failure_message
           from payments where id = $1 for update"#,
        id as PaymentId
    )
    .fetch_one(conn)
    .await
}

/// The open attempt for a purpose, if any, locked (a unique index allows one).
pub async fn open_attempt(conn: &mut PgConnection, case: CaseId, purpose: Purpose) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id as "id: PaymentId", case_id as "case_id: CaseId", purpose as "purpose: PurposeKind",
                  fee_request_id as "fee_request_id: FeeRequestId", amount_cents as "amount: Cents", currency,
                  provider as "provider: Provider", provider_payment_id, attempt, status as "status: PaymentStatus",
                  fulfilled, failure_message
           from payments
           where case_id = $1 and purpose = $2 and fee_request_id is not distinct from $3 and status = 'pending'
           for update"#,
        case as CaseId,
        purpose.kind() as PurposeKind,
        purpose.fee_request() as Option<FeeRequestId>
    )
    .fetch_optional(conn)
    .await
}

/// Opens attempt n+1 for a purpose.
pub async fn insert_attempt(
    conn: &mut PgConnection,
    case: CaseId,
    purpose: Purpose,
    amount: Cents,
    provider: Provider,
) -> sqlx::Result<PaymentRow> {
    sqlx::query_as!(
        PaymentRow,
        r#"insert into payments (case_id, purpose, fee_request_id, amount_cents, provider, attempt)
           values ($1, $2, $3, $4, $5,
                   (select coalesce(max(attempt), 0) + 1 from payments
                    where case_id = $1 and purpose = $2 and fee_request_id is not distinct from $3))
           returning id as "id: PaymentId", case_id as "case_id: CaseId", purpose as "purpose: PurposeKind",
                     fee_request_id as "fee_request_id: FeeRequestId", amount_cents as "amount: Cents", currency,
                     provider as "provider: Provider", provider_payment_id, attempt, status as "status: PaymentStatus",
                     fulfilled, failure_message"#,
        case as CaseId,
        purpose.kind() as PurposeKind,
        purpose.fee_request() as Option<FeeRequestId>,
        amount as Cents,
        provider as Provider
    )
    .fetch_one(conn)
    .await
}

/// Who is paying this attempt: the guardian who pressed Pay (the receipt
/// names them; with two guardians it need not be who opened the case).
pub async fn set_payer(conn: &mut PgConnection, id: PaymentId, payer: UserId) -> sqlx::Result<()> {
    sqlx::query!("update payments set paid_by = $2 where id = $1", id as PaymentId, payer as UserId)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_provider_id(conn: &mut PgConnection, id: PaymentId, provider_id: &str) -> sqlx::Result<()> {
    sqlx::query!("update payments set provider_payment_id = $2 where id = $1", id as PaymentId, provider_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes a declined attempt with the gateway's message for the family.
pub async fn mark_failed(conn: &mut PgConnection, id: PaymentId, message: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update payments set status = 'failed', failure_message = $2 where id = $1 and status = 'pending'",
        id as PaymentId,
        message
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The card was charged: gives the receipt its number. `fulfilled` says
/// whether this payment is the one that paid for its purpose.
pub async fn mark_succeeded(
    conn: &mut PgConnection,
    id: PaymentId,
    fulfilled: bool,
    card: Option<&(String, String)>,
    at: Timestamp,
) -> sqlx::Result<()> {
    let (brand, last4) = card.map(|(b, l)| (b.as_str(), l.as_str())).unzip();
    sqlx::query!(
        r#"update payments set status = 'succeeded', fulfilled = $2, succeeded_at = $3, failure_message = null,
                  card_brand = $4, card_last4 = $5, receipt_number = nextval('receipt_number_seq')
           where id = $1"#,
        id as PaymentId,
        fulfilled,
        at.to_sqlx() as _,
        brand,
        last4
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes the open attempts of a purpose (or of every purpose of a case,
/// with `None`) that were never paid; returns their gateway ids, whose
/// intents the caller cancels once the transaction has committed.
pub async fn cancel_open(conn: &mut PgConnection, case: CaseId, purpose: Option<Purpose>) -> sqlx::Result<Vec<String>> {
    let ids = sqlx::query_scalar!(
        r#"update payments set status = 'cancelled'
           where case_id = $1 and status = 'pending'
             and ($2::payment_purpose is null or (purpose = $2 and fee_request_id is not distinct from $3))
           returning provider_payment_id"#,
        case as CaseId,
        purpose.map(Purpose::kind) as Option<PurposeKind>,
        purpose.and_then(Purpose::fee_request) as Option<FeeRequestId>
    )
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().flatten().collect())
}

/// The payments of a case that were charged and not refunded: what a cancellation gives back.
pub async fn refundable(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<PaymentId>> {
    sqlx::query_scalar!(
        r#"select id as "id: PaymentId" from payments
           where case_id = $1 and status = 'succeeded' order by created_at for update"#,
        case as CaseId
    )
    .fetch_all(conn)
    .await
}

/// Payments shown to the family (case page, statement).
#[derive(serde::Deserialize)]
pub struct PaymentSummary {
    pub id: PaymentId,
    pub purpose: PurposeKind,
    pub amount: Cents,
    pub status: PaymentStatus,
    #[serde(with = "crate::json_rows::option_timestamp")]
    pub succeeded_at: Option<jiff_sqlx::Timestamp>,
    pub refund_status: Option<crate::domain::RefundStatus>,
    #[serde(with = "crate::json_rows::option_timestamp")]
    pub refunded_at: Option<jiff_sqlx::Timestamp>,
}
