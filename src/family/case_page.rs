//! The family's case page: where things stand and what to do next, who
//! their care team is, the record checklist and its releases, fees,
//! questions, what followed the opinion, payments and the timeline;
//! cancelling before review.

use super::db;
use super::progress::{Situation, situation};
use crate::audit::{self, Entry, Outcome};
use crate::cases::cancel::{self, RefundNotice};
use crate::cases::db::{FeeRequestRow, QuestionRow, RecordSourceRow};
use crate::cases::follow_ups::{self, FollowUpRow};
use crate::cases::record_requests::{self, RecordRequestRow};
use crate::cases::releases::{self, ReleaseRow};
use crate::cases::updates::{self, FamilyEntry};
use crate::directory::{self, Profile};
use crate::domain::{CaseId, CaseStatus, PaymentStatus, UserId};
use crate::error::AppError;
use crate::i18n::{Labelled, Lang, Msg, date_time_in};
use crate::payments::db::PaymentSummary;
use crate::state::AppState;
use crate::web::confirm::{self, Confirm};
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use tower_sessions::Session;

impl PaymentSummary {
    pub fn when(&self, lang: &Lang) -> String {
        let lang = *lang;
        self.succeeded_at.map(|at| date_time_in(lang, at)).unwrap_or_default()
    }
    /// "refunded Dec 8, 2026, …", "Refund in progress", or nothing.
    pub fn refund_words(&self, lang: &Lang) -> Option<String> {
        let lang = *lang;
        match (self.status, self.refund_status) {
            (PaymentStatus::Refunded, _) => Some(lang.t1(
                "case-payment-refunded",
                "when",
                self.refunded_at.map(|at| date_time_in(lang, at)).unwrap_or_default(),
            )),
            (_, Some(status)) => Some(lang.t(status.msg().0)),
            _ => None,
        }
    }
}

/// The people working on the case, by name, once they are assigned.
pub struct CareTeam {
    pub coordinator: Option<String>,
    pub clinician: Option<String>,
    /// From the moment the case is sent to them.
    pub specialist: Option<Profile>,
}

async fn care_team(conn: &mut sqlx::PgConnection, case: CaseId) -> sqlx::Result<CareTeam> {
    let row = sqlx::query!(
        r#"select co.full_name as "coordinator?", cl.full_name as "clinician?", c.specialist_id as "specialist_id: UserId"
           from cases c left join users co on co.id = c.coordinator_id left join users cl on cl.id = c.clinician_id
           where c.id = $1"#,
        case as CaseId
    )
    .fetch_one(&mut *conn)
    .await?;
    let specialist = match row.specialist_id {
        Some(id) => directory::profile(&mut *conn, id).await?,
        None => None,
    };
    Ok(CareTeam { coordinator: row.coordinator, clinician: row.clinician, specialist })
}

#[derive(Template)]
#[template(path = "family/case.html")]
pub struct CasePage {
    page: PageContext,
    case: db::CaseRow,
    s: Situation,
    team: CareTeam,
    questions: Vec<QuestionRow>,
    sources: Vec<RecordSourceRow>,
    releases: Vec<ReleaseRow>,
    timeline: Vec<FamilyEntry>,
    payments: Vec<PaymentSummary>,
    fees: Vec<FeeRequestRow>,
    follow_ups: Vec<FollowUpRow>,
    referrals: Vec<super::opinion::ReferralRow>,
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
    pub fn release_of(&self, s: &RecordSourceRow) -> Option<&ReleaseRow> {
        releases::of(&self.releases, s.id)
    }
    pub fn after_opinion(&self) -> bool {
        matches!(self.case.status, CaseStatus::OpinionDelivered | CaseStatus::Closed)
    }
    pub fn complete(&self) -> usize {
        self.sources.iter().filter(|s| s.status.is_complete()).count()
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
    let calendar = state.calendar.get(&mut conn).await?;
    let s = situation(&mut conn, id, user.email_verified, &calendar, state.clock.now()).await?;
    let page = CasePage {
        page,
        s,
        team: care_team(&mut conn, id).await?,
        questions: crate::cases::db::questions(&mut *conn, id).await?,
        sources: crate::cases::db::record_sources(&mut *conn, id).await?,
        releases: releases::for_case(&mut *conn, id).await?,
        timeline: updates::for_family(&mut conn, id).await?,
        payments: crate::payments::db::for_case(&mut *conn, id).await?,
        fees: crate::cases::db::fee_requests(&mut *conn, id).await?,
        follow_ups: follow_ups::for_case(&mut *conn, id, false).await?,
        referrals: super::opinion::referrals(&mut *conn, id).await?,
        record_requests: record_requests::for_case(&mut *conn, id, true).await?,
        case,
    };
    html(&page)
}

/// Before review starts: cancel, refunding what was paid.
#[derive(serde::Deserialize)]
pub struct CancelForm {
    confirmed: Option<String>,
}

/// Cancels, once confirmed: the first press shows what will happen.
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let case = db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    if !confirm::confirmed(&form.confirmed) {
        if !case.status.can_cancel() {
            return Err(AppError::Conflict(cancel::TOO_LATE.into()));
        }
        let paid = case.status != CaseStatus::Draft;
        let lang = page.lang;
        let mut consequences = vec![lang.t("cancel-cant-reopen")];
        if paid {
            consequences.push(lang.t("cancel-refund"));
        }
        consequences.push(lang.t("cancel-new-case"));
        return Confirm {
            title: lang.t1("cancel-confirm-title", "number", &case.case_number),
            consequences,
            warnings: vec![],
            action: format!("/family/cases/{id}/cancel"),
            fields: vec![],
            reason: None,
            button: if paid { lang.t("cancel-yes-refund") } else { lang.t("cancel-yes") },
            danger: true,
            back: format!("/family/cases/{id}"),
            page,
        }
        .render();
    }
    let released = cancel::cancel(&state, &mut tx, id, case.status, user.id, "Cancelled by the family.").await?;
    audit::record(
        &mut *tx,
        Entry::new("case_cancelled", Outcome::Success).by(user.id, user.role).on("case", id).case(id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = match cancel::finish(&state, &released).await {
        RefundNotice::Nothing => Msg("cancelled"),
        RefundNotice::Refunded => Msg("cancelled-refunded"),
        RefundNotice::InProgress | RefundNotice::InStripe => Msg("cancelled-refund-on-its-way"),
        RefundNotice::Failed => Msg("cancelled-refund-failed"),
    }
    .in_lang(page.lang);
    flash_redirect(&session, "/family", FlashKind::Success, message).await
}
