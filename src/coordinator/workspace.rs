//! The case workspace: everything about one case for the care team, the
//! case on the left and the work on the right. Every view is written to the
//! audit log. A form refused for what was typed comes back here (422) with
//! the text kept and the reason beside the field ([`Typed`]).

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::activity::{self, Activity};
use crate::cases::after_opinion::AfterOpinion;
use crate::cases::break_glass::{Access, Holders};
use crate::cases::closing::{self, OpenItem};
use crate::cases::db::{FeeRequestRow, QuestionRow, SourceWithDocuments};
use crate::cases::fees::{self, SuggestionRow};
use crate::cases::record_requests::{self, RecordRequestRow};
use crate::cases::schedule::TARGET_BUSINESS_DAYS;
use crate::domain::child::age_on;
use crate::domain::{
    CaseId, CaseStatus, Cents, FeeKind, PhoneNumber, RecordSourceId, RecordStatus, SuggestionId, UserId,
};
use crate::error::AppError;
use crate::payments::price::Priced;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, CurrentUser, Path, Query};
use crate::web::format::{date_time, long_date, pacific_date};
use crate::web::forms::FormErrors;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The workspace's forms that can come back with what was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormName {
    Note,
    Fee,
    Source,
    RecordRequest,
    Dismiss(SuggestionId),
    Status(RecordSourceId),
}

/// Templates hand `{% let %}` bindings on by reference.
impl From<&FormName> for FormName {
    fn from(form: &FormName) -> Self {
        *form
    }
}

/// One refused form: its fields as typed and what was wrong with them.
#[derive(Default)]
pub struct Typed {
    form: Option<FormName>,
    fields: Vec<(&'static str, String)>,
    errors: FormErrors,
}

impl Typed {
    pub fn new(form: FormName, fields: Vec<(&'static str, String)>, errors: FormErrors) -> Self {
        Typed { form: Some(form), fields, errors }
    }

    /// What was typed in `field` of `form`, or "" when that form was not the one sent.
    pub fn value(&self, form: impl Into<FormName>, field: &str) -> &str {
        if self.form != Some(form.into()) {
            return "";
        }
        self.fields.iter().find(|(name, _)| *name == field).map_or("", |(_, v)| v.as_str())
    }

    pub fn error(&self, form: impl Into<FormName>, field: &str) -> Option<&str> {
        if self.form != Some(form.into()) { None } else { self.errors.get(field) }
    }

    /// The problems of `form`, for its error summary (empty for the others).
    pub fn errors_of(&self, form: FormName) -> FormErrors {
        let mut out = FormErrors::default();
        if self.form == Some(form) {
            for (field, message) in self.errors.iter() {
                out.add_owned(field.to_owned(), message);
            }
        }
        out
    }
}

/// How far the records are: what "Records complete" waits for.
pub struct RecordsProgress {
    pub total: usize,
    pub complete: usize,
    pub waiting_translation: Vec<String>,
}

impl RecordsProgress {
    fn of(sources: &[SourceWithDocuments]) -> Self {
        RecordsProgress {
            total: sources.len(),
            complete: sources.iter().filter(|s| s.source.status.is_complete()).count(),
            waiting_translation: sources
                .iter()
                .filter(|s| s.source.translation_required && !s.source.status.is_complete())
                .filter(|s| !s.documents.iter().any(|d| d.is_translation))
                .map(|s| s.source.facility.clone())
                .collect(),
        }
    }

    pub fn ready(&self) -> bool {
        self.total > 0 && self.complete == self.total
    }

    /// Why the case can't be marked ready yet, in one sentence.
    pub fn blocked_reason(&self) -> Option<String> {
        match (self.total, self.ready()) {
            (0, _) => Some("The case has no record sources yet.".into()),
            (_, true) => None,
            (total, false) => Some(format!(
                "{} of {total} sources are digitized or unavailable.{}",
                self.complete,
                if self.waiting_translation.is_empty() {
                    String::new()
                } else {
                    format!(" Waiting for an English translation: {}.", self.waiting_translation.join(", "))
                }
            )),
        }
    }
}

#[derive(Template)]
#[template(path = "coordinator/workspace.html")]
pub struct WorkspacePage {
    page: PageContext,
    me: UserId,
    case: db::CaseDetail,
    phone: Option<PhoneNumber>,
    family_time: String,
    age: i16,
    questions: Vec<QuestionRow>,
    sources: Vec<SourceWithDocuments>,
    records: RecordsProgress,
    record_requests: Vec<RecordRequestRow>,
    suggestions: Vec<SuggestionRow>,
    fees: Vec<FeeRequestRow>,
    activity: Vec<Activity>,
    specialists: Vec<db::SpecialistChoice>,
    specialties: Vec<String>,
    specialty: String,
    clinicians: Vec<db::StaffChoice>,
    after: Option<AfterOpinion>,
    open_items: Vec<OpenItem>,
    due: Option<String>,
    target: Option<String>,
    record_statuses: [RecordStatus; 4],
    fee_kinds: [FeeKind; 2],
    /// What the admin set the pricing form to suggest today, per kind.
    fee_defaults: [(FeeKind, Option<Cents>); 2],
    typed: Typed,
    releases: Vec<crate::cases::releases::ReleaseRow>,
}

impl WorkspacePage {
    pub fn status(&self) -> CaseStatus {
        self.case.status
    }
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    pub fn finished(&self) -> bool {
        matches!(self.case.status, CaseStatus::Closed | CaseStatus::Cancelled)
    }
    pub fn is_mine(&self) -> bool {
        self.case.coordinator_id == Some(self.me)
    }
    pub fn is_requested(&self, id: &UserId) -> bool {
        self.case.requested_specialist_id == Some(*id)
    }
    pub fn is_clinician(&self, id: &UserId) -> bool {
        self.case.clinician_id == Some(*id)
    }
    pub fn to_price(&self) -> Vec<&SuggestionRow> {
        self.suggestions.iter().filter(|s| s.to_price()).collect()
    }
    /// The suggestion the pricing form was sent for, if it came back refused.
    pub fn pricing(&self, id: &SuggestionId) -> bool {
        self.typed.value(FormName::Fee, "suggestion_id") == id.to_string()
    }
    /// The kind the fee form shows: as typed, else the first suggestion's.
    pub fn fee_kind_checked(&self, kind: &FeeKind) -> bool {
        match self.typed.value(FormName::Fee, "kind") {
            "" => self.to_price().first().map_or(FeeKind::Imaging, |s| s.kind) == *kind,
            typed => typed == kind.as_str(),
        }
    }
    /// The amount the fee form shows: as typed, else the admin's default for the kind it shows.
    pub fn fee_amount(&self) -> String {
        match self.typed.value(FormName::Fee, "amount") {
            "" => self
                .fee_defaults
                .iter()
                .find(|(k, _)| self.fee_kind_checked(k))
                .and_then(|(_, d)| *d)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            typed => typed.to_owned(),
        }
    }
    /// "Defaults today: imaging re-review $250.00; …", if the admin set any.
    pub fn fee_defaults_hint(&self) -> String {
        let set: Vec<String> = self
            .fee_defaults
            .iter()
            .filter_map(|(k, d)| d.map(|d| format!("{} {d}", k.label().to_lowercase())))
            .collect();
        let range = "Between $1 and $10,000, for example 250 or 250.00.";
        if set.is_empty() { range.to_owned() } else { format!("{range} Defaults today: {}.", set.join("; ")) }
    }
    pub fn fee_reason(&self) -> String {
        match self.typed.value(FormName::Fee, "reason") {
            "" => self.to_price().first().map(|s| s.reason.clone()).unwrap_or_default(),
            typed => typed.to_owned(),
        }
    }
    pub fn window_end(&self) -> Option<String> {
        self.case.due_at.filter(|_| self.case.status == CaseStatus::OpinionDelivered).map(date_time)
    }
    pub fn call_due(&self) -> Option<String> {
        self.case.call_due_at.filter(|_| self.case.call_pending).map(date_time)
    }
    pub fn release_of(&self, source: &crate::domain::RecordSourceId) -> Option<&crate::cases::releases::ReleaseRow> {
        crate::cases::releases::of(&self.releases, *source)
    }
}

#[derive(Deserialize)]
pub struct WorkspaceQuery {
    #[serde(default)]
    specialty: String,
}

pub async fn workspace(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Query(q): Query<WorkspaceQuery>,
) -> Result<Response, AppError> {
    render(&state, page, &me, ip, id, q.specialty.trim(), Typed::default()).await
}

/// The workspace, with the form in `typed` (if any) shown as it was sent
/// and its errors; 422 when there are errors. Audited like every view.
pub async fn render(
    state: &AppState,
    page: PageContext,
    me: &CurrentUser,
    ip: Option<String>,
    id: CaseId,
    specialty: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case_detail(&mut *conn, id).await?.ok_or(AppError::NotFound)?;
    // Past the guard, a case outside the assignment was opened by break-glass.
    let holders = Holders { coordinator: case.coordinator_id, clinician: case.clinician_id, glass: true };
    let action = holders.access(me.id, me.role).unwrap_or(Access::BrokenGlass).view_action();
    let entry = Entry::new(action, Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&mut *conn, entry).await?;

    let now = state.clock.now();
    let questions = crate::cases::db::questions(&mut *conn, id).await?;
    let sources = crate::cases::db::sources_with_documents(&mut conn, id).await?;
    let records = RecordsProgress::of(&sources);
    let record_requests = record_requests::for_case(&mut *conn, id, false).await?;
    let suggestions = fees::for_case(&mut *conn, id).await?;
    let fee_requests = crate::cases::db::fee_requests(&mut *conn, id).await?;
    let activity = activity::for_case(&mut conn, id).await?;
    let mut specialists = db::specialist_choices(&mut *conn, (!specialty.is_empty()).then_some(specialty)).await?;
    // The family's wish first (and marked on the page); not a guarantee.
    specialists.sort_by_key(|s| Some(s.id) != case.requested_specialist_id);
    let specialties = sqlx::query_scalar!("select distinct specialty from specialists order by specialty")
        .fetch_all(&mut *conn)
        .await?;
    let clinicians = db::clinicians(&mut *conn).await?;
    let delivered = matches!(case.status, CaseStatus::OpinionDelivered | CaseStatus::Closed);
    let after = if delivered { Some(AfterOpinion::load(&mut conn, id).await?) } else { None };
    let open_items = if case.status == CaseStatus::OpinionDelivered {
        closing::open_items(&mut *conn, id, now).await?
    } else {
        Vec::new()
    };
    let releases = crate::cases::releases::for_case(&mut *conn, id).await?;
    let calendar = state.calendar.get(&mut conn).await?;
    let prices = state.prices.get(&mut conn).await?;
    drop(conn);
    let today = pacific_date(now);
    let fee_defaults = FeeKind::ALL.map(|k| (k, prices.scheduled_on(Priced::Additional(k), today)));

    // Worth saying only while the opinion is being waited for.
    let target = case
        .ready_for_review_at
        .filter(|_| matches!(case.status, CaseStatus::ReadyForReview | CaseStatus::InReview))
        .map(|at| long_date(calendar.add_business_days(pacific_date(at), TARGET_BUSINESS_DAYS)));
    let status = if typed.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = WorkspacePage {
        page,
        me: me.id,
        phone: PhoneNumber::from_stored(&case.contact_phone),
        family_time: crate::web::format::family_time(&case.contact_time_zone, now),
        age: age_on(case.date_of_birth.to_jiff(), pacific_date(now)),
        due: case.due_at.map(date_time),
        case,
        questions,
        sources,
        records,
        record_requests,
        suggestions,
        fees: fee_requests,
        activity,
        specialists,
        specialties,
        specialty: specialty.to_owned(),
        clinicians,
        after,
        open_items,
        target,
        record_statuses: RecordStatus::MARKABLE,
        fee_kinds: FeeKind::ALL,
        fee_defaults,
        typed,
        releases,
    };
    Ok((status, html(&page)?).into_response())
}
