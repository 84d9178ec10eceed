//! The family's queries. Every one is scoped by the guardianship
//! (`is_guardian(child, user)`, migration 0028): another family's child or
//! case, or one whose guardian was removed, is the same `None` as a missing
//! one (→ 404). Lists read `children_of(user)` first (migration 0037, on an
//! index of `guardianships (user_id)`): `is_guardian` in a list's `where`
//! would be called for every case in the table.

use crate::domain::{CaseId, CaseStatus, ChildId, Relationship, Sex, UserId};
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

pub struct ChildRow {
    pub id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: jiff_sqlx::Date,
    pub sex: Sex,
}

impl ChildRow {
    pub fn display_name(&self) -> String {
        match &self.preferred_name {
            Some(p) => format!("{p} {}", self.last_name),
            None => format!("{} {}", self.first_name, self.last_name),
        }
    }

    pub fn dob(&self) -> Date {
        self.date_of_birth.to_jiff()
    }
}

pub async fn children(db: impl PgExecutor<'_>, family: UserId) -> sqlx::Result<Vec<ChildRow>> {
    sqlx::query_as!(
        ChildRow,
        r#"select id as "id: ChildId", first_name, last_name, preferred_name,
                  date_of_birth as "date_of_birth: jiff_sqlx::Date", sex as "sex: Sex"
           from children where id in (select child from children_of($1) child) order by date_of_birth"#,
        family as UserId
    )
    .fetch_all(db)
    .await
}

pub async fn child(db: impl PgExecutor<'_>, family: UserId, id: ChildId) -> sqlx::Result<Option<ChildRow>> {
    sqlx::query_as!(
        ChildRow,
        r#"select id as "id: ChildId", first_name, last_name, preferred_name,
                  date_of_birth as "date_of_birth: jiff_sqlx::Date", sex as "sex: Sex"
           from children where is_guardian(id, $1) and id = $2"#,
        family as UserId,
        id as ChildId
    )
    .fetch_optional(db)
    .await
}

/// A parsed child profile, ready to store.
pub struct ChildValues {
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Date,
    pub sex: Sex,
}

/// Adds a child with `family` as its first guardian (who they are to the
/// child, confirmed `at`), in one statement: the database refuses a child
/// without a guardian.
pub async fn insert_child(
    db: impl PgExecutor<'_>,
    family: UserId,
    c: &ChildValues,
    relationship: Relationship,
    at: jiff::Timestamp,
) -> sqlx::Result<ChildId> {
    sqlx::query_scalar!(
        r#"with child as (
               insert into children (family_id, first_name, last_name, preferred_name, date_of_birth, sex)
               values ($1, $2, $3, $4, $5, $6) returning id)
           insert into guardianships (child_id, user_id, relationship, confirmed_at, created_at)
           select id, $1, $7, $8, $8 from child
           returning child_id as "id: ChildId""#,
        family as UserId,
        c.first_name,
        c.last_name,
        c.preferred_name,
        c.date_of_birth.to_sqlx() as _,
        c.sex as Sex,
        relationship as Relationship,
        at.to_sqlx() as _
    )
    .fetch_one(db)
    .await
}

pub async fn update_child(db: impl PgExecutor<'_>, family: UserId, id: ChildId, c: &ChildValues) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"update children set first_name = $3, last_name = $4, preferred_name = $5, date_of_birth = $6, sex = $7
           where is_guardian(id, $1) and id = $2"#,
        family as UserId,
        id as ChildId,
        c.first_name,
        c.last_name,
        c.preferred_name,
        c.date_of_birth.to_sqlx() as _,
        c.sex as Sex
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A case as its family sees it.
pub struct CaseRow {
    pub id: CaseId,
    pub case_number: String,
    pub child_id: ChildId,
    pub child_name: String,
    pub status: CaseStatus,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_time_zone: String,
    pub call_times: String,
    pub diagnosis_summary: String,
    pub treatment_summary: String,
    pub treating_physician: String,
    pub treating_clinic: String,
    pub requested_specialist_id: Option<UserId>,
    pub requested_specialist_name: Option<String>,
    pub requested_specialist_note: String,
    pub previous_case_number: Option<String>,
    pub ready_for_review_at: Option<jiff_sqlx::Timestamp>,
    pub opinion_delivered_at: Option<jiff_sqlx::Timestamp>,
    pub created_at: jiff_sqlx::Timestamp,
    pub version: i32,
}

/// The family's case, locked `FOR UPDATE` when `lock` (for changes).
pub async fn case(conn: &mut PgConnection, family: UserId, id: CaseId, lock: bool) -> sqlx::Result<Option<CaseRow>> {
    if lock {
        let found = sqlx::query_scalar!(
            "select 1 as \"one!\" from cases where id = $1 and is_guardian(child_id, $2) for update",
            id as CaseId,
            family as UserId
        )
        .fetch_optional(&mut *conn)
        .await?;
        if found.is_none() {
            return Ok(None);
        }
    }
    sqlx::query_as!(
        CaseRow,
        r#"select c.id as "id: CaseId", c.case_number, c.child_id as "child_id: ChildId",
                  coalesce(ch.preferred_name, ch.first_name) || ' ' || ch.last_name as "child_name!",
                  c.status as "status: CaseStatus", c.contact_email, c.contact_phone, c.contact_time_zone, c.call_times, c.diagnosis_summary,
                  c.treatment_summary, c.treating_physician, c.treating_clinic,
                  c.requested_specialist_id as "requested_specialist_id: UserId",
                  u.full_name as "requested_specialist_name?", c.requested_specialist_note,
                  p.case_number as "previous_case_number?",
                  c.ready_for_review_at as "ready_for_review_at: jiff_sqlx::Timestamp",
                  c.opinion_delivered_at as "opinion_delivered_at: jiff_sqlx::Timestamp",
                  c.created_at as "created_at: jiff_sqlx::Timestamp", c.version
           from cases c
           join children ch on ch.id = c.child_id
           left join users u on u.id = c.requested_specialist_id
           left join cases p on p.id = c.previous_case_id
           where c.id = $1 and is_guardian(c.child_id, $2)"#,
        id as CaseId,
        family as UserId
    )
    .fetch_optional(conn)
    .await
}

/// One line per case on the dashboard.
pub struct CaseSummary {
    pub id: CaseId,
    pub case_number: String,
    pub child_id: ChildId,
    pub status: CaseStatus,
    pub ready_for_review_at: Option<jiff_sqlx::Timestamp>,
    pub questions: i64,
}

pub async fn cases(db: impl PgExecutor<'_>, family: UserId) -> sqlx::Result<Vec<CaseSummary>> {
    sqlx::query_as!(
        CaseSummary,
        r#"select c.id as "id: CaseId", c.case_number, c.child_id as "child_id: ChildId",
                  c.status as "status: CaseStatus", c.ready_for_review_at as "ready_for_review_at: jiff_sqlx::Timestamp",
                  (select count(*) from case_questions q where q.case_id = c.id) as "questions!"
           from cases c where c.child_id in (select child from children_of($1) child)
           order by c.created_at desc"#,
        family as UserId
    )
    .fetch_all(db)
    .await
}
