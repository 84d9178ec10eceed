//! The care team's view of one case, and the choices the workspace offers.

use crate::domain::{CaseId, CaseStatus, ChildId, Sex, UserId};
use sqlx::PgExecutor;

/// Everything the workspace shows about the case itself.
pub struct CaseDetail {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub version: i32,
    pub family_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_time_zone: String,
    pub call_times: String,
    pub child_id: ChildId,
    pub child_name: String,
    pub date_of_birth: jiff_sqlx::Date,
    pub sex: Sex,
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
    pub due_at: Option<jiff_sqlx::Timestamp>,
    pub ready_for_review_at: Option<jiff_sqlx::Timestamp>,
    pub call_due_at: Option<jiff_sqlx::Timestamp>,
    pub call_pending: bool,
    pub opinion_extension_days: i16,
    pub previous_case_id: Option<CaseId>,
    pub previous_case_number: Option<String>,
    pub unread_by_team: i32,
    /// The language the family reads (the case's opener's choice): "Prefers Spanish".
    pub family_language: crate::i18n::Lang,
    /// The safety screen: a treatment decision must be made within a week.
    pub decision_needed_soon: bool,
}

pub async fn case_detail(db: impl PgExecutor<'_>, id: CaseId) -> sqlx::Result<Option<CaseDetail>> {
    sqlx::query_as!(
        CaseDetail,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus", c.version,
                  f.full_name as family_name, c.contact_email, c.contact_phone, c.contact_time_zone, c.call_times,
                  ch.id as "child_id: ChildId", ch.first_name || ' ' || ch.last_name as "child_name!",
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date", ch.sex as "sex: Sex",
                  c.diagnosis_summary, c.treatment_summary, c.treating_physician, c.treating_clinic,
                  c.requested_specialist_id as "requested_specialist_id: UserId", rs.full_name as "requested_specialist_name?",
                  c.requested_specialist_note,
                  c.coordinator_id as "coordinator_id: UserId", co.full_name as "coordinator_name?",
                  c.clinician_id as "clinician_id: UserId", cl.full_name as "clinician_name?",
                  c.specialist_id as "specialist_id: UserId", sp.full_name as "specialist_name?",
                  c.due_at as "due_at: jiff_sqlx::Timestamp", c.ready_for_review_at as "ready_for_review_at: jiff_sqlx::Timestamp",
                  c.call_due_at as "call_due_at: jiff_sqlx::Timestamp", c.call_pending, c.opinion_extension_days,
                  c.previous_case_id as "previous_case_id: CaseId", p.case_number as "previous_case_number?",
                  c.unread_by_team, c.family_language as "family_language: crate::i18n::Lang",
                  c.decision_needed_soon
           from cases c
           join users f on f.id = c.family_id
           join children ch on ch.id = c.child_id
           left join users rs on rs.id = c.requested_specialist_id
           left join users co on co.id = c.coordinator_id
           left join users cl on cl.id = c.clinician_id
           left join users sp on sp.id = c.specialist_id
           left join cases p on p.id = c.previous_case_id
           where c.id = $1 and c.status <> 'draft'"#,
        id as CaseId
    )
    .fetch_optional(db)
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
                  s.in_review::bigint as "load!"
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
