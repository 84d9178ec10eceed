//! The case workspace: everything about one case for the care team. Every
//! view is written to the audit log.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::db::{FeeRequestRow, NoteRow, QuestionRow, SourceWithDocuments};
use crate::cases::schedule::TARGET_BUSINESS_DAYS;
use crate::cases::timeline::{self, TimelineEntry};
use crate::domain::child::age_on;
use crate::domain::{CaseId, CaseStatus, RecordStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::format::{date_time, long_date, pacific_date};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "coordinator/workspace.html")]
pub struct WorkspacePage {
    page: PageContext,
    me: UserId,
    case: db::CaseDetail,
    age: i16,
    questions: Vec<QuestionRow>,
    sources: Vec<SourceWithDocuments>,
    timeline: Vec<TimelineEntry>,
    notes: Vec<NoteRow>,
    fees: Vec<FeeRequestRow>,
    specialists: Vec<db::SpecialistChoice>,
    specialties: Vec<String>,
    specialty: String,
    clinicians: Vec<db::StaffChoice>,
    records_complete: bool,
    due: Option<String>,
    target: Option<String>,
    record_statuses: [RecordStatus; 4],
    releases: Vec<crate::cases::releases::ReleaseRow>,
}

impl WorkspacePage {
    pub fn status(&self) -> CaseStatus {
        self.case.status
    }
    pub fn frozen(&self) -> bool {
        self.case.status.is_frozen()
    }
    /// No error, for form fields that are never re-rendered with one.
    pub fn none(&self) -> Option<&str> {
        None
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
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case_detail(&mut *conn, id).await?.ok_or(AppError::NotFound)?;
    let entry = Entry::new("view_case", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&mut *conn, entry).await?;

    let questions = crate::cases::db::questions(&mut *conn, id).await?;
    let sources = crate::cases::db::sources_with_documents(&mut conn, id).await?;
    let records_complete = !sources.is_empty() && sources.iter().all(|s| s.source.status.is_complete());
    let timeline = timeline::for_case(&mut *conn, id).await?;
    let notes = crate::cases::db::notes(&mut *conn, id, false).await?;
    let fees = crate::cases::db::fee_requests(&mut *conn, id).await?;
    let specialty = q.specialty.trim().to_owned();
    let mut specialists =
        db::specialist_choices(&mut *conn, (!specialty.is_empty()).then_some(specialty.as_str())).await?;
    // The family's wish first (and marked on the page); not a guarantee.
    specialists.sort_by_key(|s| Some(s.id) != case.requested_specialist_id);
    let specialties = sqlx::query_scalar!("select distinct specialty from specialists order by specialty")
        .fetch_all(&mut *conn)
        .await?;
    let clinicians = db::clinicians(&mut *conn).await?;
    let releases = crate::cases::releases::for_case(&mut *conn, id).await?;
    let calendar = crate::cases::schedule::calendar(&mut *conn).await?;
    let target = case
        .ready_for_review_at
        .map(|at| long_date(calendar.add_business_days(pacific_date(at), TARGET_BUSINESS_DAYS)));
    let age = age_on(case.date_of_birth.to_jiff(), pacific_date(state.clock.now()));
    let due = case.due_at.map(date_time);
    html(&WorkspacePage {
        page,
        me: me.id,
        case,
        age,
        questions,
        sources,
        timeline,
        notes,
        fees,
        specialists,
        specialties,
        specialty,
        clinicians,
        records_complete,
        due,
        target,
        record_statuses: RecordStatus::MARKABLE,
        releases,
    })
}
