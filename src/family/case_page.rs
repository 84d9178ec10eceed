//! The family's case page: where things stand, the timeline, the record
//! checklist, questions, payments; cancelling before review, and opening a
//! linked case once the case is frozen.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::schedule::{calendar, expected_window};
use crate::cases::timeline::{self, TimelineEntry};
use crate::domain::{CaseId, CaseStatus, Cents};
use crate::error::AppError;
use crate::payments::db as payments_db;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::format::date_time;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use tower_sessions::Session;

pub struct PaymentView {
    pub id: crate::domain::PaymentId,
    pub what: &'static str,
    pub amount: String,
    pub when: String,
    pub refunded: Option<String>,
}

#[derive(Template)]
#[template(path = "family/case.html")]
pub struct CasePage {
    page: PageContext,
    case: db::CaseRow,
    questions: Vec<db::QuestionRow>,
    sources: Vec<db::RecordSourceRow>,
    timeline: Vec<TimelineEntry>,
    payments: Vec<PaymentView>,
    expected: Option<(String, String)>,
    complete: usize,
    messages: Vec<crate::coordinator::db::NoteRow>,
    fees: Vec<crate::coordinator::db::FeeRequestRow>,
}

impl CasePage {
    pub fn status(&self) -> CaseStatus {
        self.case.status
    }
}

pub async fn case_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case(&mut conn, user.id, id, false).await?.ok_or(AppError::NotFound)?;
    let questions = db::questions(&mut *conn, id).await?;
    let sources = db::record_sources(&mut *conn, id).await?;
    let timeline = timeline::for_case(&mut *conn, id).await?;
    let payments = payments_db::for_case(&mut *conn, id)
        .await?
        .into_iter()
        .map(|p| PaymentView {
            id: p.id,
            what: if p.purpose == "case_fee" { "Case fee" } else { "Additional review fee" },
            amount: Cents(p.amount_cents).to_string(),
            when: p.succeeded_at.map(date_time).unwrap_or_default(),
            refunded: p.refunded_at.map(date_time),
        })
        .collect();
    let calendar = calendar(&mut *conn).await?;
    let expected = expected_window(&calendar, case.status, case.ready_for_review_at);
    let complete = sources.iter().filter(|s| s.is_complete()).count();
    let messages = crate::coordinator::db::notes(&mut *conn, id, true).await?;
    let fees = crate::coordinator::db::fee_requests(&mut *conn, id).await?;
    html(&CasePage { page, case, questions, sources, timeline, payments, expected, complete, messages, fees })
}

/// Before review starts: cancel, refunding the case fee if it was paid.
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let case = db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    if !case.status.can_cancel() {
        return Err(AppError::Conflict(
            "The specialist's review has started, so this case can no longer be cancelled. Please call us if you have a concern.".into(),
        ));
    }
    let refunded =
        crate::payments::refund_and_cancel(&state, &mut tx, id, case.status, user.id, "Cancelled by the family.")
            .await?;
    let mut entry = Entry::new("case_cancelled", Outcome::Success).by(user.id, user.role).on("case", id).from_ip(ip);
    entry.case_id = Some(id.0);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    let message = if refunded {
        "The case is cancelled and the case fee has been refunded to your card. Refunds usually appear within 5 to 10 days."
    } else {
        "The case is cancelled."
    };
    flash_redirect(&session, "/family", FlashKind::Success, message).await
}

/// Once questions and records are frozen: a new draft for the same child,
/// asking for the same specialist (not guaranteed), linked to this case.
pub async fn open_follow_on(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let case = db::case(&mut tx, user.id, id, false).await?.ok_or(AppError::NotFound)?;
    if !case.status.is_frozen() || case.status == CaseStatus::Cancelled {
        return Err(AppError::Conflict(
            "This case can still take new records and questions: add them to it instead.".into(),
        ));
    }
    let specialist = case.requested_specialist_id;
    let new = crate::cases::open_draft(
        &mut tx,
        user.id,
        case.child_id,
        &case.contact_email,
        Some((id, specialist)),
        state.clock.now(),
    )
    .await?;
    audit::record(
        &mut *tx,
        Entry::new("case_opened", Outcome::Success).by(user.id, user.role).on("case", new).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &format!("/family/cases/{new}/details"),
        FlashKind::Success,
        "A new case is open, linked to the earlier one. We will ask for the same specialist, but we can't guarantee they will be available.",
    )
    .await
}
