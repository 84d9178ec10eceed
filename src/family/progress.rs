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
        // One plan per connection, kept (migration 0056 says why it is a function).
        r#"select id as "id!: CaseId", status as "status!: CaseStatus", no_diagnosis as "no_diagnosis!",
                  contact_phone as "contact_phone!", ready_at as "ready_at: jiff_sqlx::Timestamp",
                  opinion_extension_days as "opinion_extension_days!",
                  delivered_at as "delivered_at: jiff_sqlx::Timestamp", unread_by_family as "unread_by_family!",
                  coordinator, records_total as "records_total!", records_in as "records_in!",
                  has_questions as "has_questions!", declined as "declined!",
                  unsigned as "unsigned!: Vec<uuid::Uuid>", unsigned_names as "unsigned_names!",
                  fees as "fees!", call_done as "call_done: jiff_sqlx::Timestamp",
                  call_at as "call_at: jiff_sqlx::Timestamp"
           from family_situations($1, $2)"#,
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
