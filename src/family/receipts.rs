//! Receipts an HSA or FSA administrator accepts: the patient and date of
//! birth, the service, its date, the amount and card, the provider's legal
//! name, address and tax id, a receipt number, and any refund. No diagnosis.
//! One receipt per payment, and a statement of a family's payments per year.

use crate::config::Provider;
use crate::domain::{CaseId, Cents, PaymentId, PurposeKind, RefundStatus, UserId};
use crate::error::AppError;
use crate::i18n::{Labelled, Lang, Msg, date_in, date_time_in, money_in};
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::format::pacific_date;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

/// The service a payment was for, as a receipt names it (a message id).
fn service(purpose: PurposeKind, fee_kind: Option<crate::domain::FeeKind>) -> Msg {
    match (purpose, fee_kind) {
        (PurposeKind::AdditionalFee, Some(crate::domain::FeeKind::Imaging)) => Msg("receipt-service-imaging"),
        (PurposeKind::AdditionalFee, _) => Msg("receipt-service-pathology"),
        (PurposeKind::CaseFee, _) => Msg("receipt-service-case"),
    }
}

pub struct ReceiptRow {
    pub receipt_number: Option<i64>,
    pub case_id: CaseId,
    pub case_number: String,
    pub purpose: PurposeKind,
    pub fee_kind: Option<crate::domain::FeeKind>,
    pub amount: Cents,
    pub succeeded_at: Option<jiff_sqlx::Timestamp>,
    pub submitted_at: Option<jiff_sqlx::Timestamp>,
    pub delivered_at: Option<jiff_sqlx::Timestamp>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub child_name: String,
    pub child_date_of_birth: jiff_sqlx::Date,
    pub refund_status: Option<RefundStatus>,
    pub refunded_at: Option<jiff_sqlx::Timestamp>,
    /// Who paid (with two guardians, not necessarily who reads the receipt);
    /// payments from before that was recorded: the guardian who opened the case.
    pub paid_by: String,
}

// Templates pass the page's language by reference.
impl ReceiptRow {
    pub fn number(&self) -> String {
        self.receipt_number.map(|n| format!("R-{n:06}")).unwrap_or_default()
    }
    pub fn service(&self, lang: &Lang) -> String {
        service(self.purpose, self.fee_kind).in_lang(*lang)
    }
    pub fn paid(&self, lang: &Lang) -> String {
        self.succeeded_at.map(|at| date_time_in(*lang, at)).unwrap_or_default()
    }
    /// The service began when the case was submitted and ended with the written opinion.
    pub fn date_of_service(&self, lang: &Lang) -> String {
        let day = |at: jiff_sqlx::Timestamp| date_in(*lang, pacific_date(at));
        match (self.submitted_at.or(self.succeeded_at), self.delivered_at) {
            (Some(from), Some(to)) if pacific_date(from) != pacific_date(to) => {
                lang.t2("receipt-from-to", "from", day(from), "to", day(to))
            }
            (Some(from), _) => day(from),
            (None, _) => String::new(),
        }
    }
    pub fn card(&self, lang: &Lang) -> String {
        match (&self.card_brand, &self.card_last4) {
            (Some(brand), Some(last4)) => lang.t2("receipt-card-ending", "brand", brand, "last4", last4),
            _ => lang.t("receipt-card"),
        }
    }
    pub fn dob(&self, lang: &Lang) -> String {
        date_in(*lang, self.child_date_of_birth)
    }
    /// "Refunded in full on …", "Refund in progress", or nothing.
    pub fn refund(&self, lang: &Lang) -> Option<String> {
        match self.refund_status? {
            RefundStatus::Succeeded => Some(lang.t2(
                "receipt-refunded-in-full",
                "amount",
                money_in(*lang, self.amount),
                "when",
                self.refunded_at.map(|at| date_time_in(*lang, at)).unwrap_or_default(),
            )),
            other => Some(lang.t(other.msg().0)),
        }
    }
    /// What the family paid net of a completed refund.
    pub fn net(&self) -> Cents {
        if self.refund_status == Some(RefundStatus::Succeeded) { Cents(0) } else { self.amount }
    }
}

#[derive(Template)]
#[template(path = "family/receipt.html")]
struct ReceiptPage {
    page: PageContext,
    provider: Provider,
    payer: String,
    receipt: ReceiptRow,
}

/// Which of the family's receipts: one payment's, a calendar year's (Pacific), or one case's.
#[derive(Clone, Copy, Default)]
struct Which {
    payment: Option<PaymentId>,
    year: Option<i16>,
    case: Option<CaseId>,
}

/// The receipts of one of the family's cases, oldest first (for its archive).
pub(super) async fn for_case(db: &sqlx::PgPool, family: UserId, case: CaseId) -> sqlx::Result<Vec<ReceiptRow>> {
    receipts(db, family, Which { case: Some(case), ..Which::default() }).await
}

/// The family's receipts, oldest first.
async fn receipts(db: &sqlx::PgPool, family: UserId, which: Which) -> sqlx::Result<Vec<ReceiptRow>> {
    sqlx::query_as!(
        ReceiptRow,
        r#"select p.receipt_number, c.id as "case_id: CaseId", c.case_number, p.purpose as "purpose: PurposeKind",
                  f.kind as "fee_kind?: crate::domain::FeeKind", p.amount_cents as "amount: Cents",
                  p.succeeded_at as "succeeded_at: jiff_sqlx::Timestamp",
                  c.submitted_at as "submitted_at: jiff_sqlx::Timestamp",
                  c.opinion_delivered_at as "delivered_at: jiff_sqlx::Timestamp",
                  p.card_brand, p.card_last4,
                  ch.first_name || ' ' || ch.last_name as "child_name!",
                  ch.date_of_birth as "child_date_of_birth: jiff_sqlx::Date",
                  r.status as "refund_status?: RefundStatus", r.completed_at as "refunded_at?: jiff_sqlx::Timestamp",
                  coalesce(payer.full_name, opener.full_name) as "paid_by!"
           from payments p
           join cases c on c.id = p.case_id
           join users opener on opener.id = c.family_id
           left join users payer on payer.id = p.paid_by
           join children ch on ch.id = c.child_id
           left join fee_requests f on f.id = p.fee_request_id
           left join refunds r on r.payment_id = p.id
           where c.child_id in (select child from children_of($1) child)
             and p.status in ('succeeded', 'refunded')
             and ($2::uuid is null or p.id = $2)
             and ($3::integer is null
                  or extract(year from p.succeeded_at at time zone 'America/Los_Angeles')::integer = $3)
             and ($4::uuid is null or c.id = $4)
           order by p.succeeded_at"#,
        family as UserId,
        which.payment as Option<PaymentId>,
        which.year.map(i32::from),
        which.case as Option<CaseId>
    )
    .fetch_all(db)
    .await
}

pub async fn receipt_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<PaymentId>,
) -> Result<Html<String>, AppError> {
    let receipt = receipts(&state.db, user.id, Which { payment: Some(id), ..Which::default() })
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    // The receipt names who paid, not who is reading it (the other guardian may be).
    let payer = receipt.paid_by.clone();
    html(&ReceiptPage { page, provider: state.config.provider.clone(), payer, receipt })
}

#[derive(Template)]
#[template(path = "family/statement.html")]
struct StatementPage {
    page: PageContext,
    provider: Provider,
    /// Who asked for the statement; each row names who paid it (with two
    /// guardians, not always the reader).
    reader: String,
    year: i16,
    years: Vec<i16>,
    rows: Vec<ReceiptRow>,
    paid: Cents,
    refunded: Cents,
    net: Cents,
}

/// `GET /family/statements/{year}`: every payment of the family's cases in a
/// calendar year (Pacific), with refunds and totals.
pub async fn statement_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(year): Path<i16>,
) -> Result<Html<String>, AppError> {
    let rows = receipts(&state.db, user.id, Which { year: Some(year), ..Which::default() }).await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    let years = payment_years(&state, user.id).await?;
    let paid = Cents(rows.iter().map(|r| r.amount.0).sum());
    let net = Cents(rows.iter().map(|r| r.net().0).sum());
    let refunded = Cents(paid.0 - net.0);
    html(&StatementPage {
        page,
        provider: state.config.provider.clone(),
        reader: user.full_name,
        year,
        years,
        rows,
        paid,
        refunded,
        net,
    })
}

/// The years in which the family paid something, newest first (for statement links).
pub async fn payment_years(state: &AppState, family: UserId) -> sqlx::Result<Vec<i16>> {
    sqlx::query_scalar!(
        r#"select distinct extract(year from p.succeeded_at at time zone 'America/Los_Angeles')::smallint as "year!"
           from payments p join cases c on c.id = p.case_id
           where c.child_id in (select child from children_of($1) child)
             and p.status in ('succeeded', 'refunded')
           order by 1 desc"#,
        family as UserId
    )
    .fetch_all(&state.db)
    .await
}
