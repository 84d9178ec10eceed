//! The family's case page: where things stand and what to do next, who
//! their care team is, the record checklist and its releases, fees,
//! questions, what followed the opinion, payments and the timeline;
//! cancelling before review.

use super::db;
use super::opinion::ReferralRow;
use super::progress::{Situation, situation};
use crate::audit::{self, Entry, Outcome};
use crate::cases::cancel::{self, RefundNotice};
use crate::cases::db::{FeeRequestRow, QuestionRow, RecordSourceRow};
use crate::cases::follow_ups::FollowUpRow;
use crate::cases::record_requests::RecordRequestRow;
use crate::cases::releases::{self, ReleaseRow};
use crate::cases::timeline::TimelineEntry;
use crate::cases::updates::{self, FamilyEntry, FamilyUpdate};
use crate::directory::Profile;
use crate::domain::{CaseId, CaseStatus, PaymentStatus, UpdateKind};
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
use sqlx::types::Json;
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

/// What [`case_page`] reads in its one statement besides the case itself.
struct Lists {
    coordinator: Option<String>,
    clinician: Option<String>,
    specialist: Option<Json<Profile>>,
    questions: Json<Vec<QuestionRow>>,
    sources: Json<Vec<RecordSourceRow>>,
    releases: Json<Vec<ReleaseRow>>,
    states: Json<Vec<TimelineEntry>>,
    updates: Json<Vec<FamilyUpdate>>,
    payments: Json<Vec<PaymentSummary>>,
    fees: Json<Vec<FeeRequestRow>>,
    follow_ups: Json<Vec<FollowUpRow>>,
    referrals: Json<Vec<ReferralRow>>,
    record_requests: Json<Vec<RecordRequestRow>>,
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
    referrals: Vec<ReferralRow>,
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
    // Every list the page shows in one round trip: each is its own function
    // (migration 0061), which the pages that show one list call alone.
    let lists = sqlx::query_as!(
        Lists,
        r#"select co.full_name as "coordinator?", cl.full_name as "clinician?",
                  specialist_profile(c.specialist_id) as "specialist: Json<Profile>",
                  case_questions_list(c.id) as "questions!: Json<Vec<QuestionRow>>",
                  case_record_sources_list(c.id) as "sources!: Json<Vec<RecordSourceRow>>",
                  case_releases_list(c.id) as "releases!: Json<Vec<ReleaseRow>>",
                  case_events_list(c.id) as "states!: Json<Vec<TimelineEntry>>",
                  family_updates_list(c.id, $2) as "updates!: Json<Vec<FamilyUpdate>>",
                  case_payments_list(c.id) as "payments!: Json<Vec<PaymentSummary>>",
                  case_fee_requests_list(c.id) as "fees!: Json<Vec<FeeRequestRow>>",
                  case_follow_ups_list(c.id, false) as "follow_ups!: Json<Vec<FollowUpRow>>",
                  case_referrals_list(c.id) as "referrals!: Json<Vec<ReferralRow>>",
                  case_record_requests_list(c.id, true) as "record_requests!: Json<Vec<RecordRequestRow>>"
           from cases c left join users co on co.id = c.coordinator_id left join users cl on cl.id = c.clinician_id
           where c.id = $1"#,
        id as CaseId,
        &UpdateKind::OFF_TIMELINE as &[UpdateKind]
    )
    .fetch_one(&mut *conn)
    .await?;
    let page = CasePage {
        page,
        s,
        team: CareTeam {
            coordinator: lists.coordinator,
            clinician: lists.clinician,
            specialist: lists.specialist.map(|p| p.0),
        },
        questions: lists.questions.0,
        sources: lists.sources.0,
        releases: lists.releases.0,
        timeline: updates::family_timeline(lists.states.0, lists.updates.0),
        payments: lists.payments.0,
        fees: lists.fees.0,
        follow_ups: lists.follow_ups.0,
        referrals: lists.referrals.0,
        record_requests: lists.record_requests.0,
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
