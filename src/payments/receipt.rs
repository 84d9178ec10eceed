//! An HSA/FSA-ready receipt: who was paid, how much, when, for what. No
//! diagnosis, no child's details beyond the case number.

use crate::domain::{Cents, PaymentId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::format::date_time;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

#[derive(Template)]
#[template(path = "family/receipt.html")]
struct ReceiptPage {
    page: PageContext,
    case_number: String,
    amount: String,
    paid_at: String,
    reference: String,
    purpose: &'static str,
    payer: String,
    refunded_at: Option<String>,
}

pub async fn receipt_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<PaymentId>,
) -> Result<Html<String>, AppError> {
    let row = sqlx::query!(
        r#"select c.case_number, p.amount_cents, p.succeeded_at, p.refunded_at, p.provider_payment_id, p.purpose
           from payments p join cases c on c.id = p.case_id
           where p.id = $1 and c.family_id = $2 and p.status in ('succeeded', 'refunded')"#,
        id as PaymentId,
        user.id as UserId
    )
    .fetch_optional(&state.db)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    html(&ReceiptPage {
        page,
        case_number: row.case_number,
        amount: Cents(row.amount_cents).to_string(),
        paid_at: row.succeeded_at.map(date_time).unwrap_or_default(),
        reference: row.provider_payment_id.unwrap_or_default(),
        purpose: if row.purpose == "case_fee" {
            "Online second opinion (case fee)"
        } else {
            "Additional imaging or pathology re-review"
        },
        payer: user.full_name,
        refunded_at: row.refunded_at.map(date_time),
    })
}
