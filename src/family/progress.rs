//! Where a family's case stands and what, if anything, they need to do. The
//! dashboard and the case page say the same thing, from here: exactly what
//! is left of a draft (or that the card was declined), the releases to sign,
//! fees to decide on, new messages, when to expect the opinion, and the call.

use crate::cases::schedule::{Basis, Expected, expected};
use crate::domain::business_days::Calendar;
use crate::domain::{CaseId, CaseStatus, RecordSourceId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// Something a draft still needs before it can be submitted, in wizard order.
pub enum Missing {
    Diagnosis,
    /// A phone the clinician can dial, with its country code.
    Phone,
    Records,
    Release {
        source: RecordSourceId,
        facility: String,
    },
    Questions,
    Email,
}

/// The follow-up call after the opinion, as the family sees it.
pub enum Call {
    Waiting,
    Scheduled(Timestamp),
    Done(Timestamp),
}

pub struct Situation {
    pub case_id: CaseId,
    pub status: CaseStatus,
    /// Drafts: what is left, and whether a card was declined.
    pub missing: Vec<Missing>,
    pub declined: bool,
    /// Locations with no release yet (a coordinator may add one later on).
    pub releases_needed: Vec<(RecordSourceId, String)>,
    pub fees_waiting: i64,
    pub unread: i32,
    pub coordinator: Option<String>,
    pub records_in: i32,
    pub records_total: i32,
    pub expected: Expected,
    pub call: Call,
}

impl Situation {
    pub fn is(&self, status: &CaseStatus) -> bool {
        self.status == *status
    }
    pub fn ready_to_pay(&self) -> bool {
        self.status == CaseStatus::Draft && self.missing.is_empty()
    }
}

/// The situation of `case` (which the caller checked is the family's).
pub async fn situation(
    conn: &mut PgConnection,
    case: CaseId,
    email_verified: bool,
    calendar: &Calendar,
    now: Timestamp,
) -> sqlx::Result<Situation> {
    situations(conn, &[case], email_verified, calendar, now).await?.pop().ok_or(sqlx::Error::RowNotFound)
}

/// The situations of `cases` (the caller's own), in their order: one
/// statement for a whole dashboard, not one per case.
pub async fn situations(
    conn: &mut PgConnection,
    cases: &[CaseId],
    email_verified: bool,
    calendar: &Calendar,
    now: Timestamp,
) -> sqlx::Result<Vec<Situation>> {
    let ids: Vec<uuid::Uuid> = cases.iter().map(|c| c.0).collect();
    let rows = sqlx::query!(
        r#"select c.id as "id: CaseId", c.status as "status: CaseStatus", c.diagnosis_summary = '' as "no_diagnosis!", c.contact_phone,
                  c.ready_for_review_at as "ready_at: jiff_sqlx::Timestamp", c.opinion_extension_days,
                  c.opinion_delivered_at as "delivered_at: jiff_sqlx::Timestamp",
                  c.unread_by_family, co.full_name as "coordinator?", c.records_total, c.records_in,
                  exists (select 1 from case_questions q where q.case_id = c.id) as "has_questions!",
                  exists (select 1 from payments p where p.case_id = c.id and p.purpose = 'case_fee'
                          and p.status = 'failed') as "declined!",
                  array(select s.id from record_sources s where s.case_id = c.id and not exists
                        (select 1 from record_releases r where r.record_source_id = s.id) order by s.created_at)
                      as "unsigned!: Vec<uuid::Uuid>",
                  array(select s.facility from record_sources s where s.case_id = c.id and not exists
                        (select 1 from record_releases r where r.record_source_id = s.id) order by s.created_at)
                      as "unsigned_names!",
                  (select count(*) from fee_requests f where f.case_id = c.id and f.status = 'requested') as "fees!",
                  (select max(k.at) from follow_up_calls k where k.case_id = c.id and k.outcome = 'completed')
                      as "call_done: jiff_sqlx::Timestamp",
                  case when c.call_scheduled_for > $2 then c.call_scheduled_for end
                      as "call_at: jiff_sqlx::Timestamp"
           from cases c left join users co on co.id = c.coordinator_id
           where c.id = any($1) order by array_position($1, c.id)"#,
        &ids,
        now.to_sqlx() as _
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let case = r.id;
            let unsigned: Vec<(RecordSourceId, String)> =
                r.unsigned.into_iter().map(RecordSourceId).zip(r.unsigned_names).collect();
            let mut missing = Vec::new();
            if r.status == CaseStatus::Draft {
                if r.no_diagnosis {
                    missing.push(Missing::Diagnosis);
                }
                if crate::domain::PhoneNumber::from_stored(&r.contact_phone).is_none() {
                    missing.push(Missing::Phone);
                }
                if r.records_total == 0 {
                    missing.push(Missing::Records);
                }
                missing.extend(
                    unsigned
                        .iter()
                        .map(|(source, facility)| Missing::Release { source: *source, facility: facility.clone() }),
                );
                if !r.has_questions {
                    missing.push(Missing::Questions);
                }
                if !email_verified {
                    missing.push(Missing::Email);
                }
            }
            let call = match (r.call_done, r.call_at) {
                (Some(done), _) => Call::Done(done.to_jiff()),
                (None, Some(at)) => Call::Scheduled(at.to_jiff()),
                (None, None) => Call::Waiting,
            };
            let open = !r.status.is_frozen() && r.status != CaseStatus::Draft;
            Situation {
                case_id: case,
                status: r.status,
                missing,
                declined: r.declined && r.status == CaseStatus::Draft,
                releases_needed: if open { unsigned } else { Vec::new() },
                fees_waiting: r.fees,
                unread: r.unread_by_family,
                coordinator: r.coordinator,
                records_in: r.records_in,
                records_total: r.records_total,
                expected: expected(
                    calendar,
                    r.status,
                    Basis {
                        records_complete_at: r.ready_at.map(Into::into),
                        extension_days: u32::from(r.opinion_extension_days.unsigned_abs()),
                    },
                    r.delivered_at.map(Into::into),
                    now,
                ),
                call,
            }
        })
        .collect())
}
