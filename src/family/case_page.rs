//! The family's case page: where things stand, the timeline, the record
//! checklist, questions, payments; cancelling before review, and opening a
//! linked case once the case is frozen.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::cancel::{self, RefundNotice};
use crate::cases::db::{FeeRequestRow, NoteRow, QuestionRow, RecordSourceRow};
use crate::cases::record_requests::{self, RecordRequestRow};
use crate::cases::schedule::{calendar, expected_window};
use crate::cases::timeline::{self, TimelineEntry};
use crate::domain::{CaseId, CaseStatus, PaymentStatus};
use crate::error::AppError;
use crate::payments::db::PaymentSummary;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::format::date_time;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use tower_sessions::Session;

impl PaymentSummary {
    pub fn when(&self) -> String {
        self.succeeded_at.map(date_time).unwrap_or_default()
    }
    /// "refunded Dec 8, 2026, …", "refund in progress", or nothing.
    pub fn refund_words(&self) -> Option<String> {
        match (self.status, self.refund_status) {
            (PaymentStatus::Refunded, _) => {
                Some(format!("refunded {}", self.refunded_at.map(date_time).unwrap_or_default()))
            }
            (_, Some(status)) => Some(status.label().to_lowercase()),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "family/case.html")]
pub struct CasePage {
    page: PageContext,
    case: db::CaseRow,
    questions: Vec<QuestionRow>,
    sources: Vec<RecordSourceRow>,
    timeline: Vec<TimelineEntry>,
    payments: Vec<PaymentSummary>,
    expected: Option<(String, String)>,
    complete: usize,
    messages: Vec<NoteRow>,
    fees: Vec<FeeRequestRow>,
    /// Records the care team asked this family for, still open.
    record_requests: Vec<RecordRequestRow>,
}

impl CasePage {
    pub fn status(&self) -> CaseStatus {
        self.case.status
    }
    /// Sources in another language still waiting for their English translation.
    pub fn needs_translation(&self) -> Vec<&RecordSourceRow> {
        self.sources.iter().filter(|s| s.translation_required && !s.status.is_complete()).collect()
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
    let questions = crate::cases::db::questions(&mut *conn, id).await?;
    let sources = crate::cases::db::record_sources(&mut *conn, id).await?;
    let timeline = timeline::for_case(&mut *conn, id).await?;
    let payments = crate::payments::db::for_case(&mut *conn, id).await?;
    let calendar = calendar(&mut *conn).await?;
    let expected = expected_window(&calendar, case.status, case.ready_for_review_at.map(Into::into));
    let complete = sources.iter().filter(|s| s.status.is_complete()).count();
    let messages = crate::cases::db::notes(&mut *conn, id, true).await?;
    let fees = crate::cases::db::fee_requests(&mut *conn, id).await?;
    let record_requests = record_requests::for_case(&mut *conn, id, true).await?;
    html(&CasePage {
        page,
        case,
        questions,
        sources,
        timeline,
        payments,
        expected,
        complete,
        messages,
        fees,
        record_requests,
    })
}

/// Before review starts: cancel, refunding what was paid.
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let case = db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let released = cancel::cancel(&state, &mut tx, id, case.status, user.id, "Cancelled by the family.").await?;
    audit::record(
        &mut *tx,
        Entry::new("case_cancelled", Outcome::Success).by(user.id, user.role).on("case", id).case(id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = match cancel::finish(&state, &released).await {
        RefundNotice::Nothing => "The case is cancelled.",
        RefundNotice::Refunded => {
            "The case is cancelled and what you paid has been refunded to your card. Refunds usually appear within 5 to 10 days."
        }
        RefundNotice::InProgress | RefundNotice::InStripe => {
            "The case is cancelled. Your refund is on its way; it usually appears on your card within 5 to 10 days."
        }
        RefundNotice::Failed => {
            "The case is cancelled. We could not make the refund automatically; our team has been alerted and will make it."
        }
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
        Entry::new("case_opened", Outcome::Success).by(user.id, user.role).on("case", new).case(new).from_ip(ip),
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
