//! The care team's view of one case, and the rows around it.

use crate::domain::{CaseId, CaseStatus, ChildId, UserId};
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

/// Everything the workspace shows about the case itself.
pub struct CaseDetail {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub version: i32,
    pub family_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub child_id: ChildId,
    pub child_name: String,
    pub date_of_birth: time::Date,
    pub sex: String,
    pub diagnosis_summary: String,
    pub treatment_summary: String,
    pub treating_physician: String,
    pub treating_clinic: String,
    pub requested_specialist_id: Option<UserId>,
    pub requested_specialist_name: Option<String>,
    pub requested_specialist_note: String,
    pub coordinator_id: Option<UserId>,
    pub coordinator_name: Option<String>,
    pub clinician_id: Option<UserId>,
    pub clinician_name: Option<String>,
    pub specialist_id: Option<UserId>,
    pub specialist_name: Option<String>,
    pub due_at: Option<OffsetDateTime>,
    pub ready_for_review_at: Option<OffsetDateTime>,
    pub collecting_records_at: Option<OffsetDateTime>,
}

pub async fn case_detail(db: impl PgExecutor<'_>, id: CaseId) -> sqlx::Result<Option<CaseDetail>> {
    sqlx::query_as!(
        CaseDetail,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus", c.version,
                  f.full_name as family_name, c.contact_email, c.contact_phone,
                  ch.id as "child_id: ChildId", ch.first_name || ' ' || ch.last_name as "child_name!",
                  ch.date_of_birth, ch.sex, c.diagnosis_summary, c.treatment_summary, c.treating_physician, c.treating_clinic,
                  c.requested_specialist_id as "requested_specialist_id: UserId", rs.full_name as "requested_specialist_name?",
                  c.requested_specialist_note,
                  c.coordinator_id as "coordinator_id: UserId", co.full_name as "coordinator_name?",
                  c.clinician_id as "clinician_id: UserId", cl.full_name as "clinician_name?",
                  c.specialist_id as "specialist_id: UserId", sp.full_name as "specialist_name?",
                  c.due_at, c.ready_for_review_at, c.collecting_records_at
           from cases c
           join users f on f.id = c.family_id
           join children ch on ch.id = c.child_id
           left join users rs on rs.id = c.requested_specialist_id
           left join users co on co.id = c.coordinator_id
           left join users cl on cl.id = c.clinician_id
           left join users sp on sp.id = c.specialist_id
           where c.id = $1 and c.status <> 'draft'"#,
        id as CaseId
    )
    .fetch_optional(db)
    .await
}

/// Locks the case and checks the version the form was rendered with.
pub async fn lock_version(
    conn: &mut PgConnection,
    id: CaseId,
    version: i32,
) -> Result<CaseStatus, crate::error::AppError> {
    let row = sqlx::query!(
        r#"select status as "status: CaseStatus", version from cases where id = $1 and status <> 'draft' for update"#,
        id as CaseId
    )
    .fetch_optional(conn)
    .await?
    .ok_or(crate::error::AppError::NotFound)?;
    if row.version != version {
        return Err(crate::error::AppError::Conflict(
            "This case changed since you opened it (someone else updated it). Nothing was saved: reload the page to see the latest, then try again.".into(),
        ));
    }
    Ok(row.status)
}

/// Bumps the version after a change that is not a transition.
pub async fn touch(conn: &mut PgConnection, id: CaseId) -> sqlx::Result<()> {
    sqlx::query!("update cases set version = version + 1 where id = $1", id as CaseId).execute(conn).await?;
    Ok(())
}

pub struct DocumentRow {
    pub id: uuid::Uuid,
    pub record_source_id: uuid::Uuid,
    pub original_name: String,
    pub size_bytes: i64,
    pub created_at: OffsetDateTime,
}

pub async fn documents(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as!(
        DocumentRow,
        "select id, record_source_id, original_name, size_bytes, created_at from documents where case_id = $1 order by created_at",
        case as CaseId
    )
    .fetch_all(db)
    .await
}

pub struct NoteRow {
    pub author: String,
    pub to_family: bool,
    pub body: String,
    pub created_at: OffsetDateTime,
}

impl NoteRow {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.created_at)
    }
}

pub async fn notes(db: impl PgExecutor<'_>, case: CaseId, family_only: bool) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as!(
        NoteRow,
        r#"select u.full_name as author, n.to_family, n.body, n.created_at
           from case_notes n join users u on u.id = n.author_id
           where n.case_id = $1 and (n.to_family or not $2) order by n.created_at"#,
        case as CaseId,
        family_only
    )
    .fetch_all(db)
    .await
}

pub struct FeeRequestRow {
    pub id: uuid::Uuid,
    pub kind: String,
    pub amount_cents: i64,
    pub reason: String,
    pub status: String,
    pub created_at: OffsetDateTime,
}

impl FeeRequestRow {
    pub fn kind_label(&self) -> &'static str {
        if self.kind == "imaging" { "Imaging re-review" } else { "Pathology re-review" }
    }
    pub fn amount(&self) -> String {
        crate::domain::Cents(self.amount_cents).to_string()
    }
}

pub async fn fee_requests(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<FeeRequestRow>> {
    sqlx::query_as!(
        FeeRequestRow,
        "select id, kind, amount_cents, reason, status, created_at from fee_requests where case_id = $1 order by created_at",
        case as CaseId
    )
    .fetch_all(db)
    .await
}

/// A specialist a coordinator can send the case to, with how busy they are.
pub struct SpecialistChoice {
    pub id: UserId,
    pub name: String,
    pub specialty: String,
    pub load: i64,
}

pub async fn specialist_choices(
    db: impl PgExecutor<'_>,
    specialty: Option<&str>,
) -> sqlx::Result<Vec<SpecialistChoice>> {
    sqlx::query_as!(
        SpecialistChoice,
        r#"select u.id as "id: UserId", u.full_name as name, s.specialty,
                  (select count(*) from cases c where c.specialist_id = u.id and c.status = 'in_review') as "load!"
           from specialists s join users u on u.id = s.user_id
           where s.accepting_cases and u.disabled_at is null and ($1::text is null or s.specialty = $1)
           order by s.specialty, u.full_name"#,
        specialty
    )
    .fetch_all(db)
    .await
}

pub struct StaffChoice {
    pub id: UserId,
    pub name: String,
}

pub async fn clinicians(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<StaffChoice>> {
    sqlx::query_as!(
        StaffChoice,
        r#"select id as "id: UserId", full_name as name from users where role = 'clinician' and disabled_at is null order by full_name"#
    )
    .fetch_all(db)
    .await
}
