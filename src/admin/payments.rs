//! `/admin/payments`: money that needs a person. Payment anomalies (a charge
//! we did not ask for, a success for a closed attempt, a failed refund) until
//! someone reviews them, and refunds that must be made by hand.

use crate::audit::{self, Entry, Outcome};
use crate::domain::payment::AnomalyKind;
use crate::domain::text::NoteBody;
use crate::domain::{AnomalyId, Cents, PaymentId, RefundId, RefundStatus};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::format::date_time;
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

pub struct AnomalyRow {
    pub id: AnomalyId,
    pub kind: AnomalyKind,
    pub case_number: Option<String>,
    pub provider_payment_id: Option<String>,
    pub detail: String,
    pub refund_status: Option<RefundStatus>,
    pub created_at: jiff_sqlx::Timestamp,
}

impl AnomalyRow {
    pub fn when(&self) -> String {
        date_time(self.created_at)
    }
}

/// A refund the system could not make: Stripe refused it, or this server has no Stripe keys.
pub struct StuckRefund {
    pub id: RefundId,
    pub case_number: String,
    pub amount: Cents,
    pub status: RefundStatus,
    pub provider_payment_id: Option<String>,
    pub failure_message: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/payments.html")]
struct PaymentsPage {
    page: PageContext,
    anomalies: Vec<AnomalyRow>,
    refunds: Vec<StuckRefund>,
}

pub async fn payments_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let anomalies = sqlx::query_as!(
        AnomalyRow,
        r#"select a.id as "id: AnomalyId", a.kind as "kind: AnomalyKind", c.case_number as "case_number?",
                  coalesce(a.provider_payment_id, p.provider_payment_id) as provider_payment_id, a.detail,
                  r.status as "refund_status?: RefundStatus", a.created_at as "created_at: jiff_sqlx::Timestamp"
           from payment_anomalies a
           left join cases c on c.id = a.case_id
           left join payments p on p.id = a.payment_id
           left join refunds r on r.id = a.refund_id
           where a.reviewed_at is null order by a.created_at desc limit 200"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let refunds = sqlx::query_as!(
        StuckRefund,
        r#"select r.id as "id: RefundId", c.case_number, r.amount_cents as "amount: Cents",
                  r.status as "status: RefundStatus", p.provider_payment_id, r.failure_message
           from refunds r join payments p on p.id = r.payment_id join cases c on c.id = p.case_id
           where r.status in ('manual', 'failed') order by r.requested_at"#
    )
    .fetch_all(&mut *conn)
    .await?;
    html(&PaymentsPage { page, anomalies, refunds })
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    note: String,
}

/// Marks an anomaly reviewed, with what was done about it.
pub async fn review_anomaly(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<AnomalyId>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let Ok(note) = NoteBody::parse_required(&form.note) else {
        return flash_redirect(
            &session,
            "/admin/payments",
            FlashKind::Error,
            "Nothing was changed: say what was done about it (up to 4,000 characters).",
        )
        .await;
    };
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        r#"update payment_anomalies set reviewed_at = $2, reviewed_by = $3, review_note = $4
           where id = $1 and reviewed_at is null"#,
        id as AnomalyId,
        state.clock.now().to_sqlx() as _,
        admin.id as crate::domain::UserId,
        note.as_str()
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let entry = Entry::new("payment_anomaly_reviewed", Outcome::Success)
        .by(admin.id, admin.role)
        .on("payment_anomaly", id)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, "/admin/payments", FlashKind::Success, "Marked as reviewed.").await
}

#[derive(Deserialize)]
pub struct RefundDoneForm {
    #[serde(default)]
    provider_refund_id: String,
}

/// Records a refund someone made by hand in Stripe's dashboard.
pub async fn refund_made(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<RefundId>,
    Form(form): Form<RefundDoneForm>,
) -> Result<Response, AppError> {
    let refund_id = form.provider_refund_id.trim();
    if !(refund_id.starts_with("re_")
        && refund_id.len() <= 255
        && refund_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return flash_redirect(
            &session,
            "/admin/payments",
            FlashKind::Error,
            "Nothing was changed: enter Stripe's refund id, which starts with re_.",
        )
        .await;
    }
    let mut tx = state.db.begin().await?;
    let payment = sqlx::query_scalar!(
        r#"select payment_id as "p: PaymentId" from refunds where id = $1 and status in ('manual', 'failed') for update"#,
        id as RefundId
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    crate::payments::refunds::succeeded(&mut tx, id, payment, refund_id, state.clock.now()).await?;
    let entry =
        Entry::new("refund_recorded_by_hand", Outcome::Success).by(admin.id, admin.role).on("refund", id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, "/admin/payments", FlashKind::Success, "The refund is recorded.").await
}
